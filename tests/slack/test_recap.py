"""The weekly recap on Slack: its text with the key in the message's metadata, then the card uploaded into the
channel; members named, never mentioned; posted once, across a restart and across a crash before it was recorded."""

from __future__ import annotations

import asyncio

from bot.core.clock import FixedClock
from bot.core.recaps import RecapPost
from bot.core.refs import MemberRef
from bot.pictures import recap_card, theme
from tests.fakes.slack import FakeSlack
from tests.pictures.looking import decode, shows_text
from tests.slack.helpers import command, running, slack_settings, stored_id
from tests.support.recap_week import LAST_MONDAY, MONDAY_AFTER_NINE, SUNDAY_EVENING, seed_last_week


async def echoed(fake: FakeSlack) -> None:
    """Slack's echoes of what the bot just posted delivered while it still listens (before it stops)."""
    if fake._tasks:
        await asyncio.wait(set(fake._tasks), timeout=5.0)


def recaps(fake: FakeSlack) -> list:  # type: ignore[type-arg]
    return [m for m in fake.messages_in(fake.general) if (m.metadata or {}).get("event_type") == "studybot_recap"]


async def test_the_recap_is_text_then_its_card_naming_members_without_pinging_and_posted_once(
    fake: FakeSlack, tmp_path, bank
) -> None:
    clock = FixedClock(SUNDAY_EVENING)
    settings = slack_settings(fake, tmp_path / "slack.db")
    async with running(fake, settings, clock, bank) as bot:
        setup = await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 tz:UTC days:mon recap:on")
        assert setup.body["text"].endswith("Weekly recap: on, Mondays at 09:00 UTC.")
        channel = bot.platform.channel(fake.general.id)
        people = [
            (MemberRef("slack", user.id), name)
            for user, name in ((fake.alice, "Alice"), (fake.bob, "<!channel> Bob"), (fake.owner, "Olive"))
        ]
        await seed_last_week(bot.store, channel, people)
        # the crash: a recap posted for an earlier week, never recorded; the restart finds it
        claim = await bot.store.claim_recap(channel=channel, week=LAST_MONDAY.replace(day=9), now=clock.now())
        await bot.platform.post_recap(channel, RecapPost("Weekly recap · earlier"), post_key=claim.recap.post_key)
        await echoed(fake)

    async with running(fake, settings, clock, bank) as bot:
        clock.set(MONDAY_AFTER_NINE)
        await bot.sweep()
        earlier, recap = recaps(fake)
        found = await bot.store.claim_recap(channel=channel, week=claim.recap.week, now=clock.now())
        assert found.recap.status == "posted" and found.recap.message_id == stored_id(fake, fake.general, earlier.ts)
        lines = recap.text.splitlines()
        assert lines[:2] == [
            "*Weekly recap · Mon 16 Nov – Sun 22 Nov*",
            "Podium: 🥇 Alice 35 pts · 🥈 &lt;!channel&gt; Bob 20 pts · 🥉 Olive 10 pts",
        ]
        assert "<@" not in recap.text and "<!" not in recap.text
        await fake.wait_for("files.completeUploadExternal")
        [card] = fake.files.shared_in(fake.general.id)
        assert card.filename == "recap.png" and card.mimetype == "image/png"
        assert card.alt_txt.startswith("Weekly recap · Mon 16 Nov – Sun 22 Nov: 1. Alice 35 pts")
        image = decode(card.data or b"")
        assert image.width == theme.WIDTH
        assert shows_text(image, recap_card.name_xy(1), "Alice", bold=True, anchor="mm")
        assert shows_text(image, recap_card.name_xy(2), "<!channel> Bob", anchor="mm")
        await echoed(fake)

    async with running(fake, settings, clock, bank) as bot:  # a restart at the recap's time: its sweep finds it made
        await bot.sweep()
        assert len(recaps(fake)) == 2 and len(fake.files.shared_in(fake.general.id)) == 1
