"""The weekly recap on Discord: one message with the text, the card as its embed's image, pinging nobody; posted
once, across a restart and across a crash between posting it and recording it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.recap_text import recap_picture
from bot.core.recaps import RecapPost
from bot.core.refs import ChannelRef, MemberRef
from bot.pictures import recap_card, theme
from tests.fakes.discord import ChannelType, FakeDiscord
from tests.fakes.discord.ids import Permissions
from tests.fakes.discord.models import Message
from tests.pictures.looking import decode, shows_text
from tests.support.recap_week import MONDAY_AFTER_NINE, SUNDAY_EVENING, seed_last_week

from .harness import Running, discord_settings, running_bot
from .test_pictures import uploaded_card


def recaps(fake: FakeDiscord) -> list[Message]:
    return [
        m
        for m in fake.messages_in(fake.channel)
        if any("ref studybot-recap-" in ((embed.get("footer") or {}).get("text") or "") for embed in m.embeds)
    ]


async def set_up_last_week(bot: Running, fake: FakeDiscord, people) -> ChannelRef:  # type: ignore[no-untyped-def]
    reply = await bot.command(people["boss"], "qotd", {"time": "09:00", "timezone": "UTC", "recap": "on"}, "setup")
    assert reply.response["data"]["content"].endswith("Weekly recap: on, Mondays at 09:00 UTC.")
    channel = ChannelRef("discord", str(fake.guild.id), str(fake.channel.id))
    members = [
        (MemberRef("discord", str(people[name].id)), label)
        for name, label in (("alice", "Alice A."), ("bob", "@everyone Bob"), ("carol", "carol"))
    ]
    await seed_last_week(bot.group.context.store, channel, members)
    return channel


async def test_the_recap_is_one_message_with_its_card_pinging_nobody_and_posted_once(
    fake: FakeDiscord, tmp_path: Path, bank: Bank, people
) -> None:
    clock = FixedClock(SUNDAY_EVENING)
    settings = discord_settings(fake, tmp_path / "studybot.db")
    async with running_bot(fake, settings, clock, bank) as bot:
        await set_up_last_week(bot, fake, people)
        clock.set(MONDAY_AFTER_NINE)
        await bot.group.sweep(bot.app.adapter.style)  # type: ignore[union-attr]
        [recap] = recaps(fake)
        assert recap.content.splitlines()[:2] == [
            "**Weekly recap · Mon 16 Nov – Sun 22 Nov**",
            "Podium: 🥇 Alice A. 35 pts · 🥈 @\u200beveryone Bob 20 pts · 🥉 carol 10 pts",
        ]
        assert "Best answers ✅: Mon “P Value”: Alice A." in recap.content
        assert recap.allowed_mentions is not None and recap.allowed_mentions.get("parse") == []
        assert "<@" not in recap.content
        attachment, data = await uploaded_card(fake, recap)
        assert attachment["filename"] == "recap.png"
        assert attachment["description"].startswith("Weekly recap · Mon 16 Nov – Sun 22 Nov: 1. Alice A. 35 pts")
        card = decode(data)
        assert card.width == theme.WIDTH
        assert shows_text(card, recap_card.name_xy(1), "Alice A.", bold=True, anchor="mm")
        assert shows_text(card, recap_card.name_xy(3), "carol", anchor="mm")
        assert shows_text(
            card,
            recap_card.points_xy(2),
            "20 pts",
            bold=True,
            anchor="mm",
            background=theme.MEDALS[2],
            colour=theme.BACKGROUND,
        )

    clock.advance(minutes=30)  # a restart inside the grace window: the recap is there already
    async with running_bot(fake, settings, clock, bank) as bot:
        await bot.group.sweep(bot.app.adapter.style)  # type: ignore[union-attr]
        assert len(recaps(fake)) == 1


async def test_a_recap_posted_just_before_a_crash_is_found_not_repeated(
    fake: FakeDiscord, tmp_path: Path, bank: Bank, people
) -> None:
    clock = FixedClock(SUNDAY_EVENING)
    settings = discord_settings(fake, tmp_path / "studybot.db")
    async with running_bot(fake, settings, clock, bank) as bot:
        channel = await set_up_last_week(bot, fake, people)
        clock.set(MONDAY_AFTER_NINE)
        store = bot.group.context.store
        claim = await store.claim_recap(channel=channel, week=MONDAY_AFTER_NINE.date().replace(day=16), now=clock.now())
        # the recap went out, then the process died before recording it
        await bot.client.platform.post_recap(channel, RecapPost("Weekly recap"), post_key=claim.recap.post_key)
    async with running_bot(fake, settings, clock, bank) as bot:
        [recap] = recaps(fake)
        found = await bot.group.context.store.claim_recap(channel=channel, week=claim.recap.week, now=clock.now())
        assert found.recap.status == "posted" and found.recap.message_id == str(recap.id)


async def test_where_the_bot_may_not_attach_files_the_recap_is_its_text_alone(
    fake: FakeDiscord, tmp_path: Path, bank: Bank, people, caplog
) -> None:
    fake.set_overwrite(fake.channel, fake.bot_user, deny=Permissions.ATTACH_FILES)
    clock = FixedClock(SUNDAY_EVENING)
    async with running_bot(fake, discord_settings(fake, tmp_path / "studybot.db"), clock, bank) as bot:
        await set_up_last_week(bot, fake, people)
        clock.set(MONDAY_AFTER_NINE)
        await bot.group.sweep(bot.app.adapter.style)  # type: ignore[union-attr]
        [recap] = recaps(fake)
    assert recap.content.startswith("**Weekly recap · Mon 16 Nov – Sun 22 Nov**") and recap.attachments == []
    assert "the recap card in channel" in caplog.text and "posting the text alone" in caplog.text


async def test_in_a_forum_the_recap_is_a_post_of_its_own_found_again_after_a_restart(
    fake: FakeDiscord, tmp_path: Path, bank: Bank, people
) -> None:
    forum = fake.add_text_channel(fake.guild, "questions", type=ChannelType.GUILD_FORUM)
    clock = FixedClock(SUNDAY_EVENING)
    settings = discord_settings(fake, tmp_path / "studybot.db")
    async with running_bot(fake, settings, clock, bank) as bot:
        await fake.announce_channel(forum)
        await fake.wait_for(lambda: bot.client.get_channel(forum.id), what="the bot to learn of the forum")
        options = {"time": "09:00", "timezone": "UTC", "days": "tue", "recap": "on", "channel": forum}
        await bot.command(people["boss"], "qotd", options, "setup")
        channel = ChannelRef("discord", str(fake.guild.id), str(forum.id))
        await seed_last_week(bot.group.context.store, channel, [(MemberRef("discord", str(people["bob"].id)), "bob")])
        clock.set(MONDAY_AFTER_NINE)
        store = bot.group.context.store
        claim = await store.claim_recap(channel=channel, week=date(2026, 11, 16), now=clock.now())
        recap = await bot.group.recaps.gather(await store.get_channel(channel), claim.recap.week)  # type: ignore[arg-type]
        picture = await bot.group.picture(recap_picture(recap))
        text = "**Weekly recap · Mon 16 Nov – Sun 22 Nov**\nPodium: 🥇 bob 35 pts"
        await bot.client.platform.post_recap(channel, RecapPost(text, picture), post_key=claim.recap.post_key)
    async with running_bot(fake, settings, clock, bank) as bot:  # the crash left it unrecorded: found, not repeated
        [thread] = [c for c in fake.channels.values() if c.parent_id == forum.id]
        assert thread.name == "Weekly recap · Mon 16 Nov – Sun 22 Nov"
        [starter] = fake.messages_in(thread)
        assert starter.content.startswith("**Weekly recap") and starter.attachments[0]["filename"] == "recap.png"
        found = await bot.group.context.store.claim_recap(channel=channel, week=claim.recap.week, now=clock.now())
        assert found.recap.status == "posted" and found.recap.message_id == str(starter.id)
