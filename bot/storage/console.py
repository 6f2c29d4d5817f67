"""The console adapter's message history, kept in the bot's database so its message ids survive restarts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from bot.storage.database import Database, parse_ts, ts


@dataclass(frozen=True, slots=True)
class ConsoleMessage:
    id: int
    channel: str
    thread_id: str | None
    author_id: str
    author_name: str
    is_bot: bool
    text: str
    sent_at: datetime


def _message(row: sqlite3.Row) -> ConsoleMessage:
    sent_at = parse_ts(row["sent_at"])
    assert sent_at is not None
    return ConsoleMessage(
        row["id"],
        row["channel"],
        row["thread_id"],
        row["author_id"],
        row["author_name"],
        bool(row["is_bot"]),
        row["text"],
        sent_at,
    )


class SqliteConsoleMessages:
    """The console's channels and threads: what was said, by whom, under which id."""

    def __init__(self, db: Database) -> None:
        self._db = db

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
    ) -> ConsoleMessage:
        inserted = await self._db.write_statement(
            "INSERT INTO console_messages (channel, thread_id, author_id, author_name, is_bot, text, sent_at, "
            "post_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (channel, thread_id, author_id, author_name, int(is_bot), text, ts(sent_at), post_key),
        )
        message_id = int(inserted.lastrowid or 0)
        return ConsoleMessage(message_id, channel, thread_id, author_id, author_name, is_bot, text, sent_at)

    async def get(self, message_id: int) -> ConsoleMessage | None:
        row = await self._db.fetchone("SELECT * FROM console_messages WHERE id = ? AND deleted = 0", (message_id,))
        return _message(row) if row else None

    async def edit(self, message_id: int, text: str) -> None:
        await self._db.write_statement("UPDATE console_messages SET text = ? WHERE id = ?", (text, message_id))

    async def delete(self, message_id: int) -> None:
        await self._db.write_statement("UPDATE console_messages SET deleted = 1 WHERE id = ?", (message_id,))

    async def thread(self, thread_id: str) -> list[ConsoleMessage]:
        found = await self._db.fetchall(
            "SELECT * FROM console_messages WHERE thread_id = ? AND deleted = 0 ORDER BY id", (thread_id,)
        )
        return [_message(row) for row in found]

    async def find_post(self, post_key: str) -> ConsoleMessage | None:
        row = await self._db.fetchone("SELECT * FROM console_messages WHERE post_key = ?", (post_key,))
        return _message(row) if row else None

    async def latest_question(self, channel: str) -> ConsoleMessage | None:
        row = await self._db.fetchone(
            "SELECT * FROM console_messages WHERE channel = ? AND thread_id IS NULL AND is_bot = 1 "
            "AND post_key IS NOT NULL ORDER BY id DESC LIMIT 1",
            (channel,),
        )
        return _message(row) if row else None
