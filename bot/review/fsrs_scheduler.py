"""`FsrsScheduler`: the core's review schedule, computed by py-fsrs from a card's review history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import fsrs

from bot.core.recall import ForgettingCurve
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

    def retrievability(self, memories: Sequence[Memory], at: datetime) -> list[float]:
        # fsrs reads only a card's stability and last review for this, so one card serves the whole deck
        # (a card made per memory costs more than the formula)
        card, when = fsrs.Card(card_id=_CARD_ID, due=_EPOCH), at.astimezone(UTC)
        found = []
        for memory in memories:
            card.stability, card.last_review = memory.stability, memory.last_review
            found.append(float(self.scheduler.get_card_retrievability(card, when)))
        return found

    def forgetting_curve(self) -> ForgettingCurve:
        # as fsrs computes it: the decay is minus the last parameter, and the factor puts 90% recall at t = S
        decay = -float(self.scheduler.parameters[20])
        return ForgettingCurve(factor=0.9 ** (1 / decay) - 1, decay=decay)


def _memory(card: fsrs.Card) -> Memory:
    return Memory(
        state=CardState(int(card.state)),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )


__all__ = ["FsrsScheduler", "Rating", "default_scheduler"]
