"""An event Slack got its acknowledgement for is never lost: Slack will not send it again, so when storing it
fails the bot tries again itself."""

from __future__ import annotations

import logging

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import outcome_of, running, slack_settings, todays_question
from tests.slack.storage_faults import fail_next_insert

ANSWER = "The p-value is the probability of data at least this extreme if the null hypothesis holds."


async def points(bot) -> dict[str, int]:
    post = await bot.store.latest_post(channel=bot.platform.channel("C0GENERAL1"))
    answers = await bot.store.answers_for_post(post_id=post.id)
    return {answer.member.user_id: answer.points for answer, _ in answers if not answer.deleted}


async def test_an_answer_and_an_upvote_whose_storing_failed_once_still_count(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, caplog
) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        question = await todays_question(fake)

        failed = await fail_next_insert(bot.store, "answers")
        with caplog.at_level(logging.WARNING, logger="bot.adapters.slack"):
            reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=question.ts)
            assert await outcome_of(bot, reply) == "scored"
        assert failed == ["answers"]
        assert "failed (try 1 of" in caplog.text and "trying again" in caplog.text

        failed = await fail_next_insert(bot.store, "reactions")
        upvote = await fake.user_react(fake.general, reply, fake.bob)
        assert await outcome_of(bot, upvote) == "scored"
        assert failed == ["reactions"]
        assert await points(bot) == {fake.alice.id: 17}


async def test_an_answer_given_up_on_is_read_back_at_the_next_start(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, caplog
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        question = await todays_question(fake)
        bot.background.retry_delays = (0.05,)  # two tries, not five over 40 s
        failed = await fail_next_insert(bot.store, "answers", times=10)
        reply = await fake.user_message(fake.general, fake.alice, ANSWER, thread_ts=question.ts)
        assert await outcome_of(bot, reply) == "failed"
        assert failed == ["answers", "answers"] and await points(bot) == {}
    assert "failed 2 times; giving up on it" in caplog.text

    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        assert await points(bot) == {fake.alice.id: 15}
