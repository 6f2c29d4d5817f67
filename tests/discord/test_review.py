"""`/review` on Discord: a quiz missed today comes back the next day as an ephemeral card with the quiz's buttons."""

from __future__ import annotations

from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord

from .harness import Running, text_of
from .test_quiz import _buttons


async def test_a_missed_quiz_is_served_by_review_the_next_day(
    bot: Running, fake: FakeDiscord, people, now_clock: FixedClock
) -> None:
    alice = people["alice"]
    card = await bot.command(alice, "quiz", {"topic": "probability", "difficulty": "easy"})
    reveal = await fake.click_button(card.original_message_id, _buttons(card)["Reveal"], alice)
    await reveal.wait_response()
    missed = await fake.click_button(reveal.original_message_id, _buttons(reveal)["Missed"], alice)
    await missed.wait_response()
    assert missed.ephemeral and "this one comes back in 1 day" in text_of(missed)

    waiting = await bot.command(alice, "review", {"topic": "probability"}, "next")
    assert waiting.ephemeral and "Nothing to review in probability now" in text_of(waiting)

    now_clock.advance(days=1)
    due = await bot.command(alice, "review", {}, "next")
    assert due.ephemeral and text_of(due) == "Review: Clock Hands"
    buttons = _buttons(due)
    assert list(buttons) == ["Hint", "Answer", "Reveal"] and all(i.startswith("quiz:") for i in buttons.values())
    shown = await fake.click_button(due.original_message_id, buttons["Reveal"], alice)
    await shown.wait_response()
    got = await fake.click_button(shown.original_message_id, _buttons(shown)["Got it"], alice)
    await got.wait_response()
    assert "this one comes back in" in text_of(got)
    stats = await bot.command(alice, "stats", {"topic": "probability"})
    assert "probability: 1/2 met" in text_of(stats)
    goal = await bot.command(alice, "goal", {"date": "2099-01-15", "topics": "probability"}, "set")
    assert goal.ephemeral and "1 new question a day (1 not met yet: /quiz)" in text_of(goal)
    assert "Goal: ready by Thu 15 Jan 2099 in probability" in text_of(await bot.command(alice, "stats", {}))
    assert fake.messages_in(fake.channel) == []  # all of it private
