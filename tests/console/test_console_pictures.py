"""On the console a card is written beside the database, and the line after the text says where."""

from __future__ import annotations

import re
from pathlib import Path

from bot.adapters.console.pictures import PictureFiles, pictures_folder
from bot.pictures import leaderboard_card as board
from bot.pictures import theme
from tests.console.test_console_day import ADA, run_console
from tests.pictures.looking import decode, shows_text
from tests.support.console_driver import console_app

SCRIPT = f"""\
/leaderboard
/qotd setup time:09:00 tz:UTC days:daily
/qotd now
@ada
> {ADA}
/leaderboard period:all
/stats
"""


def test_leaderboard_and_stats_cards_are_files_whose_paths_are_printed(tmp_path: Path) -> None:
    out = run_console(tmp_path, SCRIPT)
    paths = re.findall(r"^  picture: (.+)$", out, flags=re.MULTILINE)
    folder = tmp_path / "day.pictures"
    assert paths == [str(folder / "leaderboard.png")] * 2 + [str(folder / "stats.png")]
    assert out.index("ada: 15 pts") < out.rindex("picture: " + str(folder / "leaderboard.png"))  # text first
    card = decode((folder / "leaderboard.png").read_bytes())
    middle = board.HEADER + board.ROW / 2
    assert shows_text(card, (board.NAME_X, middle), "ada", bold=True, background=theme.HIGHLIGHT)  # ada asked
    assert shows_text(card, (board.POINTS_RIGHT, middle), "15 pts", bold=True, anchor="rm", background=theme.HIGHLIGHT)
    assert decode((folder / "stats.png").read_bytes()).width == 800


async def test_a_card_that_cannot_be_written_costs_one_line_and_the_text_is_all_there(tmp_path: Path, clock, bank):
    blocked = tmp_path / "studybot.pictures"
    blocked.write_text("a file where the folder of cards would go")
    pictures = PictureFiles(pictures_folder(tmp_path / "studybot.db"))
    async with console_app(tmp_path / "studybot.db", clock, bank, pictures=pictures) as (_, keyboard):
        lines = await keyboard.type("/stats", expect="could not be saved")
    assert any("Streak: 0 now, best 0" in line for line in lines)
    [problem] = [line for line in lines if "picture" in line]
    assert problem.startswith(f"  (the picture could not be saved in {blocked}: ")
    assert blocked.read_text() == "a file where the folder of cards would go"
