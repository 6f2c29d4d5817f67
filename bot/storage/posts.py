"""Daily posts: one per channel per local date, claimed before it is made."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.ports import Claim
from bot.core.records import DailyPost, PostStatus
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.database import Database, ts
from bot.storage.presence import is_alive

# A channel's row id inside a statement, from its platform ids.
_CHANNEL_PK = "(SELECT id FROM channels WHERE platform = ? AND server_id = ? AND channel_id = ?)"


class SqlitePosts:
    """The core's `PostStore` on the database."""

    db: Database

    async def claim_post(
        self, *, channel: ChannelRef, local_date: date, question_id: str, cycle: int, now: datetime
    ) -> Claim:
        claimed = await self.db.write_statement(
            """
            INSERT INTO posts (channel_pk, platform, local_date, question_id, cycle, status, claimed_at, claimed_by)
            SELECT id, ?, ?, ?, ?, 'claimed', ?, ? FROM channels
            WHERE platform = ? AND server_id = ? AND channel_id = ?
            ON CONFLICT (channel_pk, local_date) DO NOTHING
            """,
            (
                channel.platform,
                local_date.isoformat(),
                question_id,
                cycle,
                ts(now),
                self.db.instance,
                *_ids(channel),
            ),
        )
        post = await self.get_post(channel=channel, local_date=local_date)
        if post is None:
            raise LookupError(f"channel {channel.channel_id} is not set up")
        return Claim(post, claimed.rowcount == 1)

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
        await self.db.write_statement(
            """
            UPDATE posts SET status = 'posted', message_id = ?, thread_id = ?, url = ?, posted_at = ?, closes_at = ?
            WHERE id = ? AND status = 'claimed'
            """,
            (message_id, thread_id, url, ts(posted_at), ts(closes_at), post_id),
        )
        post = await self._post_by_id(post_id)
        assert post is not None
        return post

    async def take_over_abandoned_claim(self, *, post_id: int, now: datetime) -> bool:
        row = await self.db.fetchone("SELECT claimed_by FROM posts WHERE id = ? AND status = 'claimed'", (post_id,))
        owner = row["claimed_by"] if row else None
        if owner is None or owner == self.db.instance or is_alive(self.db.path, owner):
            return False
        taken = await self.db.write_statement(
            "UPDATE posts SET claimed_by = ?, claimed_at = ? WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
            (self.db.instance, ts(now), post_id, owner),
        )
        return taken.rowcount == 1  # 0: another process took it over first

    async def release_claim(self, *, post_id: int) -> None:
        await self.db.write_statement("DELETE FROM posts WHERE id = ? AND status = 'claimed'", (post_id,))

    async def _post_by_id(self, post_id: int) -> DailyPost | None:
        row = await self.db.fetchone(f"{rows.POSTS_JOINED} WHERE posts.id = ?", (post_id,))
        return rows.daily_post(row) if row else None

    async def get_post(self, *, channel: ChannelRef, local_date: date) -> DailyPost | None:
        row = await self.db.fetchone(
            f"{rows.POSTS_JOINED} WHERE channels.platform = ? AND channels.server_id = ? "
            "AND channels.channel_id = ? AND posts.local_date = ?",
            (channel.platform, channel.server_id, channel.channel_id, local_date.isoformat()),
        )
        return rows.daily_post(row) if row else None

    async def latest_post(self, *, channel: ChannelRef) -> DailyPost | None:
        row = await self.db.fetchone(
            f"{rows.POSTS_JOINED} WHERE channels.platform = ? AND channels.server_id = ? "
            "AND channels.channel_id = ? ORDER BY posts.local_date DESC LIMIT 1",
            (channel.platform, channel.server_id, channel.channel_id),
        )
        return rows.daily_post(row) if row else None

    async def find_post_by_thread(self, *, platform: str, thread_id: str) -> DailyPost | None:
        row = await self.db.fetchone(
            f"{rows.POSTS_JOINED} WHERE posts.platform = ? AND posts.thread_id = ?", (platform, thread_id)
        )
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
