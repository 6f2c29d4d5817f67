"""/quiz on Slack: an ephemeral card with buttons, a hint, a modal for the answer graded right, the reveal
and the self-assessment; echoed answers cannot ping anyone."""

from __future__ import annotations

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import (
    T,
    acknowledgement,
    answer_to,
    buttons,
    click_ephemeral,
    command,
    handled,
    running,
    slack_settings,
)


async def submit_answer(fake: FakeSlack, card, user, text: str):
    """Click Answer on the card, then type `text` into the modal that opens and send it."""
    before = len(fake.views)
    await click_ephemeral(fake, user, fake.general, card, "Answer")
    await fake.wait_until(lambda: len(fake.views) > before, T, what="the answer modal")
    modal = fake.views[-1]
    submitted = len(fake.ephemerals)
    await fake.submit_view(user, modal.id, {"value": text})
    await fake.wait_until(lambda: len(fake.ephemerals) > submitted, T, what="the graded answer")
    return modal, fake.ephemerals[-1]


async def test_quiz_buttons_and_modal(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        card = await command(fake, fake.alice, fake.general, "/quiz topic:probability difficulty:easy")
        assert card.body["response_type"] == "ephemeral"
        assert card.body["blocks"][0] == {
            "type": "header",
            "text": {"type": "plain_text", "text": "Quiz", "emoji": True},
        }
        found = buttons(card)
        assert list(found) == ["Hint", "Answer", "Reveal"]
        assert all(button["action_id"].startswith("quiz:") for button in found.values())
        assert found["Answer"]["style"] == "primary"

        hint = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, card, "Hint"))
        assert hint.body["response_type"] == "ephemeral" and hint.body["replace_original"] is False
        assert hint.body["text"] == "Hint: The hour hand moves too."

        modal, graded = await submit_answer(fake, card, fake.alice, "15/2")
        assert modal.user_id == fake.alice.id and modal.callback_id == "studybot_input"
        assert found["Answer"]["action_id"] in modal.private_metadata
        assert graded.user == fake.alice.id and graded.channel == fake.general.id
        assert graded.text.startswith("You answered: 15/2\n✅ Right!")

        _, wrong = await submit_answer(fake, card, fake.alice, "<!everyone> it is <!channel> 9 degrees")
        assert wrong.text.startswith("You answered: &lt;!everyone&gt; it is &lt;!channel&gt; 9 degrees\n❌ Not quite")
        assert "<!" not in wrong.text and "<!" not in str(wrong.blocks)

        reveal = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, card, "Reveal"))
        assert "*Answer:*" in reveal.body["text"]
        assert list(buttons(reveal)) == ["Got it", "Partly", "Missed"]
        noted = await answer_to(fake, await click_ephemeral(fake, fake.alice, fake.general, reveal, "Got it"))
        assert noted.body["text"] == "Noted: this one comes back in 2 days. Another one? Run /quiz."

        # someone else's buttons are not theirs to press
        stolen = await answer_to(fake, await click_ephemeral(fake, fake.bob, fake.general, card, "Hint"))
        assert stolen.body["response_type"] == "ephemeral" and "Hint:" not in stolen.body["text"]
        await handled(bot, "press", buttons(card)["Hint"]["action_id"], count=2)


async def test_an_empty_modal_is_refused_in_the_modal(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        card = await command(fake, fake.alice, fake.general, "/quiz topic:probability difficulty:easy")
        await click_ephemeral(fake, fake.alice, fake.general, card, "Answer")
        await fake.wait_for("views.open")
        submitted = await fake.submit_view(fake.alice, fake.views[-1].id, {"value": "   "})
        if submitted.mode == "http":
            assert submitted.json == {
                "response_action": "errors",
                "errors": {"studybot_input": "Write your answer first."},
            }
        else:
            ack = await fake.wait_for_ack(submitted.envelope_id)
            assert ack.payload["response_action"] == "errors"
        assert fake.ephemerals == []


async def test_bank_search_echo_is_escaped(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        found = await command(fake, fake.alice, fake.general, "/bank search:<!here>&lt;!subteam^S123&gt;")
        assert "<!" not in found.body["text"] and "&lt;!here&gt;" in found.body["text"]


LATE = (
    "More than 30 minutes have passed since you clicked Answer, so Slack no longer lets me reply to it. "
    "Copy your answer, close this, and click Answer on the quiz again."
)


async def test_an_answer_sent_more_than_30_minutes_after_the_click_is_told_so(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    """In a channel the bot is not in, the only way back to the member is the click's response_url, which
    Slack honours for 30 minutes."""
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        card = await command(fake, fake.alice, fake.random, "/quiz topic:probability difficulty:easy")
        click = await click_ephemeral(fake, fake.alice, fake.random, card, "Answer")
        await fake.wait_for("views.open")
        clock.advance(minutes=29)
        fake.advance(29 * 60)
        await fake.submit_view(fake.alice, fake.views[-1].id, {"value": "15/2"})
        graded = await fake.wait_until(
            lambda: next((p for p in fake.response_posts if p.response_url == click.response_url), None), T
        )
        assert graded.body["text"].startswith("You answered: 15/2\n✅ Right!")

        await click_ephemeral(fake, fake.alice, fake.random, card, "Answer")
        await fake.wait_for("views.open", count=2)
        clock.advance(minutes=31)
        fake.advance(31 * 60)
        late = await fake.submit_view(fake.alice, fake.views[-1].id, {"value": "15/2"})
        assert await acknowledgement(fake, late) == {"response_action": "errors", "errors": {"studybot_input": LATE}}
        assert fake.refused_response_posts == [] and fake.ephemerals == []
