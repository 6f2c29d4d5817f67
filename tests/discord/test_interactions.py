"""Interaction edge cases: slow work is deferred then filled in, failures are logged and answered privately."""

from __future__ import annotations

import asyncio
import logging

from bot.adapters.discord import responses
from tests.fakes.discord import FakeDiscord, MessageFlags

from .harness import Running, text_of


async def test_a_slow_post_is_deferred_then_confirmed_privately(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    boss = people["boss"]
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
    monkeypatch.setattr(responses, "BUDGET", 0.05)
    fake.rate_limit(f"POST /channels/{fake.channel.id}/messages", times=1, retry_after=0.3)
    handle = await bot.command(boss, "qotd", sub="now")
    assert handle.response_type == 5 and handle.ephemeral
    confirmed = await handle.wait_original(lambda m: m.content.startswith("Posted today's question."))
    assert confirmed.flags & MessageFlags.EPHEMERAL and confirmed.allowed_mentions["parse"] == []
    assert len(bot.question_posts()) == 1


async def test_a_failing_command_is_logged_and_answered_privately(
    bot: Running, fake: FakeDiscord, people, monkeypatch, caplog
) -> None:
    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database on fire")

    monkeypatch.setattr(bot.group, "handle", broken)
    with caplog.at_level(logging.ERROR):
        handle = await bot.command(people["alice"], "stats")
    assert handle.ephemeral and text_of(handle).startswith("Sorry, that failed on my side.")
    [record] = [r for r in caplog.records if r.getMessage() == "/stats failed"]
    assert record.exc_info is not None and "database on fire" in str(record.exc_info[1])
    assert fake.messages_in(fake.channel) == []


async def test_removal_from_a_server_is_logged(bot: Running, fake: FakeDiscord, caplog) -> None:
    with caplog.at_level(logging.WARNING):
        await fake.dispatch("GUILD_DELETE", {"id": str(fake.guild.id)})
        await fake.wait_for(lambda: "removed from server" in caplog.text, what="the log line")
    assert f"removed from server Study Group ({fake.guild.id})" in caplog.text


async def test_a_quiz_press_that_fails_after_being_deferred_still_tells_the_member(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    alice = people["alice"]
    card = await bot.command(alice, "quiz", {"topic": "probability", "difficulty": "easy"})
    hint = next(c["custom_id"] for row in card.original.components for c in row["components"] if c["label"] == "Hint")
    monkeypatch.setattr(responses, "BUDGET", 0.05)

    async def slow_then_broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.3)  # past the budget: the press is deferred first
        raise RuntimeError("database on fire")

    monkeypatch.setattr(bot.group, "press", slow_then_broken)
    pressed = await fake.click_button(card.original_message_id, hint, alice)
    failed = await pressed.wait_original(lambda m: m.content.startswith("Sorry, that failed on my side."))
    assert pressed.response_type == 5 and failed.flags & MessageFlags.EPHEMERAL


async def test_across_the_internet_a_slow_command_is_still_answered_within_three_seconds(
    bot: Running, fake: FakeDiscord, people
) -> None:
    boss = people["boss"]
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
    fake.latency = 0.6  # each way, on every REST call and every gateway event: posting now takes two round trips
    handle = await bot.command(boss, "qotd", sub="now")
    callbacks = fake.requests_matching("POST", f"/interactions/{handle.id}/")
    assert [r.status < 300 for r in callbacks] == [True], "Discord showed 'This interaction failed'"
    confirmed = await handle.wait_original(lambda m: m.content.startswith("Posted today's question."), timeout=8.0)
    assert confirmed.flags & MessageFlags.EPHEMERAL and len(bot.question_posts()) == 1
    await asyncio.sleep(fake.latency)  # the edit's answer is still on its way back to the bot


async def test_no_follow_up_is_attempted_once_the_interaction_token_has_expired(
    bot: Running, fake: FakeDiscord, people, now_clock, caplog
) -> None:
    boss = people["boss"]
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
    fake.rate_limit(f"POST /channels/{fake.channel.id}/messages", times=1, retry_after=2.5)
    with caplog.at_level(logging.INFO, logger="bot"):
        handle = await bot.command(boss, "qotd", sub="now")
        assert handle.response_type == 5  # deferred: the post waits out the rate limit
        now_clock.advance(minutes=16)  # the post is held up past the token's 15 minutes
        fake.age_interactions(16 * 60)
        await fake.wait_for(lambda: len(bot.question_posts()) == 1, what="the post")
        await fake.wait_for(lambda: "too late to answer" in caplog.text, what="the log line")
    assert fake.requests_matching(path_contains=f"/webhooks/{fake.application_id}/{handle.token}") == []
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("bot"))


async def test_an_error_after_a_public_defer_is_shown_only_to_the_member(
    bot: Running, fake: FakeDiscord, people, monkeypatch
) -> None:
    monkeypatch.setattr(responses, "BUDGET", 0.05)
    answer = bot.group.handle

    async def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.2)  # past the budget: /leaderboard is deferred, publicly
        return await answer(*args, **kwargs)

    monkeypatch.setattr(bot.group, "handle", slow)
    handle = await bot.command(people["alice"], "leaderboard", {"period": "fortnight"})
    assert handle.response_type == 5 and not handle.ephemeral
    [told] = await handle.wait_followups()
    assert told.flags & MessageFlags.EPHEMERAL and "fortnight" in told.content
    await fake.wait_for(lambda: handle.original is None or handle.original.deleted, what="the public reply gone")
    assert [m for m in fake.messages_in(fake.channel) if "fortnight" in m.content] == []
