"""Scoring answers and keeping the per-member score aggregates in step, in the same transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from bot.core.records import AnswerRecord, NewAnswer
from bot.core.refs import ChannelRef, MemberRef
from bot.storage import rows
from bot.storage.database import Database, ts

_SCORE_ROW = "(?, ?, ?, ?, ?, ?, ?, ?)"
_ON_SCORE_CONFLICT = """
    ON CONFLICT (scope, member_id, period, period_key) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + excluded.answers,
        last_answer_at = max(last_answer_at, excluded.last_answer_at)
"""
_UPSERT_SCORE = (
    "INSERT INTO scores (scope, period, period_key, platform, member_id, points, answers, last_answer_at) "
    f"VALUES {_SCORE_ROW} {_ON_SCORE_CONFLICT}"
)
# The 8 rows of one answer in one statement: one step of the VM instead of eight.
_UPSERT_8_SCORES = (
    "INSERT INTO scores (scope, period, period_key, platform, member_id, points, answers, last_answer_at) "
    f"VALUES {', '.join([_SCORE_ROW] * 8)} {_ON_SCORE_CONFLICT}"
)

_POST_OF_ANSWER = (
    "SELECT posts.channel_pk, channels.platform, channels.server_id, channels.channel_id FROM posts "
    "JOIN channels ON channels.id = posts.channel_pk WHERE posts.id = ?"
)

_INSERT_ANSWER = """
    INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id,
                         answered_at, rank, base_points, streak, week_key, month_key, season)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT DO NOTHING
    RETURNING *
"""

_UPSERT_MEMBER = (
    "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?) "
    "ON CONFLICT (platform, member_id) DO UPDATE SET display_name = excluded.display_name "
    "WHERE display_name != excluded.display_name"
)


def apply_score_change(connection: sqlite3.Connection, answer: Mapping[str, Any], *, points: int, answers: int) -> None:
    """Add `points` and `answers` to every leaderboard the answer counts in: 2 scopes × 4 periods.

    Runs on the writer's connection, in the same transaction as the change to the answer itself."""
    if points == 0 and answers == 0:
        return
    periods = (
        ("week", answer["week_key"]),
        ("month", answer["month_key"]),
        ("season", str(answer["season"])),
        ("all", "all"),
    )
    scopes = (f"c:{answer['channel_pk']}", answer["server_scope"])
    platform, member, at = answer["platform"], answer["member_id"], answer["answered_at"]
    connection.execute(
        _UPSERT_8_SCORES,
        [
            value
            for scope in scopes
            for period, key in periods
            for value in (scope, period, key, platform, member, points, answers, at)
        ],
    )


def _insert_answer(
    connection: sqlite3.Connection, answer: NewAnswer, points_for_rank: Callable[[int], int]
) -> AnswerRecord | None:
    post = connection.execute(_POST_OF_ANSWER, (answer.post_id,)).fetchone()
    if post is None:
        return None
    # Rank counts every answer ever stored for the post, so a deletion never promotes a later one.
    stored = connection.execute("SELECT COUNT(*) FROM answers WHERE post_id = ?", (answer.post_id,)).fetchone()
    rank = int(stored[0]) + 1
    cursor = connection.execute(
        _INSERT_ANSWER,
        (
            answer.post_id,
            post["channel_pk"],
            f"s:{post['platform']}:{post['server_id']}",
            post["platform"],
            answer.message_id,
            answer.member.user_id,
            ts(answer.answered_at),
            rank,
            points_for_rank(rank),
            answer.streak,
            answer.periods.week,
            answer.periods.month,
            answer.periods.season,
        ),
    )
    inserted = cursor.fetchone()
    cursor.close()
    if inserted is None:
        return None
    connection.execute(_UPSERT_MEMBER, (post["platform"], answer.member.user_id, answer.display_name))
    apply_score_change(connection, inserted, points=inserted["base_points"], answers=1)
    row = dict(zip(inserted.keys(), inserted, strict=True))
    row["server_id"], row["channel_id"] = post["server_id"], post["channel_id"]
    return rows.answer_record(row)


def _change_points(connection: sqlite3.Connection, answer_id: int, update_sql: str, params: tuple[object, ...]) -> bool:
    """Run an UPDATE on one live answer and move the aggregates by the change in its points."""
    before = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
    if before is None or before["deleted"]:
        return False
    connection.execute(update_sql, (*params, answer_id))
    after = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
    delta = rows.answer_points(after) - rows.answer_points(before)
    apply_score_change(connection, after, points=delta, answers=after["deleted"] - before["deleted"])
    return True


def _set_reaction(connection: sqlite3.Connection, answer_id: int, member_id: str, emoji: str, present: bool) -> int:
    if present:
        connection.execute(
            "INSERT OR IGNORE INTO reactions (answer_id, kind, member_id) VALUES (?, ?, ?)",
            (answer_id, emoji, member_id),
        )
    else:
        connection.execute(
            "DELETE FROM reactions WHERE answer_id = ? AND kind = ? AND member_id = ?", (answer_id, emoji, member_id)
        )
    count = connection.execute(
        "SELECT COUNT(*) FROM reactions WHERE answer_id = ? AND kind = ?", (answer_id, emoji)
    ).fetchone()
    return int(count[0])


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


class AnswersAndReactions:
    db: Database

    async def record_answer(self, answer: NewAnswer, *, points_for_rank: Callable[[int], int]) -> AnswerRecord | None:
        """Scored in the writer's next group commit; returns only once that commit is durable."""
        return await self.db.write(lambda connection: _insert_answer(connection, answer, points_for_rank))

    async def _answer(self, answer_id: int) -> AnswerRecord | None:
        row = await self.db.fetchone(f"{rows.ANSWERS_JOINED} WHERE answers.id = ?", (answer_id,))
        return rows.answer_record(row) if row else None

    async def answer_by_message(self, *, platform: str, message_id: str) -> AnswerRecord | None:
        row = await self.db.fetchone(
            f"{rows.ANSWERS_JOINED} WHERE answers.platform = ? AND answers.message_id = ?", (platform, message_id)
        )
        return rows.answer_record(row) if row else None

    async def member_answer_for_post(self, *, post_id: int, member: MemberRef) -> AnswerRecord | None:
        row = await self.db.fetchone(
            f"{rows.ANSWERS_JOINED} WHERE answers.post_id = ? AND answers.member_id = ? AND answers.deleted = 0",
            (post_id, member.user_id),
        )
        return rows.answer_record(row) if row else None

    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None:
        await self.db.write(lambda c: _change_points(c, answer_id, "UPDATE answers SET deleted = 1 WHERE id = ?", ()))
        return await self._answer(answer_id)

    async def set_reaction(self, *, answer_id: int, reactor: MemberRef, emoji: str, present: bool) -> int:
        return await self.db.write(lambda c: _set_reaction(c, answer_id, reactor.user_id, emoji, present))

    async def set_reaction_bonus(self, *, answer_id: int, bonus: int) -> None:
        await self.db.write(
            lambda c: _change_points(c, answer_id, "UPDATE answers SET reaction_bonus = ? WHERE id = ?", (bonus,))
        )

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

    async def answered_dates(self, *, channel: ChannelRef, member: MemberRef, until: date, limit: int) -> list[date]:
        found = await self.db.fetchall(
            "SELECT posts.local_date FROM answers JOIN posts ON posts.id = answers.post_id "
            "JOIN channels ON channels.id = answers.channel_pk "
            "WHERE answers.platform = ? AND answers.member_id = ? AND answers.deleted = 0 "
            "AND channels.server_id = ? AND channels.channel_id = ? AND posts.local_date <= ? "
            "ORDER BY posts.local_date DESC LIMIT ?",
            (member.platform, member.user_id, channel.server_id, channel.channel_id, until.isoformat(), limit),
        )
        return [date.fromisoformat(row["local_date"]) for row in found]
