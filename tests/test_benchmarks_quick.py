"""The benchmarks' smoke run, so they never rot: every figure is produced and positive. Targets are the full run's
business (benchmarks/RESULTS.md), never asserted here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FIGURES = (
    "ingest_replies_per_s",
    "ingest_vs_peer",
    "ingest_vs_raw_sqlite",
    "ingest_p99_ms",
    "leaderboard_p99_ms",
    "leaderboard_server_p99_ms",
    "leaderboard_vs_naive",
    "fanout_channels_per_s",
    "fanout_vs_rate_floor",
    "command_p99_ms",
    "threads",
    "startup_s",
    "rss_mb",
    "bank_load_s",
    "card_render_p99_ms",
    "commands_beside_stats_p99_ms",
)


def test_quick_benchmarks_report_every_figure():
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    for key in FIGURES:
        assert key in figures, f"{key} missing from {sorted(figures)}"
        assert isinstance(figures[key], int | float) and figures[key] > 0, (key, figures[key])
