"""A platform that answers 429 with Retry-After, and the fan-out that posts many channels at once."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.ports import PostedQuestion, QuestionCard, RateLimited
from bot.core.records import ChannelConfig, PostStatus
from bot.core.refs import ChannelRef, ThreadRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import Policy, StudyGroupContext
from bot.core.usecases.daily import Outcome
from bot.grading import AnswerGrader
from tests.support.recording_platform import RecordingPlatform


@dataclass
class LimitedPlatform(RecordingPlatform):
    """Refuses the first `refusals` requests of each channel with a 429 that asks to wait `retry_after`."""

    refusals: int = 2
    retry_after: float = 0.02
    refused: dict[str, int] = field(default_factory=dict)
    in_flight: int = 0
    most_in_flight: int = 0

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        if self.refused.get(channel.channel_id, 0) < self.refusals:
            self.refused[channel.channel_id] = self.refused.get(channel.channel_id, 0) + 1
            raise RateLimited(self.retry_after)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(0.002)  # a round trip, so concurrent posts overlap
            return await super().post_question(channel, card, post_key=post_key)
        finally:
            self.in_flight -= 1

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        if self.refused.get(f"thread:{thread.thread_id}", 0) < self.refusals:
            self.refused[f"thread:{thread.thread_id}"] = self.refused.get(f"thread:{thread.thread_id}", 0) + 1
            raise RateLimited(self.retry_after)
        await super().post_in_thread(thread, text)


def limited_group(bank, store, clock, platform, **policy) -> StudyGroup:  # type: ignore[no-untyped-def]
    return StudyGroup(
        StudyGroupContext(
            bank=bank, store=store, platform=platform, grader=AnswerGrader(), clock=clock, policy=Policy(**policy)
        )
    )


async def due_channels(store, clock, count: int) -> list[ChannelConfig]:  # type: ignore[no-untyped-def]
    at = clock.now().time().replace(second=0, microsecond=0)
    configs = [ChannelConfig(ChannelRef("test", "g", f"c{n}"), Schedule(at=at, timezone="UTC")) for n in range(count)]
    for config in configs:
        await store.save_channel(config)
    return configs


async def test_a_429_is_waited_out_and_the_post_is_made_exactly_once(bank, store, clock):
    platform = LimitedPlatform(refusals=2, retry_after=0.02)
    group = limited_group(bank, store, clock, platform)
    [config] = await due_channels(store, clock, 1)
    started = time.monotonic()
    result = await group.post_if_due(config)
    assert result.outcome is Outcome.POSTED
    assert time.monotonic() - started >= 0.04  # waited both Retry-Afters
    assert platform.refused["c0"] == 2 and len(platform.posts) == 1
    assert (await group.post_if_due(config)).outcome is Outcome.ALREADY_POSTED
    assert len(platform.posts) == 1


async def test_limited_past_the_claim_lease_gives_the_day_back_for_a_later_try(bank, store, clock):
    platform = LimitedPlatform(refusals=1, retry_after=5.0)
    group = limited_group(bank, store, clock, platform, claim_lease=timedelta(seconds=1))
    [config] = await due_channels(store, clock, 1)
    result = await group.post_if_due(config)
    assert result.outcome is Outcome.UNAVAILABLE and "rate limited" in result.reason
    assert platform.posts == []
    assert await store.get_post(channel=config.ref, local_date=clock.now().date()) is None  # claim released
    assert (await group.post_if_due(config)).outcome is Outcome.POSTED  # the platform lets it through now
    assert len(platform.posts) == 1


async def test_the_closing_summary_waits_out_a_429_too(bank, store, clock):
    platform = LimitedPlatform(refusals=0)
    group = limited_group(bank, store, clock, platform)
    [config] = await due_channels(store, clock, 1)
    posted = (await group.post_if_due(config)).post
    platform.refusals = 1
    clock.advance(hours=49)
    closed = await group.daily.close_expired(TextStyle())
    assert [post.id for post in closed] == [posted.id]
    assert len(platform.thread_messages) == 1


async def test_fan_out_posts_every_channel_once_with_bounded_concurrency(bank, store, clock):
    platform = LimitedPlatform(refusals=1, retry_after=0.01)
    group = limited_group(bank, store, clock, platform)
    configs = await due_channels(store, clock, 40)
    results = await group.daily.post_due(configs, concurrency=8)
    assert [result.outcome for result in results] == [Outcome.POSTED] * 40
    assert [result.post.channel for result in results] == [config.ref for config in configs]
    assert sorted(channel.channel_id for channel, _, _ in platform.posts) == sorted(f"c{n}" for n in range(40))
    assert 1 < platform.most_in_flight <= 8
    again = await group.daily.post_due(configs, concurrency=8)
    assert {result.outcome for result in again} == {Outcome.ALREADY_POSTED}
    assert len(platform.posts) == 40
    posts = await store.posts_with_status(PostStatus.POSTED)
    assert len(posts) == 40
