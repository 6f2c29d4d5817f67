"""Channels and their daily posts: one post per channel per local date, claimed before it is made."""

from __future__ import annotations

from datetime import date, datetime

from bot.core.ports import Claim
from bot.core.records import ChannelConfig, DailyPost, PostStatus
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.database import Database, ts
from bot.storage.remembered import Remembered


class ChannelsAndPosts:
    db: Database
    _channels: Remembered[ChannelRef, ChannelConfig]
    _channel_pks: Remembered[ChannelRef, int]
    _posts_by_thread: Remembered[tuple[str, str], DailyPost]

    async def save_channel(self, config: ChannelConfig) -> None:
        schedule, ref = config.schedule, config.ref
        try:
            await self.db.write_statement(
                """
                INSERT INTO channels (platform, server_id, channel_id, name, post_time, timezone, days, topics,
                                      difficulties, paused, skip_dates, seed, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ'))
                ON CONFLICT (platform, server_id, channel_id) DO UPDATE SET
                    name = excluded.name, post_time = excluded.post_time, timezone = excluded.timezone,
                    days = excluded.days, topics = excluded.topics, difficulties = excluded.difficulties,
                    paused = excluded.paused, skip_dates = excluded.skip_dates, seed = excluded.seed,
                    updated_at = excluded.updated_at
                """,
                (
                    ref.platform,
                    ref.server_id,
                    ref.channel_id,
                    config.name,
                    f"{schedule.at:%H:%M}",
                    schedule.timezone,
                    rows.join(schedule.days),
                    rows.join(schedule.topics),
                    rows.join(schedule.difficulties),
                    int(schedule.paused),
                    rows.join(sorted(day.isoformat() for day in schedule.skip_dates)),
                    config.seed,
                ),
            )
        finally:
            self._channels.forget(ref)

    async def get_channel(self, ref: ChannelRef) -> ChannelConfig | None:
        if (known := self._channels.get(ref)) is not None:
            return known
        row = await self.db.fetchone(
            "SELECT * FROM channels WHERE platform = ? AND server_id = ? AND channel_id = ?",
            (ref.platform, ref.server_id, ref.channel_id),
        )
        return self._channels.put(ref, rows.channel_config(row)) if row else None

    async def list_channels(self, *, platform: str | None = None) -> list[ChannelConfig]:
        if platform is None:
            found = await self.db.fetchall("SELECT * FROM channels ORDER BY id")
        else:
            found = await self.db.fetchall("SELECT * FROM channels WHERE platform = ? ORDER BY id", (platform,))
        return [rows.channel_config(row) for row in found]

    async def _channel_pk(self, ref: ChannelRef) -> int:
        # A channel's row id never changes and channels are never deleted, so it is remembered once read.
        if (known := self._channel_pks.get(ref)) is not None:
            return known
        row = await self.db.fetchone(
            "SELECT id FROM channels WHERE platform = ? AND server_id = ? AND channel_id = ?",
            (ref.platform, ref.server_id, ref.channel_id),
        )
        if row is None:
            raise LookupError(f"channel {ref.channel_id} is not set up")
        return self._channel_pks.put(ref, int(row["id"]))

    async def claim_post(
        self, *, channel: ChannelRef, local_date: date, question_id: str, cycle: int, now: datetime
    ) -> Claim:
        channel_pk = await self._channel_pk(channel)

        claimed = await self.db.write_statement(
            """
            INSERT INTO posts (channel_pk, platform, local_date, question_id, cycle, status, claimed_at)
            VALUES (?, ?, ?, ?, ?, 'claimed', ?)
            ON CONFLICT (channel_pk, local_date) DO NOTHING
            """,
            (channel_pk, channel.platform, local_date.isoformat(), question_id, cycle, ts(now)),
        )
        post = await self.get_post(channel=channel, local_date=local_date)
        assert post is not None
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
        return self._remember(post)

    def _remember(self, post: DailyPost) -> DailyPost:
        if post.thread_id is not None:
            self._posts_by_thread.put((post.channel.platform, post.thread_id), post)
        return post

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
        if (known := self._posts_by_thread.get((platform, thread_id))) is not None:
            return known
        row = await self.db.fetchone(
            f"{rows.POSTS_JOINED} WHERE posts.platform = ? AND posts.thread_id = ?", (platform, thread_id)
        )
        return self._remember(rows.daily_post(row)) if row else None

    async def used_question_ids(self, *, channel: ChannelRef, cycle: int) -> set[str]:
        channel_pk = await self._channel_pk(channel)
        found = await self.db.fetchall(
            "SELECT question_id FROM posts WHERE channel_pk = ? AND cycle = ?", (channel_pk, cycle)
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
        if closed.rowcount and (post := await self._post_by_id(post_id)) is not None:
            self._remember(post)
        return closed.rowcount == 1

    async def posted_dates(self, *, channel: ChannelRef, until: date, limit: int) -> list[date]:
        try:
            channel_pk = await self._channel_pk(channel)
        except LookupError:
            return []
        found = await self.db.fetchall(
            "SELECT local_date FROM posts WHERE channel_pk = ? AND status != ? AND local_date <= ? "
            "ORDER BY local_date DESC LIMIT ?",
            (channel_pk, PostStatus.CLAIMED.value, until.isoformat(), limit),
        )
        return [date.fromisoformat(row["local_date"]) for row in found]
