"""Answers in a daily question's thread: recording, edits, deletions and reactions, each scored once."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.core.concurrency import at_most
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.ports import AnswerStore, PostStore, PrivateAnswerStore, ReplyFacts
from bot.core.private import AnswerMode, Hold, is_unrevealed
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.records import AnswerRecord, DailyPost, NewAnswer, PeriodKeys, PostStatus
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.holds import LengthRule

log = logging.getLogger(__name__)

# Threads read back at once after downtime: a round trip each, so a thousand open questions take seconds.
READ_BACK_CONCURRENCY = 8
# How long in all a thread's read-back waits out the platform's rate limits before it is left for the next start.
READ_BACK_PATIENCE = 120.0
PRIVATE_CHANNEL = "answers here are private: press Answer on the question"


class Verdict(StrEnum):
    SCORED = "scored"
    NOT_A_QUESTION_THREAD = "not-a-question-thread"
    BOT = "bot"
    TOO_SHORT = "too-short"
    CLOSED = "closed"
    ALREADY_ANSWERED = "already-answered"  # a later reply by the same member: discussion
    DUPLICATE = "duplicate"  # the platform delivered this message before
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    IGNORED = "ignored"
    KEPT = "kept"  # the disk is full: stored, and scored, once there is room


@dataclass(frozen=True, slots=True)
class ReplyResult:
    verdict: Verdict
    answer: AnswerRecord | None = None
    reason: str = ""  # why an event changed nothing, in words a member can act on


class Answers:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._posts: PostStore = context.store
        self._answers: AnswerStore = context.store
        self._holds: PrivateAnswerStore = context.store
        self._length = LengthRule(context)

    async def record_reply(self, reply: Reply) -> ReplyResult:
        """Score a reply in one step of the store: the facts the rules need are read in the transaction that
        stores the answer, so two deliveries of one reply, or two replies of one member, cannot both score. In a
        channel that takes answers privately, a reply in the thread is discussion."""
        if not is_unrevealed(reply.message_id) and (
            await self._holds.answer_mode(channel=reply.thread.channel) is AnswerMode.PRIVATE
        ):
            return ReplyResult(Verdict.IGNORED, reason=PRIVATE_CHANNEL)
        outcome = await self._answers.record_reply(
            reply.thread, decide=functools.partial(self._decide, reply), early_bonus=self._ctx.rules.early_bonus
        )
        if isinstance(outcome, Verdict):
            return ReplyResult(outcome)
        if outcome is None:  # a concurrent delivery of the same message won the race
            return ReplyResult(Verdict.DUPLICATE)
        log.info("answer %s by %s scored %d points", reply.message_id, reply.author.ref.user_id, outcome.points)
        return ReplyResult(Verdict.SCORED, outcome)

    def _decide(self, reply: Reply, facts: ReplyFacts) -> NewAnswer | Verdict:
        """The rules of what counts as an answer, on the facts the store read (on the store's thread: no I/O)."""
        post, rules = facts.post, self._ctx.rules
        if post is None or post.status is PostStatus.CLAIMED:
            return Verdict.NOT_A_QUESTION_THREAD
        if reply.author.is_bot or reply.message_id == post.message_id:
            return Verdict.BOT
        if post.closes_at is not None and reply.sent_at >= post.closes_at:
            return Verdict.CLOSED
        if len(reply.text.strip()) < rules.min_answer_chars:
            return Verdict.TOO_SHORT
        existing = facts.existing_answer(member=reply.author.ref, message_id=reply.message_id)
        if existing is not None:
            return Verdict.DUPLICATE if existing.message_id == reply.message_id else Verdict.ALREADY_ANSWERED
        config = facts.channel()
        schedule = config.schedule if config else self._ctx.policy.default_schedule
        # The streak counts this answer's day and the channel's posted days before it the member answered, without
        # a gap: one more than the answer to the day before, which counted the days before that.
        streak = 1 + facts.previous_streak(member=reply.author.ref)
        return NewAnswer(
            post_id=post.id,
            channel=post.channel,
            message_id=reply.message_id,
            member=reply.author.ref,
            display_name=reply.author.display_name,
            answered_at=reply.sent_at,
            streak=streak,
            points=rules.answer_points + rules.streak_bonus(streak),
            periods=PeriodKeys.of(reply.sent_at, schedule.zone, facts.season(now=reply.sent_at)),
        )

    async def record_edit(self, edit: ReplyEdited) -> ReplyResult:
        """An answer edited keeps its score while long enough (below the minimum it stops counting until it is long
        enough again); a reply that was too short may become an answer."""
        if stored := await self._answers.answer_by_message(platform=edit.platform, message_id=edit.message_id):
            counted = not stored.deleted
            if await self._length.apply(stored, edit.text) == counted:
                return ReplyResult(Verdict.UNCHANGED)
            now = await self._answers.answer_by_message(platform=edit.platform, message_id=edit.message_id)
            return ReplyResult(Verdict.REMOVED if counted else Verdict.SCORED, now)
        if edit.thread is None:
            return ReplyResult(Verdict.NOT_A_QUESTION_THREAD)
        return await self.record_reply(
            Reply(
                thread=edit.thread,
                message_id=edit.message_id,
                author=edit.author,
                text=edit.text,
                sent_at=edit.edited_at,
            )
        )

    async def record_delete(self, deleted: ReplyDeleted) -> ReplyResult:
        answer = await self._answers.answer_by_message(platform=deleted.platform, message_id=deleted.message_id)
        if answer is None or answer.deleted:
            return ReplyResult(Verdict.IGNORED)
        removed = await self._answers.delete_answer(answer_id=answer.id)
        return ReplyResult(Verdict.REMOVED, removed)

    async def record_reaction(self, reaction: ReactionChanged) -> ReplyResult:
        rules = self._ctx.rules
        answer = await self._answers.answer_by_message(platform=reaction.platform, message_id=reaction.message_id)
        if answer is None or answer.deleted:
            return ReplyResult(Verdict.IGNORED, reason="that message is not a scored answer")
        if reaction.reactor.is_bot:
            return ReplyResult(Verdict.IGNORED, reason="bots' reactions do not count")
        if await self._holds.hold_of(answer_id=answer.id) is Hold.NEEDS_MORE:
            return ReplyResult(Verdict.IGNORED, answer, "an answer marked needs more gets no bonus")
        if rules.is_upvote(reaction.emoji):
            if reaction.reactor.ref == answer.member:
                return ReplyResult(Verdict.IGNORED, answer, "a reaction to your own answer does not count")
            revealed = await self._holds.revealed_at(answer_id=answer.id)
            if revealed is not None and self._ctx.now() >= revealed + timedelta(hours=rules.open_hours):
                late = f"reactions count for {rules.open_hours} hours after the answers are shown"
                return ReplyResult(Verdict.IGNORED, answer, late)
            await self._answers.set_reaction(
                answer_id=answer.id,
                reactor=reaction.reactor.ref,
                emoji="upvote",
                present=reaction.added,
                bonus_for=rules.reaction_bonus,
            )
        elif rules.is_best_answer_mark(reaction.emoji):
            if not reaction.reactor_is_moderator:
                return ReplyResult(Verdict.IGNORED, answer, "only a moderator's mark makes a best answer")
            if reaction.reactor.ref == answer.member:
                return ReplyResult(Verdict.IGNORED, answer, "a mark on your own answer does not count")
            await self._answers.set_best_answer(
                answer_id=answer.id, best=reaction.added, bonus=rules.best_answer_points
            )
        else:
            counted = " or ".join((*rules.upvote_emoji, *rules.best_answer_emoji))
            return ReplyResult(Verdict.IGNORED, answer, f"only {counted} count")
        return ReplyResult(
            Verdict.SCORED,
            await self._answers.answer_by_message(platform=reaction.platform, message_id=reaction.message_id),
        )

    async def read_back(self) -> int:
        """Score replies made while the bot was away, from each open question's thread (several threads at once).
        Returns how many scored."""
        return sum(await at_most(READ_BACK_CONCURRENCY, await self.open_questions(), self._read_back_thread))

    async def open_questions(self) -> list[DailyPost]:
        """This platform's posted questions whose answers are still open, each with its thread."""
        now = self._ctx.now()
        posts = await self._posts.posts_with_status(PostStatus.POSTED, platform=self._ctx.platform.name)
        return [post for post in posts if post.thread is not None and post.is_open(now)]

    async def _read_back_thread(self, post: DailyPost) -> int:
        thread = post.thread
        assert thread is not None
        if await self._holds.answer_mode(channel=post.channel) is AnswerMode.PRIVATE:
            return 0  # its thread is discussion: nothing in it scores
        try:
            replies = await waiting_out_rate_limits(
                lambda: self._ctx.platform.thread_replies(thread), at_most=READ_BACK_PATIENCE
            )
        except Exception:
            log.warning("could not read back the thread of %s", post.post_key, exc_info=True)
            return 0
        scored = 0
        for found in sorted(replies, key=lambda reply: reply.sent_at):
            result = await self.record_reply(
                Reply(
                    thread=thread,
                    message_id=found.message_id,
                    author=found.author,
                    text=found.text,
                    sent_at=found.sent_at,
                )
            )
            scored += result.verdict is Verdict.SCORED
        return scored
