"""Daily posts: one per channel per local date, claimed before it is made."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime

from bot.core.ports import Claim, Pick
from bot.core.records import DailyPost, PostStatus
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.database import Database, ts

# The post whose thread has this id on this platform.
POST_BY_THREAD = f"{rows.POSTS_JOINED} WHERE posts.platform = ? AND posts.thread_id = ?"

_POST_BY_ID = f"{rows.POSTS_JOINED} WHERE posts.id = ?"
_POST_ON_DATE = (
    f"{rows.POSTS_JOINED} WHERE channels.platform = ? AND channels.server_id = ? "
    "AND channels.channel_id = ? AND posts.local_date = ?"
)

# A channel's row id inside a statement, from its platform ids.
_CHANNEL_ID = "SELECT id FROM channels WHERE platform = ? AND server_id = ? AND channel_id = ?"
_CHANNEL_PK = f"({_CHANNEL_ID})"

# What choosing a channel's next question needs, in one statement: the channel's row id, its current cycle (the
# latest post's; NULL before the first) and each question used in that cycle (a row each, or one row of NULLs).
_CHANNEL_CYCLE = f"""
    WITH channel AS ({_CHANNEL_ID}),
         latest AS (
             SELECT cycle FROM posts WHERE channel_pk = (SELECT id FROM channel) ORDER BY local_date DESC LIMIT 1
         )
    SELECT channel.id, latest.cycle, used.question_id
    FROM channel
    LEFT JOIN latest ON 1 = 1
    LEFT JOIN posts AS used ON used.channel_pk = channel.id AND used.cycle = latest.cycle
"""

# A post as it is once updated, with its channel, in the statement that updates it.
_RETURNING_POST = """
    RETURNING id, local_date, question_id, cycle, status, claimed_at, message_id, thread_id, url, posted_at, closes_at,
              platform, (SELECT server_id FROM channels WHERE channels.id = posts.channel_pk) AS server_id,
              (SELECT channel_id FROM channels WHERE channels.id = posts.channel_pk) AS channel_id
"""


class SqlitePosts:
    """The core's `PostStore` on the database."""

    db: Database

    async def claim_post(
        self, *, channel: ChannelRef, local_date: date, now: datetime, choose: Callable[[int, set[str]], Pick | None]
    ) -> Claim | None:
        """Read, chosen and claimed in the writer's next transaction, which no other process can change meanwhile."""
        return await self.db.write(
            lambda connection: _claim(connection, channel, local_date, now, choose, self.db.instance),
            touching=_posts_of(channel),
        )

    async def confirm_post(
        self,
        *,
        post_id: int,
        message_id: str,
        thread_id: str,
        url: str | None,
        posted_at: datetime,
        closes_at: datetime,
    ) -> DailyPost:
        def confirm(connection: sqlite3.Connection) -> DailyPost:
            updated = connection.execute(
                f"""
                UPDATE posts SET status = 'posted', message_id = ?, thread_id = ?, url = ?, posted_at = ?,
                                 closes_at = ?
                WHERE id = ? AND status = 'claimed'
                {_RETURNING_POST}
                """,
                (message_id, thread_id, url, ts(posted_at), ts(closes_at), post_id),
            ).fetchone()
            # None: confirmed already (or taken over and confirmed by another process); the post as it stands.
            return rows.daily_post(updated or connection.execute(_POST_BY_ID, (post_id,)).fetchone())

        return await self.db.write(confirm, touching=_post(post_id))

    async def take_over_abandoned_claim(self, *, post_id: int, now: datetime) -> bool:
        row = await self.db.fetchone("SELECT claimed_by FROM posts WHERE id = ? AND status = 'claimed'", (post_id,))
        owner = row["claimed_by"] if row else None
        if owner is None or owner == self.db.instance or await self.db.is_alive(owner):
            return False
        taken = await self.db.write_statement(
            "UPDATE posts SET claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
            (self.db.instance, ts(now), post_id, owner),
            touching=_post(post_id),
        )
        return taken.rowcount == 1  # 0: another process took it over first

    async def release_claim(self, *, post_id: int) -> None:
        await self.db.write_statement(
            "DELETE FROM posts WHERE id = ? AND status = 'claimed'", (post_id,), touching=_post(post_id)
        )

    async def _post_by_id(self, post_id: int) -> DailyPost | None:
        row = await self.db.fetchone(_POST_BY_ID, (post_id,))
        return rows.daily_post(row) if row else None

    async def get_post(self, *, channel: ChannelRef, local_date: date) -> DailyPost | None:
        row = await self.db.fetchone(_POST_ON_DATE, (*_ids(channel), local_date.isoformat()))
        return rows.daily_post(row) if row else None

    async def latest_post(self, *, channel: ChannelRef) -> DailyPost | None:
        row = await self.db.fetchone(
            f"{rows.POSTS_JOINED} WHERE channels.platform = ? AND channels.server_id = ? "
            "AND channels.channel_id = ? ORDER BY posts.local_date DESC LIMIT 1",
            (channel.platform, channel.server_id, channel.channel_id),
        )
        return rows.daily_post(row) if row else None

    async def find_post_by_thread(self, *, platform: str, thread_id: str) -> DailyPost | None:
        row = await self.db.fetchone(POST_BY_THREAD, (platform, thread_id))
        return rows.daily_post(row) if row else None

    async def post_by_id(self, *, post_id: int) -> DailyPost | None:
        row = await self.db.fetchone(_POST_BY_ID, (post_id,))
        return rows.daily_post(row) if row else None

    async def used_question_ids(self, *, channel: ChannelRef, cycle: int) -> set[str]:
        found = await self.db.fetchall(
            f"SELECT question_id FROM posts WHERE channel_pk = {_CHANNEL_PK} AND cycle = ?", (*_ids(channel), cycle)
        )
        return {row["question_id"] for row in found}

    async def posts_with_status(self, status: str, *, platform: str | None = None) -> list[DailyPost]:
        sql = f"{rows.POSTS_JOINED} WHERE posts.status = ?"
        params: tuple[object, ...] = (str(status),)
        if platform is not None:
            sql, params = sql + " AND posts.platform = ?", (*params, platform)
        return [rows.daily_post(row) for row in await self.db.fetchall(sql + " ORDER BY posts.id", params)]

    async def mark_closed(self, *, post_id: int) -> bool:
        closed = await self.db.write_statement(
            "UPDATE posts SET status = 'closed' WHERE id = ? AND status = 'posted'", (post_id,)
        )
        return closed.rowcount == 1

    async def posted_dates(self, *, channel: ChannelRef, until: date, limit: int) -> list[date]:
        found = await self.db.fetchall(
            f"SELECT local_date FROM posts WHERE channel_pk = {_CHANNEL_PK} AND status != ? AND local_date <= ? "
            "ORDER BY local_date DESC LIMIT ?",
            (*_ids(channel), PostStatus.CLAIMED.value, until.isoformat(), limit),
        )
        return [date.fromisoformat(row["local_date"]) for row in found]


def _ids(channel: ChannelRef) -> tuple[str, str, str]:
    return channel.platform, channel.server_id, channel.channel_id


def _posts_of(channel: ChannelRef) -> str:
    """What a claim touches: the channel's posts (it reads them all to choose, and adds one)."""
    return f"posts of {channel.platform}:{channel.server_id}:{channel.channel_id}"


def _post(post_id: int) -> str:
    """What a statement about one post alone touches: that post's row."""
    return f"post {post_id}"


def _claim(
    connection: sqlite3.Connection,
    channel: ChannelRef,
    local_date: date,
    now: datetime,
    choose: Callable[[int, set[str]], Pick | None],
    claimed_by: str,
) -> Claim | None:
    """In the writer's transaction: the day's post if there is one, else a claim of the question chosen, made
    in the name of this process (`claimed_by`), so another can tell when the claimer has ended."""
    existing = connection.execute(_POST_ON_DATE, (*_ids(channel), local_date.isoformat())).fetchone()
    if existing is not None:
        return Claim(rows.daily_post(existing), created=False)
    found = connection.execute(_CHANNEL_CYCLE, _ids(channel)).fetchall()
    if not found:
        raise LookupError(f"channel {channel.channel_id} is not set up")
    channel_pk, cycle = found[0]["id"], found[0]["cycle"] or 1
    pick = choose(cycle, {row["question_id"] for row in found if row["question_id"] is not None})
    if pick is None:
        return None
    claimed = connection.execute(
        "INSERT INTO posts (channel_pk, platform, local_date, question_id, cycle, status, claimed_at, claimed_by) "
        f"VALUES (?, ?, ?, ?, ?, 'claimed', ?, ?) {_RETURNING_POST}",
        (channel_pk, channel.platform, local_date.isoformat(), pick.question_id, pick.cycle, ts(now), claimed_by),
    ).fetchone()
    return Claim(rows.daily_post(claimed), created=True)
