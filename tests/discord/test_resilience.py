"""What a real deployment meets: reconnects, restarts, duplicate events, rate limits, lost access, the schedule."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from bot.config import Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.ports import QuestionCard, RateLimited
from bot.core.refs import ChannelRef
from bot.core.usecases.answers import Verdict
from bot.core.usecases.daily import Outcome
from tests.fakes.discord import FakeDiscord, payloads

from .harness import Running, running_bot, text_of

ANSWER = "A p-value is the probability, under the null hypothesis, of data at least this extreme."
OTHER = "It is not the probability that the null is true; it conditions on the null being true."


async def _post_today(bot: Running, boss) -> int:  # type: ignore[no-untyped-def]
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
    await bot.command(boss, "qotd", sub="now")
    [post] = bot.question_posts()
    return post.id


async def _schedule_in_a_minute(bot: Running, boss, clock: FixedClock, channel=None) -> None:  # type: ignore[no-untyped-def]
    """Set the channel's daily question for a minute from now (UTC, every day)."""
    at = clock.now() + timedelta(minutes=1)
    options = {"time": f"{at:%H:%M}", "timezone": "UTC", "days": "daily"}
    await bot.command(boss, "qotd", options, "setup", channel=channel)


async def _points(bot: Running, message_id: int) -> int | None:
    answer = await bot.group.context.store.answer_by_message(platform="discord", message_id=str(message_id))
    return None if answer is None or answer.deleted else answer.points


async def _points_soon(bot: Running, message_id: int, timeout: float = 3.0) -> int | None:
    """The answer's points once the bot has recorded it (work it does on its own, after an event)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while (points := await _points(bot, message_id)) is None and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)
    return points


async def test_scheduled_post_at_the_channel_time(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock
) -> None:
    await _schedule_in_a_minute(bot, people["boss"], now_clock)
    assert await bot.group.sweep(bot.client.platform.style) == []  # not yet
    now_clock.advance(minutes=2)
    [result] = await bot.group.sweep(bot.client.platform.style)
    assert result.outcome is Outcome.POSTED
    assert await bot.group.sweep(bot.client.platform.style) == []  # and never twice
    assert len(bot.question_posts()) == 1
    assert "Today's question:" in text_of(await bot.command(people["alice"], "qotd", sub="status"))


async def test_resume_mid_day_replays_without_redoing_startup(bot: Running, fake: FakeDiscord, people) -> None:
    thread = await _post_today(bot, people["boss"])
    syncs = len(fake.command_syncs)
    hold = fake.hold_resumes()
    await fake.disconnect(resumable=True)
    missed = await fake.user_message(thread, people["alice"], ANSWER)  # while the bot is away
    await fake.wait_for(lambda: fake.gateway.waiting_resumes, what="the client to RESUME")
    hold.set()
    assert (await bot.handled("message", missed)).result.verdict is Verdict.SCORED
    assert (fake.identify_count, fake.resume_count) == (1, 1)
    assert bot.client.startup_runs == 1 and len(fake.command_syncs) == syncs
    assert len(bot.question_posts()) == 1
    assert text_of(await bot.command(people["boss"], "qotd", sub="now")).startswith("Today's question is already")


async def test_a_new_session_after_invalid_session_does_not_redo_startup(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    async def no_wait(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """discord.py waits 5 s before a re-IDENTIFY; not in tests."""

    monkeypatch.setattr(bot.client, "before_identify_hook", no_wait)
    await _post_today(bot, people["boss"])
    syncs = len(fake.command_syncs)
    await fake.disconnect(resumable=False)
    await fake.wait_for(lambda: fake.identify_count == 2 and bot.client.is_ready(), what="re-IDENTIFY")
    assert bot.client.startup_runs == 1 and len(fake.command_syncs) == syncs and len(bot.question_posts()) == 1


async def test_answers_written_while_the_session_was_invalidated_are_scored_after_identify(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    async def no_wait(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """discord.py waits 5 s before a re-IDENTIFY; not in tests."""

    monkeypatch.setattr(bot.client, "before_identify_hook", no_wait)
    thread = await _post_today(bot, people["boss"])
    hold = fake.hold_identifies()
    await fake.disconnect(resumable=False)
    missed = await fake.user_message(thread, people["alice"], ANSWER)  # no session exists: never dispatched
    await fake.wait_for(lambda: fake.gateway.waiting_identifies, what="the client to IDENTIFY again")
    hold.set()
    await fake.wait_for(lambda: fake.identify_count == 2, what="re-IDENTIFY")
    assert await _points_soon(bot, missed) == 15
    assert fake.replayed == [] and bot.client.startup_runs == 1


async def test_reactions_and_deletions_while_the_session_was_invalidated_count_after_identify(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    async def no_wait(*args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """discord.py waits 5 s before a re-IDENTIFY; not in tests."""

    monkeypatch.setattr(bot.client, "before_identify_hook", no_wait)
    thread = await _post_today(bot, people["boss"])
    kept, _ = await bot.say(thread, people["alice"], ANSWER)
    gone, _ = await bot.say(thread, people["bob"], OTHER)
    hold = fake.hold_identifies()
    await fake.disconnect(resumable=False)
    await fake.user_react(kept, people["carol"])  # no session exists: never dispatched
    await fake.user_delete(gone)
    await fake.wait_for(lambda: fake.gateway.waiting_identifies, what="the client to IDENTIFY again")
    hold.set()
    await fake.wait_for(lambda: fake.identify_count == 2, what="re-IDENTIFY")
    await fake.wait_for(lambda: bot.client.sessions == 2 and not bot.client._read_backs, what="the read-back")
    assert await _points(bot, kept) == 15 + 2 and await _points(bot, gone) is None


async def test_a_rate_limited_member_look_up_leaves_the_mark_for_the_read_back_in_one_line(
    bot: Running, fake: FakeDiscord, people, caplog
) -> None:
    thread = await _post_today(bot, people["boss"])
    answer, _ = await bot.say(thread, people["alice"], ANSWER)
    await fake.user_react(answer, people["mod"], "✅")
    await bot.handled("reaction", answer)
    assert await _points(bot, answer) == 15 + 15
    fake.rate_limit(f"/guilds/{fake.guild.id}/members/", times=1, retry_after=600)
    with caplog.at_level(logging.WARNING):
        await fake.user_unreact(answer, people["mod"], "✅")  # a removal names no member: it is looked up
        assert (await bot.handled("reaction", answer, count=2)).result.verdict is Verdict.IGNORED
    warnings = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        f"Discord rate-limits looking up member {people['mod'].id} (retry after 600 s): their ✅ on message "
        f"{answer} is not counted now; the next read-back of the thread counts it"
    ]
    assert not any(r.exc_info for r in warnings)
    await bot.group.read_back()
    assert await _points(bot, answer) == 15  # the read-back sees the mark gone


async def test_an_edit_can_turn_a_short_reply_into_an_answer(bot: Running, fake: FakeDiscord, people) -> None:
    thread = await _post_today(bot, people["boss"])
    message_id, verdict = await bot.say(thread, people["bob"], "p < 0.05?")
    assert verdict is Verdict.TOO_SHORT
    await fake.user_edit(message_id, ANSWER)
    assert (await bot.handled("edit", message_id)).result.verdict is Verdict.SCORED
    assert await _points(bot, message_id) == 15


async def test_an_event_delivered_twice_scores_once(bot: Running, fake: FakeDiscord, people) -> None:
    thread = await _post_today(bot, people["boss"])
    message_id, verdict = await bot.say(thread, people["alice"], ANSWER)
    assert verdict is Verdict.SCORED
    await fake.dispatch("MESSAGE_CREATE", payloads.message(fake, fake.messages[message_id], gateway=True))
    assert (await bot.handled("message", message_id, count=2)).result.verdict is Verdict.DUPLICATE
    await fake.user_react(message_id, people["bob"], "👍")
    await bot.handled("reaction", message_id)
    reaction = {
        "user_id": str(people["bob"].id),
        "channel_id": str(thread),
        "message_id": str(message_id),
        "guild_id": str(fake.guild.id),
        "emoji": {"id": None, "name": "👍"},
        "burst": False,
        "type": 0,
    }
    await fake.dispatch("MESSAGE_REACTION_ADD", reaction)
    await bot.handled("reaction", message_id, count=2)
    assert await _points(bot, message_id) == 15 + 2


async def test_restart_reads_back_replies_made_while_offline_once(
    fake: FakeDiscord, settings: Settings, now_clock: FixedClock, bank: Bank, people
) -> None:
    alice, bob, carol = people["alice"], people["bob"], people["carol"]
    async with running_bot(fake, settings, now_clock, bank) as first:
        thread = await _post_today(first, people["boss"])
        early, _ = await first.say(thread, alice, ANSWER)
    assert first.task.result() == 0
    offline_bob = await fake.user_message(thread, bob, OTHER)  # nobody is connected
    offline_short = await fake.user_message(thread, carol, "me too")
    for attempt in range(2):  # a second restart finds nothing new
        async with running_bot(fake, settings, now_clock, bank) as again:
            assert await _points(again, early) == 15
            assert await _points(again, offline_bob) == 13
            assert await _points(again, offline_short) is None
            assert len(again.question_posts()) == 1, f"restart {attempt} posted again"
            answers = await again.group.context.store.answers_for_post(post_id=1)
            assert len(answers) == 2


async def test_rate_limited_fan_out_posts_once_in_every_channel(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock
) -> None:
    channels = [fake.channel] + [fake.add_text_channel(fake.guild, f"study-{n}") for n in range(3)]
    for channel in channels:
        await _schedule_in_a_minute(bot, people["boss"], now_clock, channel)
    fake.rate_limit("/messages", times=4, retry_after=0.05, method="POST")
    now_clock.advance(minutes=2)
    results = await bot.group.sweep(bot.client.platform.style)
    assert [r.outcome for r in results] == [Outcome.POSTED] * 4
    limited = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages") and r.status == 429]
    assert len(limited) == 4
    assert [len(bot.question_posts(c)) for c in channels] == [1, 1, 1, 1]


async def test_a_forbidden_channel_is_reported_and_skipped(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock, caplog
) -> None:
    locked = fake.add_text_channel(fake.guild, "locked")
    for channel in (locked, fake.channel):
        await _schedule_in_a_minute(bot, people["boss"], now_clock, channel)
    fake.forbid_channel(locked)
    now_clock.advance(minutes=2)
    with caplog.at_level(logging.WARNING):
        results = await bot.group.sweep(bot.client.platform.style)
    assert sorted(r.outcome for r in results) == [Outcome.POSTED, Outcome.UNAVAILABLE]
    assert f"skipped channel {locked.id}: channel {locked.id}: 403 Missing Access" in caplog.text
    assert len(bot.question_posts()) == 1 and bot.question_posts(locked) == []
    refused = await bot.command(people["boss"], "qotd", sub="now", channel=locked)
    assert refused.ephemeral and text_of(refused).startswith("I can't post in this channel")


async def test_a_channel_that_loses_its_access_is_reported_once_a_day_not_every_minute(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock, caplog
) -> None:
    await _schedule_in_a_minute(bot, people["boss"], now_clock)
    now_clock.advance(minutes=2)
    [posted] = await bot.group.sweep(bot.client.platform.style)
    assert posted.outcome is Outcome.POSTED
    fake.forbid_channel(fake.channel)  # later, someone takes the bot's access away

    def skipped() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped channel")]

    with caplog.at_level(logging.WARNING):
        now_clock.advance(days=1)
        for _ in range(5):  # the sweep tries every minute of the grace window
            [result] = await bot.group.sweep(bot.client.platform.style)
            assert result.outcome is Outcome.UNAVAILABLE
            now_clock.advance(minutes=1)
        assert skipped() == [
            f"skipped channel {fake.channel.id}: channel {fake.channel.id}: 403 Missing Access (code 50001)"
        ]
        now_clock.advance(days=1, minutes=-5)
        await bot.group.sweep(bot.client.platform.style)
        await bot.group.sweep(bot.client.platform.style)
        assert len(skipped()) == 2  # a new day: said once more
    assert len(bot.question_posts()) == 1


async def test_a_long_rate_limit_goes_back_to_the_core_without_posting(bot: Running, fake: FakeDiscord) -> None:
    fake.rate_limit(f"POST /channels/{fake.channel.id}/messages", times=1, retry_after=45)
    channel = ChannelRef("discord", str(fake.guild.id), str(fake.channel.id))
    card = QuestionCard("q", "Title", "Prompt?", "Statistics", "easy")
    with pytest.raises(RateLimited) as limited:
        await bot.client.platform.post_question(channel, card, post_key="studybot-test")
    assert limited.value.retry_after == 45 and bot.question_posts() == []


async def test_a_post_made_just_before_a_crash_is_found_by_its_key(bot: Running, fake: FakeDiscord, people) -> None:
    channel = ChannelRef("discord", str(fake.guild.id), str(fake.channel.id))
    card = QuestionCard("q", "Title", "Prompt?", "Statistics", "easy")
    posted = await bot.client.platform.post_question(channel, card, post_key="studybot-1-2026-11-23")
    await fake.user_message(fake.channel, people["alice"], "ref studybot-1-2026-11-23")  # not the bot's: ignored
    platform = bot.client.platform
    assert await platform.find_question_post(channel, post_key="studybot-1-2026-11-23") == posted
    assert await platform.find_question_post(channel, post_key="studybot-1-2026-11-24") is None
