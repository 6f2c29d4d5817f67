"""`/quiz` on Discord: an ephemeral card with buttons, a modal for a gradable answer, buttons that outlive a restart."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord, InteractionHandle

from .harness import Running, running_bot, text_of


def _buttons(handle: InteractionHandle) -> dict[str, str]:
    message = handle.original
    assert message is not None
    return {c["label"]: c["custom_id"] for row in message.components for c in row["components"]}


async def test_quiz_hint_modal_answer_reveal_and_assessment(bot: Running, fake: FakeDiscord, people) -> None:
    alice = people["alice"]
    card = await bot.command(alice, "quiz", {"topic": "probability", "difficulty": "easy"})
    assert card.ephemeral and text_of(card) == "Quiz: Clock Hands"
    buttons = _buttons(card)
    assert list(buttons) == ["Hint", "Answer", "Reveal"]
    session = buttons["Hint"].rsplit(":", 1)[1]
    assert buttons == {
        "Hint": f"quiz:hint:{session}",
        "Answer": f"quiz:answer:{session}:ask",
        "Reveal": f"quiz:reveal:{session}",
    }

    hint = await fake.click_button(card.original_message_id, buttons["Hint"], alice)
    await hint.wait_response()
    assert hint.ephemeral and text_of(hint) == "Hint: The hour hand moves too."

    opened = await fake.click_button(card.original_message_id, buttons["Answer"], alice)
    assert (await opened.wait_response())["type"] == 9 and opened.modal["custom_id"] == f"quiz:answer:{session}"
    graded = await fake.submit_modal(f"quiz:answer:{session}", {"value": "15/2"}, alice)
    await graded.wait_response()
    assert graded.ephemeral and text_of(graded).startswith("✅ Right!")

    reveal = await fake.click_button(card.original_message_id, buttons["Reveal"], alice)
    await reveal.wait_response()
    assert "**Answer:**" in text_of(reveal) and text_of(reveal).endswith("How did you do?")
    got = await fake.click_button(reveal.original_message_id, _buttons(reveal)["Got it"], alice)
    await got.wait_response()
    assert text_of(got).startswith("Noted: this one comes back in")

    wrong = await fake.submit_modal(f"quiz:answer:{session}", {"value": "8"}, alice)
    await wrong.wait_response()
    assert text_of(wrong).startswith("❌ Not quite")
    stranger = await fake.click_button(card.original_message_id, buttons["Hint"], people["bob"])
    await stranger.wait_response()
    assert stranger.ephemeral  # someone else's session: refused privately, never shown to the channel
    assert fake.messages_in(fake.channel) == []


async def test_quiz_buttons_work_after_a_restart(
    fake: FakeDiscord, settings: Settings, now_clock: FixedClock, bank: Bank, people, tmp_path: Path
) -> None:
    alice = people["alice"]
    async with running_bot(fake, settings, now_clock, bank) as first:
        card = await first.command(alice, "quiz", {"topic": "probability", "difficulty": "hard"})
        buttons = _buttons(card)
    async with running_bot(fake, settings, now_clock, bank):
        opened = await fake.click_button(card.original_message_id, buttons["Answer"], alice)
        await opened.wait_response()
        graded = await fake.submit_modal(opened.modal["custom_id"], {"value": "96.97%"}, alice)
        await graded.wait_response()
        assert text_of(graded).startswith("✅ Right!")
