"""Checks run from the command line and by the test suite (not shipped with the package)."""
