"""How requests reach the bot: retried events score once, forged or stale HTTP requests are refused,
Socket Mode reconnects without double-posting, and every command is acknowledged well within 3 seconds."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import (
    ack_delay,
    answer_to,
    command,
    outcome,
    outcome_of,
    question_posts,
    running,
    settle,
    slack_settings,
    todays_question,
)

ANSWER = "The p-value is the probability of data at least this extreme if the null hypothesis holds."


async def points(bot, channel_id: str) -> dict[str, int]:
    post = await bot.store.latest_post(channel=bot.platform.channel(channel_id))
    answers = await bot.store.answers_for_post(post_id=post.id)
    return {answer.member.user_id: answer.points for answer, _ in answers if not answer.deleted}


async def test_a_retried_event_scores_once(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        thread = (await todays_question(fake)).ts
        reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=thread)
        assert await outcome_of(bot, reply) == "scored"
        retry = await fake.deliver_again(reply.event_id, retry_reason="http_timeout")  # X-Slack-Retry-Num: 1
        assert retry.event_id == reply.event_id
        assert await outcome_of(bot, retry, nth=2) == "duplicate-event"
        upvote = await fake.user_react(fake.general, reply, fake.bob)
        assert await outcome_of(bot, upvote) == "scored"
        await fake.deliver_again(upvote.event_id, retry_reason="timeout")
        assert await outcome_of(bot, upvote, nth=2) == "duplicate-event"
        assert await points(bot, fake.general.id) == {fake.alice.id: 17}


async def test_a_retry_of_an_event_never_seen_is_handled(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    """A retry header alone is no reason to drop a delivery: after a restart the first try may be lost."""
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank):
        thread = (await todays_question(fake)).ts
    reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=thread, mode="none")
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        await settle(bot)  # the catch-up read it back already; the retry then finds it stored
        retry = await fake.deliver_again(reply.event_id, retry_reason="http_error")
        assert await outcome_of(bot, retry) == "duplicate"
        assert await points(bot, fake.general.id) == {fake.alice.id: 15}


@pytest.mark.parametrize("mode", ["http"])
async def test_http_signatures_are_checked(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        thread = (await todays_question(fake)).ts
        for bad in ({"signature": "forged"}, {"signature": "missing"}, {"stale": True}):
            reply = await fake.user_message(fake.general, fake.bob, ANSWER, thread_ts=thread, **bad)
            assert reply.status == 401, bad
            setup = await fake.slash_command(fake.admin, fake.general, "/qotd", "pause", **bad)
            assert setup.status == 401, bad
        await settle(bot)
        assert await points(bot, fake.general.id) == {}
        assert fake.response_posts[-1].body["text"].startswith("Posted today's question.")  # nothing answered
        status = await command(fake, fake.alice, fake.general, "/qotd status")
        assert "Paused." not in status.body["text"]
        good = await fake.user_message(fake.general, fake.bob, ANSWER, thread_ts=thread)
        assert good.status == 200 and await outcome(bot, "reply", good) == "scored"


@pytest.mark.parametrize("mode", ["socket"])
async def test_socket_mode_reconnects_without_double_posting(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        thread = (await todays_question(fake)).ts
        await fake.socket_disconnect(reason="refresh_requested")
        await fake.wait_for_connections(2)
        await fake.socket_drop()
        await fake.wait_for_connections(3)
        assert len(fake.calls_to("apps.connections.open")) == 3
        reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=thread)
        assert await outcome_of(bot, reply) == "scored"
        again = await command(fake, fake.admin, fake.general, "/qotd now")
        assert again.body["text"].startswith("Today's question is already posted.")
        clock.advance(hours=1)
        await bot.sweep()
        assert len(question_posts(fake, fake.general)) == 1


async def test_commands_are_acknowledged_at_once_under_load(fake: FakeSlack, tmp_path, clock: FixedClock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        await todays_question(fake)
        lines = ["/leaderboard", "/stats", "/qotd status", "/quiz", "/resources", "/bank topics"] * 5
        started = time.monotonic()
        deliveries = await asyncio.gather(
            *(fake.slash_command(fake.alice, fake.general, *line.partition(" ")[::2]) for line in lines)
        )
        delays = [await ack_delay(fake, delivery, started) for delivery in deliveries]
        assert max(delays) < 1.5, delays  # Slack's limit is 3 s
        answers = await asyncio.gather(*(answer_to(fake, delivery) for delivery in deliveries))
        assert all(answer.body["text"] for answer in answers)
