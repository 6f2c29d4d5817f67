"""The console study group: the whole loop in a terminal, scriptable from standard input."""
