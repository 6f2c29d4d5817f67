"""Scoring answers and keeping the per-member score aggregates in step, in the same transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import aiosqlite

from bot.core.records import AnswerRecord, NewAnswer
from bot.core.refs import ChannelRef, MemberRef
from bot.storage import rows
from bot.storage.database import Database, ts

_UPSERT_SCORE = """
    INSERT INTO scores (scope, period, period_key, platform, member_id, points, answers, last_answer_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, period, period_key, member_id) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + excluded.answers,
        last_answer_at = max(last_answer_at, excluded.last_answer_at)
"""


async def apply_score_change(
    connection: aiosqlite.Connection, answer: aiosqlite.Row, *, points: int, answers: int
) -> None:
    """Add `points` and `answers` to every leaderboard the answer counts in: 2 scopes × 4 periods."""
    if points == 0 and answers == 0:
        return
    periods = (
        ("week", answer["week_key"]),
        ("month", answer["month_key"]),
        ("season", str(answer["season"])),
        ("all", "all"),
    )
    scopes = (f"c:{answer['channel_pk']}", answer["server_scope"])
    await connection.executemany(
        _UPSERT_SCORE,
        [
            (scope, period, key, answer["platform"], answer["member_id"], points, answers, answer["answered_at"])
            for scope in scopes
            for period, key in periods
        ],
    )


class AnswersAndReactions:
    db: Database

    async def record_answer(self, answer: NewAnswer, *, points_for_rank: Callable[[int], int]) -> AnswerRecord | None:
        async with self.db.transaction() as connection:
            post = await (
                await connection.execute(
                    "SELECT posts.channel_pk, channels.platform, channels.server_id FROM posts "
                    "JOIN channels ON channels.id = posts.channel_pk WHERE posts.id = ?",
                    (answer.post_id,),
                )
            ).fetchone()
            if post is None:
                return None
            # Rank counts every answer ever stored for the post, so a deletion never promotes a later one.
            count = await (
                await connection.execute("SELECT COUNT(*) FROM answers WHERE post_id = ?", (answer.post_id,))
            ).fetchone()
            rank = int(count[0]) + 1
            cursor = await connection.execute(
                """
                INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id,
                                     answered_at, rank, base_points, streak, week_key, month_key, season)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                RETURNING *
                """,
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
            inserted = await cursor.fetchone()
            await cursor.close()
            if inserted is None:
                return None
            await connection.execute(
                "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?) "
                "ON CONFLICT (platform, member_id) DO UPDATE SET display_name = excluded.display_name",
                (post["platform"], answer.member.user_id, answer.display_name),
            )
            await apply_score_change(connection, inserted, points=inserted["base_points"], answers=1)
        return await self._answer(inserted["id"])

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

    async def _change_points(self, answer_id: int, update_sql: str, params: tuple[object, ...]) -> bool:
        """Run an UPDATE on one live answer and move the aggregates by the change in its points."""
        async with self.db.transaction() as connection:
            before = await (await connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,))).fetchone()
            if before is None or before["deleted"]:
                return False
            await connection.execute(update_sql, (*params, answer_id))
            after = await (await connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,))).fetchone()
            delta = rows.answer_points(after) - rows.answer_points(before)
            await apply_score_change(connection, after, points=delta, answers=after["deleted"] - before["deleted"])
        return True

    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None:
        await self._change_points(answer_id, "UPDATE answers SET deleted = 1 WHERE id = ?", ())
        return await self._answer(answer_id)

    async def set_reaction(self, *, answer_id: int, reactor: MemberRef, emoji: str, present: bool) -> int:
        async with self.db.transaction() as connection:
            if present:
                await connection.execute(
                    "INSERT OR IGNORE INTO reactions (answer_id, kind, member_id) VALUES (?, ?, ?)",
                    (answer_id, emoji, reactor.user_id),
                )
            else:
                await connection.execute(
                    "DELETE FROM reactions WHERE answer_id = ? AND kind = ? AND member_id = ?",
                    (answer_id, emoji, reactor.user_id),
                )
            count = await (
                await connection.execute(
                    "SELECT COUNT(*) FROM reactions WHERE answer_id = ? AND kind = ?", (answer_id, emoji)
                )
            ).fetchone()
        return int(count[0])

    async def set_reaction_bonus(self, *, answer_id: int, bonus: int) -> None:
        await self._change_points(answer_id, "UPDATE answers SET reaction_bonus = ? WHERE id = ?", (bonus,))

    async def set_best_answer(self, *, answer_id: int, best: bool, bonus: int) -> bool:
        if best:  # one best answer per question: marking another moves the mark
            row = await self.db.fetchone("SELECT post_id FROM answers WHERE id = ?", (answer_id,))
            if row is None:
                return False
            for other in await self.db.fetchall(
                "SELECT id FROM answers WHERE post_id = ? AND best_bonus > 0 AND id != ?", (row["post_id"], answer_id)
            ):
                await self._change_points(other["id"], "UPDATE answers SET best_bonus = 0 WHERE id = ?", ())
        return await self._change_points(
            answer_id, "UPDATE answers SET best_bonus = ? WHERE id = ?", (bonus if best else 0,)
        )

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
