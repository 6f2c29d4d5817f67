"""The port a platform without a server of its own (the console) keeps its messages through.

Kept in the bot's database, so message ids stay unique across restarts and a question post made just before
a crash can be found again by its post key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class LoggedMessage:
    id: int
    channel: str
    thread_id: str | None
    author_id: str
    author_name: str
    is_bot: bool
    text: str
    sent_at: datetime


class ChatLog(Protocol):
    async def add(
        self,
        *,
        channel: str,
        thread_id: str | None,
        author_id: str,
        author_name: str,
        text: str,
        sent_at: datetime,
        is_bot: bool = False,
        post_key: str | None = None,
    ) -> LoggedMessage: ...

    async def get(self, message_id: int) -> LoggedMessage | None:
        """The message, unless it was deleted."""
        ...

    async def edit(self, message_id: int, text: str) -> None: ...
    async def delete(self, message_id: int) -> None: ...

    async def thread(self, thread_id: str) -> list[LoggedMessage]:
        """The thread's messages still there, oldest first."""
        ...

    async def find_post(self, post_key: str) -> LoggedMessage | None: ...

    async def latest_question(self, channel: str) -> LoggedMessage | None:
        """The bot's latest question post in the channel."""
        ...
