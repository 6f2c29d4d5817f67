"""A member's review card per question they met, its review history, and which ratings members' actions give.

The schedule itself (when a card is due, how well it is remembered) is computed by a `ReviewScheduler`
(bot/core/ports.py) from the card's history; the core only says what counts as a review and its rating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum

from bot.core.records import Assessment
from bot.core.refs import MemberRef

# A right answer typed this soon after the question was shown, with no hint, is rated Easy.
QUICK_ANSWER = timedelta(minutes=1)


class Rating(IntEnum):
    """How well the member recalled the question, as FSRS rates a review (Hard is a pass, Again a fail)."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class CardState(IntEnum):
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True, slots=True)
class Memory:
    """What the scheduler knows of a member's memory of one question after its reviews."""

    state: CardState
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewEntry:
    """One review: `key` names what it came from (a quiz session, a daily answer), so a second rating of the
    same thing changes this review rather than adding one."""

    key: str
    rating: Rating
    reviewed_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewCard:
    member: MemberRef
    question_id: str
    memory: Memory
    reviews: int

    @property
    def due(self) -> datetime:
        return self.memory.due

    def is_due(self, now: datetime) -> bool:
        return self.memory.due <= now


@dataclass(frozen=True, slots=True)
class Goal:
    """The day a member wants to be ready by, for the whole bank or some topics."""

    member: MemberRef
    ready_by: date
    topics: tuple[str, ...] = ()


def quiz_key(session_id: int) -> str:
    return f"quiz:{session_id}"


def answer_key(answer_id: int) -> str:
    return f"answer:{answer_id}"


_SELF_ASSESSED = {Assessment.GOT_IT: Rating.GOOD, Assessment.PARTLY: Rating.HARD, Assessment.MISSED: Rating.AGAIN}


def self_assessed(assessment: Assessment) -> Rating:
    """Got it -> Good, partly -> Hard (still a pass), missed -> Again."""
    return _SELF_ASSESSED[assessment]


def graded(*, correct: bool, missed_before: bool, hints_shown: int, took: timedelta) -> Rating:
    """A typed answer checked against the key: wrong (now or in an earlier try at the same question) -> Again;
    right with no hint within `QUICK_ANSWER` -> Easy; otherwise right -> Good."""
    if not correct or missed_before:
        return Rating.AGAIN
    return Rating.EASY if hints_shown == 0 and took <= QUICK_ANSWER else Rating.GOOD


def daily_answer(*, marked_best: bool) -> Rating:
    """A scored daily answer -> Good; one a moderator marked as the best answer -> Easy."""
    return Rating.EASY if marked_best else Rating.GOOD
