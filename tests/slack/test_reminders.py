"""Review reminders on Slack: a direct message from the app (chat.postMessage to the member's user id, which the
manifest's scopes allow) at the member's local time; a refused one is said once, ephemerally, where it was set up,
and the reminder is switched off."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import answer_to, click_ephemeral, command, running, slack_settings

BERLIN = ZoneInfo("Europe/Berlin")


async def missed_a_quiz(fake: FakeSlack, who) -> None:  # type: ignore[no-untyped-def]
    """`who` misses a quiz question on Monday 23 November: it is due for review a day later, at 09:00 Berlin."""
    card = await command(fake, who, fake.general, "/quiz topic:probability difficulty:easy")
    reveal = await answer_to(fake, await click_ephemeral(fake, who, fake.general, card, "Reveal"))
    await answer_to(fake, await click_ephemeral(fake, who, fake.general, reveal, "Missed"))


async def minute_at(service, clock: FixedClock, day: int, hour: int = 8) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 11, day, hour, tzinfo=BERLIN))
    await service.app.group.reminders.send_due()  # the scheduler's minute


def direct_messages(fake: FakeSlack, user) -> list[str]:  # type: ignore[no-untyped-def]
    return [call.params["text"] for call in fake.calls_to("chat.postMessage") if call.params["channel"] == user.id]


async def test_a_reminder_is_a_direct_message_from_the_app(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as service:
        await missed_a_quiz(fake, fake.alice)
        await missed_a_quiz(fake, fake.bob)  # bob never asks for reminders
        bad = await command(fake, fake.alice, fake.general, "/review remind time:24:00 tz:Europe/Berlin")
        assert bad.body["response_type"] == "ephemeral" and "out of range" in bad.body["text"]
        done = await command(fake, fake.alice, fake.general, "/review remind time:08:00 tz:Europe/Berlin")
        assert done.body["response_type"] == "ephemeral" and "Reminder set: 08:00 Europe/Berlin" in done.body["text"]

        await minute_at(service, clock, 24)
        assert direct_messages(fake, fake.alice) == []  # due only at 09:00
        await minute_at(service, clock, 25)
        assert direct_messages(fake, fake.alice) == ["1 review due: /review"]
        [dm] = [m for m in fake.bot_messages() if m.text == "1 review due: /review"]
        assert fake.channel(dm.channel).is_im and fake.channel(dm.channel).im_user == fake.alice.id
        await minute_at(service, clock, 25, 9)
        await minute_at(service, clock, 26)
        assert direct_messages(fake, fake.alice) == ["1 review due: /review"] * 2
        assert direct_messages(fake, fake.bob) == []
        off = await command(fake, fake.alice, fake.general, "/review remind off")
        assert off.body["text"] == "Review reminders are off."
        await minute_at(service, clock, 27)
        assert len(direct_messages(fake, fake.alice)) == 2


async def test_a_refused_direct_message_is_said_once_and_switches_it_off(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as service:
        await missed_a_quiz(fake, fake.alice)
        await command(fake, fake.alice, fake.general, "/review remind time:08:00 tz:Europe/Berlin")
        fake.refuse_dms(fake.alice, "not_allowed")
        told_before = len(fake.ephemerals)

        await minute_at(service, clock, 24)  # nothing due yet
        await minute_at(service, clock, 25)
        [refused] = fake.calls_to("chat.postMessage")[-1:]
        assert refused.params["channel"] == fake.alice.id and refused.response["error"] == "not_allowed"
        [told] = fake.ephemerals[told_before:]
        assert (told.channel, told.user) == (fake.general.id, fake.alice.id)
        assert told.text.startswith("I can't send you direct messages, so your review reminders are off.")
        await minute_at(service, clock, 26)
        assert len(fake.ephemerals) == told_before + 1
        assert len([c for c in fake.calls_to("chat.postMessage") if c.params["channel"] == fake.alice.id]) == 1
