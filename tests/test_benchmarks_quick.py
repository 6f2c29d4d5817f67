"""The benchmarks' smoke run, so they never rot: every figure is produced and positive. Targets are the full run's
business (benchmarks/RESULTS.md), never asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.postgres import server_binaries

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
# PostgreSQL beside SQLite: only where the PostgreSQL server binaries are installed (CI has them).
POSTGRES_FIGURES = (
    "pg_ingest_replies_per_s",
    "pg_leaderboard_p99_ms",
    "pg_leaderboard_server_p99_ms",
    "pg_fanout_channels_per_s",
    "pg_fanout_two_instances_vs_one",
    "pg_command_p99_ms",
    # each command's own, idle and under load, on both engines
    *(
        f"pg_command_{engine}{command}_{when}_p{q}_ms"
        for engine in ("", "sqlite_")
        for command in ("channel_board", "server_board", "stats")
        for when in ("idle", "loaded")
        for q in (50, 99)
    ),
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
    "postgres",
)


def quick(*only: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", "--only", *only],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_quick_benchmarks_report_every_figure():
    # Two runs side by side, of about the same length: PostgreSQL's waits mostly on its server and its instances'
    # processes, and the start-up ones on the processes they start.
    beside = ("postgres", "deployed", "startup")
    runs = [quick(*(name for name in BENCHMARKS if name not in beside), "pictures"), quick(*beside)]
    figures: dict[str, float] = {}
    stderr = ""
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err[-3000:]
        figures.update(json.loads(out))
        stderr += err
    with_postgres = server_binaries() is not None
    for key in FIGURES + (POSTGRES_FIGURES if with_postgres else ()):
        assert key in figures, f"{key} missing from {sorted(figures)}"
        assert isinstance(figures[key], int | float) and figures[key] > 0, (key, figures[key])
    assert figures["leaderboard_askers_ranked_share"] == 1.0  # every leaderboard read counts the asker's rank
    if not with_postgres:  # skipped with one line saying how to run it, and no figure
        assert "[postgres] skipped: no PostgreSQL server binaries" in stderr
        assert not any(key.startswith("pg_") for key in figures)
    for name in BENCHMARKS:
        assert figures[f"cpu_others_cores_{name}"] >= 0, name


def test_the_postgresql_benchmark_says_in_one_line_that_it_is_skipped_without_postgresql(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", "--only", "postgres"],
        cwd=ROOT,
        env={**os.environ, "STUDYBOT_TEST_PG_BIN": str(tmp_path)},  # a folder without initdb and pg_ctl
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    skipped = [line for line in done.stderr.splitlines() if line.startswith("[postgres]")]  # not the CPU line
    assert skipped == [
        "[postgres] skipped: no PostgreSQL server binaries (initdb, pg_ctl) found; install them "
        "(`apt-get install -y postgresql` on Debian) or set STUDYBOT_TEST_PG_BIN to their folder"
    ]
    assert not any(key.startswith("pg_") for key in json.loads(done.stdout))
