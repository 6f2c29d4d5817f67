"""Spaced repetition: rating what members do as reviews, their queue of due questions, and readiness by topic."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.core.errors import InvalidInput
from bot.core.ports import ReviewScheduler, ReviewStore
from bot.core.questions import Question
from bot.core.refs import MemberRef
from bot.core.review_cards import Rating, ReviewCard, ReviewEntry
from bot.core.usecases.context import StudyGroupContext

NOT_SET_UP = "reviews are not set up on this bot"


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """A member's cards (within a topic, when asked) whose question is still in the bank."""

    due: tuple[tuple[ReviewCard, Question], ...]  # the most overdue first
    later: tuple[tuple[ReviewCard, Question], ...]  # the soonest first

    @property
    def met(self) -> int:
        return len(self.due) + len(self.later)


@dataclass(frozen=True, slots=True)
class TopicReadiness:
    topic: str
    questions: int  # in the bank
    met: int  # with a card
    recall: float  # the average probability of recalling a met question now, 0 to 1
    due: int
    next_due: datetime | None  # the soonest card not due yet


class Reviews:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._reviews: ReviewStore = context.store

    def _scheduler(self) -> ReviewScheduler:
        if self._ctx.scheduler is None:
            raise InvalidInput(NOT_SET_UP)
        return self._ctx.scheduler

    async def rate(
        self, member: MemberRef, question_id: str, rating: Rating, *, at: datetime, key: str
    ) -> ReviewCard | None:
        """Record one review of the member's card for the question (a new card the first time); None when the
        bot has no review schedule."""
        if self._ctx.scheduler is None:
            return None
        return await self._reviews.record_review(
            member=member,
            question_id=question_id,
            entry=ReviewEntry(key, rating, at),
            replay=self._ctx.scheduler.replay,
        )

    async def queue(self, member: MemberRef, topics: Sequence[str] = ()) -> ReviewQueue:
        self._scheduler()
        now = self._ctx.now()
        due: list[tuple[ReviewCard, Question]] = []
        later: list[tuple[ReviewCard, Question]] = []
        for card in await self._reviews.review_cards(member=member):
            question = self._ctx.question(card.question_id)
            if question is None or (topics and question.topic not in topics):
                continue
            (due if card.is_due(now) else later).append((card, question))
        return ReviewQueue(tuple(due), tuple(later))

    async def readiness(self, member: MemberRef, topics: Sequence[str] = ()) -> list[TopicReadiness]:
        """Per topic of the bank (or of `topics`) the member has met: how well they would recall it now, the
        weakest first."""
        scheduler = self._scheduler()
        now = self._ctx.now()
        queue = await self.queue(member, topics)
        by_topic: dict[str, list[ReviewCard]] = {}
        for card, question in (*queue.due, *queue.later):
            by_topic.setdefault(question.topic, []).append(card)
        found = []
        for topic, cards in by_topic.items():
            later = [card.due for card in cards if not card.is_due(now)]
            found.append(
                TopicReadiness(
                    topic=topic,
                    questions=len(self._ctx.bank.filter(topics=[topic])),
                    met=len(cards),
                    recall=sum(scheduler.retrievability(card.memory, now) for card in cards) / len(cards),
                    due=sum(card.is_due(now) for card in cards),
                    next_due=min(later, default=None),
                )
            )
        return sorted(found, key=lambda readiness: (readiness.recall, readiness.topic))
