"""Channels that can and cannot hold a daily question: refused at setup, skipped when they change, forums and
announcement channels served."""

from __future__ import annotations

import logging

from bot.core.bank import Bank
from bot.core.records import PostStatus
from bot.core.refs import ChannelRef
from bot.core.usecases.answers import Verdict
from tests.conftest import make_question
from tests.fakes.discord import ChannelType, FakeDiscord, Permissions

from .harness import Running, discord_settings, running_bot, text_of

ANSWER = "A p-value is the probability, under the null hypothesis, of data at least this extreme."
SETUP = {"time": "09:00", "timezone": "UTC", "days": "daily"}


async def _configured(bot: Running, channel) -> bool:  # type: ignore[no-untyped-def]
    ref = ChannelRef("discord", str(channel.guild_id), str(channel.id))
    return await bot.group.context.store.get_channel(ref) is not None


async def test_setup_refuses_channels_that_cannot_hold_threads_and_says_what_to_pick(
    bot: Running, fake: FakeDiscord, people
) -> None:
    voice = fake.add_text_channel(fake.guild, "Lounge", type=ChannelType.GUILD_VOICE)
    stage = fake.add_text_channel(fake.guild, "Talks", type=ChannelType.GUILD_STAGE_VOICE)
    await bot.command(people["boss"], "qotd", SETUP, "setup")
    await bot.command(people["boss"], "qotd", sub="now")
    [post] = bot.question_posts()
    thread = fake.channels[post.id]
    for where, named in ((voice, "voice"), (stage, "stage"), (thread, "thread")):
        refused = await bot.command(people["boss"], "qotd", SETUP, "setup", channel=where)
        text = text_of(refused)
        assert refused.ephemeral and named in text and "text, announcement or forum channel" in text, text
        assert not await _configured(bot, where)


async def test_setup_refuses_a_channel_where_the_bot_may_not_open_threads(
    bot: Running, fake: FakeDiscord, people
) -> None:
    fake.set_overwrite(fake.channel, fake.bot_role(fake.guild), deny=Permissions.CREATE_PUBLIC_THREADS)
    refused = await bot.command(people["boss"], "qotd", SETUP, "setup")
    assert refused.ephemeral and "Create Public Threads" in text_of(refused)
    assert not await _configured(bot, fake.channel)


async def test_a_channel_that_can_no_longer_hold_threads_is_skipped_with_one_line(
    bot: Running, fake: FakeDiscord, people, caplog
) -> None:
    voice = fake.add_text_channel(fake.guild, "Lounge", type=ChannelType.GUILD_VOICE)
    ref = ChannelRef("discord", str(fake.guild.id), str(voice.id))
    await bot.group.channels.setup(ref, SETUP, name="Lounge")  # configured before setup refused such channels
    with caplog.at_level(logging.WARNING):
        refused = await bot.command(people["boss"], "qotd", sub="now", channel=voice)
        assert text_of(refused).startswith("I can't post in this channel") and "50024" in text_of(refused)
    assert fake.messages_in(voice) == []  # the question without a thread was taken back
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("bot"))


async def test_in_a_forum_each_daily_question_is_a_post_and_answers_are_its_replies(
    bot: Running, fake: FakeDiscord, people
) -> None:
    forum = fake.add_text_channel(fake.guild, "questions", type=ChannelType.GUILD_FORUM)
    await fake.announce_channel(forum)
    await fake.wait_for(lambda: bot.client.get_channel(forum.id), what="the bot to learn of the forum")
    configured = await bot.command(people["boss"], "qotd", {**SETUP, "channel": forum}, "setup")
    assert text_of(configured).startswith("Daily question set in"), text_of(configured)
    posted = await bot.command(people["boss"], "qotd", sub="now", channel=forum)
    assert text_of(posted).startswith("Posted today's question."), text_of(posted)
    [thread] = [c for c in fake.channels.values() if c.parent_id == forum.id]
    [starter] = fake.messages_in(thread)
    assert starter.id == thread.id and starter.embeds
    _, verdict = await bot.say(thread, people["alice"], ANSWER)
    assert verdict is Verdict.SCORED


async def test_an_announcement_channel_holds_the_daily_question_and_its_thread(
    bot: Running, fake: FakeDiscord, people
) -> None:
    news = fake.add_text_channel(fake.guild, "announcements", type=ChannelType.GUILD_ANNOUNCEMENT)
    await bot.command(people["boss"], "qotd", SETUP, "setup", channel=news)
    posted = await bot.command(people["boss"], "qotd", sub="now", channel=news)
    assert text_of(posted).startswith("Posted today's question."), text_of(posted)
    [post] = bot.question_posts(news)
    assert fake.channels[post.id].type == ChannelType.ANNOUNCEMENT_THREAD
    _, verdict = await bot.say(post.id, people["alice"], ANSWER)
    assert verdict is Verdict.SCORED


async def test_a_locked_thread_gets_no_closing_summary_and_one_log_line(
    bot: Running, fake: FakeDiscord, people, now_clock, caplog
) -> None:
    await bot.command(people["boss"], "qotd", SETUP, "setup")
    await bot.command(people["boss"], "qotd", sub="now")
    [post] = bot.question_posts()
    await bot.say(post.id, people["alice"], ANSWER)
    fake.set_overwrite(fake.channel, fake.bot_role(fake.guild), deny=Permissions.MANAGE_THREADS)
    fake.channels[post.id].locked = True  # a moderator locked it
    now_clock.advance(hours=49)
    with caplog.at_level(logging.WARNING):
        await bot.group.sweep(bot.client.platform.style)
    [line] = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.WARNING]
    assert line.getMessage().startswith("cannot post the summary") and "160005" in line.getMessage()
    assert line.exc_info is None
    [closed] = await bot.group.context.store.posts_with_status(PostStatus.CLOSED, platform="discord")
    assert closed.thread is not None and closed.thread.thread_id == str(post.id)


async def test_a_question_with_a_long_title_gets_a_thread_within_discords_name_limit(
    fake: FakeDiscord, tmp_path, now_clock, people
) -> None:
    long_title = "Why a 95% confidence interval is not a 95% chance the parameter lies in it 📐, " * 3
    bank = Bank.of([make_question("long-title").model_copy(update={"title": long_title.strip()})])
    forum = fake.add_text_channel(fake.guild, "questions", type=ChannelType.GUILD_FORUM)
    async with running_bot(fake, discord_settings(fake, tmp_path / "studybot.db"), now_clock, bank) as bot:
        for channel in (fake.channel, forum):
            await bot.command(people["boss"], "qotd", SETUP, "setup", channel=channel)
            posted = await bot.command(people["boss"], "qotd", sub="now", channel=channel)
            assert text_of(posted).startswith("Posted today's question."), text_of(posted)
    threads = [c for c in fake.channels.values() if c.is_thread]
    assert len(threads) == 2
    assert all(len(t.name) == 100 and t.name.endswith("…") and long_title.startswith(t.name[:-1]) for t in threads)
