"""Question banks as files: reading and validating YAML with lines, importing markdown lists, exporting.

The bank itself (`Bank`, `Question`, `BankError`) is the core's; this package turns files into it and back.
"""
