"""Draw the README's example cards (a leaderboard, a stats card and a weekly recap) from fixed data with the bot's
own renderer, into docs/images/.

    python tools/example_cards.py [FOLDER]

Run it again after changing a card's look, and look at the PNGs before committing them.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from bot.core.pictures import BoardRow, LeaderboardPicture, Picture, RecapPicture, StatsPicture
from bot.pictures.renderer import png

FOLDER = Path(__file__).resolve().parent.parent / "docs" / "images"
TODAY = date(2026, 11, 25)  # a Wednesday

_NAMES = ("Ada Lovelace", "Влад Петров", "Grace Hopper", "Alan T.", "Émilie du Châtelet", "Noor", "Linus", "Kim")


def leaderboard() -> LeaderboardPicture:
    rows = tuple(BoardRow(rank, name, 180 - 17 * rank, 14 - rank) for rank, name in enumerate(_NAMES, start=1))
    rows += (BoardRow(9, "Sam 🎧", 25, 3), BoardRow(10, "Jo", 21, 2))
    return LeaderboardPicture("Leaderboard · this channel · season 3", rows, BoardRow(17, "You", 12, 1, True))


def stats() -> StatsPicture:
    answered = frozenset(TODAY - timedelta(days=day) for day in range(150) if day % 7 not in (2, 5) and day % 11)
    return StatsPicture(
        name="Ada Lovelace",
        points=1240,
        season_points=163,
        rank=1,
        answers=93,
        current_streak=9,
        best_streak=23,
        answered_days=answered,
        today=TODAY,
        topics=(("statistics", 31), ("probability", 24), ("classical-ml", 19)),
        readiness=(("probability", 0.46), ("deep-learning", 0.63), ("classical-ml", 0.78), ("statistics", 0.92)),
        next_reviews=(
            ("Monty Hall, explained to a skeptic", "now"),
            ("Why does dropout work at inference?", "in 5 hours"),
            ("Bias and variance of k-NN as k grows", "in 2 days"),
        ),
    )


def recap() -> RecapPicture:
    return RecapPicture(
        title="Weekly recap · Mon 16 Nov – Sun 22 Nov",
        podium=(
            BoardRow(1, "Ada Lovelace", 68, 5),
            BoardRow(2, "Влад Петров", 51, 5),
            BoardRow(3, "Grace Hopper", 40, 4),
        ),
        days=(("Mon", 7), ("Tue", 5), ("Wed", 9), ("Thu", 4), ("Fri", 6), ("Sat", None), ("Sun", None)),
        most_answered=("Two-sample t-test or Mann-Whitney U: which, and why?", 9),
        best=(("Grace Hopper", "Bayes' theorem in one line"), ("Ada Lovelace", "Two-sample t-test or Mann-Whitney U")),
    )


EXAMPLES: dict[str, Picture] = {
    "leaderboard-card.png": leaderboard(),
    "stats-card.png": stats(),
    "recap-card.png": recap(),
}


def main(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, picture in EXAMPLES.items():
        path = folder / name
        path.write_bytes(png(picture))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
