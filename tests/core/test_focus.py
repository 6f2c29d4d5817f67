"""`/qotd setup focus:weakest`: the daily pick leans towards the topics the channel's members recall worst, still
with no repeat until the pool is used up; off by default, for moderators only, shown in /qotd status."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from bot.core.bank import Bank
from bot.core.events import Reply
from bot.core.focus import Focus
from bot.core.refs import Actor, ChannelRef
from bot.core.review_cards import Rating
from bot.core.selection import Rotation, choose_daily
from tests.conftest import make_question
from tests.core.test_daily_loop import LONG, member, run

CHANNELS = [ChannelRef("test", "guild-1", f"chan-{number}") for number in range(4)]
DAYS = 20
MEMBERS = ("ada", "bob", "cyd")


@pytest.fixture
def bank() -> Bank:
    """40 questions in each of two topics, three of each hard."""
    return Bank.of(
        [
            make_question(f"{prefix}-{n:02d}", topic=topic, difficulty="hard" if n < 3 else "easy")
            for topic, prefix in (("statistics", "stat"), ("probability", "prob"))
            for n in range(40)
        ]
    )


def moderator(channel: ChannelRef = CHANNELS[0]) -> Actor:
    return Actor(member("mod"), channel, is_moderator=True)


async def set_up(group, channel, focus="", more=""):  # type: ignore[no-untyped-def]
    line = "/qotd setup time:09:00 tz:UTC days:daily" + (f" focus:{focus}" if focus else "") + more
    response = await run(group, moderator(channel), line)
    assert response.ok, response.text
    return response


async def members_answer(group, clock, channel):  # type: ignore[no-untyped-def]
    """Today's question posted in the channel, and every member answers it: they are its members now."""
    config = await group.context.store.get_channel(channel)
    result = await group.daily.post_for_date(config, clock.now().date())
    for name in MEMBERS:
        reply = Reply(result.post.thread, f"{channel.channel_id}-{name}", member(name), LONG, clock.now())
        await group.on_reply(reply)
    return result.post


async def recall_statistics_badly_and_probability_well(group, clock):  # type: ignore[no-untyped-def]
    """Every member missed each statistics question two months ago, and got each probability one right, easily,
    three times since."""
    start = clock.now() - timedelta(days=60)
    for name in MEMBERS:
        who = member(name).ref
        for question in group.context.bank.questions:
            if question.topic == "statistics":
                await group.reviews.rate(who, question.id, Rating.AGAIN, at=start, key=f"old:{question.id}")
                continue
            for turn, days in enumerate((0, 4, 20)):
                at = start + timedelta(days=days)
                await group.reviews.rate(who, question.id, Rating.EASY, at=at, key=f"old:{question.id}:{turn}")


async def daily_topics(group, clock, channels, days):  # type: ignore[no-untyped-def]
    """The topic of each channel's question on each of the next `days` days, and the questions posted."""
    topics: Counter[str] = Counter()
    posted: dict[ChannelRef, list[str]] = {channel: [] for channel in channels}
    for _ in range(days):
        clock.advance(days=1)
        for channel in channels:
            config = await group.context.store.get_channel(channel)
            result = await group.daily.post_for_date(config, clock.now().date())
            question = group.context.question(result.post.question_id)
            topics[question.topic] += 1
            posted[channel].append(question.id)
    return topics, posted


async def test_focus_weakest_picks_the_topic_members_recall_worst_measurably_more_often(group, clock):
    for channel in CHANNELS:
        await set_up(group, channel, "weakest")
        await members_answer(group, clock, channel)
    await recall_statistics_badly_and_probability_well(group, clock)

    topics, posted = await daily_topics(group, clock, CHANNELS, DAYS)

    picks = len(CHANNELS) * DAYS
    # Evenly, statistics would come up about half the time (40 of 80 picks, 4.5 either way); weighted by recall
    # (about 45% for statistics, 96% for probability), about three picks in four.
    assert topics["statistics"] >= 0.65 * picks, topics
    for questions in posted.values():
        assert len(set(questions)) == len(questions)  # no repeat within the cycle


async def test_the_same_channels_with_focus_off_pick_topics_evenly(group, clock):
    """The control for the test above: the same story with the default rotation stays near half and half."""
    for channel in CHANNELS:
        await set_up(group, channel)
        await members_answer(group, clock, channel)
    await recall_statistics_badly_and_probability_well(group, clock)

    topics, _ = await daily_topics(group, clock, CHANNELS, DAYS)

    assert topics["statistics"] < 0.65 * len(CHANNELS) * DAYS, topics


async def test_focus_weakest_never_repeats_a_question_until_the_pool_is_used_up(group, clock):
    await set_up(group, CHANNELS[0], "weakest", " difficulty:hard")  # a pool of six: three of each topic
    first = await members_answer(group, clock, CHANNELS[0])
    await recall_statistics_badly_and_probability_well(group, clock)

    _, posted = await daily_topics(group, clock, CHANNELS[:1], 11)

    days = [first.question_id, *posted[CHANNELS[0]]]
    assert len(set(days[:6])) == 6 and len(set(days[6:])) == 6  # each cycle asks all six once
    assert [post.cycle for post in await _posts(group, CHANNELS[0])] == [1] * 6 + [2] * 6


async def _posts(group, channel):  # type: ignore[no-untyped-def]
    found = []
    day = date(2026, 11, 23)
    while (post := await group.context.store.get_post(channel=channel, local_date=day)) is not None:
        found.append(post)
        day += timedelta(days=1)
    return found


async def test_focus_is_off_by_default_and_the_daily_order_is_the_rotations_own(group, clock, bank):
    response = await set_up(group, CHANNELS[0])
    assert "focus" not in response.text
    config = await group.context.store.get_channel(CHANNELS[0])
    assert config.schedule.focus is Focus.OFF

    _, posted = await daily_topics(group, clock, CHANNELS[:1], 5)

    rotation, used, expected = Rotation.of(bank.questions), set(), []
    for _ in range(5):
        choice = choose_daily(rotation, used=used, cycle=1, seed=config.seed)
        used.add(choice.question.id)
        expected.append(choice.question.id)
    assert posted[CHANNELS[0]] == expected


async def test_only_moderators_set_the_focus_and_status_shows_it(group, clock):
    await set_up(group, CHANNELS[0])
    member_actor = Actor(member("ada"), CHANNELS[0])
    refused = await run(group, member_actor, "/qotd setup focus:weakest")
    assert not refused.ok and refused.text == "Only moderators can run /qotd setup."
    assert (await group.context.store.get_channel(CHANNELS[0])).schedule.focus is Focus.OFF

    done = await run(group, moderator(), "/qotd setup focus:weakest")
    assert done.ok and done.text.endswith("focus: the weakest topics.")
    status = await run(group, member_actor, "/qotd status")
    assert "Schedule: 09:00 UTC, every day; focus: the weakest topics." in status.text

    bad = await run(group, moderator(), "/qotd setup focus:sometimes")
    assert not bad.ok and bad.text.startswith("Focus 'sometimes' is not weakest or off")
    assert (await group.context.store.get_channel(CHANNELS[0])).schedule.focus is Focus.WEAKEST

    off = await run(group, moderator(), "/qotd setup focus:off")
    assert off.ok and "focus" not in off.text
    assert (await group.context.store.get_channel(CHANNELS[0])).schedule.focus is Focus.OFF
