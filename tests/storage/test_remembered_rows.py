"""Rows the store keeps in memory (a channel's settings, a thread's post, a server's season) are never stale:
every change the bot makes is read back at once."""

from __future__ import annotations

from datetime import date, time

from bot.core.records import ChannelConfig, PostStatus
from bot.core.refs import ServerRef
from bot.core.schedule import Schedule
from bot.storage.remembered import Remembered
from bot.storage.store import SqliteStore
from tests.storage.test_sqlite_store import CHANNEL, NOW, posted


async def test_changed_channel_settings_are_read_back_at_once(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        await store.save_channel(ChannelConfig(CHANNEL, Schedule(timezone="UTC")))
        assert (await store.get_channel(CHANNEL)).schedule.timezone == "UTC"  # now remembered
        await store.save_channel(ChannelConfig(CHANNEL, Schedule(at=time(7, 30), timezone="Asia/Tokyo", paused=True)))
        changed = await store.get_channel(CHANNEL)
        schedule = changed.schedule
        assert (schedule.timezone, schedule.at, schedule.paused) == ("Asia/Tokyo", time(7, 30), True)


async def test_a_thread_post_is_seen_closed_once_it_is_closed(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        assert (await store.find_post_by_thread(platform="test", thread_id="t0")).status is PostStatus.POSTED
        assert await store.mark_closed(post_id=post_id)
        assert (await store.find_post_by_thread(platform="test", thread_id="t0")).status is PostStatus.CLOSED
        assert await store.find_post_by_thread(platform="test", thread_id="elsewhere") is None


async def test_a_new_season_is_current_at_once(tmp_path):
    server = ServerRef("test", "g")
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        assert (await store.current_season(server=server, now=NOW)).number == 1
        await store.start_season(server=server, now=NOW)
        assert (await store.current_season(server=server, now=NOW)).number == 2


async def test_another_days_post_of_the_channel_is_found_by_its_own_thread(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        await posted(store)
        day = date(2026, 11, 24)
        claim = await store.claim_post(channel=CHANNEL, local_date=day, question_id="q2", cycle=1, now=NOW)
        await store.confirm_post(
            post_id=claim.post.id, message_id="m1", thread_id="t1", url=None, posted_at=NOW, closes_at=NOW
        )
        found = await store.find_post_by_thread(platform="test", thread_id="t1")
        assert (found.id, found.channel, found.local_date) == (claim.post.id, CHANNEL, day)


def test_remembered_starts_over_when_full():
    remembered: Remembered[str, int] = Remembered(limit=3)
    for n, key in enumerate("abc"):
        remembered.put(key, n)
    remembered.put("d", 3)
    assert (len(remembered), remembered.get("a"), remembered.get("d")) == (1, None, 3)
