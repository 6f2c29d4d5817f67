"""Run in a fresh process by the startup benchmark: start studybot to ready, print READY and the peak RSS.

`python -m benchmarks.startup_probe DB` — imports, loads and validates the built-in bank, opens the database
(migrations), builds the study group and plans every channel's daily job, as `studybot run` does before it
connects to a platform.
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


async def main(path: str) -> None:
    from benchmarks.common import InstantPlatform
    from bot.banks.loading import load_bank
    from bot.core.studygroup import StudyGroup
    from bot.core.style import TextStyle
    from bot.core.usecases.context import StudyGroupContext
    from bot.scheduling.scheduler import DailyScheduler
    from bot.storage.store import SqliteStore

    bank = load_bank()
    store = await SqliteStore.open(path)
    group = StudyGroup(StudyGroupContext(bank=bank, store=store, platform=InstantPlatform()))
    scheduler = DailyScheduler(group, TextStyle())
    await scheduler.start()
    rss_mb = peak_rss_mb()
    print(f"READY {time.time():.6f} {rss_mb:.1f} {len(bank)}", flush=True)
    scheduler.shutdown()
    await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
