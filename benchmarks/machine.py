"""The machine baseline, measured in the same run: a fixed pure-Python loop and a raw sqlite3 insert rate."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Report, median, say
from bot.storage.database import open_sync


def python_loop_rate() -> float:
    """Iterations per second of a fixed pure-Python loop (median of 5)."""
    rates = []
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number % 7
        rates.append(1_000_000 / (time.perf_counter() - started))
    return median(rates)


def sqlite_insert_rate(folder: Path) -> float:
    """Rows per second of plain sqlite3 executemany into one indexed table, one transaction, production
    settings (WAL, synchronous=NORMAL). Median of 3."""
    rates = []
    for attempt in range(3):
        connection = open_sync(folder / f"machine-{attempt}.db")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER NOT NULL)")
        connection.execute("CREATE INDEX t_k ON t (k)")
        data = [(f"key-{n * 7919 % 100_003}", n) for n in range(200_000)]
        started = time.perf_counter()
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO t (k, v) VALUES (?, ?)", data)
        connection.execute("COMMIT")
        rates.append(len(data) / (time.perf_counter() - started))
        connection.close()
    return median(rates)


def memory_mb() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        return 0


class Machine:
    def __init__(self) -> None:
        self.python_loop = 0.0
        self.sqlite_insert = 0.0

    def measure(self, report: Report) -> None:
        with tempfile.TemporaryDirectory(prefix="studybot-bench-") as folder:
            self.python_loop = python_loop_rate()
            self.sqlite_insert = sqlite_insert_rate(Path(folder))
        say(
            f"machine: {os.cpu_count()} cpus, {memory_mb():,} MB, {platform.platform()}, "
            f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
        )
        say(
            f"machine baseline: pure-Python loop {self.python_loop / 1e6:.2f} M it/s; "
            f"raw sqlite3 insert {self.sqlite_insert / 1e3:,.0f} k rows/s"
        )
        report.extra("machine_python_loop_per_s", self.python_loop)
        report.extra("machine_sqlite_insert_rows_per_s", self.sqlite_insert)
        report.extra("machine_cpus", os.cpu_count() or 0)

    def beside(self) -> str:
        return (
            f"machine: Python loop {self.python_loop / 1e6:.2f} M it/s, "
            f"sqlite3 insert {self.sqlite_insert / 1e3:,.0f} k rows/s"
        )
