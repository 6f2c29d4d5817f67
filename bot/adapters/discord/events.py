"""Gateway events as the core's events: a thread message is a `Reply`, then edits, deletions and reactions.

Edits, deletions and reactions come as raw events, so they work for messages the client never cached (sent
before a restart). Each call into the core is idempotent: an event Discord delivers twice scores once.
"""

from __future__ import annotations

import logging
from datetime import datetime

import discord

from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.members import (
    REPLY_TYPES,
    is_moderator,
    member_from_payload,
    member_of,
    member_ref,
    thread_of,
)
from bot.adapters.discord.style import PLATFORM
from bot.core.clock import Clock
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.marks import mark_of
from bot.core.refs import Member
from bot.core.usecases.answers import ReplyResult

log = logging.getLogger(__name__)


async def on_message(ctx: AdapterContext, me: int, message: discord.Message) -> ReplyResult | None:
    if message.guild is None or message.author.id == me or message.type not in REPLY_TYPES:
        return None
    reply = Reply(
        thread=thread_of(message.channel, message.guild.id),
        message_id=str(message.id),
        author=member_of(message.author),
        text=message.content,
        sent_at=message.created_at,
    )
    return await ctx.group.on_reply(reply)


async def on_raw_edit(
    ctx: AdapterContext, me: int, client: discord.Client, clock: Clock, event: discord.RawMessageUpdateEvent
) -> ReplyResult | None:
    data = event.data
    author = data.get("author")
    if event.guild_id is None or not author or int(author["id"]) == me or "content" not in data:
        return None  # an embed-only update or someone else's system message: nothing to score
    edited = data.get("edited_timestamp")
    edit = ReplyEdited(
        platform=PLATFORM,
        message_id=str(event.message_id),
        author=member_from_payload(author, data.get("member")),
        text=str(data.get("content") or ""),
        edited_at=datetime.fromisoformat(edited) if edited else clock.now(),
        thread=thread_of(client.get_channel(event.channel_id) or discord.Object(event.channel_id), event.guild_id),
    )
    return await ctx.group.on_edit(edit)


async def on_raw_delete(ctx: AdapterContext, message_id: int) -> ReplyResult:
    return await ctx.group.on_delete(ReplyDeleted(PLATFORM, str(message_id)))


def _emoji(event: discord.RawReactionActionEvent) -> str:
    return event.emoji.name or str(event.emoji)


async def _reactor(client: discord.Client, event: discord.RawReactionActionEvent) -> discord.Member | None:
    """The reacting member: in the payload on add; on remove it is fetched (REST, no members intent needed).

    None when it cannot be known now; the mark then counts as no moderator's until the next read-back of the
    thread (at start or after a new session), which sees the marks as they are."""
    if event.member is not None:
        return event.member
    guild = client.get_guild(event.guild_id) if event.guild_id else None
    if guild is None:
        return None
    try:
        return await guild.fetch_member(event.user_id)
    except discord.HTTPException:
        return None
    except discord.RateLimited as limited:
        log.warning(
            "Discord rate-limits looking up member %s (retry after %.0f s): their %s on message %s is not counted "
            "now; the next read-back of the thread counts it",
            event.user_id,
            limited.retry_after,
            _emoji(event),
            event.message_id,
        )
        return None


async def on_raw_reaction(
    ctx: AdapterContext, me: int, client: discord.Client, event: discord.RawReactionActionEvent
) -> ReplyResult | None:
    emoji = _emoji(event)
    rules = ctx.group.context.rules
    if event.user_id == me or event.guild_id is None:
        return None
    upvote, best = rules.is_upvote(emoji), rules.is_best_answer_mark(emoji) or mark_of(emoji) is not None
    if not (upvote or best):
        return None
    member: discord.Member | None = event.member
    if best:  # only a moderator's mark (best, needs more, off topic) counts, also when it is taken away
        member = await _reactor(client, event)
    reactor = member_of(member) if member is not None else Member(member_ref(event.user_id), str(event.user_id))
    change = ReactionChanged(
        platform=PLATFORM,
        message_id=str(event.message_id),
        reactor=reactor,
        emoji=emoji,
        added=event.event_type == "REACTION_ADD",
        reactor_is_moderator=member is not None and is_moderator(member, ctx.moderator_roles),
    )
    return await ctx.group.on_reaction(change)
