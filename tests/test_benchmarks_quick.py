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
    "ingest_vs_peer_no_wal",
    "ingest_vs_raw_sqlite",
    "ingest_open_p99_ms_200",
    "ingest_open_p99_ms_1000",
    "ingest_open_p99_ms_2000",
    "ingest_history_replies_per_s",
    "ingest_history_vs_empty",
    "ingest_p99_ms",
    "leaderboard_p99_ms",
    "leaderboard_server_p99_ms",
    "leaderboard_vs_naive",
    "fanout_channels_per_s",
    "fanout_vs_rate_floor",
    "fanout_group_bank_channels_per_s",
    "fanout_round_trip_channels_per_s",
    "fanout_discord_channels_per_s",
    "fanout_slack_channels_per_s",
    "command_p99_ms",
    "threads",
    "startup_s",
    "rss_mb",
    "startup_deployed_ready_s",
    "startup_deployed_caught_up_s",
    "bank_load_s",
    "card_render_p99_ms",
    "commands_beside_stats_p99_ms",
    "review_p99_ms",
    "stats_readiness_p99_ms",
    "reminders_sent_per_s",
    "reminders_vs_floor",
    "reminders_peak_per_window",
)
# The CPU other processes used while each benchmark ran: present for every one, and zero on a quiet machine.
BENCHMARKS = (
    "ingest",
    "openloop",
    "leaderboard",
    "fanout",
    "history",
    "commands",
    "startup",
    "deployed",
    "bank",
    "reviews",
    "reminders",
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
    assert figures["leaderboard_askers_ranked_share"] == 1.0  # every leaderboard read counts the asker's rank
    for name in BENCHMARKS:
        assert figures[f"cpu_others_cores_{name}"] >= 0, name
