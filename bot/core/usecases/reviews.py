"""Spaced repetition: rating what members do as reviews, their queue of due questions, and readiness by topic."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.errors import InvalidInput
from bot.core.ports import ReviewScheduler, ReviewStore
from bot.core.questions import Question
from bot.core.refs import MemberRef
from bot.core.review_cards import Goal, Rating, ReviewCard, ReviewEntry
from bot.core.usecases.context import StudyGroupContext

NOT_SET_UP = "reviews are not set up on this bot"


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    """Where a member's reviews (within some topics, when asked) stand: the most overdue card, how many are
    due, and the one due next."""

    first: tuple[ReviewCard, Question] | None  # the most overdue
    due: int
    next: tuple[ReviewCard, Question] | None  # the soonest not due yet


@dataclass(frozen=True, slots=True)
class TopicReadiness:
    topic: str
    questions: int  # in the bank
    met: int  # with a card
    recall: float  # the average probability of recalling a met question now, 0 to 1
    due: int
    next_due: datetime | None  # the soonest card not due yet


@dataclass(frozen=True, slots=True)
class GoalPlan:
    """What a goal asks of each day left: the questions not met yet spread over the days, and the reviews."""

    goal: Goal
    days_left: int  # study days before the goal's day (0 once it has come)
    not_met: int
    due: int

    @property
    def new_per_day(self) -> int:
        return math.ceil(self.not_met / self.days_left) if self.days_left else self.not_met


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
        ids = self._question_ids(topics)
        due, first = await self._reviews.due_reviews(member=member, now=now, question_ids=ids, limit=1)
        upcoming = await self._reviews.next_review(member=member, after=now, question_ids=ids)
        return ReviewQueue(self._with_question(first[0]) if first else None, due, self._with_question(upcoming))

    async def readiness(self, member: MemberRef, topics: Sequence[str] = ()) -> list[TopicReadiness]:
        """Per topic of the bank (or of `topics`) the member has met: how well they would recall it now, the
        weakest first."""
        scheduler = self._scheduler()
        now = self._ctx.now()
        by_topic: dict[str, list[ReviewCard]] = {}
        for card in await self._reviews.review_cards(member=member, question_ids=self._question_ids(topics)):
            question = self._ctx.question(card.question_id)
            if question is not None:
                by_topic.setdefault(question.topic, []).append(card)
        sizes = Counter(str(question.topic) for question in self._ctx.bank.questions)
        found = []
        for topic, met in by_topic.items():
            later = [card.due for card in met if not card.is_due(now)]
            found.append(
                TopicReadiness(
                    topic=topic,
                    questions=sizes[topic],
                    met=len(met),
                    recall=sum(scheduler.retrievability([card.memory for card in met], now)) / len(met),
                    due=len(met) - len(later),
                    next_due=min(later, default=None),
                )
            )
        return sorted(found, key=lambda readiness: (readiness.recall, readiness.topic))

    def _question_ids(self, topics: Sequence[str]) -> set[str]:
        """The bank's questions (of `topics`, when given): a card whose question has left the bank is not served."""
        return {question.id for question in self._ctx.bank.filter(topics=topics or None)}

    def _with_question(self, card: ReviewCard | None) -> tuple[ReviewCard, Question] | None:
        question = self._ctx.question(card.question_id) if card else None
        return (card, question) if card and question else None

    async def set_goal(self, member: MemberRef, ready_by: str, topics: Sequence[str]) -> GoalPlan:
        try:
            day = date.fromisoformat(ready_by.strip())
        except ValueError:
            raise InvalidInput(f"'{ready_by}' is not a date: write it as YYYY-MM-DD, for example 2027-01-15") from None
        if day <= await self._today(member):
            raise InvalidInput(f"{day.isoformat()} is not in the future: choose a day from tomorrow on")
        goal = Goal(member, day, tuple(topics))
        await self._reviews.save_goal(goal)
        return await self._plan(goal)

    async def drop_goal(self, member: MemberRef) -> bool:
        return await self._reviews.drop_goal(member=member)

    async def plan(self, member: MemberRef) -> GoalPlan | None:
        """The member's goal as it stands today, or None without one; it follows what they have met so far."""
        goal = await self._reviews.get_goal(member=member)
        return await self._plan(goal) if goal else None

    async def _today(self, member: MemberRef) -> date:
        """The member's date: in the timezone of their review reminder when they set one, else UTC's."""
        reminder = await self._ctx.store.get_reminder(member=member)
        now = self._ctx.now()
        return now.astimezone(reminder.zone).date() if reminder else now.date()

    async def _plan(self, goal: Goal) -> GoalPlan:
        now = self._ctx.now()
        ids = self._question_ids(goal.topics)
        met = len(await self._reviews.review_cards(member=goal.member, question_ids=ids))
        due, _ = await self._reviews.due_reviews(member=goal.member, now=now, question_ids=ids, limit=0)
        days_left = max(0, (goal.ready_by - await self._today(goal.member)).days)
        return GoalPlan(goal, days_left, len(ids) - met, due)
