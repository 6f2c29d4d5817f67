"""Weekly recaps: each channel's setting, one recap per channel and week claimed before it is posted, and the
week's days as the recap counts them."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.core.recaps import DayTally, RecapClaim, RecapRecord, RecapStatus
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.database import Database, parse_ts, ts
from bot.storage.presence import is_alive

_CHANNEL = "platform = ? AND server_id = ? AND channel_id = ?"
_RECAP_COLUMNS = (
    "recaps.id, recaps.week, recaps.status, recaps.claimed_at, recaps.message_id, "
    "channels.platform, channels.server_id, channels.channel_id"
)
_RECAPS_JOINED = f"SELECT {_RECAP_COLUMNS} FROM recaps JOIN channels ON channels.id = recaps.channel_pk"
_RECAP_BY_ID = f"{_RECAPS_JOINED} WHERE recaps.id = ?"

# Each posted day of the channel in the range with its live answers, one row per answer (one with no answer for a
# day nobody answered), and each answer's name when it is marked best; `day_tallies` counts them per day.
_DAY_ANSWERS = f"""
    SELECT posts.id, posts.local_date, posts.question_id, answers.id AS answer_id,
        CASE WHEN answers.best_bonus > 0 THEN COALESCE(members.display_name, answers.member_id) END AS best
    FROM posts
    LEFT JOIN answers ON answers.post_id = posts.id AND answers.deleted = 0
    LEFT JOIN members ON members.platform = answers.platform AND members.member_id = answers.member_id
    WHERE posts.channel_pk = (SELECT id FROM channels WHERE {_CHANNEL})
        AND posts.status != 'claimed' AND posts.local_date BETWEEN ? AND ?
    ORDER BY posts.local_date, posts.id, answers.id
"""


def _ids(channel: ChannelRef) -> tuple[str, str, str]:
    return channel.platform, channel.server_id, channel.channel_id


def _recap(row: sqlite3.Row) -> RecapRecord:
    claimed_at = parse_ts(row["claimed_at"])
    assert claimed_at is not None
    return RecapRecord(
        id=row["id"],
        channel=rows.channel_ref(row),
        week=date.fromisoformat(row["week"]),
        status=RecapStatus(row["status"]),
        claimed_at=claimed_at,
        message_id=row["message_id"],
    )


class SqliteRecaps:
    """The core's `RecapStore` on the database."""

    db: Database

    async def set_recap(self, *, channel: ChannelRef, on: bool) -> bool:
        changed = await self.db.write_statement(
            f"UPDATE channels SET recap = ? WHERE {_CHANNEL}", (int(on), *_ids(channel))
        )
        return changed.rowcount == 1

    async def recap_is_on(self, *, channel: ChannelRef) -> bool:
        row = await self.db.fetchone(f"SELECT recap FROM channels WHERE {_CHANNEL}", _ids(channel))
        return bool(row and row["recap"])

    async def recap_channels(self, *, platform: str) -> list[ChannelConfig]:
        found = await self.db.fetchall(
            "SELECT * FROM channels WHERE platform = ? AND recap = 1 ORDER BY id", (platform,)
        )
        return rows.channel_configs(found)

    async def claim_recap(self, *, channel: ChannelRef, week: date, now: datetime) -> RecapClaim:
        def claim(connection: sqlite3.Connection) -> RecapClaim:
            found = connection.execute(f"SELECT id FROM channels WHERE {_CHANNEL}", _ids(channel)).fetchone()
            if found is None:
                raise LookupError(f"channel {channel.channel_id} is not set up")
            existing = connection.execute(
                f"{_RECAPS_JOINED} WHERE recaps.channel_pk = ? AND recaps.week = ?", (found[0], week.isoformat())
            ).fetchone()
            if existing is not None:
                return RecapClaim(_recap(existing), created=False)
            claimed = connection.execute(
                "INSERT INTO recaps (channel_pk, platform, week, status, claimed_at, claimed_by) "
                "VALUES (?, ?, ?, 'claimed', ?, ?) RETURNING id",
                (found[0], channel.platform, week.isoformat(), ts(now), self.db.instance),
            ).fetchone()
            return RecapClaim(_recap(connection.execute(_RECAP_BY_ID, (claimed[0],)).fetchone()), created=True)

        return await self.db.write(claim)

    async def finish_recap(self, *, recap_id: int, message_id: str | None) -> RecapRecord:
        def finish(connection: sqlite3.Connection) -> RecapRecord:
            status = RecapStatus.SKIPPED if message_id is None else RecapStatus.POSTED
            connection.execute(
                "UPDATE recaps SET status = ?, message_id = ? WHERE id = ? AND status = 'claimed'",
                (status.value, message_id, recap_id),
            )
            return _recap(connection.execute(_RECAP_BY_ID, (recap_id,)).fetchone())

        return await self.db.write(finish)

    async def take_over_abandoned_recap(self, *, recap_id: int, now: datetime) -> bool:
        row = await self.db.fetchone("SELECT claimed_by FROM recaps WHERE id = ? AND status = 'claimed'", (recap_id,))
        owner = row["claimed_by"] if row else None
        if owner is None or owner == self.db.instance or is_alive(self.db.path, owner):
            return False
        taken = await self.db.write_statement(
            "UPDATE recaps SET claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
            (self.db.instance, ts(now), recap_id, owner),
        )
        return taken.rowcount == 1

    async def release_recap(self, *, recap_id: int) -> None:
        await self.db.write_statement("DELETE FROM recaps WHERE id = ? AND status = 'claimed'", (recap_id,))

    async def claimed_recaps(self, *, platform: str) -> list[RecapRecord]:
        found = await self.db.fetchall(
            f"{_RECAPS_JOINED} WHERE recaps.status = 'claimed' AND recaps.platform = ? ORDER BY recaps.id", (platform,)
        )
        return [_recap(row) for row in found]

    async def day_tallies(self, *, channel: ChannelRef, first: date, last: date) -> list[DayTally]:
        found = await self.db.fetchall(_DAY_ANSWERS, (*_ids(channel), first.isoformat(), last.isoformat()))
        days: dict[int, DayTally] = {}
        for row in found:
            day = days.get(row["id"]) or DayTally(date.fromisoformat(row["local_date"]), row["question_id"], 0, ())
            days[row["id"]] = DayTally(
                day.local_date,
                day.question_id,
                day.answers + (row["answer_id"] is not None),
                (*day.best, row["best"]) if row["best"] is not None else day.best,
            )
        return list(days.values())
