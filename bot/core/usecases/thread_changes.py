"""Reactions and deletions made while the bot was away, read back from each open question's thread.

Replies made while away are read back by `Answers.read_back`; this goes on from there, for platforms that can
show a whole thread as it is now (`ReadsWholeThreads`): an upvote or best-answer mark added or taken away
counts as if the bot had seen it happen, and an answer no longer in its thread is removed. Each change goes
through `Answers`, so the same rules apply as to a live event, and reading back twice changes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.core.concurrency import at_most
from bot.core.events import ReactionChanged, ReplyDeleted
from bot.core.ports import ReadsWholeThreads, ThreadMessage
from bot.core.private import is_unrevealed
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.records import AnswerRecord, DailyPost
from bot.core.refs import Member
from bot.core.usecases.answers import READ_BACK_CONCURRENCY, READ_BACK_PATIENCE, Answers, Verdict
from bot.core.usecases.context import StudyGroupContext

log = logging.getLogger(__name__)

UPVOTE = "upvote"  # how the store names the upvote reaction kind


@dataclass(frozen=True, slots=True)
class ThreadChangesReadBack:
    reactions: int = 0  # upvotes and best-answer marks added or removed
    deletions: int = 0  # answers removed because their message is gone


class ThreadChanges:
    def __init__(self, context: StudyGroupContext, answers: Answers) -> None:
        self._ctx = context
        self._answers = answers

    async def read_back(self) -> ThreadChangesReadBack:
        platform = self._ctx.platform
        if not isinstance(platform, ReadsWholeThreads):
            return ThreadChangesReadBack()
        open_threads = await self._answers.open_questions()
        counts = await at_most(READ_BACK_CONCURRENCY, open_threads, lambda post: self._read_back_thread(platform, post))
        reactions, deletions = sum(count[0] for count in counts), sum(count[1] for count in counts)
        log.info(
            "read back %d reaction change(s) and %d deleted answer(s) from open question threads", reactions, deletions
        )
        return ThreadChangesReadBack(reactions, deletions)

    async def _read_back_thread(self, platform: ReadsWholeThreads, post: DailyPost) -> tuple[int, int]:
        """(reaction changes, deletions) found in one open question's thread."""
        rules, thread = self._ctx.rules, post.thread
        assert thread is not None
        answers = [
            answer
            for answer, _ in await self._ctx.store.answers_for_post(post_id=post.id)
            if not answer.deleted and not is_unrevealed(answer.message_id)  # a private answer is in no thread yet
        ]
        if not answers:
            return 0, 0  # nothing that could change: spare the platform the reading
        try:
            messages = await waiting_out_rate_limits(
                lambda: platform.thread_now(
                    thread,
                    answers={answer.message_id for answer in answers},
                    counts=lambda emoji: rules.is_upvote(emoji) or rules.is_best_answer_mark(emoji),
                    marks=rules.is_best_answer_mark,
                ),
                at_most=READ_BACK_PATIENCE,
            )
        except Exception:
            log.warning("could not read back the reactions in the thread of %s", post.post_key, exc_info=True)
            return 0, 0
        reactions = deletions = 0
        still_there = {message.message_id: message for message in messages}
        for answer in answers:
            message = still_there.get(answer.message_id)
            if message is None:
                removed = await self._answers.record_delete(ReplyDeleted(self._ctx.platform.name, answer.message_id))
                deletions += removed.verdict is Verdict.REMOVED
                continue
            reactions += await self._upvotes(answer, message) + await self._best_mark(answer, message)
        return reactions, deletions

    async def _upvotes(self, answer: AnswerRecord, message: ThreadMessage) -> int:
        rules = self._ctx.rules
        seen = {
            reactor.member.ref: (reaction.emoji, reactor)
            for reaction in message.reactions
            if rules.is_upvote(reaction.emoji)
            for reactor in reaction.reactors
        }
        stored = set(await self._ctx.store.reactors(answer_id=answer.id, emoji=UPVOTE))
        changes = 0
        for ref, (emoji, reactor) in seen.items():
            if ref not in stored:
                changes += await self._react(answer, reactor.member, emoji, True, reactor.is_moderator)
        for ref in stored - seen.keys():
            changes += await self._react(answer, Member(ref, ref.user_id), rules.upvote_emoji[0], False, False)
        return changes

    async def _best_mark(self, answer: AnswerRecord, message: ThreadMessage) -> int:
        rules = self._ctx.rules
        marks = [reaction for reaction in message.reactions if rules.is_best_answer_mark(reaction.emoji)]
        by_moderator = [(mark.emoji, reactor) for mark in marks for reactor in mark.reactors if reactor.is_moderator]
        if by_moderator and not answer.best:
            emoji, reactor = by_moderator[0]
            return await self._react(answer, reactor.member, emoji, True, True)
        if not marks and answer.best:  # every mark was taken away (a mark by anyone still there keeps it)
            await self._ctx.store.set_best_answer(answer_id=answer.id, best=False, bonus=rules.best_answer_points)
            return 1
        return 0

    async def _react(self, answer: AnswerRecord, reactor: Member, emoji: str, added: bool, moderator: bool) -> int:
        result = await self._answers.record_reaction(
            ReactionChanged(
                answer.member.platform,
                answer.message_id,
                reactor,
                emoji,
                added=added,
                reactor_is_moderator=moderator,
            )
        )
        return int(result.verdict is Verdict.SCORED)
