"""The weekly recap on the console: its text in the channel, its card written beside the database with the path
printed; posted once across restarts; and an answer typed after it still goes to the question of the day."""

from __future__ import annotations

from pathlib import Path

from bot.adapters.console.pictures import PictureFiles, pictures_folder
from bot.core.clock import FixedClock
from bot.core.refs import ChannelRef, MemberRef
from bot.pictures import recap_card, theme
from tests.console.test_console_day import ADA
from tests.pictures.looking import decode, shows_text
from tests.support.console_driver import console_app
from tests.support.recap_week import MONDAY_AFTER_NINE, SUNDAY_EVENING, seed_last_week

STUDY = ChannelRef("console", "local", "study")


async def test_the_recap_is_printed_with_its_card_once_and_answers_still_go_to_the_question(tmp_path: Path, bank):
    database = tmp_path / "studybot.db"
    pictures = PictureFiles(pictures_folder(database))
    clock = FixedClock(SUNDAY_EVENING)
    async with console_app(database, clock, bank, pictures=pictures) as (app, keyboard):
        lines = await keyboard.type("/qotd setup time:09:00 tz:UTC days:mon recap:on", expect="Weekly recap")
        assert lines[-1].endswith("Weekly recap: on, Mondays at 09:00 UTC.")
        people = [(MemberRef("console", name.lower()), name) for name in ("Ada", "Bob", "Cyd")]
        assert app.store is not None
        await seed_last_week(app.store, STUDY, people)

    clock.set(MONDAY_AFTER_NINE)
    async with console_app(database, clock, bank, pictures=pictures) as (app, keyboard):
        recap = next(index for index, line in enumerate(keyboard.output) if "studybot: Weekly recap" in line)
        assert keyboard.output[recap + 1] == "    Podium: 🥇 Ada 35 pts · 🥈 Bob 20 pts · 🥉 Cyd 10 pts"
        path = pictures.folder / "recap.png"
        assert f"  picture: {path}" in keyboard.output[recap:]
        card = decode(path.read_bytes())
        assert card.width == theme.WIDTH
        assert shows_text(card, recap_card.name_xy(1), "Ada", bold=True, anchor="mm")
        await keyboard.type("@ada")
        answered = await keyboard.type(f"> {ADA}", expect="scored")
        assert any("(scored: 15 points)" in line for line in answered)  # today's question, not the recap

    async with console_app(database, clock, bank, pictures=pictures) as (app, keyboard):
        await keyboard.type("/qotd", expect="Weekly recap: on")
        assert not any("studybot: Weekly recap" in line for line in keyboard.output)
