"""/review on Slack: a quiz missed today comes back the next day, privately, with the quiz's buttons."""

from __future__ import annotations

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import answer_to, buttons, click_ephemeral, command, running, slack_settings


async def test_a_missed_quiz_is_served_by_review_the_next_day(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        card = await command(fake, fake.alice, fake.general, "/quiz topic:probability difficulty:easy")
        reveal = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, card, "Reveal"))
        missed = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, reveal, "Missed"))
        assert "this one comes back in 1 day" in missed.body["text"]

        waiting = await command(fake, fake.alice, fake.general, "/review topic:probability")
        assert waiting.body["response_type"] == "ephemeral"
        assert "Nothing to review in probability now" in waiting.body["text"]

        clock.advance(days=1)
        due = await command(fake, fake.alice, fake.general, "/review")
        assert due.body["response_type"] == "ephemeral"
        assert due.body["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "Review", "emoji": True},
        }
        assert "Clock Hands" in str(due.body["blocks"][1])
        assert list(buttons(due)) == ["Hint", "Answer", "Reveal"]
        shown = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, due, "Reveal"))
        got = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, shown, "Got it"))
        assert "this one comes back in" in got.body["text"]
        stats = await command(fake, fake.alice, fake.general, "/stats topic:probability")
        assert "probability: 1/2 met" in stats.body["text"]
        goal = await command(fake, fake.alice, fake.general, "/goal date:2099-01-15 topics:probability")
        assert "1 new question a day (1 not met yet: /quiz)" in goal.body["text"]
