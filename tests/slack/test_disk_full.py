"""A full disk under a Slack bot: answers Slack delivered (and got its acknowledgement for, so it never sends them
again) are kept, and scored, in order, once there is room; a command says the disk is full."""

from __future__ import annotations

import asyncio

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import (
    T,
    ack_delay,
    command,
    outcome_of,
    running,
    slack_settings,
    todays_question,
)
from tests.support.full_disk import full_disk

ALICE = "The p-value is the probability of data at least this extreme if the null hypothesis holds."
BOB = "It is how surprising the data would be if the null were true, not the chance that the null is true."


async def test_answers_acknowledged_while_the_disk_is_full_are_scored_once_there_is_room(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank: Bank
) -> None:
    with full_disk(tmp_path, "tmpfs") as disk:
        async with running(fake, slack_settings(fake, disk.database), clock, bank, retry_every=0.05) as bot:
            question = await todays_question(fake)

            await disk.fill(bot.store.db)
            replies = []
            for user, text in ((fake.alice, ALICE), (fake.bob, BOB)):
                started = asyncio.get_running_loop().time()
                reply = await fake.user_message(fake.general, user, text, thread_ts=question.ts)
                assert await ack_delay(fake, reply, started) < 3  # acknowledged: Slack will not send it again
                assert await outcome_of(bot, reply) == "kept"
                note = fake.ephemerals[-1]  # told privately, in the thread: Slack shows the answer as sent
                assert (note.user, note.thread_ts) == (user.id, question.ts)
                assert note.text == "The disk is full: your answer is kept and will count once there is room."
                replies.append(reply)
            pause = await command(fake, fake.admin, fake.general, "/qotd pause")
            assert "The disk is full, so /qotd pause could not be saved" in pause.body["text"]
            assert await points(bot, fake.general.id) == {}

            await disk.make_room(bot.store.db)
            scored = {fake.alice.id: 15, fake.bob.id: 13}  # ranked in the order Slack sent them
            async with asyncio.timeout(T):
                while await points(bot, fake.general.id) != scored or len(bot.group.kept):  # each with its review
                    await asyncio.sleep(0.02)
            await fake.deliver_again(replies[0].event_id, retry_reason="http_timeout")
            assert await outcome_of(bot, replies[0], nth=2) == "duplicate-event"
            assert await points(bot, fake.general.id) == scored  # stored once each


async def points(bot, channel_id: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    post = await bot.store.latest_post(channel=bot.platform.channel(channel_id))
    answers = await bot.store.answers_for_post(post_id=post.id)
    return {answer.member.user_id: answer.points for answer, _ in answers if not answer.deleted}
