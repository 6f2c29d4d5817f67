"""Leaderboards read from the maintained aggregates, seasons, and member histories."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime

from bot.core.records import MemberAnswer, Season, Standing
from bot.core.refs import ChannelRef, MemberRef, ServerRef
from bot.storage import rows
from bot.storage.database import Database, parse_ts, ts
from bot.storage.remembered import Remembered


class StandingsAndSeasons:
    db: Database

    _channel_pk: Callable[[ChannelRef], Awaitable[int]]  # from ChannelsAndPosts
    _seasons: Remembered[str, Season]

    async def _scope(self, scope: ChannelRef | ServerRef) -> str | None:
        if isinstance(scope, ServerRef):
            return rows.server_scope(scope)
        try:
            return f"c:{await self._channel_pk(scope)}"
        except LookupError:
            return None

    async def top_members(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, limit: int
    ) -> list[Standing]:
        key = await self._scope(scope)
        if key is None:
            return []
        await self.db.boards_caught_up()
        found = await self.db.fetchall(
            """
            SELECT scores.platform, scores.member_id, scores.points, scores.answers, members.display_name
            FROM scores LEFT JOIN members
                ON members.platform = scores.platform AND members.member_id = scores.member_id
            WHERE scores.scope = ? AND scores.period = ? AND scores.period_key = ? AND scores.points > 0
            ORDER BY scores.points DESC, scores.last_answer_at, scores.member_id
            LIMIT ?
            """,
            (key, period, period_key, limit),
        )
        return [
            Standing(
                rank=index,
                member=MemberRef(row["platform"], row["member_id"]),
                display_name=row["display_name"] or row["member_id"],
                points=row["points"],
                answers=row["answers"],
            )
            for index, row in enumerate(found, start=1)
        ]

    async def member_standing(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, member: MemberRef
    ) -> Standing | None:
        key = await self._scope(scope)
        if key is None:
            return None
        await self.db.boards_caught_up()
        own = await self.db.fetchone(
            """
            SELECT scores.points, scores.answers, scores.last_answer_at, members.display_name
            FROM scores LEFT JOIN members
                ON members.platform = scores.platform AND members.member_id = scores.member_id
            WHERE scores.scope = ? AND scores.period = ? AND scores.period_key = ? AND scores.member_id = ?
            """,
            (key, period, period_key, member.user_id),
        )
        if own is None or own["points"] <= 0:
            return None
        # Two index ranges of `scores_ranked` (more points; the same points, ahead on the tie-break), so the
        # count reads only the entries ranked above the member, never the whole board.
        ahead = await self.db.fetchone(
            """
            SELECT (SELECT COUNT(*) FROM scores
                    WHERE scope = ?1 AND period = ?2 AND period_key = ?3 AND points > ?4)
                 + (SELECT COUNT(*) FROM scores
                    WHERE scope = ?1 AND period = ?2 AND period_key = ?3 AND points = ?4
                      AND (last_answer_at < ?5 OR (last_answer_at = ?5 AND member_id < ?6)))
            """,
            (key, period, period_key, own["points"], own["last_answer_at"], member.user_id),
        )
        assert ahead is not None
        return Standing(
            rank=int(ahead[0]) + 1,
            member=member,
            display_name=own["display_name"] or member.user_id,
            points=own["points"],
            answers=own["answers"],
        )

    async def current_season(self, *, server: ServerRef, now: datetime) -> Season:
        scope = rows.server_scope(server)
        if (known := self._seasons.get(scope)) is not None:
            return known
        row = await self.db.fetchone(
            "SELECT number, started_at FROM seasons WHERE server_scope = ? ORDER BY number DESC LIMIT 1", (scope,)
        )
        if row is None:
            await self.db.write_statement(
                "INSERT OR IGNORE INTO seasons (server_scope, number, started_at) VALUES (?, 1, ?)", (scope, ts(now))
            )
            return await self.current_season(server=server, now=now)
        started = parse_ts(row["started_at"])
        assert started is not None
        return self._seasons.put(scope, Season(server, int(row["number"]), started))

    async def start_season(self, *, server: ServerRef, now: datetime) -> Season:
        current = await self.current_season(server=server, now=now)
        try:
            await self.db.write_statement(
                "INSERT OR IGNORE INTO seasons (server_scope, number, started_at) VALUES (?, ?, ?)",
                (rows.server_scope(server), current.number + 1, ts(now)),
            )
        finally:
            self._seasons.forget(rows.server_scope(server))
        return await self.current_season(server=server, now=now)

    async def member_answers(self, *, scope: ChannelRef | ServerRef, member: MemberRef) -> list[MemberAnswer]:
        server = scope if isinstance(scope, ServerRef) else scope.server
        found = await self.db.fetchall(
            f"SELECT posts.local_date, posts.question_id, {rows.ANSWER_COLUMNS} FROM answers "
            "JOIN posts ON posts.id = answers.post_id JOIN channels ON channels.id = answers.channel_pk "
            "WHERE answers.platform = ? AND answers.member_id = ? AND answers.server_scope = ? "
            "AND answers.deleted = 0 ORDER BY posts.local_date",
            (member.platform, member.user_id, rows.server_scope(server)),
        )
        return [
            MemberAnswer(
                local_date=date.fromisoformat(row["local_date"]),
                question_id=row["question_id"],
                points=rows.answer_points(row),
                channel=rows.channel_ref(row),
            )
            for row in found
        ]
