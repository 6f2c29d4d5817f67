"""Start-up: a fresh process from exec to ready (Discord's adapter imported, `App` started: bank loaded and
validated, database open, catch-up run, every channel's daily job planned) with 10,000 scheduled channels, its peak
RSS and its threads. Baselines: a bare `python -c` and the same start without the platform import, in the same
run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from datetime import time as clock_time
from pathlib import Path

from benchmarks.common import PLATFORM, Report, median, say, scale
from benchmarks.machine import Machine
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.storage.store import SqliteStore

ROOT = Path(__file__).resolve().parents[1]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")  # the probe starts on a Sunday: nothing is due, nothing posted
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata")


async def prepare(path: Path, channels: int) -> None:
    store = await SqliteStore.open(path)
    await asyncio.gather(
        *(
            store.save_channel(
                ChannelConfig(
                    ChannelRef(PLATFORM, f"g{n % 500}", f"c{n}"),
                    Schedule(at=clock_time(6 + n % 12, (n % 4) * 15), timezone=ZONES[n % len(ZONES)], days=WEEKDAYS),
                )
            )
            for n in range(channels)
        )
    )
    await store.close()


def timed(command: list[str]) -> tuple[float, float, int]:
    """Seconds from exec to the READY line, the RSS it reports (MB) and its threads."""
    started = time.time()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    line = process.stdout.readline() if process.stdout else ""
    process.communicate(timeout=60)
    if not line.startswith("READY"):
        raise RuntimeError(f"{command} did not get ready: {line!r}")
    parts = line.split()
    return float(parts[1]) - started, float(parts[2]), int(parts[3])


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    channels = scale(quick, 10_000, 1_000)
    repeats = 1 if quick else 5
    say(f"\n[startup] process start to ready: built-in bank loaded and validated, {channels:,} channels scheduled")
    path = folder / "startup.db"
    await prepare(path, channels)
    bare = [
        timed(
            [
                sys.executable,
                "-c",
                "import time; from benchmarks.startup_probe import peak_rss_mb; "
                "from benchmarks.threads import running_threads; "
                "print('READY', time.time(), peak_rss_mb(), running_threads())",
            ]
        )
        for _ in range(repeats)
    ]
    probe = [sys.executable, "-m", "benchmarks.startup_probe", str(path)]
    runs = [timed([*probe, "discord"]) for _ in range(repeats)]
    without_platform = median([timed(probe)[0] for _ in range(repeats)])
    seconds = median([run[0] for run in runs])
    rss = max(run[1] for run in runs)
    threads = max(run[2] for run in runs)
    bare_s, bare_rss = median([run[0] for run in bare]), max(run[1] for run in bare)
    report.add(
        "startup_s",
        seconds,
        "s",
        target="<= 1.5 s",
        met=seconds <= 1.5,
        baseline=f"median of {repeats}, Discord's adapter and discord.py imported; a bare `python -c` starts in "
        f"{bare_s * 1000:.0f} ms, and without the platform import the start takes {without_platform:.2f} s",
        ratio=f"{seconds / bare_s:.1f}x the bare interpreter",
    )
    report.extra("startup_without_platform_import_s", without_platform)
    report.add(
        "rss_mb",
        rss,
        "MB",
        target="<= 150 MB",
        met=rss <= 150,
        baseline=f"peak RSS; a bare `python -c` uses {bare_rss:.0f} MB",
        ratio=f"{rss / bare_rss:.1f}x the bare interpreter",
    )
    report.extra("startup_threads", threads)
    say(f"  {'':<24} threads once started: {threads} (a bare `python -c` has 1)")
