"""An edited answer counts while it is long enough: below the minimum it is held out of scoring, and it counts
again (its points whole) once it is long enough again. A moderator's hold is never lifted by an edit."""

from __future__ import annotations

from bot.core.ports import PrivateAnswerStore
from bot.core.private import Hold
from bot.core.records import AnswerRecord
from bot.core.usecases.context import StudyGroupContext


class LengthRule:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._holds: PrivateAnswerStore = context.store

    async def apply(self, answer: AnswerRecord, text: str) -> bool:
        """Hold or release the answer for its new `text`; whether it counts now."""
        hold = await self._holds.hold_of(answer_id=answer.id)
        if hold in (Hold.OFF_TOPIC, Hold.NEEDS_MORE):
            return hold is Hold.NEEDS_MORE
        if answer.deleted and hold is None:
            return False  # deleted on the platform: an edit cannot bring it back
        long_enough = len(text.strip()) >= self._ctx.rules.min_answer_chars
        if long_enough and hold is Hold.TOO_SHORT:
            return await self._holds.release(answer_id=answer.id) is not None
        if not long_enough and hold is None:
            await self._holds.hold(answer_id=answer.id, reason=Hold.TOO_SHORT)
            return False
        return long_enough
