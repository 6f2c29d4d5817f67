"""A whole study day on Discord: setup, the post and its thread, answers, reactions, edits, deletion, standings."""

from __future__ import annotations

from bot.core.usecases.answers import Verdict
from tests.fakes.discord import ChannelType, FakeDiscord

from .harness import Running, text_of

ALICE = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
CAROL = "Covariance depends on the units; correlation is the covariance of the standardised variables @everyone"


async def test_setup_is_for_moderators_and_answers_privately(bot: Running, fake: FakeDiscord, people) -> None:
    refused = await bot.command(people["alice"], "qotd", {"time": "09:00"}, "setup")
    assert refused.ephemeral and text_of(refused) == "Only moderators can run /qotd setup."
    assert await bot.group.context.store.get_channel(_channel(fake)) is None

    done = await bot.command(people["boss"], "qotd", {"time": "09:00", "timezone": "Europe/Berlin"}, "setup")
    assert done.ephemeral and text_of(done).startswith(
        f"Daily question set in <#{_channel(fake).channel_id}>: 09:00 Europe/Berlin"
    )
    by_role = await bot.command(people["mod"], "qotd", sub="pause")
    assert by_role.ephemeral and text_of(by_role) == "Daily questions paused."
    status = await bot.command(people["alice"], "qotd", sub="status")
    assert status.ephemeral and "Paused." in text_of(status)

    bad = await bot.command(people["boss"], "qotd", {"timezone": "Europe/Berln"}, "setup")
    assert bad.ephemeral and "Europe/Berlin" in text_of(bad)
    assert fake.messages_in(fake.channel) == []  # all of that was private


async def test_setup_for_another_channel_and_topic_autocomplete(bot: Running, fake: FakeDiscord, people) -> None:
    other = fake.add_text_channel(fake.guild, "study")
    await fake.announce_channel(other)
    await fake.wait_for(lambda: bot.client.get_channel(other.id), what="CHANNEL_CREATE")
    done = await bot.command(people["boss"], "qotd", {"channel": other.id, "topics": "probability"}, "setup")
    assert text_of(done).startswith("Daily question set")
    config = await bot.group.context.store.get_channel(_channel(fake, other.id))
    assert config is not None and config.name == "study" and config.schedule.topics == ("probability",)

    handle = await fake.autocomplete(fake.guild, fake.channel, people["alice"], "quiz", {"topic": "pro"}, "topic")
    await handle.wait_response()
    assert handle.choices == [{"name": "probability", "value": "probability"}]
    handle = await fake.autocomplete(
        fake.guild, fake.channel, people["boss"], "qotd", {"topics": "statistics,c"}, "topics", subcommand="setup"
    )
    await handle.wait_response()
    assert [c["value"] for c in handle.choices] == ["statistics,classical-ml"]


async def test_a_day_of_answers_reactions_edits_and_the_leaderboard(bot: Running, fake: FakeDiscord, people) -> None:
    boss, mod, alice, bob, carol = (people[k] for k in ("boss", "mod", "alice", "bob", "carol"))
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")

    now = await bot.command(boss, "qotd", sub="now")
    assert now.ephemeral and text_of(now).startswith("Posted today's question.")
    [post] = bot.question_posts()
    embed = post.embeds[0]
    assert embed["title"].startswith("Question of the day")
    assert {f["name"] for f in embed["fields"]} >= {"Topic", "Difficulty"}
    assert "ref studybot-" in embed["footer"]["text"] and post.nonce and post.raw_body["enforce_nonce"] is True
    thread = fake.channels[post.id]
    assert thread.type == ChannelType.PUBLIC_THREAD and thread.parent_id == fake.channel.id
    assert post.id in [p.id for p in bot.question_posts()] and text_of(now).endswith(
        f"/channels/{fake.guild.id}/{fake.channel.id}/{post.id}"
    )

    a1, verdict = await bot.say(thread, alice, ALICE)
    assert verdict is Verdict.SCORED
    assert (await bot.say(thread, bob, "too short"))[1] is Verdict.TOO_SHORT
    b1, verdict = await bot.say(thread, bob, BOB)
    assert verdict is Verdict.SCORED
    c1, verdict = await bot.say(thread, carol, CAROL)
    assert verdict is Verdict.SCORED
    assert (await bot.say(thread, alice, "and one more thought, which is discussion, not an answer"))[1] is (
        Verdict.ALREADY_ANSWERED
    )
    assert (await bot.say(fake.channel, alice, ALICE))[1] is Verdict.NOT_A_QUESTION_THREAD

    store = bot.group.context.store
    for reactor, emoji in ((bob, "👍"), (carol, "👍🏽"), (alice, "👍")):  # a skin tone counts; alice's own does not
        await fake.user_react(a1, reactor, emoji)
        await bot.handled("reaction", a1, count=[bob, carol, alice].index(reactor) + 1)
    assert (await _answer(bot, a1)).points == 15 + 4
    await fake.user_react(b1, carol, "✅")  # not a moderator: ignored
    assert (await bot.handled("reaction", b1)).result.verdict is Verdict.IGNORED
    await fake.user_react(b1, mod, "✅")  # moderator by role
    await bot.handled("reaction", b1, count=2)
    assert (await _answer(bot, b1)).points == 13 + 15
    await fake.user_unreact(b1, mod, "✅")  # taking the mark back (no member in the payload: fetched)
    await bot.handled("reaction", b1, count=3)
    assert (await _answer(bot, b1)).points == 13
    await fake.user_react(b1, boss, "✅")  # Manage Server
    await bot.handled("reaction", b1, count=4)
    assert (await _answer(bot, b1)).points == 28

    await fake.user_edit(a1, ALICE + " (edited)")
    assert (await bot.handled("edit", a1)).result.verdict is Verdict.UNCHANGED
    assert (await _answer(bot, a1)).points == 19
    await fake.user_delete(c1)
    assert (await bot.handled("delete", c1)).result.verdict is Verdict.REMOVED
    assert (await store.answer_by_message(platform="discord", message_id=str(c1))).deleted

    board = await bot.command(alice, "leaderboard", {"period": "all"})
    assert not board.ephemeral
    lines = text_of(board).splitlines()
    assert lines[0] == "**Leaderboard · this channel · all time**"
    assert lines[1:] == [f"🥇 <@{bob.id}>: 28 pts (1 answer)", f"🥈 <@{alice.id}>: 19 pts (1 answer)"]
    stats = await bot.command(alice, "stats")
    assert stats.ephemeral and "Points: 19 all time" in text_of(stats)

    again = await bot.command(mod, "qotd", sub="now")
    assert text_of(again).startswith("Today's question is already posted.") and len(bot.question_posts()) == 1

    bot_messages = [m for m in fake.messages.values() if m.author.id == fake.bot_user.id]
    assert bot_messages and all((m.allowed_mentions or {}).get("parse") == [] for m in bot_messages)
    assert all((r.json or {}).get("allowed_mentions", {}).get("parse") == [] for r in _message_posts(fake))


def _channel(fake: FakeDiscord, channel_id: int | None = None):  # type: ignore[no-untyped-def]
    from bot.core.refs import ChannelRef

    return ChannelRef("discord", str(fake.guild.id), str(channel_id or fake.channel.id))


async def _answer(bot: Running, message_id: int):  # type: ignore[no-untyped-def]
    return await bot.group.context.store.answer_by_message(platform="discord", message_id=str(message_id))


def _message_posts(fake: FakeDiscord):  # type: ignore[no-untyped-def]
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages") and r.status == 200]
