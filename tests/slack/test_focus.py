"""focus:weakest on Slack: typed as an option of /qotd setup, for admins only, and shown in /qotd status."""

from __future__ import annotations

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, running, slack_settings


async def test_an_admin_sets_focus_weakest_and_a_member_cannot(fake: FakeSlack, tmp_path, clock: FixedClock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        refused = await command(fake, fake.alice, fake.general, "/qotd setup focus:weakest")
        assert "Only moderators can run /qotd setup" in refused.body["text"]
        done = await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 tz:UTC focus:weakest")
        assert done.body["response_type"] == "ephemeral"
        assert done.body["text"].endswith("09:00 UTC, every day; focus: the weakest topics.")
        status = await command(fake, fake.alice, fake.general, "/qotd status")
        assert "focus: the weakest topics" in status.body["text"]
        typo = await command(fake, fake.admin, fake.general, "/qotd setup focus:weak")
        assert "focus 'weak' is not weakest or off" in typo.body["text"].lower()
        off = await command(fake, fake.admin, fake.general, "/qotd setup focus:off")
        assert "focus" not in off.body["text"]
