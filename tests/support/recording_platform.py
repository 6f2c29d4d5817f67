"""A platform of our own for core tests: it records what the bot said and can refuse a channel."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.ports import (
    ChannelUnavailable,
    MemberUnreachable,
    PostedQuestion,
    QuestionCard,
    RateLimited,
    ThreadReply,
)
from bot.core.recaps import RecapPost
from bot.core.refs import ChannelRef, Member, MemberRef, ThreadRef


@dataclass
class RecordingPlatform:
    name: str = "test"
    posts: list[tuple[ChannelRef, QuestionCard, str]] = field(default_factory=list)
    thread_messages: list[tuple[ThreadRef, str]] = field(default_factory=list)
    replies: dict[str, list[ThreadReply]] = field(default_factory=dict)
    unavailable: set[str] = field(default_factory=set)
    recaps: list[tuple[ChannelRef, RecapPost, str]] = field(default_factory=list)
    crash_after_posting: bool = False
    direct_messages: list[tuple[MemberRef, str]] = field(default_factory=list)
    told_in_channel: list[tuple[ChannelRef, Member, str]] = field(default_factory=list)
    notes: list[tuple[MemberRef, str, ChannelRef | None]] = field(default_factory=list)  # private notes (`tell`)
    closed_dms: set[str] = field(default_factory=set)  # user ids that take no direct messages
    dms_rate_limited_for: float = 0.0  # > 0: every direct message is refused with this Retry-After
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        if channel.channel_id in self.unavailable:
            raise ChannelUnavailable("Missing Access")
        message_id = str(next(self._ids))
        self.posts.append((channel, card, post_key))
        if self.crash_after_posting:
            raise SystemExit("killed mid-post")
        return PostedQuestion(
            message_id=message_id, thread_id=message_id, url=f"test://{channel.channel_id}/{message_id}"
        )

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        for index, (posted_channel, _, key) in enumerate(self.posts):
            if key == post_key and posted_channel == channel:
                message_id = f"found-{index}"
                return PostedQuestion(message_id=message_id, thread_id=message_id)
        return None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        self.thread_messages.append((thread, text))

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        return self.replies.get(thread.thread_id, [])

    async def post_recap(self, channel: ChannelRef, recap: RecapPost, *, post_key: str) -> str:
        if channel.channel_id in self.unavailable:
            raise ChannelUnavailable("Missing Access")
        self.recaps.append((channel, recap, post_key))
        if self.crash_after_posting:
            raise SystemExit("killed mid-post")
        return str(next(self._ids))

    async def find_recap(self, channel: ChannelRef, *, post_key: str) -> str | None:
        found = (index for index, (where, _, key) in enumerate(self.recaps) if where == channel and key == post_key)
        index = next(found, None)
        return None if index is None else f"found-{index}"

    async def message_member(self, member: MemberRef, text: str) -> None:
        if member.user_id in self.closed_dms:
            raise MemberUnreachable("Cannot send messages to this user")
        if self.dms_rate_limited_for:
            raise RateLimited(self.dms_rate_limited_for)
        self.direct_messages.append((member, text))

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        self.told_in_channel.append((channel, member, text))

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        self.notes.append((member, text, channel))
