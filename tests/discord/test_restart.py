"""A restart reads back what members did while the bot was down: reactions on answers and answers deleted."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.refs import ChannelRef
from bot.core.usecases.answers import Verdict
from tests.fakes.discord import FakeDiscord

from .harness import Running, discord_settings, running_bot

ALICE = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
CAROL = "Covariance depends on the units; correlation is the covariance of the standardised variables."


async def scores(bot: Running, fake: FakeDiscord) -> dict[int, tuple[int, bool]]:
    """Each member's points and best-answer mark for today's question, as the leaderboard counts them."""
    store = bot.group.context.store
    post = await store.latest_post(channel=ChannelRef("discord", str(fake.guild.id), str(fake.channel.id)))
    assert post is not None
    answers = await store.answers_for_post(post_id=post.id)
    return {int(answer.member.user_id): (answer.points, answer.best) for answer, _ in answers if not answer.deleted}


async def test_reactions_and_deletions_made_while_down_count_at_the_restart(
    fake: FakeDiscord, tmp_path: Path, now_clock: FixedClock, bank: Bank, people, caplog
) -> None:
    boss, mod, alice, bob, carol = (people[k] for k in ("boss", "mod", "alice", "bob", "carol"))
    settings = discord_settings(fake, tmp_path / "studybot.db")
    async with running_bot(fake, settings, now_clock, bank) as bot:
        await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
        await bot.command(boss, "qotd", sub="now")
        [post] = bot.question_posts()
        thread = fake.channels[post.id]
        answers = {}
        for member, text in ((alice, ALICE), (bob, BOB), (carol, CAROL)):
            answers[member.id], verdict = await bot.say(thread, member, text)
            assert verdict is Verdict.SCORED
        chatter, verdict = await bot.say(thread, bob, "nice one")
        assert verdict is Verdict.TOO_SHORT
        await fake.user_react(answers[alice.id], bob)
        await fake.user_react(answers[bob.id], mod, "✅")
        await bot.handled("reaction", answers[bob.id])
        before = await scores(bot, fake)
        assert before == {alice.id: (17, False), bob.id: (28, True), carol.id: (11, False)}

    # the bot is down: Discord keeps the reactions and deletions, nobody delivers them
    await fake.user_unreact(answers[alice.id], bob)
    await fake.user_react(answers[alice.id], carol, "👍🏽")  # a skin tone counts
    await fake.user_react(answers[alice.id], alice)  # your own: never counts
    await fake.user_react(answers[alice.id], carol, "✅")  # not a moderator's: never counts
    await fake.user_react(answers[alice.id], bob, "🎉")  # an emoji that does not count: never listed
    await fake.user_react(chatter, carol)  # not an answer: never listed
    await fake.user_unreact(answers[bob.id], mod, "✅")
    await fake.user_delete(answers[carol.id])

    first_request = len(fake.requests)
    with caplog.at_level(logging.INFO, logger="bot.core"):
        async with running_bot(fake, settings, now_clock, bank) as bot:
            assert await scores(bot, fake) == {alice.id: (17, False), bob.id: (13, False)}
    assert "read back 3 reaction change(s) and 1 deleted answer(s)" in caplog.text
    read_back = fake.requests[first_request:]
    listed = [r.path.split("/messages/")[1] for r in read_back if r.method == "GET" and "/reactions/" in r.path]
    assert sorted(listed) == sorted(f"{answers[alice.id]}/reactions/{emoji}" for emoji in ("👍", "👍🏽", "✅"))
    members = [r.path for r in read_back if r.method == "GET" and "/members/" in r.path]
    assert members == [f"/guilds/{fake.guild.id}/members/{carol.id}"]  # only whoever put a ✅, once

    caplog.clear()  # read back once: a second restart changes nothing
    with caplog.at_level(logging.INFO, logger="bot.core"):
        async with running_bot(fake, settings, now_clock, bank) as bot:
            assert await scores(bot, fake) == {alice.id: (17, False), bob.id: (13, False)}
    assert "read back 0 reaction change(s) and 0 deleted answer(s)" in caplog.text
