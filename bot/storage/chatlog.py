"""`SqliteChatLog`: the console's messages in the bot's database, so message ids survive restarts."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.chatlog import LoggedMessage
from bot.core.recaps import KEY_PREFIX
from bot.storage.database import Database, parse_ts, ts


def _message(row: sqlite3.Row) -> LoggedMessage:
    sent_at = parse_ts(row["sent_at"])
    assert sent_at is not None
    return LoggedMessage(
        row["id"],
        row["channel"],
        row["thread_id"],
        row["author_id"],
        row["author_name"],
        bool(row["is_bot"]),
        row["text"],
        sent_at,
    )


class SqliteChatLog:
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
    ) -> LoggedMessage:
        inserted = await self._db.write(
            lambda connection: connection.execute(
                "INSERT INTO console_messages (channel, thread_id, author_id, author_name, is_bot, text, sent_at, "
                "post_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (channel, thread_id, author_id, author_name, int(is_bot), text, ts(sent_at), post_key),
            ).fetchall()
        )
        message_id = int(inserted[0][0])
        return LoggedMessage(message_id, channel, thread_id, author_id, author_name, is_bot, text, sent_at)

    async def get(self, message_id: int) -> LoggedMessage | None:
        row = await self._db.fetchone("SELECT * FROM console_messages WHERE id = ? AND deleted = 0", (message_id,))
        return _message(row) if row else None

    async def edit(self, message_id: int, text: str) -> None:
        await self._db.write_statement("UPDATE console_messages SET text = ? WHERE id = ?", (text, message_id))

    async def delete(self, message_id: int) -> None:
        await self._db.write_statement("UPDATE console_messages SET deleted = 1 WHERE id = ?", (message_id,))

    async def thread(self, thread_id: str) -> list[LoggedMessage]:
        found = await self._db.fetchall(
            "SELECT * FROM console_messages WHERE thread_id = ? AND deleted = 0 ORDER BY id", (thread_id,)
        )
        return [_message(row) for row in found]

    async def find_post(self, post_key: str) -> LoggedMessage | None:
        row = await self._db.fetchone("SELECT * FROM console_messages WHERE post_key = ?", (post_key,))
        return _message(row) if row else None

    async def latest_question(self, channel: str) -> LoggedMessage | None:
        row = await self._db.fetchone(
            "SELECT * FROM console_messages WHERE channel = ? AND thread_id IS NULL AND is_bot = 1 "
            "AND post_key IS NOT NULL AND post_key NOT LIKE ? ORDER BY id DESC LIMIT 1",
            (channel, KEY_PREFIX + "%"),
        )
        return _message(row) if row else None
