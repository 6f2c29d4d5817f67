"""`studybot run --platform console`: a local study group on standard input and output."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable

from bot.adapters.console.history import ConsoleHistory
from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.repl import ConsoleSession
from bot.app import load_checked_bank, open_runtime
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.lifecycle import Lifecycle
from bot.scheduling.scheduler import DailyScheduler
from bot.storage.database import Database

BANNER = "studybot console · #study · you are @you (a moderator). Type help, or /qotd setup time:09:00 to begin."


def _read_lines_into(queue: asyncio.Queue[str], loop: asyncio.AbstractEventLoop, read: Callable[[], str]) -> None:
    """Read standard input on a daemon thread, so a blocked read never holds up shutdown."""

    def pump() -> None:
        while True:
            line = read()
            loop.call_soon_threadsafe(queue.put_nowait, line)
            if not line:
                return

    threading.Thread(target=pump, name="console-input", daemon=True).start()


async def _next_line(queue: asyncio.Queue[str], stopping: asyncio.Event) -> str | None:
    """The next line, or None when input ended or a stop was asked for."""
    if stopping.is_set():
        return None
    getter = asyncio.ensure_future(queue.get())
    stopper = asyncio.ensure_future(stopping.wait())
    done, pending = await asyncio.wait({getter, stopper}, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    if getter in done and getter.result() and not stopping.is_set():
        return getter.result()
    return None


async def run_console(
    settings: Settings, *, read_line: Callable[[], str] | None = None, write: Callable[[str], None] | None = None
) -> int:
    out = write or (lambda text: print(text, flush=True))
    bank = load_checked_bank(settings)
    db = await Database.open(settings.database)
    clock = SystemClock()
    platform = ConsolePlatform(ConsoleHistory(db), clock, out)
    try:
        async with (
            open_runtime(settings, platform, clock=clock, bank=bank) as runtime,
            Lifecycle(db, platform.name, clock) as life,
        ):
            scheduler = DailyScheduler(runtime.group, platform.style)
            await runtime.group.catch_up(platform.style)
            await scheduler.start()
            session = ConsoleSession(runtime.group, platform, out)
            lines: asyncio.Queue[str] = asyncio.Queue()
            _read_lines_into(lines, asyncio.get_running_loop(), read_line or sys.stdin.readline)
            out(BANNER)
            try:
                while (line := await _next_line(lines, life.stopping)) is not None:
                    if not await session.handle(line):  # each line finishes its writes before the next
                        break
            finally:
                scheduler.shutdown()
    finally:
        await db.close()
    return 0
