"""Reviews in the console: a quiz missed today is served by /review tomorrow, and rated by the same text steps."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

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


async def test_a_review_reminder_is_printed_at_its_local_time_on_a_day_reviews_are_due(
    tmp_path, clock: FixedClock, bank: Bank
) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (app, keyboard):
        await keyboard.type("/review remind time:8 tz:Europe/Berlin", expect="Time '8' is not HH:MM")
        await keyboard.type("/review remind time:08:00 tz:Europe/Berlin", expect="Reminder set: 08:00 Europe/Berlin")
        await keyboard.type("/quiz topic:probability difficulty:easy", expect="Quiz: Clock Hands")
        await keyboard.type("/quiz reveal", expect="How did you do?")
        await keyboard.type("/quiz missed", expect="this one comes back in 1 day")  # due at 09:00 Berlin tomorrow

        async def minute(year: int, month: int, day: int, hour: int) -> list[str]:
            clock.set(datetime(year, month, day, hour, tzinfo=ZoneInfo("Europe/Berlin")))
            printed = len(keyboard.output)
            await app.group.reminders.send_due()  # the scheduler's minute
            return keyboard.output[printed:]

        assert await minute(2026, 11, 24, 8) == []  # not due yet at 08:00
        assert await minute(2026, 11, 25, 8) == ["[direct message to @you] studybot: 1 review due: /review"]
        assert await minute(2026, 11, 25, 9) == []
        await keyboard.type("/review remind off", expect="Review reminders are off.")
        assert await minute(2026, 11, 26, 8) == []
