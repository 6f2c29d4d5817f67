"""`studybot run --platform console`: a local study group on standard input and output."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable

from bot.adapters.console.history import ConsoleHistory
from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.repl import ConsoleSession
from bot.app import load_checked_bank, open_runtime
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.scheduling.scheduler import DailyScheduler
from bot.storage.database import Database

BANNER = "studybot console · #study · you are @you (a moderator). Type help, or /qotd setup time:09:00 to begin."


async def run_console(
    settings: Settings, *, read_line: Callable[[], str] | None = None, write: Callable[[str], None] | None = None
) -> int:
    out = write or (lambda text: print(text, flush=True))
    reader = read_line or sys.stdin.readline
    bank = load_checked_bank(settings)
    history_db = await Database.open(settings.database)
    clock = SystemClock()
    platform = ConsolePlatform(ConsoleHistory(history_db), clock, out)
    try:
        async with open_runtime(settings, platform, clock=clock, bank=bank) as runtime:
            scheduler = DailyScheduler(runtime.group, platform.style)
            await runtime.group.catch_up(platform.style)
            await scheduler.start()
            session = ConsoleSession(runtime.group, platform, out)
            out(BANNER)
            try:
                while True:
                    line = await asyncio.to_thread(reader)
                    if not line:  # end of input
                        break
                    if not await session.handle(line):
                        break
            finally:
                scheduler.shutdown()
    finally:
        await history_db.close()
    return 0
