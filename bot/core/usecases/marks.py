"""Moderators' marks on answers: needs more (kept, without bonuses) and off topic (out of scoring), each told to
the member privately; taking the mark back restores the answer."""

from __future__ import annotations

import logging

from bot.core.marks import MARK_NAMES, TOLD
from bot.core.ports import MessagesMembers, PrivateAnswerStore
from bot.core.private import Hold
from bot.core.records import AnswerRecord
from bot.core.usecases.answers import ReplyResult, Verdict
from bot.core.usecases.context import StudyGroupContext

log = logging.getLogger(__name__)

UPVOTE = "upvote"  # how the store names the upvote reaction kind


class Marks:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._holds: PrivateAnswerStore = context.store

    async def mark(self, *, platform: str, message_id: str, hold: Hold, added: bool, by_moderator: bool) -> ReplyResult:
        answer = await self._ctx.store.answer_by_message(platform=platform, message_id=message_id)
        if answer is None:
            return ReplyResult(Verdict.IGNORED, reason="that message is not a scored answer")
        if not by_moderator:
            return ReplyResult(Verdict.IGNORED, answer, f"only a moderator can mark an answer {MARK_NAMES[hold]}")
        current = await self._holds.hold_of(answer_id=answer.id)
        if not added:
            if current is not hold:
                return ReplyResult(Verdict.UNCHANGED, answer)
            released = await self._holds.release(answer_id=answer.id)
            if released is not None and hold is Hold.NEEDS_MORE:
                released = await self._upvotes_back(released)
            return ReplyResult(Verdict.SCORED, released or answer)
        if current is hold:
            return ReplyResult(Verdict.UNCHANGED, answer)
        if answer.deleted and current is None:
            return ReplyResult(Verdict.IGNORED, answer, "that answer was deleted")
        held = await self._holds.hold(answer_id=answer.id, reason=hold) or answer
        await self._tell(held, hold)
        return ReplyResult(Verdict.REMOVED if hold is Hold.OFF_TOPIC else Verdict.SCORED, held)

    async def _upvotes_back(self, answer: AnswerRecord) -> AnswerRecord:
        """The peers' 👍 still stored count again once the needs-more mark is taken back."""
        store = self._ctx.store
        reactors = await store.reactors(answer_id=answer.id, emoji=UPVOTE)
        if not reactors:
            return answer
        await store.set_reaction(
            answer_id=answer.id,
            reactor=reactors[0],
            emoji=UPVOTE,
            present=True,
            bonus_for=self._ctx.rules.reaction_bonus,
        )
        return await store.answer_by_message(platform=answer.channel.platform, message_id=answer.message_id) or answer

    async def _tell(self, answer: AnswerRecord, hold: Hold) -> None:
        platform = self._ctx.platform
        post = await self._ctx.store.post_by_id(post_id=answer.post_id)
        question = self._ctx.question(post.question_id) if post else None
        if not isinstance(platform, MessagesMembers) or question is None:
            return
        try:
            await platform.tell(answer.member, TOLD[hold].format(title=question.title), channel=answer.channel)
        except Exception:  # the mark stands either way
            log.warning("could not tell %s about a mark on their answer", answer.member.user_id, exc_info=True)
