"""`Platform` on Discord: the daily question as a channel message with an embed and a public thread under it;
(`ReadsWholeThreads`) the thread as it is now, with the reactions on its answers; and (`MessagesMembers`) direct
messages and private notes to a member."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal

import discord

from bot.adapters.discord.embeds import COLOUR, KEY_PREFIX, carries_key, cut, nonce_for, question_embed, thread_name
from bot.adapters.discord.members import REPLY_TYPES, member_of
from bot.adapters.discord.pictures import picture_embed, picture_file
from bot.adapters.discord.reactions import ThreadReader
from bot.adapters.discord.responses import button_row
from bot.adapters.discord.shards import carries
from bot.adapters.discord.style import NO_PINGS, PLATFORM, DiscordStyle
from bot.core.messages import Action, ActionStyle
from bot.core.ports import (
    ChannelUnavailable,
    MemberUnreachable,
    PostedQuestion,
    QuestionCard,
    RateLimited,
    ThreadMessage,
    ThreadReply,
)
from bot.core.recaps import RecapPost
from bot.core.refs import ChannelRef, Member, MemberRef, ThreadRef

log = logging.getLogger(__name__)

SEARCH_DEPTH = 50  # recent messages scanned for a post made just before a crash
THREAD_ARCHIVE_MINUTES: Literal[10080] = 10080  # a week: the thread outlives the 48 h answer window


# Discord's error codes for a channel that cannot take what a daily question needs, whatever the HTTP status.
CHANNEL_REFUSALS = {
    10003,  # unknown channel
    50001,  # missing access
    50008,  # cannot send messages in a non-text channel (a forum, a category)
    50013,  # missing permissions
    50024,  # cannot execute action on this channel type (no threads in voice or stage chat)
    50083,  # the thread is archived
    160002,  # cannot reply without permission to read message history
    160005,  # the thread is locked
    160006,  # the server has reached its maximum of active threads
}

# Discord's codes for a member the bot cannot message directly: their DMs from server members are closed, they
# blocked the bot or share no server with it (50007), or the account is gone (10013).
MEMBER_REFUSALS = {50007, 10013}


def _unavailable(problem: discord.HTTPException, where: str) -> ChannelUnavailable:
    detail = problem.text or type(problem).__name__
    code = f" (code {problem.code})" if problem.code else ""
    return ChannelUnavailable(f"{where}: {problem.status} {detail}{code}")


def refuses_channel(problem: discord.HTTPException) -> bool:
    return isinstance(problem, discord.Forbidden | discord.NotFound) or problem.code in CHANNEL_REFUSALS


@contextmanager
def _refusals(where: str) -> Iterator[None]:
    """Discord's refusals as the core's: no access, gone or the wrong kind of channel is `ChannelUnavailable`; a
    rate limit longer than the client waits out by itself is `RateLimited` (the request was rejected, nothing was
    done)."""
    try:
        yield
    except discord.HTTPException as problem:
        if refuses_channel(problem):
            raise _unavailable(problem, where) from None
        raise
    except discord.RateLimited as limited:
        raise RateLimited(limited.retry_after) from None


def post_buttons(card: QuestionCard) -> discord.ui.View:
    """The daily post's buttons, if its channel's answer mode gives it any (else discord.py's "no view")."""
    actions = []
    if card.answer_button:
        actions.append(Action(card.answer_button, "Answer", ActionStyle.PRIMARY, needs_input=True))
    if card.check_button:
        actions.append(Action(card.check_button, "Check my answer"))
    view = button_row(actions)
    return view if view is not None else discord.utils.MISSING


class DiscordPlatform:
    name = PLATFORM

    def __init__(self, client: discord.Client, *, moderator_roles: tuple[str, ...] = ()) -> None:
        self._client = client
        self._moderator_roles = moderator_roles
        self.style = DiscordStyle()

    def serves(self, channel: ChannelRef) -> bool:
        """Whether this process's gateway shards carry the channel's server (`ServesSomeChannels`)."""
        return carries(self._client, channel.server_id)

    def _channel(self, channel_id: str, server_id: str) -> discord.PartialMessageable:
        # REST only: works for channels and threads whether or not the gateway cache knows them.
        guild_id = int(server_id) if server_id.isdigit() else None
        return self._client.get_partial_messageable(int(channel_id), guild_id=guild_id)

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        cached = self._client.get_channel(int(channel.channel_id))
        if isinstance(cached, discord.ForumChannel):
            return await self._post_in_forum(cached, card, post_key)
        target = self._channel(channel.channel_id, channel.server_id)
        with _refusals(f"channel {channel.channel_id}"):
            message = await target.send(
                embed=question_embed(card, post_key=post_key),
                nonce=nonce_for(post_key),
                allowed_mentions=NO_PINGS,
                view=post_buttons(card),
            )
        await self._open_thread(message, card, channel)
        return PostedQuestion(str(message.id), str(message.id), message.jump_url)

    async def _post_in_forum(self, forum: discord.ForumChannel, card: QuestionCard, post_key: str) -> PostedQuestion:
        """In a forum the question is a post: a thread whose first message is the question itself."""
        with _refusals(f"forum {forum.id}"):
            made = await forum.create_thread(
                name=thread_name(card),
                embed=question_embed(card, post_key=post_key),
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
                allowed_mentions=NO_PINGS,
                view=post_buttons(card),
            )
        return PostedQuestion(str(made.message.id), str(made.thread.id), made.message.jump_url)

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
        except discord.HTTPException as problem:
            if problem.code == 160004:  # "a thread has already been created for this message": fine
                return
            if not refuses_channel(problem):
                raise
            # A question nobody can answer is worse than none: take it back so the day can be posted again.
            try:
                await message.delete()
            except discord.HTTPException:
                log.warning("could not take back question %s in channel %s", message.id, channel.channel_id)
            raise _unavailable(problem, f"threads in channel {channel.channel_id}") from None

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        me = self._client.user
        cached = self._client.get_channel(int(channel.channel_id))
        if isinstance(cached, discord.ForumChannel):
            return await self._find_forum_post(cached, post_key)
        with _refusals(f"channel {channel.channel_id}"):
            async for message in self._channel(channel.channel_id, channel.server_id).history(limit=SEARCH_DEPTH):
                if me is not None and message.author.id != me.id:
                    continue
                if carries_key(message.embeds, post_key):
                    await self._open_thread(message, None, channel)
                    return PostedQuestion(str(message.id), str(message.id), message.jump_url)
        return None

    async def _find_forum_post(self, forum: discord.ForumChannel, post_key: str) -> PostedQuestion | None:
        me = self._client.user
        mine = [thread for thread in forum.threads if me is not None and thread.owner_id == me.id]
        with _refusals(f"forum {forum.id}"):
            for thread in sorted(mine, key=lambda thread: thread.id, reverse=True)[:SEARCH_DEPTH]:
                try:
                    first = await thread.fetch_message(thread.id)
                except discord.NotFound:
                    continue  # its first message was deleted: not a question any more
                if carries_key(first.embeds, post_key):
                    return PostedQuestion(str(first.id), str(thread.id), first.jump_url)
        return None

    async def post_recap(self, channel: ChannelRef, recap: RecapPost, *, post_key: str) -> str:
        """The recap's text as the message, its picture as the embed's image; the embed's footer carries the key.
        Where the bot may not attach files, the text goes without the picture: it says everything."""
        if recap.picture is not None:
            try:
                return await self._send_recap(channel, recap, post_key)
            except ChannelUnavailable as problem:
                log.warning(
                    "the recap card in channel %s was refused (%s): posting the text alone", channel.channel_id, problem
                )
        return await self._send_recap(channel, RecapPost(recap.text), post_key)

    async def _send_recap(self, channel: ChannelRef, recap: RecapPost, post_key: str) -> str:
        embed = picture_embed(recap.picture) if recap.picture else discord.Embed(colour=COLOUR)
        embed.set_footer(text=KEY_PREFIX + post_key)
        files = [picture_file(recap.picture)] if recap.picture else []
        text = cut(recap.text, 2000)
        cached = self._client.get_channel(int(channel.channel_id))
        if isinstance(cached, discord.ForumChannel):  # in a forum, a post of its own
            with _refusals(f"forum {cached.id}"):
                made = await cached.create_thread(
                    name=cut(recap.text.splitlines()[0].strip("*"), 100),
                    content=text,
                    embed=embed,
                    files=files,
                    allowed_mentions=NO_PINGS,
                )
            return str(made.message.id)
        with _refusals(f"channel {channel.channel_id}"):
            message = await self._channel(channel.channel_id, channel.server_id).send(
                content=text, embed=embed, files=files, nonce=nonce_for(post_key), allowed_mentions=NO_PINGS
            )
        return str(message.id)

    async def find_recap(self, channel: ChannelRef, *, post_key: str) -> str | None:
        cached = self._client.get_channel(int(channel.channel_id))
        if isinstance(cached, discord.ForumChannel):
            found = await self._find_forum_post(cached, post_key)
            return found.message_id if found else None
        me = self._client.user
        with _refusals(f"channel {channel.channel_id}"):
            async for message in self._channel(channel.channel_id, channel.server_id).history(limit=SEARCH_DEPTH):
                if (me is None or message.author.id == me.id) and carries_key(message.embeds, post_key):
                    return str(message.id)
        return None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        with _refusals(f"thread {thread.thread_id}"):
            await self._channel(thread.thread_id, thread.channel.server_id).send(text[:2000], allowed_mentions=NO_PINGS)

    async def post_answer(self, thread: ThreadRef, text: str) -> str:
        with _refusals(f"thread {thread.thread_id}"):
            sent = await self._channel(thread.thread_id, thread.channel.server_id).send(
                text[:2000], allowed_mentions=NO_PINGS
            )
        return str(sent.id)

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        """A direct message: outside an interaction Discord has no message only one member sees."""
        user = await self._client.fetch_user(int(member.user_id))
        await user.send(text[:2000], allowed_mentions=NO_PINGS)

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

    async def thread_now(
        self,
        thread: ThreadRef,
        *,
        answers: Collection[str],
        counts: Callable[[str], bool],
        marks: Callable[[str], bool],
    ) -> Sequence[ThreadMessage]:
        server = thread.channel.server_id
        reader = ThreadReader(self._client.get_guild(int(server)) if server.isdigit() else None, self._moderator_roles)
        with _refusals(f"thread {thread.thread_id}"):
            return await reader.messages(
                self._channel(thread.thread_id, server), answers=answers, counts=counts, marks=marks
            )

    async def message_member(self, member: MemberRef, text: str) -> None:
        """Opens (or reuses) the DM channel, then sends; a member who takes no DMs is `MemberUnreachable`."""
        try:
            channel = await self._client.create_dm(discord.Object(int(member.user_id)))
            await channel.send(text[:2000], allowed_mentions=NO_PINGS)
        except discord.HTTPException as problem:
            if problem.code in MEMBER_REFUSALS:
                raise MemberUnreachable(f"{problem.status} {problem.text} (code {problem.code})") from None
            raise
        except discord.RateLimited as limited:
            raise RateLimited(limited.retry_after) from None

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        """A channel message addressed by display name: a bot's message cannot be ephemeral unless it answers an
        interaction, so this is as private as it gets, and it pings nobody."""
        name = discord.utils.escape_markdown(member.display_name)
        with _refusals(f"channel {channel.channel_id}"):
            await self._channel(channel.channel_id, channel.server_id).send(
                f"{name}: {text}"[:2000], allowed_mentions=NO_PINGS
            )
