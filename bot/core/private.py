"""Answers that teach: how a channel takes answers, what keeps an answer out of scoring, and a kept answer's text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.errors import InvalidInput
from bot.core.records import AnswerRecord, Assessment


class AnswerMode(StrEnum):
    THREAD = "thread"  # answers are replies in the question's thread, seen by all at once
    PRIVATE = "private"  # answers go to the bot alone and are revealed in the thread when the question closes

    @classmethod
    def parse(cls, text: str) -> AnswerMode:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InvalidInput(f"answers:{text} is not a mode: write answers:thread or answers:private") from None


class Hold(StrEnum):
    """Why an answer does not count for now."""

    TOO_SHORT = "too-short"  # edited below the minimum: it counts again once long enough
    OFF_TOPIC = "off-topic"  # a moderator's mark: out of scoring
    NEEDS_MORE = "needs-more"  # a moderator's mark: it still counts, without peer or best-answer bonuses


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """A private answer as the bot keeps it until the reveal (and after)."""

    answer: AnswerRecord
    name: str
    text: str
    revealed_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class SelfCheck:
    """A member's own look at their answer: which key points (by index) they covered, and how they rate it."""

    answer_id: int
    covered: frozenset[int] = frozenset()
    rating: Assessment | None = None


PRIVATE_PREFIX = "private-"


def private_message_id(post_id: int, user_id: str) -> str:
    """The id a private answer is stored under until its revealed message takes it over."""
    return f"{PRIVATE_PREFIX}{post_id}-{user_id}"


def is_unrevealed(message_id: str) -> bool:
    """A private answer not shown in its thread yet: no message of the platform's is it."""
    return message_id.startswith(PRIVATE_PREFIX)
