"""The console adapter run by the app in this process, typed into line by line, its output read as it comes."""

from __future__ import annotations

import asyncio
import queue
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bot.adapters.console.adapter import ConsoleAdapter
from bot.adapters.console.pictures import PictureFiles
from bot.app import App
from bot.config import load_settings
from bot.core.bank import Bank
from bot.core.clock import Clock

T = 5.0  # the longest any single wait may take


class Keyboard:
    """Standard input and output of the console: `type` a line, `expect` what it printed since."""

    def __init__(self) -> None:
        self._lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self._seen = 0

    def read_line(self) -> str:  # on the console's input thread
        return self._lines.get()

    def write(self, text: str) -> None:
        self.output.extend(text.splitlines() or [""])

    def end(self) -> None:
        self._lines.put("")

    async def type(self, line: str, *, expect: str | None = None) -> list[str]:
        """Type `line`; with `expect`, wait until a line printed after it contains that text, and return them."""
        self._seen = len(self.output)
        self._lines.put(line + "\n")
        return await self.expect(expect) if expect is not None else []

    async def expect(self, text: str) -> list[str]:
        """The lines printed since the last line typed, once one of them contains `text`."""
        try:
            async with asyncio.timeout(T):
                while not any(text in line for line in self.output[self._seen :]):
                    await asyncio.sleep(0.01)
        except TimeoutError:
            raise AssertionError(f"no line with {text!r} in:\n" + "\n".join(self.output[self._seen :])) from None
        return self.output[self._seen :]


@asynccontextmanager
async def console_app(
    database: Path, clock: Clock, bank: Bank, *, retry_every: float = 0.05, pictures: PictureFiles | None = None
) -> AsyncIterator[tuple[App, Keyboard]]:
    """`studybot run` on the console, as the app builds it (no cron schedule), serving until the input ends."""
    keyboard = Keyboard()
    settings = load_settings(None, {"STUDYBOT_PLATFORM": "console", "STUDYBOT_DATABASE": str(database)})
    app = App(
        settings,
        adapter=lambda store: ConsoleAdapter(
            store.chat_log, clock, read_line=keyboard.read_line, write=keyboard.write, pictures=pictures
        ),
        clock=clock,
        bank=bank,
        schedule=False,
        retry_every=retry_every,
    )
    async with app:
        serving = asyncio.create_task(app.serve())
        try:
            yield app, keyboard
        finally:
            keyboard.end()
            assert await asyncio.wait_for(serving, T) == 0
