"""`Platform` on Discord: the daily question as a channel message with an embed and a public thread under it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import discord

from bot.adapters.discord.embeds import carries_key, nonce_for, question_embed, thread_name
from bot.adapters.discord.members import REPLY_TYPES, member_of
from bot.adapters.discord.style import NO_PINGS, PLATFORM, DiscordStyle
from bot.core.ports import ChannelUnavailable, PostedQuestion, QuestionCard, RateLimited, ThreadReply
from bot.core.refs import ChannelRef, ThreadRef

log = logging.getLogger(__name__)

SEARCH_DEPTH = 50  # recent messages scanned for a post made just before a crash
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: the thread outlives the 48 h answer window


def _unavailable(problem: discord.HTTPException, where: str) -> ChannelUnavailable:
    return ChannelUnavailable(f"{where}: {problem.status} {problem.text or type(problem).__name__}")


@contextmanager
def _refusals(where: str) -> Iterator[None]:
    """Discord's refusals as the core's: no access or gone is `ChannelUnavailable`; a rate limit longer than
    the client waits out by itself is `RateLimited` (the request was rejected, nothing was done)."""
    try:
        yield
    except (discord.Forbidden, discord.NotFound) as problem:
        raise _unavailable(problem, where) from None
    except discord.RateLimited as limited:
        raise RateLimited(limited.retry_after) from None


class DiscordPlatform:
    name = PLATFORM

    def __init__(self, client: discord.Client) -> None:
        self._client = client
        self.style = DiscordStyle()

    def _channel(self, channel_id: str, server_id: str) -> discord.PartialMessageable:
        # REST only: works for channels and threads whether or not the gateway cache knows them.
        guild_id = int(server_id) if server_id.isdigit() else None
        return self._client.get_partial_messageable(int(channel_id), guild_id=guild_id)

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        target = self._channel(channel.channel_id, channel.server_id)
        with _refusals(f"channel {channel.channel_id}"):
            message = await target.send(
                embed=question_embed(card, post_key=post_key), nonce=nonce_for(post_key), allowed_mentions=NO_PINGS
            )
        await self._open_thread(message, card, channel)
        return PostedQuestion(str(message.id), str(message.id), message.jump_url)

    async def _open_thread(self, message: discord.Message, card: QuestionCard | None, channel: ChannelRef) -> None:
        try:
            while True:  # the message is out: its thread must follow, however long a rate limit lasts
                try:
                    await message.create_thread(
                        name=thread_name(card) if card else "Answers", auto_archive_duration=THREAD_ARCHIVE_MINUTES
                    )
                    return
                except discord.RateLimited as limited:
                    await asyncio.sleep(limited.retry_after)
        except (discord.Forbidden, discord.NotFound) as problem:
            # A question nobody can answer is worse than none: take it back so the day can be posted again.
            try:
                await message.delete()
            except discord.HTTPException:
                log.warning("could not take back question %s in channel %s", message.id, channel.channel_id)
            raise _unavailable(problem, f"threads in channel {channel.channel_id}") from None
        except discord.HTTPException as problem:
            if problem.code != 160004:  # "a thread has already been created for this message": fine
                raise

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        me = self._client.user
        with _refusals(f"channel {channel.channel_id}"):
            async for message in self._channel(channel.channel_id, channel.server_id).history(limit=SEARCH_DEPTH):
                if me is not None and message.author.id != me.id:
                    continue
                if carries_key(message.embeds, post_key):
                    await self._open_thread(message, None, channel)
                    return PostedQuestion(str(message.id), str(message.id), message.jump_url)
        return None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        with _refusals(f"thread {thread.thread_id}"):
            await self._channel(thread.thread_id, thread.channel.server_id).send(text[:2000], allowed_mentions=NO_PINGS)

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        replies = []
        with _refusals(f"thread {thread.thread_id}"):
            history = self._channel(thread.thread_id, thread.channel.server_id).history(limit=None, oldest_first=True)
            async for message in history:
                if message.type in REPLY_TYPES:
                    replies.append(
                        ThreadReply(str(message.id), member_of(message.author), message.content, message.created_at)
                    )
        return replies
