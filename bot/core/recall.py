"""How well members recall topics now: the forgetting curve, in numbers a store can evaluate in its own query,
and which topic each question is in, so readiness and the weakest-topic focus read aggregates, not every card."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from bot.core.questions import Question
from bot.core.review_cards import Memory


@dataclass(frozen=True, slots=True)
class ForgettingCurve:
    """FSRS's power forgetting curve: `days` whole days after its last review, a card is recalled with probability
    (1 + factor * days / stability) ** decay. A card with no review (or no stability) is not recalled at all."""

    factor: float
    decay: float

    def recall(self, memory: Memory, at: datetime) -> float:
        if memory.last_review is None or not memory.stability or memory.stability <= 0:
            return 0.0
        days = max(0, (at - memory.last_review).days)
        return float((1 + self.factor * days / memory.stability) ** self.decay)


@dataclass(frozen=True, eq=False)
class TopicMap:
    """The topic of each question of a pool, made once per pool. Compared by identity, so a store may keep what it
    derives from one (its encoding as a query parameter) for as long as the map lives."""

    topic_of: Mapping[str, str]
    sizes: Mapping[str, int] = field(default_factory=dict)  # questions per topic

    @classmethod
    def of(cls, questions: Iterable[Question]) -> TopicMap:
        topic_of = {question.id: str(question.topic) for question in questions}
        return cls(topic_of, dict(Counter(topic_of.values())))

    @cached_property
    def question_ids(self) -> frozenset[str]:
        return frozenset(self.topic_of)


@dataclass(frozen=True, slots=True)
class TopicRecall:
    """A member's cards in one topic: how many, how well they are recalled now on average (0 to 1), how many are
    due now, and when the soonest of the others is due."""

    topic: str
    cards: int
    recall: float
    due: int
    next_due: datetime | None
