"""`PostStore`: one daily post per channel per local date, claimed, then confirmed or released."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.ports import Pick
from bot.core.records import ChannelConfig, PostStatus
from bot.core.schedule import Schedule
from tests.contracts.conftest import CHANNEL, NOW, OTHER_CHANNEL, TODAY, posted
from tests.support.claims import asking


async def test_a_day_is_claimed_once_and_the_claim_can_be_released(store):
    await store.save_channel(ChannelConfig(CHANNEL, Schedule()))
    first = await store.claim_post(channel=CHANNEL, local_date=TODAY, now=NOW, choose=asking("q1", 1))
    again = await store.claim_post(channel=CHANNEL, local_date=TODAY, now=NOW, choose=asking("q2", 1))
    assert first.created and not again.created
    assert again.post.id == first.post.id and again.post.question_id == "q1"
    assert first.post.status is PostStatus.CLAIMED
    await store.release_claim(post_id=first.post.id)
    assert await store.get_post(channel=CHANNEL, local_date=TODAY) is None
    retry = await store.claim_post(channel=CHANNEL, local_date=TODAY, now=NOW, choose=asking("q2", 1))
    assert retry.created and retry.post.question_id == "q2"


async def test_a_claim_of_this_process_is_never_taken_over_as_abandoned(store):
    await store.save_channel(ChannelConfig(CHANNEL, Schedule()))
    claim = await store.claim_post(channel=CHANNEL, local_date=TODAY, now=NOW, choose=asking("q1"))
    assert not await store.take_over_abandoned_claim(post_id=claim.post.id, now=NOW + timedelta(seconds=5))
    assert await store.get_post(channel=CHANNEL, local_date=TODAY) == claim.post  # still the same claim
    posted_post = await posted(store, day=TODAY + timedelta(days=1), thread="t9")
    assert not await store.take_over_abandoned_claim(post_id=posted_post.id, now=NOW)  # posted: no claim


async def test_a_confirmed_post_is_found_by_its_thread_and_closed_once(store):
    post = await posted(store, thread="t1")
    assert post.status is PostStatus.POSTED and post.thread_id == "t1" and post.closes_at == NOW
    assert await store.find_post_by_thread(platform="test", thread_id="t1") == post
    assert await store.find_post_by_thread(platform="slack", thread_id="t1") is None
    assert await store.post_by_id(post_id=post.id) == post
    assert await store.post_by_id(post_id=post.id + 1000) is None
    await store.release_claim(post_id=post.id)  # a posted day is no claim to release
    assert await store.get_post(channel=CHANNEL, local_date=TODAY) == post
    assert [p.id for p in await store.posts_with_status(PostStatus.POSTED, platform="test")] == [post.id]
    assert await store.mark_closed(post_id=post.id)
    assert not await store.mark_closed(post_id=post.id)
    closed = await store.find_post_by_thread(platform="test", thread_id="t1")
    assert closed is not None and closed.status is PostStatus.CLOSED
    assert await store.posts_with_status(PostStatus.POSTED) == []


async def test_latest_post_used_questions_and_posted_dates_are_per_channel(store):
    days = [TODAY - timedelta(days=n) for n in (2, 1, 0)]
    for n, day in enumerate(days):
        await posted(store, day=day, thread=f"t{n}")
    await posted(store, channel=OTHER_CHANNEL, day=TODAY, thread="other")
    await store.claim_post(channel=CHANNEL, local_date=TODAY + timedelta(days=1), now=NOW, choose=asking("next", 2))
    latest = await store.latest_post(channel=CHANNEL)
    assert latest is not None and latest.local_date == TODAY + timedelta(days=1)
    assert await store.used_question_ids(channel=CHANNEL, cycle=1) == {f"q-{day}" for day in days}
    assert await store.used_question_ids(channel=CHANNEL, cycle=2) == {"next"}
    assert await store.posted_dates(channel=CHANNEL, until=TODAY, limit=2) == [TODAY, days[1]]  # claims don't count
    assert await store.posted_dates(channel=OTHER_CHANNEL, until=TODAY, limit=10) == [TODAY]


async def test_a_channel_that_is_not_set_up_cannot_claim_a_day(store):
    with pytest.raises(LookupError):
        await store.claim_post(channel=OTHER_CHANNEL, local_date=TODAY, now=NOW, choose=asking("q", 1))


async def test_a_new_day_is_chosen_from_the_channels_current_cycle_and_what_it_used(store):
    days = [TODAY - timedelta(days=n) for n in (2, 1)]
    for n, day in enumerate(days):
        await posted(store, day=day, thread=f"t{n}")
    seen: list[tuple[int, set[str]]] = []

    def choose(cycle: int, used: set[str]) -> Pick | None:
        seen.append((cycle, used))
        return Pick("fresh", cycle + 1) if len(used) >= 2 else None

    claim = await store.claim_post(channel=CHANNEL, local_date=TODAY, now=NOW, choose=choose)
    assert claim is not None and claim.created and (claim.post.question_id, claim.post.cycle) == ("fresh", 2)
    assert seen == [(1, {f"q-{day}" for day in days})]
    tomorrow = TODAY + timedelta(days=1)
    assert await store.claim_post(channel=CHANNEL, local_date=tomorrow, now=NOW, choose=choose) is None
    assert seen[-1] == (2, {"fresh"})  # the latest post's cycle, and only what it used
    assert await store.get_post(channel=CHANNEL, local_date=tomorrow) is None  # nothing picked, nothing claimed
