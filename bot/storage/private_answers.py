"""Answer modes, private answers' text and reveal, and holds: each change one write, with its leaderboard rows."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.private import AnswerMode, Hold, KeptAnswer, is_unrevealed
from bot.core.records import AnswerRecord
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.answers import _change_points
from bot.storage.database import Database, parse_ts, ts
from bot.storage.leaderboards import add_to_leaderboards

_OUT_OF_SCORING = (Hold.TOO_SHORT, Hold.OFF_TOPIC)

_KEPT = (
    f"{rows.ANSWERS_JOINED.replace('SELECT ', 'SELECT members.display_name, private_answers.text, ', 1)} "
    "JOIN private_answers ON private_answers.answer_id = answers.id "
    "LEFT JOIN members ON members.platform = answers.platform AND members.member_id = answers.member_id "
    "WHERE answers.post_id = ? ORDER BY answers.answered_at, answers.id"
)


def _record(connection: sqlite3.Connection, answer_id: int) -> AnswerRecord | None:
    row = connection.execute(f"{rows.ANSWERS_JOINED} WHERE answers.id = ?", (answer_id,)).fetchone()
    return rows.answer_record(row) if row else None


def _count_again(connection: sqlite3.Connection, answer_id: int) -> bool:
    """An answer taken out of scoring counts again, unless its member has another live answer to the post."""
    row = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
    if row is None:
        return False
    if not row["deleted"]:
        return True
    other = connection.execute(
        "SELECT 1 FROM answers WHERE post_id = ? AND member_id = ? AND deleted = 0 AND id != ?",
        (row["post_id"], row["member_id"], answer_id),
    ).fetchone()
    if other is not None:
        return False
    connection.execute("UPDATE answers SET deleted = 0 WHERE id = ?", (answer_id,))
    points = row["base_points"] + row["reaction_bonus"] + row["best_bonus"]
    add_to_leaderboards(connection, answer_id, points=points, answers=1)
    return True


def _hold(connection: sqlite3.Connection, answer_id: int, reason: Hold) -> AnswerRecord | None:
    if reason in _OUT_OF_SCORING:
        _change_points(connection, answer_id, "UPDATE answers SET deleted = 1 WHERE id = ?", ())
    else:
        held = connection.execute("SELECT reason FROM answer_holds WHERE answer_id = ?", (answer_id,)).fetchone()
        if held is not None and held["reason"] in _OUT_OF_SCORING and not _count_again(connection, answer_id):
            return _record(connection, answer_id)
        zero_bonuses = "UPDATE answers SET reaction_bonus = 0, best_bonus = 0 WHERE id = ?"
        _change_points(connection, answer_id, zero_bonuses, ())
    connection.execute(
        "INSERT INTO answer_holds (answer_id, reason) VALUES (?, ?) "
        "ON CONFLICT (answer_id) DO UPDATE SET reason = excluded.reason",
        (answer_id, reason.value),
    )
    return _record(connection, answer_id)


def _release(connection: sqlite3.Connection, answer_id: int) -> AnswerRecord | None:
    held = connection.execute("SELECT reason FROM answer_holds WHERE answer_id = ?", (answer_id,)).fetchone()
    if held is not None and held["reason"] in _OUT_OF_SCORING and not _count_again(connection, answer_id):
        return None
    connection.execute("DELETE FROM answer_holds WHERE answer_id = ?", (answer_id,))
    return _record(connection, answer_id)


class SqlitePrivateAnswers:
    """The core's `PrivateAnswerStore` on the database."""

    db: Database

    async def set_answer_mode(self, *, channel: ChannelRef, mode: AnswerMode) -> None:
        await self.db.write_statement(
            "INSERT INTO answer_modes (platform, server_id, channel_id, mode) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, server_id, channel_id) DO UPDATE SET mode = excluded.mode",
            (channel.platform, channel.server_id, channel.channel_id, mode.value),
        )

    async def answer_mode(self, *, channel: ChannelRef) -> AnswerMode:
        row = await self.db.fetchone(
            "SELECT mode FROM answer_modes WHERE platform = ? AND server_id = ? AND channel_id = ?",
            (channel.platform, channel.server_id, channel.channel_id),
        )
        return AnswerMode(row["mode"]) if row else AnswerMode.THREAD

    async def keep_answer_text(self, *, answer_id: int, text: str, now: datetime) -> None:
        await self.db.write_statement(
            "INSERT INTO private_answers (answer_id, text, edited_at) VALUES (?, ?, ?) "
            "ON CONFLICT (answer_id) DO UPDATE SET text = excluded.text, edited_at = excluded.edited_at",
            (answer_id, text, ts(now)),
        )

    async def answer_text(self, *, answer_id: int) -> str | None:
        row = await self.db.fetchone("SELECT text FROM private_answers WHERE answer_id = ?", (answer_id,))
        return str(row["text"]) if row else None

    async def kept_answers(self, *, post_id: int) -> list[KeptAnswer]:
        found = await self.db.fetchall(_KEPT, (post_id,))
        return [
            KeptAnswer(
                answer=rows.answer_record(row),
                name=row["display_name"] or row["member_id"],
                text=row["text"],
                revealed_message_id=None if is_unrevealed(row["message_id"]) else row["message_id"],
            )
            for row in found
        ]

    async def claim_reveal(self, *, post_id: int, now: datetime) -> bool:
        cursor = await self.db.write_statement(
            "INSERT INTO reveals (post_id, revealed_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (post_id, ts(now))
        )
        return cursor.rowcount == 1

    async def is_revealed(self, *, post_id: int) -> bool:
        return await self.db.fetchone("SELECT 1 FROM reveals WHERE post_id = ?", (post_id,)) is not None

    async def revealed_at(self, *, answer_id: int) -> datetime | None:
        row = await self.db.fetchone(
            "SELECT reveals.revealed_at FROM private_answers JOIN answers ON answers.id = private_answers.answer_id "
            "JOIN reveals ON reveals.post_id = answers.post_id "
            "WHERE private_answers.answer_id = ? AND private_answers.revealed_message_id IS NOT NULL",
            (answer_id,),
        )
        return parse_ts(row["revealed_at"]) if row else None

    async def move_to_revealed(self, *, answer_id: int, message_id: str) -> None:
        def move(connection: sqlite3.Connection) -> None:
            connection.execute("UPDATE answers SET message_id = ? WHERE id = ?", (message_id, answer_id))
            connection.execute(
                "UPDATE private_answers SET revealed_message_id = ? WHERE answer_id = ?", (message_id, answer_id)
            )

        await self.db.write(move)

    async def hold(self, *, answer_id: int, reason: Hold) -> AnswerRecord | None:
        return await self.db.write(lambda connection: _hold(connection, answer_id, reason))

    async def release(self, *, answer_id: int) -> AnswerRecord | None:
        return await self.db.write(lambda connection: _release(connection, answer_id))

    async def hold_of(self, *, answer_id: int) -> Hold | None:
        row = await self.db.fetchone("SELECT reason FROM answer_holds WHERE answer_id = ?", (answer_id,))
        return Hold(row["reason"]) if row else None
