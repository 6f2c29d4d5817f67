"""Spaced repetition: rating what members do as reviews, their queue of due questions, and readiness by topic."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.errors import InvalidInput
from bot.core.ports import RecallStore, ReviewScheduler, ReviewStore
from bot.core.questions import Question
from bot.core.recall import TopicMap, TopicRecall
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
    next: tuple[ReviewCard, Question] | None  # the soonest not due yet, looked up only when none is due


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
        self._recall: RecallStore = context.store
        self._pools: dict[tuple[str, ...], TopicMap] = {}

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
        if first:
            return ReviewQueue(self._with_question(first[0]), due, None)
        upcoming = await self._reviews.next_review(member=member, after=now, question_ids=ids)
        return ReviewQueue(None, due, self._with_question(upcoming))

    async def readiness(self, member: MemberRef, topics: Sequence[str] = ()) -> list[TopicReadiness]:
        """Per topic of the bank (or of `topics`) the member has met: how well they would recall it now, the
        weakest first."""
        pool = self._topic_map(topics)
        found = [
            TopicReadiness(
                recall.topic, pool.sizes[recall.topic], recall.cards, recall.recall, recall.due, recall.next_due
            )
            for recall in await self._member_recall(member, pool)
        ]
        return sorted(found, key=lambda readiness: (readiness.recall, readiness.topic))

    async def upcoming(
        self, member: MemberRef, topics: Sequence[str] = (), *, limit: int
    ) -> list[tuple[ReviewCard, Question]]:
        """The member's `limit` cards due soonest (the overdue first), each with its question."""
        self._scheduler()
        cards = await self._reviews.review_cards(
            member=member, question_ids=self._question_ids(topics), limit=limit * 2
        )
        found = (self._with_question(card) for card in cards)  # a few spare for questions retired
        return [pair for pair in found if pair is not None][:limit]

    async def _member_recall(self, member: MemberRef, pool: TopicMap) -> list[TopicRecall]:
        curve = self._scheduler().forgetting_curve()
        return await self._recall.member_recall(member=member, topics=pool, now=self._ctx.now(), curve=curve)

    def _question_ids(self, topics: Sequence[str]) -> frozenset[str]:
        """The bank's questions (of `topics`, when given): a card whose question has left the bank is not served.
        Made once per set of topics: the bank does not change while the bot runs."""
        return self._topic_map(topics).question_ids

    def _topic_map(self, topics: Sequence[str]) -> TopicMap:
        key = tuple(sorted(set(topics)))
        pool = self._pools.get(key)
        if pool is None:
            pool = self._pools[key] = TopicMap.of(self._ctx.bank.filter(topics=key or None))
        return pool

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

    async def plan(self, member: MemberRef, *, whole_bank: Sequence[TopicReadiness] | None = None) -> GoalPlan | None:
        """The member's goal as it stands today, or None without one; it follows what they have met so far.
        `whole_bank`, the member's readiness over the whole bank when the caller has it, saves reading it again."""
        goal = await self._reviews.get_goal(member=member)
        return await self._plan(goal, whole_bank) if goal else None

    async def _today(self, member: MemberRef) -> date:
        """The member's date: in the timezone of their review reminder when they set one, else UTC's."""
        reminder = await self._ctx.store.get_reminder(member=member)
        now = self._ctx.now()
        return now.astimezone(reminder.zone).date() if reminder else now.date()

    async def _plan(self, goal: Goal, whole_bank: Sequence[TopicReadiness] | None = None) -> GoalPlan:
        pool = self._topic_map(goal.topics)
        if whole_bank is None:
            found = [(recall.cards, recall.due) for recall in await self._member_recall(goal.member, pool)]
        else:
            found = [(topic.met, topic.due) for topic in whole_bank if topic.topic in pool.sizes]
        days_left = max(0, (goal.ready_by - await self._today(goal.member)).days)
        met, due = sum(cards for cards, _ in found), sum(due for _, due in found)
        return GoalPlan(goal, days_left, len(pool.topic_of) - met, due)
