"""The weekly recap as plain data: what the store keeps of each one posted, and what a recap says.

A channel's recap of a week (Monday to Sunday, the weeks of `/leaderboard period:week`) is posted on the next
Monday at the channel's daily time: claimed in the store first, then posted with a key the platform post carries
(`post_key`), so a post made just before a crash is found again instead of being posted twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.pictures import Attachment
from bot.core.records import Standing
from bot.core.refs import ChannelRef

PODIUM = 3
KEY_PREFIX = "studybot-recap-"  # every recap's post key starts so: a recap is never taken for a question


class RecapStatus(StrEnum):
    CLAIMED = "claimed"  # being posted; the platform post may or may not have gone out
    POSTED = "posted"
    SKIPPED = "skipped"  # no question was posted that week: nothing to recap


@dataclass(frozen=True, slots=True)
class RecapRecord:
    id: int
    channel: ChannelRef
    week: date  # the Monday of the week recapped
    status: RecapStatus
    claimed_at: datetime
    message_id: str | None = None

    @property
    def post_key(self) -> str:
        return f"{KEY_PREFIX}{self.channel.channel_id}-{self.week.isoformat()}"


@dataclass(frozen=True, slots=True)
class RecapClaim:
    recap: RecapRecord
    created: bool


@dataclass(frozen=True, slots=True)
class DayTally:
    """One posted day of a channel, as the store counts it: its question, its answers, who has a best answer."""

    local_date: date
    question_id: str
    answers: int
    best: tuple[str, ...]  # display names of the answers marked best


@dataclass(frozen=True, slots=True)
class RecapDay:
    day: date
    title: str | None  # the day's question; None when none was posted
    answers: int = 0
    best: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class WeekRecap:
    """Last week in one channel: its podium (top 3 by points), and each day from Monday to Sunday."""

    week: date  # its Monday
    podium: tuple[Standing, ...]
    days: tuple[RecapDay, ...]

    @property
    def last_day(self) -> date:
        return self.week + timedelta(days=6)

    @property
    def answers(self) -> int:
        return sum(day.answers for day in self.days)

    @property
    def is_empty(self) -> bool:
        """Nobody answered and nobody scored: a short, friendly recap."""
        return not self.podium and not self.answers

    @property
    def questions(self) -> int:
        return sum(1 for day in self.days if day.title is not None)

    @property
    def most_answered(self) -> RecapDay | None:
        """The day whose question had the most answers (the earliest on a tie); None without answers."""
        best = max(self.days, key=lambda day: day.answers, default=None)
        return best if best is not None and best.answers > 0 else None

    @property
    def best_answers(self) -> tuple[tuple[RecapDay, str], ...]:
        return tuple((day, name) for day in self.days for name in day.best)


@dataclass(frozen=True, slots=True)
class RecapPost:
    """A recap as a platform posts it: complete text, and its picture when one could be drawn."""

    text: str
    picture: Attachment | None = None
