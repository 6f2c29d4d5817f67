"""Two bots in Slack's HTTP mode behind one address, on one PostgreSQL database: an event Slack retries to the
other bot is scored once, by the database, not by either bot's memory."""

from __future__ import annotations

import pytest

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import outcome_of, running, slack_settings, todays_question
from tests.slack.test_delivery import ANSWER, points


@pytest.fixture
def mode() -> str:
    return "http"


async def test_an_event_retried_to_the_other_bot_scores_once(
    fake: FakeSlack, postgres_url: str, clock: FixedClock, bank
) -> None:
    settings = slack_settings(fake, postgres_url)  # type: ignore[arg-type]
    async with running(fake, settings, clock, bank) as first, running(fake, settings, clock, bank) as second:
        first_url = f"http://127.0.0.1:{first.http_port}/slack/events"
        second_url = f"http://127.0.0.1:{second.http_port}/slack/events"
        fake.app_url = first_url
        thread = (await todays_question(fake)).ts
        reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=thread)
        assert await outcome_of(first, reply) == "scored"
        upvote = await fake.user_react(fake.general, reply, fake.bob)
        assert await outcome_of(first, upvote) == "scored"

        fake.app_url = second_url  # the balancer sends Slack's retries to the other bot, which never saw them
        await fake.deliver_again(reply.event_id, retry_reason="http_timeout")
        assert await outcome_of(second, reply) == "duplicate"
        await fake.deliver_again(upvote.event_id, retry_reason="http_timeout")
        await outcome_of(second, upvote)
        assert await points(first, fake.general.id) == await points(second, fake.general.id) == {fake.alice.id: 17}
