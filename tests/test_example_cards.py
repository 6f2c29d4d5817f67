"""The README's example cards come from the real renderer: the script draws each of the three, each a PNG well
under a megabyte."""

from __future__ import annotations

from pathlib import Path

from bot.pictures import theme
from bot.pictures.renderer import MAX_BYTES
from tests.pictures.looking import decode
from tools import example_cards


def test_the_script_draws_the_three_cards_the_readme_shows(tmp_path: Path) -> None:
    written = example_cards.main(tmp_path)
    assert [path.name for path in written] == ["leaderboard-card.png", "stats-card.png", "recap-card.png"]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for path in written:
        assert len(path.read_bytes()) < MAX_BYTES
        assert decode(path.read_bytes()).width == theme.WIDTH
        assert f"docs/images/{path.name}" in readme
