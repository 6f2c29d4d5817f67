"""When posts are due: DST, the grace window at restart, skips, pauses, and a crash mid-post."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.records import PostStatus
from bot.core.refs import Actor, ChannelRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import Outcome
from bot.grading import AnswerGrader
from tests.core.test_daily_loop import CHANNEL, STYLE, mod, run


async def configured(group, line="/qotd setup time:09:00 tz:Europe/Berlin"):  # type: ignore[no-untyped-def]
    assert (await run(group, mod(), line)).ok
    return await group.context.store.get_channel(CHANNEL)


def test_fire_time_follows_dst_in_the_channel_timezone():
    schedule = Schedule(at=time(9, 0), timezone="Europe/Berlin")
    assert schedule.fire_time(date(2026, 3, 28)) == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)  # CET
    assert schedule.fire_time(date(2026, 3, 30)) == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # CEST
    gap = Schedule(at=time(2, 30), timezone="Europe/Berlin")  # 02:30 does not exist on 29 March
    assert gap.fire_time(date(2026, 3, 29)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


async def test_restart_inside_grace_posts_once_and_outside_grace_does_not(group, platform, clock):
    config = await configured(group)
    clock.set(datetime(2026, 11, 23, 10, 30, tzinfo=UTC))  # 11:30 Berlin: down at 09:00, back 2.5 h later
    results = await group.sweep(STYLE)
    assert [result.outcome for result in results] == [Outcome.POSTED]
    assert (await group.sweep(STYLE)) == []  # a second sweep (or a second instance) finds it done
    assert len(platform.posts) == 1

    clock.set(datetime(2026, 11, 24, 16, 0, tzinfo=UTC))  # next day, 8 hours late: beyond the 4 h grace
    late = await group.post_if_due(config)
    assert late.outcome is Outcome.NOT_DUE and "grace" in late.reason
    assert len(platform.posts) == 1


async def test_skip_and_pause_hold_the_scheduled_post(group, platform, clock):
    await configured(group)
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))  # 08:00 Berlin, before today's post
    skipped = await run(group, mod(), "/qotd skip")
    assert "Mon 23 Nov" in skipped.text
    clock.set(datetime(2026, 11, 23, 8, 5, tzinfo=UTC))
    assert (await group.post_if_due(await group.context.store.get_channel(CHANNEL))).outcome is Outcome.NOT_DUE
    await run(group, mod(), "/qotd pause")
    clock.set(datetime(2026, 11, 24, 8, 5, tzinfo=UTC))
    assert (await group.post_if_due(await group.context.store.get_channel(CHANNEL))).reason == "paused"
    await run(group, mod(), "/qotd resume")
    assert (await group.post_if_due(await group.context.store.get_channel(CHANNEL))).outcome is Outcome.POSTED
    assert [card.title for _, card, _ in platform.posts] and len(platform.posts) == 1


async def test_killed_mid_post_is_recovered_without_a_second_post(group, platform, clock, store, bank):
    config = await configured(group)
    clock.set(datetime(2026, 11, 23, 8, 0, 30, tzinfo=UTC))
    platform.crash_after_posting = True
    with pytest.raises(SystemExit):
        await group.post_if_due(config)
    claimed = await store.get_post(channel=CHANNEL, local_date=date(2026, 11, 23))
    assert claimed is not None and claimed.status is PostStatus.CLAIMED

    platform.crash_after_posting = False
    restarted = StudyGroup(
        StudyGroupContext(bank=bank, store=store, platform=platform, grader=AnswerGrader(), clock=clock)
    )
    assert (await restarted.post_if_due(config)).outcome is Outcome.IN_PROGRESS  # the claim is still fresh
    clock.advance(minutes=5)
    result = await restarted.post_if_due(config)
    assert result.outcome is Outcome.RECOVERED
    assert len(platform.posts) == 1


async def test_channel_without_access_is_reported_and_others_still_post(group, platform, clock, store):
    other = ChannelRef("test", "guild-1", "chan-2")
    await configured(group)
    moderator_there = Actor(mod().member, other, is_moderator=True)
    assert (await run(group, moderator_there, "/qotd setup time:09:00 tz:Europe/Berlin")).ok
    platform.unavailable.add("chan-1")
    clock.set(datetime(2026, 11, 23, 8, 1, tzinfo=UTC))
    outcomes = {result.post.channel.channel_id: result.outcome for result in await group.sweep(STYLE)}
    assert outcomes == {"chan-1": Outcome.UNAVAILABLE, "chan-2": Outcome.POSTED}
    assert await store.get_post(channel=CHANNEL, local_date=date(2026, 11, 23)) is None  # free to retry later


async def test_status_names_the_post_that_will_really_be_made(group, platform, clock):
    await configured(group)
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))  # Mon 08:00 Berlin, before today's post
    assert "Next question: Mon 23 Nov 09:00" in (await run(group, mod(), "/qotd status")).text
    assert (await run(group, mod(), "/qotd now")).ok  # today's goes out early: the 09:00 one is not made
    assert "Next question: Tue 24 Nov 09:00" in (await run(group, mod(), "/qotd status")).text
    skipped = await run(group, mod(), "/qotd skip")
    assert "Tue 24 Nov" in skipped.text
    assert "Next question: Wed 25 Nov 09:00" in (await run(group, mod(), "/qotd status")).text
    assert "Wed 25 Nov" in (await run(group, mod(), "/qotd skip")).text
    assert "Next question: Thu 26 Nov 09:00" in (await run(group, mod(), "/qotd status")).text
