"""Reviews in the console: a quiz missed today is served by /review tomorrow, and rated by the same text steps."""

from __future__ import annotations

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.support.console_driver import console_app


async def test_a_missed_quiz_comes_back_in_review_the_next_day(tmp_path, clock: FixedClock, bank: Bank) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (_, keyboard):
        await keyboard.type("/review", expect="Nothing to review here yet, so here is a new question.")
        await keyboard.type("/quiz topic:probability difficulty:easy", expect="Quiz: Clock Hands")
        await keyboard.type("/quiz reveal", expect="How did you do?")
        await keyboard.type("/quiz missed", expect="this one comes back in 1 day")
        await keyboard.type("/review topic:probability", expect="Nothing to review in probability now")
        clock.advance(days=1)
        served = await keyboard.type("/review", expect="Review: Clock Hands")
        assert "(only you see this) Review: Clock Hands" in served
        buttons = next(line for line in served if "buttons:" in line)
        assert "] Hint" in buttons and "] Answer" in buttons and "] Reveal" in buttons
        reveal = buttons.split("[")[3].split("]")[0]
        await keyboard.type(f"click {reveal}", expect="How did you do?")
        await keyboard.type("/quiz got", expect="this one comes back in 2 days")
        await keyboard.type("/goal date:2027-01-15 topics:probability", expect="Goal: ready by Fri 15 Jan 2027")
        await keyboard.type("/stats", expect="1 new question a day (1 not met yet: /quiz)")
