"""Private answers: taken by the bot alone, scored by the thread's rules, kept until the question closes, then
revealed in the thread in the order they came, without pinging anyone."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from bot.core.answer_actions import AnswerAction, AnswerMove
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.events import Reply
from bot.core.ports import PostsAnswers, PostStore, PrivateAnswerStore
from bot.core.private import AnswerMode, KeptAnswer, private_message_id
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.records import AnswerRecord, DailyPost, PostStatus
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.style import TextStyle
from bot.core.usecases.answers import Answers, Verdict
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.holds import LengthRule

log = logging.getLogger(__name__)

REVEAL_PATIENCE = 120.0  # seconds one revealed answer waits out the platform's rate limits in all
MAX_REVEALED_CHARS = 1_800  # one answer per message, within Discord's 2,000 and far within Slack's limits


@dataclass(frozen=True, slots=True)
class Submitted:
    """What became of a private answer: its record, whether it was an edit, and whether it counts now."""

    answer: AnswerRecord
    edited: bool
    counts: bool
    first: bool  # the member's first answer to the question: the self-check follows


class PrivateAnswers:
    def __init__(self, context: StudyGroupContext, answers: Answers) -> None:
        self._ctx = context
        self._answers = answers
        self._posts: PostStore = context.store
        self._kept: PrivateAnswerStore = context.store
        self._length = LengthRule(context)

    async def mode(self, channel: ChannelRef) -> AnswerMode:
        return await self._kept.answer_mode(channel=channel)

    async def open_post(self, channel: ChannelRef) -> DailyPost:
        """The channel's latest question, if it takes private answers now."""
        post = await self._posts.latest_post(channel=channel)
        if post is None or post.status is PostStatus.CLAIMED:
            raise InvalidInput("there is no question to answer here yet")
        return post

    async def submit(self, member: Member, post: DailyPost, text: str) -> Submitted:
        """The member's answer to `post`, or their new text for it: stored, scored by the thread's rules (the
        time it was first sent ranks it), and seen by nobody else until the reveal."""
        if await self.mode(post.channel) is not AnswerMode.PRIVATE:
            raise InvalidInput("this question takes answers in its thread: reply there")
        now = self._ctx.now()
        if not post.is_open(now) or await self._kept.is_revealed(post_id=post.id):
            raise NotAllowed("answers to this question are closed: discuss it in the thread")
        message_id = private_message_id(post.id, member.ref.user_id)
        existing = await self._ctx.store.answer_by_message(platform=post.channel.platform, message_id=message_id)
        if existing is not None:
            await self._kept.keep_answer_text(answer_id=existing.id, text=text, now=now)
            counts = await self._length.apply(existing, text)
            stored = await self._ctx.store.answer_by_message(platform=post.channel.platform, message_id=message_id)
            return Submitted(stored or existing, edited=True, counts=counts, first=False)
        minimum = self._ctx.rules.min_answer_chars
        if len(text.strip()) < minimum:
            raise InvalidInput(
                f"an answer needs at least {minimum} characters and yours has {len(text.strip())}: nothing was saved"
            )
        assert post.thread is not None
        result = await self._answers.record_reply(Reply(post.thread, message_id, member, text, now))
        if result.verdict is Verdict.ALREADY_ANSWERED:
            raise NotAllowed("you already answered this question")
        if result.answer is None:
            raise NotAllowed("answers to this question are closed: discuss it in the thread")
        await self._kept.keep_answer_text(answer_id=result.answer.id, text=text, now=now)
        return Submitted(result.answer, edited=False, counts=True, first=True)

    async def own_text(self, member: MemberRef, post: DailyPost) -> str:
        """The member's kept answer to `post` (to change it), or "" when they have none."""
        message_id = private_message_id(post.id, member.user_id)
        stored = await self._ctx.store.answer_by_message(platform=post.channel.platform, message_id=message_id)
        return (await self._kept.answer_text(answer_id=stored.id) or "") if stored else ""

    async def reveal(self, post: DailyPost, style: TextStyle) -> int:
        """Post the question's private answers in its thread, once; how many were posted. It goes by the answers
        kept, not the channel's mode now: a channel switched to thread answers mid-question still shows them."""
        kept_answers = await self._kept.kept_answers(post_id=post.id) if post.thread is not None else []
        if not kept_answers or not await self._kept.claim_reveal(post_id=post.id, now=self._ctx.now()):
            return 0
        platform, thread, posted = self._ctx.platform, post.thread, 0
        assert thread is not None
        for kept in kept_answers:
            if kept.answer.deleted or kept.revealed_message_id is not None:
                continue
            text = revealed_text(kept, style)
            try:
                if isinstance(platform, PostsAnswers):
                    message_id = await waiting_out_rate_limits(
                        functools.partial(platform.post_answer, thread, text), at_most=REVEAL_PATIENCE
                    )
                    await self._kept.move_to_revealed(answer_id=kept.answer.id, message_id=message_id)
                else:
                    await platform.post_in_thread(thread, text)
            except Exception:
                log.warning("could not reveal answer %s of %s", kept.answer.id, post.post_key, exc_info=True)
                continue
            posted += 1
        return posted


def revealed_text(kept: KeptAnswer, style: TextStyle) -> str:
    """One revealed answer: who wrote it, by display name (never a mention), and what they wrote."""
    body = kept.text.strip()
    if len(body) > MAX_REVEALED_CHARS:
        body = body[: MAX_REVEALED_CHARS - 1] + "…"
    return f"{style.bold(style.user_text(kept.name))} answered:\n{style.user_text(body)}"


def answer_button(post: DailyPost) -> str:
    return AnswerAction(AnswerMove.ANSWER, post.id).encode()
