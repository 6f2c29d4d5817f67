"""What a picture shows, as plain data: the core says what to draw, a renderer outside the core draws it.

Every fact in a picture is also in the text it travels with; `alt_text` says in words what the picture shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from bot.core.records import Standing

HEATMAP_WEEKS = 26


@dataclass(frozen=True, slots=True)
class Attachment:
    """A rendered picture as a platform uploads it."""

    data: bytes
    filename: str
    alt_text: str
    content_type: str = "image/png"


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    name: str
    points: int
    answers: int
    is_asker: bool = False


@dataclass(frozen=True, slots=True)
class LeaderboardPicture:
    """The top of a board, and the asker's own row below a gap when they are not in it."""

    title: str
    rows: tuple[BoardRow, ...]
    own: BoardRow | None = None

    @property
    def filename(self) -> str:
        return "leaderboard.png"


@dataclass(frozen=True, slots=True)
class StatsPicture:
    """A member's card: totals, the days they answered over the last `weeks` weeks up to `today`, topics (their
    readiness once they have review cards), and their next reviews."""

    name: str
    points: int
    season_points: int
    rank: int | None
    answers: int
    current_streak: int
    best_streak: int
    answered_days: frozenset[date]
    today: date
    topics: tuple[tuple[str, int], ...]
    weeks: int = HEATMAP_WEEKS
    # from the member's review cards, when they have some: recall (0 to 1) per topic met, the weakest first,
    # shown instead of the answers per topic; and their next reviews, (question title, when: "now", "in 3 days")
    readiness: tuple[tuple[str, float], ...] = ()
    next_reviews: tuple[tuple[str, str], ...] = ()

    @property
    def filename(self) -> str:
        return "stats.png"

    @property
    def first_day(self) -> date:
        """The Monday that starts the heatmap's first column (its last column is the week of `today`)."""
        this_monday = self.today - timedelta(days=self.today.weekday())
        return this_monday - timedelta(weeks=self.weeks - 1)

    def days_answered_shown(self) -> int:
        return sum(1 for day in self.answered_days if self.first_day <= day <= self.today)


@dataclass(frozen=True, slots=True)
class RecapPicture:
    """A channel's week: the podium, answers per day (None: no question that day), the question with most
    answers (its title and count) and the best answers (who, to which question)."""

    title: str
    podium: tuple[BoardRow, ...]
    days: tuple[tuple[str, int | None], ...]
    most_answered: tuple[str, int] | None
    best: tuple[tuple[str, str], ...]

    @property
    def filename(self) -> str:
        return "recap.png"


Picture = LeaderboardPicture | StatsPicture | RecapPicture


class PictureRenderer(Protocol):
    """Draws a picture (off the event loop) into an attachment."""

    async def render(self, picture: Picture) -> Attachment: ...


def board_picture(title: str, standings: Sequence[Standing], own: Standing | None) -> LeaderboardPicture:
    asker = own.member if own is not None else None
    rows = tuple(_row(entry, entry.member == asker) for entry in standings)
    outside = own is not None and all(entry.member != own.member for entry in standings)
    return LeaderboardPicture(title, rows, _row(own, True) if outside and own is not None else None)


def _row(entry: Standing, is_asker: bool) -> BoardRow:
    return BoardRow(entry.rank, entry.display_name, entry.points, entry.answers, is_asker)


def alt_text(picture: Picture) -> str:
    if isinstance(picture, LeaderboardPicture):
        if not picture.rows:
            return f"{picture.title}: no points yet."
        shown = [f"{row.rank}. {row.name} {row.points} pts" for row in picture.rows]
        if picture.own is not None:
            shown.append(f"you: {picture.own.rank}. {picture.own.name} {picture.own.points} pts")
        return f"{picture.title}: " + ", ".join(shown)
    if isinstance(picture, RecapPicture):
        if not picture.podium:
            return f"{picture.title}: nobody answered."
        podium = ", ".join(f"{row.rank}. {row.name} {row.points} pts" for row in picture.podium)
        answered = sum(count or 0 for _, count in picture.days)
        return f"{picture.title}: {podium}; {answered} answers in all"
    rank = f", rank {picture.rank} this season" if picture.rank else ""
    readiness = ", ".join(f"{topic} {round(recall * 100)}%" for topic, recall in picture.readiness)
    return (
        f"Stats for {picture.name}: {picture.points} points{rank}, streak {picture.current_streak} "
        f"(best {picture.best_streak}); answered on {picture.days_answered_shown()} days in the last "
        f"{picture.weeks} weeks" + (f"; readiness {readiness}" if readiness else "")
    )
