"""Discord users, members and channels as the core's refs; and who counts as a moderator.

No members intent: everything comes from the event or interaction at hand (its member and the cached guild roles).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import discord

from bot.adapters.discord.style import PLATFORM
from bot.core.refs import Actor, ChannelRef, Member, MemberRef, ThreadRef

# Messages members write (new or in reply); joins, pins, thread starters and the like are not answers.
REPLY_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def member_ref(user_id: int | str) -> MemberRef:
    return MemberRef(PLATFORM, str(user_id))


def member_of(user: discord.abc.User) -> Member:
    return Member(member_ref(user.id), user.display_name, bool(user.bot))


def member_from_payload(author: Mapping[str, Any], member: Mapping[str, Any] | None = None) -> Member:
    """A member from a raw gateway payload's ``author`` (and ``member``, for the server nickname)."""
    name = (member or {}).get("nick") or author.get("global_name") or author.get("username") or str(author["id"])
    return Member(member_ref(author["id"]), str(name), bool(author.get("bot", False)))


def channel_ref(guild_id: int | str | None, channel_id: int | str) -> ChannelRef:
    return ChannelRef(PLATFORM, str(guild_id or ""), str(channel_id))


def thread_ref(guild_id: int | str | None, parent_id: int | str | None, thread_id: int | str) -> ThreadRef:
    """The thread of a daily question; on Discord its id is the question message's id."""
    return ThreadRef(channel_ref(guild_id, parent_id or ""), str(thread_id))


def thread_of(channel: Any, guild_id: int | None) -> ThreadRef:
    """The ThreadRef for a message's channel (a cached Thread knows its parent; anything else may be a thread)."""
    return thread_ref(guild_id, getattr(channel, "parent_id", None), channel.id)


def is_moderator(
    member: discord.abc.User, moderator_roles: Iterable[str], *, permissions: discord.Permissions | None = None
) -> bool:
    """Manage Server (Administrator implies it), or a role named or numbered in ``[discord] moderator_roles``."""
    if permissions is not None and (permissions.manage_guild or permissions.administrator):
        return True
    if not isinstance(member, discord.Member):
        return False
    if member.guild.owner_id == member.id:
        return True
    perms = member.guild_permissions
    if perms.manage_guild or perms.administrator:
        return True
    wanted = {str(role).strip().lower().lstrip("@") for role in moderator_roles}
    return any(str(role.id) in wanted or role.name.lower() in wanted for role in member.roles)


def actor_of(interaction: discord.Interaction, moderator_roles: Iterable[str]) -> Actor:
    channel = interaction.channel
    parent = getattr(channel, "parent_id", None) if isinstance(channel, discord.Thread) else None
    where = channel_ref(interaction.guild_id, parent or interaction.channel_id or "")
    return Actor(
        member_of(interaction.user),
        where,
        is_moderator=interaction.guild_id is not None
        and is_moderator(interaction.user, moderator_roles, permissions=interaction.permissions),
    )
