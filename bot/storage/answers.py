"""Answers, reactions and best-answer marks: each event one write, its leaderboard rows in the same transaction."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from bot.core.ports import ReplyFacts
from bot.core.records import AnswerRecord, NewAnswer
from bot.core.refs import MemberRef, ThreadRef
from bot.storage import rows
from bot.storage.database import Database, ts
from bot.storage.leaderboards import add_many_to_leaderboards, add_to_leaderboards
from bot.storage.replies import SqliteReplyFacts

R = TypeVar("R")

_INSERT_ANSWER = """
    INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id,
                         answered_at, rank, base_points, streak, week_key, month_key, season)
    SELECT posts.id, posts.channel_pk, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
    FROM posts WHERE posts.id = ?
    ON CONFLICT DO NOTHING
    RETURNING id
"""

_UPSERT_MEMBER = (
    "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?) "
    "ON CONFLICT (platform, member_id) DO UPDATE SET display_name = excluded.display_name "
    "WHERE members.display_name != excluded.display_name"
)

# Where an answer sent at a time ranks among its post's answers: after every one sent before it or at the same
# moment (a tie goes to the one stored first), with the answers sent after it (that move down a rank), in one
# read: one row with no later answer. Counting every answer ever stored, deleted ones too, means a deletion never
# promotes a later answer.
_PLACE_AT = """
    SELECT placed.before, later.id, later.rank, later.deleted
    FROM (SELECT COUNT(*) AS before FROM answers WHERE post_id = ?1 AND answered_at <= ?2) AS placed
    LEFT JOIN answers AS later ON later.post_id = ?1 AND later.answered_at > ?2
    ORDER BY later.rank DESC
"""
_MOVE_DOWN = "UPDATE answers SET rank = rank + 1 WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))"


def _insert_answer(
    connection: sqlite3.Connection, answer: NewAnswer, early_bonus: Callable[[int], int]
) -> tuple[int, int, int] | None:
    """In the writer's transaction: the answer, its member's name and its leaderboard rows; (id, rank, points).

    An answer sent before some already stored (delivered late, or read back after downtime) takes its rank by
    time, and each one sent after it moves down a rank, with the early bonus of its new rank."""
    when = ts(answer.answered_at)
    placed = connection.execute(_PLACE_AT, (answer.post_id, when)).fetchall()
    rank = int(placed[0]["before"]) + 1
    later = [row for row in placed if row["id"] is not None]
    points = answer.points + early_bonus(rank)
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
                when,
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
    if later:
        _move_down(connection, later, early_bonus)
    connection.execute(_UPSERT_MEMBER, (platform, answer.member.user_id, answer.display_name))
    add_to_leaderboards(connection, inserted[0], points=points, answers=1)
    return inserted[0], rank, points


def _move_down(connection: sqlite3.Connection, later: list[sqlite3.Row], early_bonus: Callable[[int], int]) -> None:
    """The answers sent after a new one move down one rank, their early bonus and leaderboards with them.

    The few whose early bonus changes move in one batch of statements and their leaderboards in another; the
    others (past the bonus ranks) in one statement: on PostgreSQL each statement alone is a round trip."""
    rank_only, with_bonus, counted = [], [], []
    for row in later:
        old_rank = int(row["rank"])
        delta = early_bonus(old_rank + 1) - early_bonus(old_rank)
        if not delta:
            rank_only.append(int(row["id"]))
            continue
        with_bonus.append((delta, row["id"]))
        if not row["deleted"]:
            counted.append((row["id"], delta))
    if with_bonus:
        connection.executemany(
            "UPDATE answers SET rank = rank + 1, base_points = base_points + ? WHERE id = ?", with_bonus
        )
    add_many_to_leaderboards(connection, counted)
    if rank_only:
        connection.execute(_MOVE_DOWN, (json.dumps(rank_only),))


def _record_reply(
    connection: sqlite3.Connection,
    thread: ThreadRef,
    decide: Callable[[ReplyFacts], NewAnswer | R],
    early_bonus: Callable[[int], int],
) -> AnswerRecord | R | None:
    decision = decide(SqliteReplyFacts(connection, platform=thread.channel.platform, thread_id=thread.thread_id))
    if not isinstance(decision, NewAnswer):
        return decision
    stored = _insert_answer(connection, decision, early_bonus)
    return None if stored is None else _new_record(decision, *stored)


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
            "INSERT INTO reactions (answer_id, kind, member_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
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

    async def record_reply(
        self, thread: ThreadRef, *, decide: Callable[[ReplyFacts], NewAnswer | R], early_bonus: Callable[[int], int]
    ) -> AnswerRecord | R | None:
        """Looked up, judged and stored in the writer's next transaction; returns once that is committed."""
        return await self.db.write(lambda connection: _record_reply(connection, thread, decide, early_bonus))

    async def record_answer(self, answer: NewAnswer, *, early_bonus: Callable[[int], int]) -> AnswerRecord | None:
        """Scored in the writer's next transaction, with its leaderboard rows; returns once that is committed."""
        stored = await self.db.write(lambda connection: _insert_answer(connection, answer, early_bonus))
        return None if stored is None else _new_record(answer, *stored)

    async def answer_by_message(self, *, platform: str, message_id: str) -> AnswerRecord | None:
        row = await self.db.fetchone(
            f"{rows.ANSWERS_JOINED} WHERE answers.platform = ? AND answers.message_id = ?", (platform, message_id)
        )
        return rows.answer_record(row) if row else None

    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None:
        def delete(connection: sqlite3.Connection) -> AnswerRecord | None:
            _change_points(connection, answer_id, "UPDATE answers SET deleted = 1 WHERE id = ?", ())
            row = connection.execute(f"{rows.ANSWERS_JOINED} WHERE answers.id = ?", (answer_id,)).fetchone()
            return rows.answer_record(row) if row else None

        return await self.db.write(delete)

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


def _new_record(answer: NewAnswer, answer_id: int, rank: int, points: int) -> AnswerRecord:
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
