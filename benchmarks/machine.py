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
from benchmarks.cpu import CpuSpan
from bot.storage.database import open_sync


def python_loop_rate(repeats: int = 5) -> float:
    """Iterations per second of a fixed pure-Python loop (median of `repeats`)."""
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number % 7
        rates.append(1_000_000 / (time.perf_counter() - started))
    return median(rates)


def sqlite_insert_rate(folder: Path, repeats: int = 3, rows: int = 200_000) -> float:
    """Rows per second of plain sqlite3 executemany into one indexed table, one transaction, production
    settings (WAL, synchronous=NORMAL). Median of `repeats`."""
    rates = []
    for attempt in range(repeats):
        connection = open_sync(folder / f"machine-{attempt}.db")
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v INTEGER NOT NULL)")
        connection.execute("CREATE INDEX t_k ON t (k)")
        data = [(f"key-{n * 7919 % 100_003}", n) for n in range(rows)]
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

    def measure(self, report: Report, quick: bool = False) -> None:
        span = CpuSpan.start()
        with tempfile.TemporaryDirectory(prefix="studybot-bench-") as folder:
            self.python_loop = python_loop_rate(2 if quick else 5)
            self.sqlite_insert = sqlite_insert_rate(Path(folder), *((1, 50_000) if quick else (3, 200_000)))
        span.stop()
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
        say(f"machine baseline {span.line()}")
        report.extra("machine_cpus", os.cpu_count() or 0)
        report.extra("cpu_others_cores_machine", span.others_cores)

    def beside(self) -> str:
        return (
            f"machine: Python loop {self.python_loop / 1e6:.2f} M it/s, "
            f"sqlite3 insert {self.sqlite_insert / 1e3:,.0f} k rows/s"
        )
