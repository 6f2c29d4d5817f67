"""Leaderboards: per-member aggregates kept in the answers' own transaction, their ranking, and seasons.

A scored answer counts on 8 leaderboards: its channel's and its server's, each for its week, month, season and
all time. Every change to an answer's points moves those 8 rows in the same transaction as the change itself
(`add_to_leaderboards`), so a leaderboard read always agrees with the answers, in every process on the file.
A leaderboard is then one range of the `leaderboards_ranked` index, and a member's own rank two counts on it.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from bot.core.records import MemberAnswer, Season, Standing
from bot.core.refs import ChannelRef, MemberRef, ServerRef
from bot.storage import rows
from bot.storage.database import Database, parse_ts, ts

# Which 8 leaderboards an answer counts on: its channel's and its server's, each for its week, month, season and
# all time. `_KEYS` are the first three columns of a leaderboard row; `_EIGHT_ROWS` expands each answer to 8 rows.
_KEYS = """
        CASE scope.column1 WHEN 'channel' THEN 'c:' || answers.channel_pk ELSE answers.server_scope END,
        period.column1,
        CASE period.column1
            WHEN 'week' THEN answers.week_key
            WHEN 'month' THEN answers.month_key
            WHEN 'season' THEN CAST(answers.season AS TEXT)
            ELSE 'all'
        END,
"""
_EIGHT_ROWS = """
    FROM answers
    CROSS JOIN (VALUES ('channel'), ('server')) AS scope
    CROSS JOIN (VALUES ('week'), ('month'), ('season'), ('all')) AS period
"""

# The answer's 8 rows, as one upsert that reads the answer's own row: its channel, server, member and period
# keys never change once it is stored. A deleted answer leaves its member a row (no points, no answer).
_ADD_TO_LEADERBOARDS = f"""
    INSERT INTO leaderboards (scope, period, period_key, platform, member_id, points, answers, last_answer_at)
    SELECT {_KEYS}
        answers.platform, answers.member_id, ?2, ?3, answers.answered_at
    {_EIGHT_ROWS}
    WHERE answers.id = ?1
    ON CONFLICT (scope, member_id, period, period_key) DO UPDATE SET
        points = leaderboards.points + excluded.points,
        answers = leaderboards.answers + excluded.answers,
        last_answer_at = CASE WHEN excluded.last_answer_at > leaderboards.last_answer_at
            THEN excluded.last_answer_at ELSE leaderboards.last_answer_at END
"""

# Every leaderboard from the answers themselves (what the changes above add up to), for tools that load answers in
# bulk, such as the benchmarks; the same statement as schema migration 5.
REBUILD_LEADERBOARDS = (
    "DELETE FROM leaderboards",
    f"""
    INSERT INTO leaderboards (scope, period, period_key, platform, member_id, points, answers, last_answer_at)
    SELECT {_KEYS}
        answers.platform, answers.member_id,
        SUM(CASE WHEN answers.deleted = 1 THEN 0
            ELSE answers.base_points + answers.reaction_bonus + answers.best_bonus END),
        SUM(1 - answers.deleted),
        MAX(answers.answered_at)
    {_EIGHT_ROWS}
    GROUP BY 1, 5, 2, 3, 4
    ORDER BY 1, 5, 2, 3
    """,
)

# A server's current season (by its scope), and its first one, started when the first answer needs it.
CURRENT_SEASON = "SELECT number, started_at FROM seasons WHERE server_scope = ? ORDER BY number DESC LIMIT 1"
FIRST_SEASON = "INSERT INTO seasons (server_scope, number, started_at) VALUES (?, 1, ?) ON CONFLICT DO NOTHING"

# The leaderboard key of a channel, or of a server (`rows.server_scope`), inside a read.
_CHANNEL_SCOPE = (
    "(SELECT 'c:' || id FROM channels "
    "WHERE platform = :platform AND server_id = :server_id AND channel_id = :channel_id)"
)


def add_to_leaderboards(connection: sqlite3.Connection, answer_id: int, *, points: int, answers: int) -> None:
    """In the caller's transaction: add `points` and `answers` to every leaderboard the answer counts on."""
    if points or answers:
        connection.execute(_ADD_TO_LEADERBOARDS, (answer_id, points, answers))


def add_many_to_leaderboards(connection: sqlite3.Connection, changes: list[tuple[int, int]]) -> None:
    """`add_to_leaderboards` of each (answer id, points) change, its answers unchanged, sent as one batch."""
    connection.executemany(_ADD_TO_LEADERBOARDS, [(answer_id, points, 0) for answer_id, points in changes if points])


def _scope(scope: ChannelRef | ServerRef) -> tuple[str, dict[str, object]]:
    """SQL for the scope's key, and its named parameters."""
    if isinstance(scope, ServerRef):
        return ":scope", {"scope": rows.server_scope(scope)}
    return _CHANNEL_SCOPE, {"platform": scope.platform, "server_id": scope.server_id, "channel_id": scope.channel_id}


class SqliteLeaderboards:
    """The core's `LeaderboardStore` on the database: each read is one or two indexed queries."""

    db: Database

    async def top_members(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, limit: int
    ) -> list[Standing]:
        key_sql, key = _scope(scope)
        found = await self.db.fetchall(
            f"""
            SELECT leaderboards.platform, leaderboards.member_id, leaderboards.points, leaderboards.answers,
                members.display_name
            FROM leaderboards LEFT JOIN members
                ON members.platform = leaderboards.platform AND members.member_id = leaderboards.member_id
            WHERE leaderboards.scope = {key_sql} AND leaderboards.period = :period
                AND leaderboards.period_key = :period_key AND leaderboards.points > 0
            ORDER BY leaderboards.points DESC, leaderboards.last_answer_at, leaderboards.member_id
            LIMIT :limit
            """,
            {**key, "period": period, "period_key": period_key, "limit": limit},
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
        key_sql, key = _scope(scope)
        # The member's row, then two index ranges of `leaderboards_ranked` (more points; the same points, ahead
        # on the tie-break), so the count reads only the entries ranked above the member, never the whole board.
        # The tie-break is one row-value range: written as an OR, SQLite unions two index searches through a
        # temporary b-tree, which cost 30 ms for a member tied with thousands of others on a server board.
        own = await self.db.fetchone(
            f"""
            WITH own AS (
                SELECT leaderboards.scope, leaderboards.points, leaderboards.answers, leaderboards.last_answer_at,
                    members.display_name
                FROM leaderboards LEFT JOIN members
                    ON members.platform = leaderboards.platform AND members.member_id = leaderboards.member_id
                WHERE leaderboards.scope = {key_sql} AND leaderboards.period = :period
                    AND leaderboards.period_key = :period_key AND leaderboards.member_id = :member_id
                    AND leaderboards.points > 0
            )
            SELECT own.points, own.answers, own.display_name,
                (SELECT COUNT(*) FROM leaderboards AS l
                    WHERE l.scope = own.scope AND l.period = :period AND l.period_key = :period_key
                        AND l.points > own.points)
              + (SELECT COUNT(*) FROM leaderboards AS l
                    WHERE l.scope = own.scope AND l.period = :period AND l.period_key = :period_key
                        AND l.points = own.points
                        AND (l.last_answer_at, l.member_id) < (own.last_answer_at, :member_id)) AS ahead
            FROM own
            """,
            {**key, "period": period, "period_key": period_key, "member_id": member.user_id},
        )
        if own is None:
            return None
        return Standing(
            rank=int(own["ahead"]) + 1,
            member=member,
            display_name=own["display_name"] or member.user_id,
            points=own["points"],
            answers=own["answers"],
        )

    async def current_season(self, *, server: ServerRef, now: datetime) -> Season:
        scope = rows.server_scope(server)
        row = await self.db.fetchone(CURRENT_SEASON, (scope,))
        if row is None:
            await self.db.write_statement(FIRST_SEASON, (scope, ts(now)))
            return await self.current_season(server=server, now=now)
        started = parse_ts(row["started_at"])
        assert started is not None
        return Season(server, int(row["number"]), started)

    async def start_season(self, *, server: ServerRef, now: datetime) -> Season:
        current = await self.current_season(server=server, now=now)
        await self.db.write_statement(
            "INSERT INTO seasons (server_scope, number, started_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (rows.server_scope(server), current.number + 1, ts(now)),
        )
        return await self.current_season(server=server, now=now)

    async def member_answers(self, *, scope: ChannelRef | ServerRef, member: MemberRef) -> list[MemberAnswer]:
        server = scope if isinstance(scope, ServerRef) else scope.server
        # Only the columns a member answer holds, read by position, each channel made once: a member with
        # thousands of answers spent most of /stats turning rows into answers, on PostgreSQL twice SQLite's time.
        found = await self.db.fetchall(
            "SELECT posts.local_date, posts.question_id, "
            "answers.base_points + answers.reaction_bonus + answers.best_bonus, channels.server_id, "
            "channels.channel_id FROM answers "
            "JOIN posts ON posts.id = answers.post_id JOIN channels ON channels.id = answers.channel_pk "
            "WHERE answers.platform = ? AND answers.member_id = ? AND answers.server_scope = ? "
            "AND answers.deleted = 0 ORDER BY posts.local_date",
            (member.platform, member.user_id, rows.server_scope(server)),
        )
        channels: dict[tuple[str, str], ChannelRef] = {}
        answers = []
        for local_date, question_id, points, server_id, channel_id in found:
            channel = channels.get((server_id, channel_id))
            if channel is None:
                channel = channels[server_id, channel_id] = ChannelRef(member.platform, server_id, channel_id)
            answers.append(MemberAnswer(date.fromisoformat(local_date), question_id, points, channel))
        return answers
