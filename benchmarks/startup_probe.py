"""Run in a fresh process by the startup benchmark: start studybot to ready, print READY, peak RSS and threads.

`python -m benchmarks.startup_probe DB [discord]` — builds and starts the `App` as `studybot run` does (built-in bank
loaded and validated, the database opened and migrated, the study group built, the heartbeat written, the catch-up
run and every channel's daily job planned), on a platform that needs no network. With `discord`, the Discord
adapter (and discord.py with it) is imported first, as `studybot run` does when a Discord token is set: the
start-up a Discord deployment pays before it talks to the network.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import time


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; `ru_maxrss` would include the parent's from before exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main(path: str, platform: str | None) -> None:
    if platform == "discord":
        import bot.adapters.discord.adapter  # noqa: F401

    from datetime import UTC, datetime
    from pathlib import Path

    from benchmarks.common import InstantAdapter
    from benchmarks.threads import running_threads
    from bot.app import App
    from bot.config import Settings
    from bot.core.clock import FixedClock

    sunday = FixedClock(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    app = App(Settings(database=Path(path)), adapter=lambda store: InstantAdapter(), clock=sunday)
    async with app:
        rss_mb, threads = peak_rss_mb(), running_threads()
        print(f"READY {time.time():.6f} {rss_mb:.1f} {threads}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None))
