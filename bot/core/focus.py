"""A channel's focus: whether the daily pick leans towards the topics its members recall worst."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from bot.core.errors import InvalidInput

# The weight of a topic its members recall perfectly, beside 1 for a topic nobody recalls (or has met): low enough
# that weak topics come up clearly more often, high enough that no topic is starved.
LEAST_WEIGHT = 0.2


class Focus(StrEnum):
    OFF = "off"
    WEAKEST = "weakest"


def parse_focus(text: str) -> Focus:
    try:
        return Focus(text.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"focus '{text}' is not weakest or off: weakest picks more questions from the topics members recall worst"
        ) from None


def topic_weights(recall: Mapping[str, float], topics: Iterable[str]) -> dict[str, float]:
    """Each topic's weight from how well the channel's members recall it (0 to 1): 1 - recall, scaled into
    [LEAST_WEIGHT, 1]; a topic none of them has met counts as not recalled at all (weight 1)."""
    return {
        topic: LEAST_WEIGHT + (1 - LEAST_WEIGHT) * (1 - min(1.0, max(0.0, recall.get(topic, 0.0)))) for topic in topics
    }
