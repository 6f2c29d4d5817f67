"""The console adapter as the app drives it: a local study group on standard input and output."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Callable

from bot.adapters.console.pictures import PictureFiles
from bot.adapters.console.platform import ConsolePlatform
from bot.adapters.console.repl import ConsoleSession
from bot.core.chatlog import ChatLog
from bot.core.clock import Clock
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle

BANNER = "studybot console · #study · you are @you (a moderator). Type help, or /qotd setup time:09:00 to begin."


class ConsoleAdapter:
    def __init__(
        self,
        log: ChatLog,
        clock: Clock,
        *,
        read_line: Callable[[], str] | None = None,
        write: Callable[[str], None] | None = None,
        pictures: PictureFiles | None = None,
    ) -> None:
        self._write = write or (lambda text: print(text, flush=True))
        self._read_line = read_line or sys.stdin.readline
        self.platform = ConsolePlatform(log, clock, self._write, pictures=pictures)
        self._lines: asyncio.Queue[str] = asyncio.Queue()
        self._session: ConsoleSession | None = None
        self._pictures = pictures  # None: cards are not saved

    @property
    def style(self) -> TextStyle:
        return self.platform.style

    async def connect(self) -> ConsolePlatform:
        return self.platform

    async def start(self, group: StudyGroup) -> None:
        self._session = ConsoleSession(group, self.platform, self._write, self._pictures)
        _read_lines_into(self._lines, asyncio.get_running_loop(), self._read_line)

    async def serve(self, stopping: asyncio.Event) -> int:
        """Run each line to the end (its writes included) before reading the next, until input ends."""
        if self._session is None:
            raise RuntimeError("ConsoleAdapter.start() must come before serve()")
        self._write(BANNER)
        while (line := await _next_line(self._lines, stopping)) is not None:
            if not await self._session.handle(line):
                break
        return 0

    async def close(self) -> None:
        """Nothing to let go of: the input thread is a daemon, and every line finished its writes."""


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
