"""Quizzes on demand: a private question, hints, the reveal, a self-assessment, and grading typed answers.

Quiz results are kept apart from the daily leaderboard; each assessed or graded quiz is a review of the member's
card for its question (bot/core/review_cards.py says the rating).
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import InvalidInput, NotAllowed, NotFound
from bot.core.grading import Grade
from bot.core.ports import QuizStore
from bot.core.questions import Question
from bot.core.records import Assessment, QuizSession
from bot.core.refs import MemberRef, ServerRef
from bot.core.review_cards import ReviewCard, graded, quiz_key, self_assessed
from bot.core.selection import choose_quiz
from bot.core.usecases.channels import Channels
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.reviews import Reviews


@dataclass(frozen=True, slots=True)
class QuizStep:
    session: QuizSession
    question: Question
    card: ReviewCard | None = None  # the member's review card after this step rated the question


class Quizzes:
    def __init__(
        self, context: StudyGroupContext, reviews: Reviews | None = None, rng: random.Random | None = None
    ) -> None:
        self._ctx = context
        self._quizzes: QuizStore = context.store
        self._reviews = reviews or Reviews(context)
        self._rng = rng or random.Random()

    async def start(
        self, member: MemberRef, server: ServerRef, *, topic: str | None = None, difficulty: str | None = None
    ) -> QuizStep:
        topics = Channels(self._ctx).validate_topics(topic) if topic else ()
        levels = Channels.validate_difficulties(difficulty) if difficulty else ()
        pool = self._ctx.bank.filter(topics=topics or None, difficulties=levels or None)
        if not pool:
            raise InvalidInput("no question matches that topic and difficulty")
        seen = await self._quizzes.quizzed_question_ids(member=member)
        return await self.ask(member, server, self._pick(pool, seen))

    async def ask(self, member: MemberRef, server: ServerRef, question: Question) -> QuizStep:
        """A quiz session on this question (a review's due question, or a new one)."""
        session = await self._quizzes.start_quiz(
            member=member, server=server, question_id=question.id, now=self._ctx.now()
        )
        return QuizStep(session, question)

    def _pick(self, pool: Sequence[Question], seen: set[str]) -> Question:
        chosen = choose_quiz(pool, seen=seen, rng=self._rng)
        assert chosen is not None  # pool is not empty
        return chosen

    async def _own(self, member: MemberRef, session_id: int | None) -> QuizStep:
        session = await (
            self._quizzes.get_quiz(session_id=session_id) if session_id else self._quizzes.latest_quiz(member=member)
        )
        if session is None:
            raise NotFound("you have no quiz going: start one with /quiz")
        if session.member != member:
            raise NotAllowed("that quiz belongs to someone else: start your own with /quiz")
        question = self._ctx.question(session.question_id)
        if question is None:
            raise NotFound("that question has left the bank: start a new quiz with /quiz")
        return QuizStep(session, question)

    async def hint(self, member: MemberRef, session_id: int | None = None) -> tuple[QuizStep, str | None]:
        step = await self._own(member, session_id)
        hints = step.question.hints
        if step.session.hint_shown >= len(hints):
            return step, None
        updated = await self._quizzes.update_quiz(
            session_id=step.session.id, hint_shown=step.session.hint_shown + 1, now=self._ctx.now()
        )
        return QuizStep(updated, step.question), hints[step.session.hint_shown]

    async def reveal(self, member: MemberRef, session_id: int | None = None) -> QuizStep:
        step = await self._own(member, session_id)
        updated = await self._quizzes.update_quiz(session_id=step.session.id, revealed=True, now=self._ctx.now())
        return QuizStep(updated, step.question)

    async def assess(self, member: MemberRef, assessment: Assessment, session_id: int | None = None) -> QuizStep:
        step = await self._own(member, session_id)
        now = self._ctx.now()
        updated = await self._quizzes.update_quiz(session_id=step.session.id, assessment=assessment, now=now)
        card = await self._reviews.rate(
            member, step.question.id, self_assessed(assessment), at=now, key=quiz_key(step.session.id)
        )
        return QuizStep(updated, step.question, card)

    async def answer(self, member: MemberRef, text: str, session_id: int | None = None) -> tuple[QuizStep, Grade]:
        step = await self._own(member, session_id)
        if step.question.answer is None:
            raise InvalidInput("this question has no single right answer: use Reveal and assess yourself")
        if not text.strip():
            raise InvalidInput("type your answer after the command, for example /quiz answer 32/33")
        # Reading maths takes milliseconds of CPU, bounded by the grader: off the loop, other members wait for none.
        result = await asyncio.to_thread(self._ctx.grader.grade, step.question.answer, text)
        now = self._ctx.now()
        updated = await self._quizzes.update_quiz(
            session_id=step.session.id,
            submitted=text.strip()[:500],
            correct=result.correct,
            assessment=Assessment.GOT_IT if result.correct else Assessment.MISSED,
            now=now,
        )
        rating = graded(
            correct=result.correct,
            missed_before=step.session.correct is False,
            hints_shown=step.session.hint_shown,
            took=now - step.session.started_at,
        )
        card = await self._reviews.rate(member, step.question.id, rating, at=now, key=quiz_key(step.session.id))
        return QuizStep(updated, step.question, card), result
