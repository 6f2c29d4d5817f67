"""A restart (new objects, same database) reads back the replies made while the bot was away, once."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.adapters.slack import platform as platform_module
from bot.core.clock import FixedClock
from bot.core.render import question_card
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, outcome_of, question_posts, running, slack_settings, stored_id, todays_question
from tests.support.claims import asking

LONG = "An answer long enough to count, written by {name} while the bot was {state}."


async def scores(bot) -> dict[str, int]:
    post = await bot.store.latest_post(channel=bot.platform.channel("C0GENERAL1"))
    answers = await bot.store.answers_for_post(post_id=post.id)
    return {answer.member.user_id: answer.points for answer, _ in answers if not answer.deleted}


async def test_replies_made_while_away_are_read_back_once(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, caplog
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        question = await todays_question(fake)
        live = await fake.user_message(fake.general, fake.alice, LONG.format(name="alice", state="up"), question.ts)
        assert await outcome_of(bot, live) == "scored"

    # the bot is down: Slack keeps the messages, nobody delivers them
    for user in (fake.bob, fake.owner):
        await fake.user_message(fake.general, user, LONG.format(name=user.name, state="down"), question.ts, mode="none")
    await fake.user_message(fake.general, fake.alice, "me again, a second reply: discussion", question.ts, mode="none")
    await fake.user_message(fake.general, fake.bob, "too short", question.ts, mode="none")
    await fake.bot_message(fake.general, "another bot's long message that must never score", mode="none")

    replies_before = len(fake.calls_to("conversations.replies"))
    with caplog.at_level(logging.INFO, logger="bot.app"):
        async with running(fake, slack_settings(fake, database), clock, bank) as bot:
            assert len(fake.calls_to("conversations.replies")) > replies_before
            assert await scores(bot) == {fake.alice.id: 15, fake.bob.id: 13, fake.owner.id: 11}
            assert question_posts(fake, fake.general) == [question]  # a restart posts nothing new
    assert "1 due post(s) made" not in caplog.text and "2 reply(ies) read back" in caplog.text

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.app"):
        async with running(fake, slack_settings(fake, database), clock, bank) as bot:
            assert await scores(bot) == {fake.alice.id: 15, fake.bob.id: 13, fake.owner.id: 11}
    assert "0 reply(ies) read back" in caplog.text


def as_the_previous_version_kept_it(database: Path, prefix: str) -> None:
    """The database as studybot kept it before Slack ids carried their workspace and channel: bare ts."""
    with closing(sqlite3.connect(database)) as connection:
        bare = "replace(message_id, ?, '')"
        posts = connection.execute(
            f"UPDATE posts SET message_id = {bare}, thread_id = replace(thread_id, ?, '')", (prefix, prefix)
        )
        answers = connection.execute(f"UPDATE answers SET message_id = {bare}", (prefix,))
        assert (posts.rowcount, answers.rowcount) == (1, 1)
        # schema version 13, the one before: without what the versions since added
        connection.execute("ALTER TABLE heartbeats DROP COLUMN shards")
        connection.execute("PRAGMA user_version = 13")
        connection.commit()


async def test_a_thread_posted_before_the_upgrade_still_takes_replies_and_reactions(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        question = await todays_question(fake)
        alice = await fake.user_message(fake.general, fake.alice, LONG.format(name="alice", state="up"), question.ts)
        assert await outcome_of(bot, alice) == "scored"
    as_the_previous_version_kept_it(database, stored_id(fake, fake.general, ""))

    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        bob = await fake.user_message(fake.general, fake.bob, LONG.format(name="bob", state="upgraded"), question.ts)
        assert await outcome_of(bot, bob) == "scored"
        upvote = await fake.user_react(fake.general, alice, fake.bob, "+1")  # on an answer from before
        assert await outcome_of(bot, upvote) == "scored"
        assert await scores(bot) == {fake.alice.id: 15 + 2, fake.bob.id: 13}


async def test_long_threads_are_read_back_page_by_page(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, monkeypatch
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank):
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
        await command(fake, fake.admin, fake.general, "/qotd now")
    [question] = question_posts(fake, fake.general)
    members = [fake.add_user(f"member{n}", display_name=f"Member {n}", join=("general",)) for n in range(5)]
    for member in members:
        await fake.user_message(
            fake.general, member, LONG.format(name=member.name, state="down"), question.ts, mode="none"
        )
    monkeypatch.setattr(platform_module, "PAGE_SIZE", 2)
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        pages = [c for c in fake.calls_to("conversations.replies") if c.params.get("ts") == question.ts]
        # the replies, then the reactions and what is gone: each pass reads the 5 replies in 3 pages of 2
        assert len(pages) == 6 and all(str(c.params["limit"]) == "2" for c in pages)
        assert sorted(await scores(bot)) == sorted(member.id for member in members)
        assert (await scores(bot))[members[0].id] == 15  # the first to answer, oldest first


async def test_a_post_made_just_before_a_crash_is_found_not_repeated(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
        channel = bot.platform.channel(fake.general.id)
        claim = await bot.store.claim_post(
            channel=channel, local_date=clock.now().date(), now=clock.now(), choose=asking("p-value")
        )
        # the post went out, then the process died before recording it
        card = question_card(bank.get("p-value"), heading="Question of the day")
        await bot.platform.post_question(channel, card, post_key=claim.post.post_key)
        await fake.user_message(fake.general, fake.alice, "unrelated chatter in the channel", mode="none")
        clock.advance(minutes=5)  # the claim's lease has run out
        recovered = await command(fake, fake.admin, fake.general, "/qotd now")
        assert recovered.body["text"].startswith("Today's question was already posted.")
        history = fake.calls_to("conversations.history")[-1]
        assert str(history.params["include_all_metadata"]).lower() in ("1", "true")
        [question] = question_posts(fake, fake.general)
        reply = await fake.user_message(fake.general, fake.bob, LONG.format(name="bob", state="up"), question.ts)
        assert await outcome_of(bot, reply) == "scored"


async def test_reactions_and_deletions_made_while_away_count_at_the_restart(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, caplog
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        question = await todays_question(fake)
        answers = {}
        for user in (fake.alice, fake.bob, fake.owner):
            answers[user.name] = await fake.user_message(
                fake.general, user, LONG.format(name=user.name, state="up"), question.ts
            )
            assert await outcome_of(bot, answers[user.name]) == "scored"
        upvote = await fake.user_react(fake.general, answers["alice"], fake.owner)
        assert await outcome_of(bot, upvote) == "scored"
        assert await scores(bot) == {fake.alice.id: 17, fake.bob.id: 13, fake.owner.id: 11}

    # the bot is down: Slack keeps the reactions and deletions, nobody delivers them
    await fake.user_unreact(fake.general, answers["alice"], fake.owner, mode="none")
    await fake.user_react(fake.general, answers["alice"], fake.bob, mode="none")
    await fake.user_react(fake.general, answers["bob"], fake.admin, "white_check_mark", mode="none")
    await fake.user_react(fake.general, answers["bob"], fake.bob, mode="none")  # your own: never counts
    await fake.user_react(fake.general, answers["alice"], fake.other_bot, mode="none")  # a bot's: never counts
    await fake.user_delete(fake.general, answers[fake.owner.name], mode="none")

    with caplog.at_level(logging.INFO, logger="bot.core"):
        async with running(fake, slack_settings(fake, database), clock, bank) as bot:
            assert await scores(bot) == {fake.alice.id: 17, fake.bob.id: 28}
    assert "read back 3 reaction change(s) and 1 deleted answer(s)" in caplog.text

    caplog.clear()  # read back once: a second restart changes nothing
    with caplog.at_level(logging.INFO, logger="bot.core"):
        async with running(fake, slack_settings(fake, database), clock, bank) as bot:
            assert await scores(bot) == {fake.alice.id: 17, fake.bob.id: 28}
    assert "read back 0 reaction change(s) and 0 deleted answer(s)" in caplog.text


async def test_a_restart_inside_the_claim_lease_records_a_post_the_crash_left_unrecorded(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
        channel = bot.platform.channel(fake.general.id)
        claim = await bot.store.claim_post(
            channel=channel, local_date=clock.now().date(), now=clock.now(), choose=asking("p-value")
        )
        card = question_card(bank.get("p-value"), heading="Question of the day")
        await bot.platform.post_question(channel, card, post_key=claim.post.post_key)
    # the process ended right after posting, before recording it, and is back 20 s later: inside the lease
    clock.advance(seconds=20)
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        [question] = question_posts(fake, fake.general)
        reply = await fake.user_message(fake.general, fake.bob, LONG.format(name="bob", state="up"), question.ts)
        assert await outcome_of(bot, reply) == "scored"
        again = await command(fake, fake.admin, fake.general, "/qotd now")
        assert again.body["text"].startswith("Today's question is already posted.")
        assert question_posts(fake, fake.general) == [question]  # found, not posted a second time
