"""Review reminders on Discord: a DM (the DM channel opened, then the message) at the member's local time, and a
member whose DMs are closed told once in the channel, without a ping, with the reminder switched off."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord

from .harness import Running, text_of
from .test_quiz import _buttons

BERLIN = ZoneInfo("Europe/Berlin")


async def missed_a_quiz(bot: Running, fake: FakeDiscord, who) -> None:  # type: ignore[no-untyped-def]
    """`who` misses a quiz question: it is due for review a day later."""
    card = await bot.command(who, "quiz", {"topic": "probability", "difficulty": "easy"})
    reveal = await fake.click_button(card.original_message_id, _buttons(card)["Reveal"], who)
    await reveal.wait_response()
    missed = await fake.click_button(reveal.original_message_id, _buttons(reveal)["Missed"], who)
    await missed.wait_response()


async def minute_at(bot: Running, clock: FixedClock, when: datetime) -> None:
    """The scheduler's minute at `when`."""
    clock.set(when)
    await bot.group.reminders.send_due()


def eight_in_berlin(clock: FixedClock, days_on: int) -> datetime:
    day = clock.now().astimezone(BERLIN).date() + timedelta(days=days_on)
    return datetime.combine(day, time(8, 0), tzinfo=BERLIN)


async def test_a_reminder_is_a_direct_message_at_the_members_local_time(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock
) -> None:
    alice, bob = people["alice"], people["bob"]
    await missed_a_quiz(bot, fake, alice)
    await missed_a_quiz(bot, fake, bob)  # bob never asks for reminders
    bad = await bot.command(alice, "review", {"time": "08:00", "timezone": "Berlin"}, "remind")
    assert bad.ephemeral and text_of(bad).startswith("Timezone 'Berlin' is not an IANA timezone name")
    done = await bot.command(alice, "review", {"time": "08:00", "timezone": "Europe/Berlin"}, "remind")
    assert done.ephemeral and text_of(done).startswith("Reminder set: 08:00 Europe/Berlin")

    tomorrow = eight_in_berlin(now_clock, 1)
    await minute_at(bot, now_clock, tomorrow)
    assert fake.direct_messages(alice) == []  # the missed question is due only later in the day
    await minute_at(bot, now_clock, tomorrow + timedelta(days=1))
    [dm] = fake.direct_messages(alice)
    assert dm.content == "1 review due: /review" and dm.author.id == fake.bot_user.id
    opened = [r for r in fake.requests if r.method == "POST" and r.path == "/users/@me/channels"]
    assert [int(r.json["recipient_id"]) for r in opened] == [alice.id]
    assert fake.direct_messages(bob) == []
    await minute_at(bot, now_clock, tomorrow + timedelta(days=1, minutes=1))
    assert len(fake.direct_messages(alice)) == 1  # once a day
    await minute_at(bot, now_clock, tomorrow + timedelta(days=2))
    assert len(fake.direct_messages(alice)) == 2
    assert fake.messages_in(fake.channel) == []


async def test_closed_dms_are_said_once_in_the_channel_and_the_reminder_is_off(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock
) -> None:
    alice = people["alice"]
    await missed_a_quiz(bot, fake, alice)
    await bot.command(alice, "review", {"time": "08:00", "timezone": "Europe/Berlin"}, "remind")
    fake.close_dms(alice)

    day_after = eight_in_berlin(now_clock, 2)
    await minute_at(bot, now_clock, day_after - timedelta(days=1))
    await minute_at(bot, now_clock, day_after)
    refused = [r for r in fake.requests if r.status == 403 and r.response.get("code") == 50007]
    assert len(refused) == 1 and fake.direct_messages(alice) == []
    [told] = fake.messages_in(fake.channel)
    assert told.content.startswith("Alice A.: I can't send you direct messages, so your review reminders are off.")
    assert told.allowed_mentions == {"parse": []}

    await minute_at(bot, now_clock, eight_in_berlin(now_clock, 1))
    assert len(fake.messages_in(fake.channel)) == 1
    off = await bot.command(alice, "review", {"time": "off"}, "remind")
    assert text_of(off) == "You have no review reminder to switch off."
