"""Answers, reactions and best-answer marks: each event one write, its leaderboard rows in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

from bot.core.records import AnswerRecord, NewAnswer
from bot.core.refs import ChannelRef, MemberRef
from bot.storage import rows
from bot.storage.database import Database, ts
from bot.storage.leaderboards import add_to_leaderboards

_INSERT_ANSWER = """
    INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id,
                         answered_at, rank, base_points, streak, week_key, month_key, season)
    SELECT posts.id, posts.channel_pk, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
    FROM posts WHERE posts.id = ?
    ON CONFLICT DO NOTHING
    RETURNING id
"""

_STREAK_CHUNK = 30

_UPSERT_MEMBER = (
    "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?) "
    "ON CONFLICT (platform, member_id) DO UPDATE SET display_name = excluded.display_name "
    "WHERE display_name != excluded.display_name"
)


def _insert_answer(
    connection: sqlite3.Connection, answer: NewAnswer, points_for_rank: Callable[[int], int]
) -> tuple[int, int, int] | None:
    """In the writer's transaction: the answer, its member's name and its leaderboard rows; (id, rank, points)."""
    # Rank counts every answer ever stored for the post, so a deletion never promotes a later one.
    stored = connection.execute("SELECT COUNT(*) FROM answers WHERE post_id = ?", (answer.post_id,)).fetchone()
    rank = int(stored[0]) + 1
    points = points_for_rank(rank)
    platform = answer.channel.platform
    cursor = connection.cursor()
    try:
        inserted = cursor.execute(
            _INSERT_ANSWER,
            (
                rows.server_scope(answer.channel.server),
                platform,
                answer.message_id,
                answer.member.user_id,
                ts(answer.answered_at),
                rank,
                points,
                answer.streak,
                answer.periods.week,
                answer.periods.month,
                answer.periods.season,
                answer.post_id,
            ),
        ).fetchone()
    finally:
        cursor.close()  # a RETURNING statement left open would keep the transaction from committing
    if inserted is None:  # the post is gone, or the message or the member's live answer is already stored
        return None
    connection.execute(_UPSERT_MEMBER, (platform, answer.member.user_id, answer.display_name))
    add_to_leaderboards(connection, inserted[0], points=points, answers=1)
    return inserted[0], rank, points


def _change_points(connection: sqlite3.Connection, answer_id: int, update_sql: str, params: tuple[object, ...]) -> bool:
    """Run an UPDATE on one live answer and move its leaderboard rows by the change in its points."""
    before = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
    if before is None or before["deleted"]:
        return False
    connection.execute(update_sql, (*params, answer_id))
    after = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
    delta = rows.answer_points(after) - rows.answer_points(before)
    add_to_leaderboards(connection, answer_id, points=delta, answers=before["deleted"] - after["deleted"])
    return True


def _set_reaction(
    connection: sqlite3.Connection,
    answer_id: int,
    member_id: str,
    emoji: str,
    present: bool,
    bonus_for: Callable[[int], int],
) -> int:
    """The reaction and the answer's new reaction bonus, in one transaction; how many members now react."""
    if present:
        connection.execute(
            "INSERT OR IGNORE INTO reactions (answer_id, kind, member_id) VALUES (?, ?, ?)",
            (answer_id, emoji, member_id),
        )
    else:
        connection.execute(
            "DELETE FROM reactions WHERE answer_id = ? AND kind = ? AND member_id = ?", (answer_id, emoji, member_id)
        )
    count = int(
        connection.execute(
            "SELECT COUNT(*) FROM reactions WHERE answer_id = ? AND kind = ?", (answer_id, emoji)
        ).fetchone()[0]
    )
    _change_points(connection, answer_id, "UPDATE answers SET reaction_bonus = ? WHERE id = ?", (bonus_for(count),))
    return count


def _set_best(connection: sqlite3.Connection, answer_id: int, best: bool, bonus: int) -> bool:
    if best:  # one best answer per question: marking another moves the mark
        row = connection.execute("SELECT post_id FROM answers WHERE id = ?", (answer_id,)).fetchone()
        if row is None:
            return False
        for other in connection.execute(
            "SELECT id FROM answers WHERE post_id = ? AND best_bonus > 0 AND id != ?", (row["post_id"], answer_id)
        ).fetchall():
            _change_points(connection, other["id"], "UPDATE answers SET best_bonus = 0 WHERE id = ?", ())
    set_bonus = "UPDATE answers SET best_bonus = ? WHERE id = ?"
    return _change_points(connection, answer_id, set_bonus, (bonus if best else 0,))


class SqliteAnswers:
    """The core's `AnswerStore` on the database."""

    db: Database

    async def record_answer(self, answer: NewAnswer, *, points_for_rank: Callable[[int], int]) -> AnswerRecord | None:
        """Scored in the writer's next transaction, with its leaderboard rows; returns once that is committed."""
        stored = await self.db.write(lambda connection: _insert_answer(connection, answer, points_for_rank))
        if stored is None:
            return None
        answer_id, rank, points = stored
        return AnswerRecord(
            id=answer_id,
            post_id=answer.post_id,
            channel=answer.channel,
            message_id=answer.message_id,
            member=answer.member,
            answered_at=answer.answered_at,
            rank=rank,
            points=points,
            reaction_bonus=0,
            best=False,
            deleted=False,
        )

    async def _answer(self, answer_id: int) -> AnswerRecord | None:
        row = await self.db.fetchone(f"{rows.ANSWERS_JOINED} WHERE answers.id = ?", (answer_id,))
        return rows.answer_record(row) if row else None

    async def answer_by_message(self, *, platform: str, message_id: str) -> AnswerRecord | None:
        row = await self.db.fetchone(
            f"{rows.ANSWERS_JOINED} WHERE answers.platform = ? AND answers.message_id = ?", (platform, message_id)
        )
        return rows.answer_record(row) if row else None

    async def existing_answer(self, *, post_id: int, member: MemberRef, message_id: str) -> AnswerRecord | None:
        # One read on two indexes (the message's, the member's live answer to the post) instead of two reads.
        row = await self.db.fetchone(
            f"{rows.ANSWERS_JOINED} WHERE (answers.platform = ?1 AND answers.message_id = ?2) "
            "OR (answers.post_id = ?3 AND answers.member_id = ?4 AND answers.deleted = 0) "
            "ORDER BY answers.message_id = ?2 DESC LIMIT 1",
            (member.platform, message_id, post_id, member.user_id),
        )
        return rows.answer_record(row) if row else None

    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None:
        await self.db.write(lambda c: _change_points(c, answer_id, "UPDATE answers SET deleted = 1 WHERE id = ?", ()))
        return await self._answer(answer_id)

    async def set_reaction(
        self, *, answer_id: int, reactor: MemberRef, emoji: str, present: bool, bonus_for: Callable[[int], int]
    ) -> int:
        return await self.db.write(lambda c: _set_reaction(c, answer_id, reactor.user_id, emoji, present, bonus_for))

    async def set_best_answer(self, *, answer_id: int, best: bool, bonus: int) -> bool:
        return await self.db.write(lambda c: _set_best(c, answer_id, best, bonus))

    async def answers_for_post(self, *, post_id: int) -> list[tuple[AnswerRecord, str]]:
        found = await self.db.fetchall(
            f"{rows.ANSWERS_JOINED.replace('SELECT ', 'SELECT members.display_name, ', 1)} "
            "LEFT JOIN members ON members.platform = answers.platform AND members.member_id = answers.member_id "
            "WHERE answers.post_id = ? ORDER BY answers.rank",
            (post_id,),
        )
        return [(rows.answer_record(row), row["display_name"] or row["member_id"]) for row in found]

    async def answered_in_a_row(self, *, channel: ChannelRef, member: MemberRef, before: date, limit: int) -> int:
        # Newest posted day first, one indexed look-up of the member's answer each, a few weeks at a time: the
        # first day without an answer ends the reading, so a reply costs about as many look-ups as its streak.
        in_a_row = 0
        while in_a_row < limit:
            chunk = min(_STREAK_CHUNK, limit - in_a_row)
            found = await self.db.fetchall(
                "SELECT EXISTS (SELECT 1 FROM answers WHERE answers.post_id = posts.id AND answers.member_id = ? "
                "AND answers.deleted = 0) FROM posts JOIN channels ON channels.id = posts.channel_pk "
                "WHERE channels.platform = ? AND channels.server_id = ? AND channels.channel_id = ? "
                "AND posts.status != 'claimed' AND posts.local_date < ? ORDER BY posts.local_date DESC "
                "LIMIT ? OFFSET ?",
                (member.user_id, *_ids(channel), before.isoformat(), chunk, in_a_row),
            )
            for (answered,) in found:
                if not answered:
                    return in_a_row
                in_a_row += 1
            if len(found) < chunk:
                break
        return in_a_row


def _ids(channel: ChannelRef) -> tuple[str, str, str]:
    return channel.platform, channel.server_id, channel.channel_id
