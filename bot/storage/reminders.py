"""Review reminders, found by the instant each comes next."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import date, datetime, time

from bot.core.refs import ChannelRef, MemberRef
from bot.core.reminders import DueReminder, Reminder
from bot.storage.database import Database, parse_ts, ts

_COLUMNS = "member_id, local_time, timezone, server_id, channel_id, display_name, next_at, last_day"
# The due count is of the member's cards whose questions are in the bank: the ids come as one JSON array, read
# once for the whole statement.
_DUE = f"""
    SELECT {_COLUMNS}, (
        SELECT count(*) FROM review_cards
        WHERE review_cards.platform = review_reminders.platform AND review_cards.member_id = review_reminders.member_id
            AND review_cards.due <= :now AND review_cards.question_id IN (SELECT value FROM json_each(:ids))
    )
    FROM review_reminders WHERE platform = :platform AND next_at <= :now ORDER BY next_at, member_id LIMIT :limit
"""
_UPDATED = ", ".join(f"{column} = excluded.{column}" for column in _COLUMNS.split(", ")[1:])


class SqliteReminders:
    """The core's `ReminderStore` on the database."""

    db: Database

    async def save_reminder(self, reminder: Reminder) -> None:
        await self.db.write_statement(
            f"INSERT INTO review_reminders (platform, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            f"ON CONFLICT (platform, member_id) DO UPDATE SET {_UPDATED}",
            (
                reminder.member.platform,
                reminder.member.user_id,
                reminder.at.strftime("%H:%M"),
                reminder.timezone,
                reminder.channel.server_id,
                reminder.channel.channel_id,
                reminder.display_name,
                ts(reminder.next_at),
                reminder.last_day.isoformat() if reminder.last_day else None,
            ),
        )

    async def get_reminder(self, *, member: MemberRef) -> Reminder | None:
        row = await self.db.fetchone(
            f"SELECT {_COLUMNS} FROM review_reminders WHERE platform = ? AND member_id = ?",
            (member.platform, member.user_id),
        )
        return _reminder(member.platform, row) if row else None

    async def drop_reminder(self, *, member: MemberRef) -> bool:
        dropped = await self.db.write_statement(
            "DELETE FROM review_reminders WHERE platform = ? AND member_id = ?", (member.platform, member.user_id)
        )
        return dropped.rowcount == 1

    async def due_reminders(
        self, *, platform: str, now: datetime, question_ids: Collection[str], limit: int
    ) -> list[DueReminder]:
        found = await self.db.fetchall(
            _DUE, {"platform": platform, "now": ts(now), "ids": json.dumps(sorted(question_ids)), "limit": limit}
        )
        return [DueReminder(_reminder(platform, row), row[8]) for row in found]

    async def move_reminder(
        self, *, member: MemberRef, due_at: datetime, next_at: datetime, last_day: date | None
    ) -> bool:
        moved = await self.db.write_statement(
            "UPDATE review_reminders SET next_at = ?, last_day = ? "
            "WHERE platform = ? AND member_id = ? AND next_at = ?",
            (
                ts(next_at),
                last_day.isoformat() if last_day else None,
                member.platform,
                member.user_id,
                ts(due_at),
            ),
        )
        return moved.rowcount == 1


def _reminder(platform: str, row: sqlite3.Row) -> Reminder:
    member_id, local_time, timezone, server_id, channel_id, display_name, next_at, last_day = row[:8]
    when = parse_ts(next_at)
    assert when is not None
    return Reminder(
        member=MemberRef(platform, member_id),
        at=time.fromisoformat(local_time),
        timezone=timezone,
        channel=ChannelRef(platform, server_id, channel_id),
        display_name=display_name,
        next_at=when,
        last_day=date.fromisoformat(last_day) if last_day else None,
    )
