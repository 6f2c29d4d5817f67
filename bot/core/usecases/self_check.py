"""The self-check: after answering, a member ticks the question's key points they covered and rates themselves.
It changes no points; the rating is what the review schedule takes from their answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.errors import InvalidInput, NotFound
from bot.core.ports import SelfCheckStore
from bot.core.private import SelfCheck
from bot.core.questions import Question
from bot.core.records import AnswerRecord, Assessment, DailyPost
from bot.core.refs import MemberRef
from bot.core.usecases.context import StudyGroupContext


@dataclass(frozen=True, slots=True)
class CheckStep:
    answer: AnswerRecord
    question: Question
    check: SelfCheck


class SelfChecks:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._checks: SelfCheckStore = context.store

    async def of_post(self, member: MemberRef, post: DailyPost) -> CheckStep:
        """The member's self-check of their answer to `post` (empty until they tick something)."""
        answers = await self._ctx.store.answers_for_post(post_id=post.id)
        answer = next((a for a, _ in answers if a.member == member and not a.deleted), None)
        if answer is None:
            raise InvalidInput("answer the question first: the check shows its key points once you have")
        return await self._step(answer)

    async def toggle(self, member: MemberRef, post: DailyPost, point: int) -> CheckStep:
        step = await self.of_post(member, post)
        if not 0 <= point < len(step.question.key_points):
            raise InvalidInput("that key point is no longer in the question")
        return await self._save(step, replace(step.check, covered=step.check.covered ^ {point}))

    async def rate(self, member: MemberRef, post: DailyPost, rating: Assessment) -> CheckStep:
        step = await self.of_post(member, post)
        return await self._save(step, replace(step.check, rating=rating))

    async def rating_of(self, answer_id: int) -> Assessment | None:
        check = await self._checks.self_check(answer_id=answer_id)
        return check.rating if check else None

    async def coverage(self, post: DailyPost, question: Question) -> list[str]:
        return coverage_lines(question, await self._checks.self_checks(post_id=post.id))

    async def _step(self, answer: AnswerRecord) -> CheckStep:
        post = await self._ctx.store.post_by_id(post_id=answer.post_id)
        question = self._ctx.question(post.question_id) if post else None
        if question is None:
            raise NotFound("that question left the bank")
        check = await self._checks.self_check(answer_id=answer.id) or SelfCheck(answer.id)
        return CheckStep(answer, question, check)

    async def _save(self, step: CheckStep, check: SelfCheck) -> CheckStep:
        await self._checks.save_self_check(check, now=self._ctx.now())
        return replace(step, check=check)


def coverage_lines(question: Question, checks: Sequence[SelfCheck]) -> list[str]:
    """For the closing summary: how many of the self-checked answers covered each key point."""
    if not question.key_points or not checks:
        return []
    points = len(question.key_points)
    average = sum(len([i for i in check.covered if i < points]) for check in checks) / len(checks)
    lines = [
        f"Key points covered, from {len(checks)} self-check{'' if len(checks) == 1 else 's'}: "
        f"{average:.1f} of {points} on average"
    ]
    for index, point in enumerate(question.key_points):
        covered = sum(1 for check in checks if index in check.covered)
        lines.append(f"• {point}: {covered} of {len(checks)}")
    return lines
