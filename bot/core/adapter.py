"""What the app asks of a platform's adapter: connect, start taking events, serve until stopped, close.

The app (`bot.app.App`) drives every adapter the same way, in this order, and closes in reverse:

1. `connect()` logs in and learns who the bot is, and returns the `Platform` the core speaks through;
   no event is taken yet, because there is no study group to hand it to.
2. `start(group)` starts taking events (commands, replies, reactions) into the study group. The app then
   catches up (posts due, replies made while away) and starts the schedule, so nothing said meanwhile is missed.
3. `serve(stopping)` runs until `stopping` is set (0) or the platform ends the connection for good (1).
4. `close()` stops taking events and lets the work in hand finish; the database is closed after it.

`connect` and `start` raise `ConfigError` for a setting the platform refused and `PlatformGone` when the
platform refused the bot in a way already logged.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Protocol

from bot.core.ports import Platform
from bot.core.style import TextStyle

if TYPE_CHECKING:
    from bot.core.studygroup import StudyGroup


class Adapter(Protocol):
    @property
    def style(self) -> TextStyle:
        """How this platform writes bold, links, mentions and lists."""
        ...

    async def connect(self) -> Platform: ...
    async def start(self, group: StudyGroup) -> None: ...
    async def serve(self, stopping: asyncio.Event) -> int: ...
    async def close(self) -> None: ...
