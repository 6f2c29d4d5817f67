"""Several bots on one PostgreSQL database: the daily posts shared among them, exactly once per channel and day,
and a killed bot's channels taken over by the others; a reply delivered to two bots scored once."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.events import Reply
from bot.core.ports import PostedQuestion, QuestionCard
from bot.core.records import ChannelConfig, PostStatus
from bot.core.refs import ChannelRef, Member, MemberRef, ThreadRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import FAN_OUT_CONCURRENCY, Outcome
from bot.grading import AnswerGrader
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.postgres.presence import application_name
from bot.storage.store import SqliteStore
from tests.support.recording_platform import RecordingPlatform

CHANNELS = [ChannelRef("test", "g", f"c{number:02}") for number in range(50)]
AT_NINE = datetime(2026, 11, 23, 9, 0, 30, tzinfo=UTC)  # a Monday, 30 s after every channel's 09:00


@dataclass
class Dying(RecordingPlatform):
    """One bot's view of the shared platform: after `posts_before_dying` posts it hangs in every post, the last
    one already sent, as a process does when it is killed between sending a message and storing its id."""

    shared: RecordingPlatform = field(default_factory=RecordingPlatform)
    posts_before_dying: int = 10**9
    hanging: asyncio.Event = field(default_factory=asyncio.Event)
    made: int = 0

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        if self.made >= self.posts_before_dying:
            if self.made == self.posts_before_dying:
                await self.shared.post_question(channel, card, post_key=post_key)  # sent, never confirmed
            self.made += 1
            self.hanging.set()
            await asyncio.Event().wait()
        self.made += 1
        return await self.shared.post_question(channel, card, post_key=post_key)

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        return await self.shared.find_question_post(channel, post_key=post_key)


def _group(bank: Bank, store: SqliteStore, platform: RecordingPlatform) -> StudyGroup:
    context = StudyGroupContext(
        bank=bank,
        store=store,
        platform=platform,
        grader=AnswerGrader(),
        clock=FixedClock(AT_NINE),
        scheduler=FsrsScheduler(),
    )
    return StudyGroup(context)


async def _until(condition: Callable[[], bool]) -> None:
    while not condition():
        await asyncio.sleep(0.01)


async def _kill(url: str, store: SqliteStore) -> None:
    """What the server sees when a bot's process is killed: every session of that bot ends at once."""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = %s",
            [application_name(store.db.instance)],
        )


async def test_two_bots_share_50_due_channels_and_one_killed_mid_fan_out_leaves_none_twice_or_missing(
    bank: Bank, postgres_url: str
) -> None:
    shared = RecordingPlatform()
    first, second = await SqliteStore.open(postgres_url), await SqliteStore.open(postgres_url)
    try:
        for channel in CHANNELS:
            await first.save_channel(ChannelConfig(channel, Schedule()))
        doomed = Dying(shared=shared, posts_before_dying=5)
        survivor = Dying(shared=shared)
        doomed_group, surviving_group = _group(bank, first, doomed), _group(bank, second, survivor)

        fan_out = asyncio.create_task(doomed_group.daily.post_due(await first.list_channels()))
        # The first bot has posted 5 channels and hangs in as many more as its fan-out has in flight.
        hung = 5 + FAN_OUT_CONCURRENCY
        await asyncio.wait_for(_until(lambda: doomed.made >= hung), timeout=10)
        # The other bot's minute comes while the first is mid-fan-out: it posts every channel not claimed by the
        # first, and leaves the first's claims alone while that bot lives.
        during = Counter(
            result.outcome for result in await surviving_group.daily.post_due(await second.list_channels())
        )
        assert during == {Outcome.ALREADY_POSTED: 5, Outcome.IN_PROGRESS: hung - 5, Outcome.POSTED: 50 - hung}

        await _kill(postgres_url, first)
        fan_out.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await fan_out
        # Its next sweep takes the dead bot's claims over: the one sent but never stored is found, not sent again.
        taken_over = await surviving_group.sweep(TextStyle())
        outcomes = Counter(result.outcome for result in taken_over)
        assert outcomes == {Outcome.RECOVERED: 1, Outcome.POSTED: hung - 5 - 1}

        assert Counter(channel for channel, _, _ in shared.posts) == Counter(CHANNELS)  # each channel once
        stored = await second.posts_with_status(PostStatus.POSTED)
        assert sorted(post.channel.channel_id for post in stored) == sorted(c.channel_id for c in CHANNELS)
    finally:
        await second.close()
        with contextlib.suppress(Exception):
            await first.close()


async def test_a_reply_delivered_to_two_bots_at_once_is_scored_once(bank: Bank, postgres_url: str) -> None:
    first, second = await SqliteStore.open(postgres_url), await SqliteStore.open(postgres_url)
    try:
        await first.save_channel(ChannelConfig(CHANNELS[0], Schedule()))
        platform = RecordingPlatform()
        one, other = _group(bank, first, platform), _group(bank, second, platform)
        posted = await one.daily.post_for_date((await first.list_channels())[0], AT_NINE.date())
        assert posted.post is not None and posted.post.thread_id is not None
        reply = Reply(
            thread=ThreadRef(CHANNELS[0], posted.post.thread_id),
            message_id="the-same-event",
            author=Member(MemberRef("test", "ada"), "Ada"),
            text="Covariance has units; correlation is covariance scaled to lie between -1 and 1.",
            sent_at=AT_NINE + timedelta(minutes=5),
        )
        results = await asyncio.gather(one.on_reply(reply), other.on_reply(reply))
        assert sorted(result.verdict.name for result in results) == ["DUPLICATE", "SCORED"]
        board = await second.top_members(scope=CHANNELS[0].server, period="all", period_key="all", limit=5)
        assert [(standing.member.user_id, standing.answers) for standing in board] == [("ada", 1)]
    finally:
        await first.close()
        await second.close()
