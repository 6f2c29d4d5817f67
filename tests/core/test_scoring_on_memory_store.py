"""The core's scoring rules through the real use cases, on the in-memory store: no database, fast."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core.events import ReactionChanged, Reply
from bot.core.ports import RateLimited, ThreadReply
from bot.core.records import ChannelConfig, DailyPost
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import READ_BACK_CONCURRENCY, Verdict
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.standings import Period
from bot.grading import AnswerGrader
from tests.support.memory_store import MemoryStore
from tests.support.recording_platform import RecordingPlatform

CHANNEL = ChannelRef("test", "g", "c")
TEXT = "Covariance keeps the units of both variables; correlation does not."


def member(name: str) -> Member:
    return Member(MemberRef("test", name), name.title())


@pytest.fixture
def memory_group(bank, clock) -> StudyGroup:  # type: ignore[no-untyped-def]
    return StudyGroup(
        StudyGroupContext(
            bank=bank, store=MemoryStore(), platform=RecordingPlatform(), grader=AnswerGrader(), clock=clock
        )
    )


async def post(group: StudyGroup, days_ago: int = 0) -> DailyPost:
    config = ChannelConfig(CHANNEL, Schedule(timezone="UTC"))
    await group.context.store.save_channel(config)
    result = await group.daily.post_for_date(config, group.context.now().date() - timedelta(days=days_ago))
    assert result.post is not None and result.post.thread is not None
    return result.post


async def reply(group: StudyGroup, post: DailyPost, who: str, message_id: str, minutes: int = 0) -> Reply:
    assert post.thread is not None
    event = Reply(post.thread, message_id, member(who), TEXT, group.context.now() + timedelta(minutes=minutes))
    return event


async def test_the_first_three_answers_earn_their_bonus_and_the_fourth_the_base(memory_group):
    today = await post(memory_group)
    points = []
    for n, who in enumerate(("ada", "bob", "cy", "dee")):
        result = await memory_group.on_reply(await reply(memory_group, today, who, f"m{n}", minutes=n))
        assert result.verdict is Verdict.SCORED and result.answer is not None
        points.append(result.answer.points)
    assert points == [15, 13, 11, 10]


async def test_a_second_reply_and_a_short_one_do_not_score(memory_group):
    today = await post(memory_group)
    assert (await memory_group.on_reply(await reply(memory_group, today, "ada", "m1"))).verdict is Verdict.SCORED
    again = await memory_group.on_reply(await reply(memory_group, today, "ada", "m2"))
    assert again.verdict is Verdict.ALREADY_ANSWERED
    assert today.thread is not None
    short = Reply(today.thread, "m3", member("bob"), "+1", memory_group.context.now())
    assert (await memory_group.on_reply(short)).verdict is Verdict.TOO_SHORT


async def test_every_seventh_day_in_a_row_earns_the_streak_bonus(memory_group):
    results = []
    for days_ago in range(6, -1, -1):
        day = await post(memory_group, days_ago)
        scored = await memory_group.on_reply(await reply(memory_group, day, "ada", f"m{days_ago}"))
        assert scored.answer is not None
        results.append(scored.answer.points)
    assert results == [15] * 6 + [20]  # first answer each day (+5), and the 7th day in a row (+5)


async def test_upvotes_from_distinct_members_add_up_and_the_own_one_is_ignored(memory_group):
    today = await post(memory_group)
    scored = await memory_group.on_reply(await reply(memory_group, today, "ada", "m1"))
    assert scored.answer is not None
    for who in ("bob", "cy", "ada"):
        await memory_group.on_reaction(ReactionChanged("test", "m1", member(who), "👍", added=True))
    board = await memory_group.standings.leaderboard(CHANNEL, None, period=Period.ALL)
    assert [(s.display_name, s.points) for s in board.standings] == [("Ada", 19)]


async def test_the_leaderboard_shows_the_askers_own_rank_outside_the_top(memory_group):
    today = await post(memory_group)
    for n in range(4):
        await memory_group.on_reply(await reply(memory_group, today, f"u{n}", f"m{n}", minutes=n))
    board = await memory_group.standings.leaderboard(CHANNEL, MemberRef("test", "u3"), period=Period.ALL, limit=2)
    assert [s.display_name for s in board.standings] == ["U0", "U1"]
    assert board.own is not None and (board.own.rank, board.own.points) == (4, 10)


async def test_an_answer_delivered_late_keeps_the_early_bonus_its_time_earned(memory_group):
    today = await post(memory_group)
    later = await memory_group.on_reply(await reply(memory_group, today, "bob", "m2", minutes=2))
    assert later.answer is not None and (later.answer.rank, later.answer.points) == (1, 15)
    first = await memory_group.on_reply(await reply(memory_group, today, "ada", "m1", minutes=1))
    assert first.answer is not None and (first.answer.rank, first.answer.points) == (1, 15)
    bob = await memory_group.context.store.answer_by_message(platform="test", message_id="m2")
    assert bob is not None and (bob.rank, bob.points) == (2, 13)


class SlowThreads(RecordingPlatform):
    """Each thread takes a round trip to read; notes how many reads were under way at once."""

    def __init__(self) -> None:
        super().__init__()
        self.reading = self.most_at_once = 0

    async def thread_replies(self, thread):  # type: ignore[no-untyped-def]
        self.reading += 1
        self.most_at_once = max(self.most_at_once, self.reading)
        await asyncio.sleep(0.02)
        self.reading -= 1
        return await super().thread_replies(thread)


async def test_after_downtime_open_threads_are_read_back_several_at_a_time(bank, clock):
    platform = SlowThreads()
    group = StudyGroup(
        StudyGroupContext(bank=bank, store=MemoryStore(), platform=platform, grader=AnswerGrader(), clock=clock)
    )
    for n in range(30):
        config = ChannelConfig(ChannelRef("test", "g", f"c{n}"), Schedule(timezone="UTC"))
        await group.context.store.save_channel(config)
        posted = (await group.daily.post_for_date(config, clock.now().date())).post
        assert posted is not None and posted.thread_id is not None
        platform.replies[posted.thread_id] = [ThreadReply(f"r{n}", member(f"m{n}"), TEXT, clock.now())]
    assert await group.answers.read_back() == 30  # every reply made while away scored
    assert 1 < platform.most_at_once <= READ_BACK_CONCURRENCY  # a round trip each, but not one after another


class LimitedOnce(RecordingPlatform):
    """The first read of each thread is refused with a short Retry-After, as a rate-limited platform does."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: set[str] = set()

    async def thread_replies(self, thread):  # type: ignore[no-untyped-def]
        if thread.thread_id not in self.refused:
            self.refused.add(thread.thread_id)
            raise RateLimited(0.01)
        return await super().thread_replies(thread)


async def test_a_rate_limited_read_back_is_waited_out_not_skipped(bank, clock):
    platform = LimitedOnce()
    group = StudyGroup(
        StudyGroupContext(bank=bank, store=MemoryStore(), platform=platform, grader=AnswerGrader(), clock=clock)
    )
    config = ChannelConfig(CHANNEL, Schedule(timezone="UTC"))
    await group.context.store.save_channel(config)
    posted = (await group.daily.post_for_date(config, clock.now().date())).post
    assert posted is not None and posted.thread_id is not None
    platform.replies[posted.thread_id] = [ThreadReply("r1", member("ada"), TEXT, clock.now())]
    assert await group.answers.read_back() == 1 and platform.refused == {posted.thread_id}
