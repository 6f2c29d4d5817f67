"""studybot's benchmarks: `python -m benchmarks` runs them all (`--quick` for a smoke run, `--json` for figures)."""
