"""Loading, validating, importing and exporting question banks."""
