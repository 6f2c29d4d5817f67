"""Answers in a daily question's thread: recording, edits, deletions and reactions, each scored once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.ports import AnswerStore, ChannelStore, PostStore
from bot.core.records import AnswerRecord, DailyPost, NewAnswer, PostStatus
from bot.core.usecases.context import StudyGroupContext

log = logging.getLogger(__name__)

STREAK_LOOKBACK = 400


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
        self._channels: ChannelStore = context.store
        self._posts: PostStore = context.store
        self._answers: AnswerStore = context.store

    async def record_reply(self, reply: Reply) -> ReplyResult:
        post = await self._posts.find_post_by_thread(
            platform=reply.thread.channel.platform, thread_id=reply.thread.thread_id
        )
        if post is None or post.status is PostStatus.CLAIMED:
            return ReplyResult(Verdict.NOT_A_QUESTION_THREAD)
        if reply.author.is_bot or reply.message_id == post.message_id:
            return ReplyResult(Verdict.BOT)
        if post.closes_at is not None and reply.sent_at >= post.closes_at:
            return ReplyResult(Verdict.CLOSED)
        if len(reply.text.strip()) < self._ctx.rules.min_answer_chars:
            return ReplyResult(Verdict.TOO_SHORT)
        existing = await self._answers.existing_answer(
            post_id=post.id, member=reply.author.ref, message_id=reply.message_id
        )
        if existing is not None:
            same_message = existing.message_id == reply.message_id
            return ReplyResult(Verdict.DUPLICATE if same_message else Verdict.ALREADY_ANSWERED)
        return await self._score(post, reply)

    async def _score(self, post: DailyPost, reply: Reply) -> ReplyResult:
        config = await self._channels.get_channel(post.channel)
        schedule = config.schedule if config else self._ctx.policy.default_schedule
        # The streak counts this answer's day and the channel's posted days before it the member answered.
        streak = 1 + await self._answers.answered_in_a_row(
            channel=post.channel, member=reply.author.ref, before=post.local_date, limit=STREAK_LOOKBACK - 1
        )
        streak_bonus = self._ctx.rules.streak_bonus(streak)
        rules = self._ctx.rules
        answer = NewAnswer(
            post_id=post.id,
            channel=post.channel,
            message_id=reply.message_id,
            member=reply.author.ref,
            display_name=reply.author.display_name,
            answered_at=reply.sent_at,
            streak=streak,
            streak_bonus=streak_bonus,
            periods=await self._ctx.periods(post.channel, reply.sent_at, schedule),
        )
        stored = await self._answers.record_answer(
            answer, points_for_rank=lambda rank: rules.answer_points + rules.early_bonus(rank) + streak_bonus
        )
        if stored is None:  # a concurrent delivery of the same message won the race
            return ReplyResult(Verdict.DUPLICATE)
        log.info("answer %s by %s scored %d points", reply.message_id, reply.author.ref.user_id, stored.points)
        return ReplyResult(Verdict.SCORED, stored)

    async def record_edit(self, edit: ReplyEdited) -> ReplyResult:
        """An answer edited keeps its score; a reply that was too short may become an answer."""
        if await self._answers.answer_by_message(platform=edit.platform, message_id=edit.message_id):
            return ReplyResult(Verdict.UNCHANGED)
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
        if rules.is_upvote(reaction.emoji):
            if reaction.reactor.ref == answer.member:
                return ReplyResult(Verdict.IGNORED, answer, "a reaction to your own answer does not count")
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
        """Score replies made while the bot was away, from each open question's thread. Returns how many."""
        scored = 0
        now = self._ctx.now()
        for post in await self._posts.posts_with_status(PostStatus.POSTED, platform=self._ctx.platform.name):
            if post.thread is None or not post.is_open(now):
                continue
            try:
                replies = await self._ctx.platform.thread_replies(post.thread)
            except Exception:
                log.warning("could not read back the thread of %s", post.post_key, exc_info=True)
                continue
            for found in sorted(replies, key=lambda reply: reply.sent_at):
                result = await self.record_reply(
                    Reply(
                        thread=post.thread,
                        message_id=found.message_id,
                        author=found.author,
                        text=found.text,
                        sent_at=found.sent_at,
                    )
                )
                scored += result.verdict is Verdict.SCORED
        return scored
