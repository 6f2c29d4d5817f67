"""`FsrsScheduler`: the core's review schedule, computed by py-fsrs from a card's review history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import fsrs

from bot.core.review_cards import CardState, Memory, Rating, ReviewEntry

# Every card is computed from its history alone, so the id fsrs wants for matching logs to cards is one constant.
_CARD_ID = 1
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def default_scheduler() -> fsrs.Scheduler:
    """FSRS with its default weights and 90% desired retention. A first review schedules in days (no learning
    steps: a study group meets daily, not every ten minutes); a forgotten card comes back 10 minutes later.
    No fuzz, so the next due time a member is told is the one the same history always gives."""
    return fsrs.Scheduler(learning_steps=(), relearning_steps=(timedelta(minutes=10),), enable_fuzzing=False)


class FsrsScheduler:
    def __init__(self, scheduler: fsrs.Scheduler | None = None) -> None:
        self.scheduler = scheduler or default_scheduler()

    def replay(self, history: Sequence[ReviewEntry]) -> Memory:
        logs = [
            fsrs.ReviewLog(_CARD_ID, fsrs.Rating(int(entry.rating)), entry.reviewed_at.astimezone(UTC), None)
            for entry in history
        ]
        return _memory(self.scheduler.reschedule_card(fsrs.Card(card_id=_CARD_ID, due=_EPOCH), logs))

    def retrievability(self, memory: Memory, at: datetime) -> float:
        return float(self.scheduler.get_card_retrievability(_card(memory), at.astimezone(UTC)))


def _memory(card: fsrs.Card) -> Memory:
    return Memory(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


def _card(memory: Memory) -> fsrs.Card:
    return fsrs.Card(
        card_id=_CARD_ID,
        state=fsrs.State(int(memory.state)),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due,
        last_review=memory.last_review,
    )


__all__ = ["FsrsScheduler", "Rating", "default_scheduler"]
