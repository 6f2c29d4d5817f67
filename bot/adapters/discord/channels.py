"""Which Discord channels can hold a daily question: one whose answers go in a thread the bot may open and write in.

Text and announcement channels hold the question as a message with a thread under it; a forum holds each question
as a post (its own thread). Voice and stage chats, threads and categories cannot, so `/qotd setup` refuses them
with what to pick instead, rather than leave a question nobody can answer.
"""

from __future__ import annotations

from typing import Any

import discord

HOMES = (discord.ChannelType.text, discord.ChannelType.news, discord.ChannelType.forum)
PICK = "Pick a text, announcement or forum channel instead (run /qotd setup there, or name it with channel:)."
_KINDS = {
    discord.ChannelType.voice: "a voice channel's chat",
    discord.ChannelType.stage_voice: "a stage channel's chat",
    discord.ChannelType.category: "a category",
}
_NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "create_public_threads": "Create Public Threads",
    "send_messages_in_threads": "Send Messages in Threads",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
}


def _kind(channel_type: discord.ChannelType) -> str:
    if channel_type in (
        discord.ChannelType.public_thread,
        discord.ChannelType.private_thread,
        discord.ChannelType.news_thread,
    ):
        return "a thread"
    return _KINDS.get(channel_type, "a channel that cannot hold threads")


def missing_permissions(channel_type: discord.ChannelType, granted: discord.Permissions) -> list[str]:
    """The permissions a daily question needs there that the bot lacks (a forum post is a message, not a thread)."""
    needed = [
        name for name in _NEEDED if not (channel_type is discord.ChannelType.forum and name == "create_public_threads")
    ]
    return [_NEEDED[name] for name in needed if not getattr(granted, name)]


def why_unsuitable(channel: Any, granted: discord.Permissions | None) -> str | None:
    """Why `channel` cannot hold a daily question, in words a moderator can act on; None when it can.

    `granted` is what the bot may do there (None when unknown: Discord will say so at the first post)."""
    channel_type = getattr(channel, "type", None)
    if not isinstance(channel_type, discord.ChannelType):
        return None  # not known here: the first post tells
    if channel_type not in HOMES:
        return f"This is {_kind(channel_type)}: it cannot hold a daily question, whose answers go in a thread. {PICK}"
    missing = missing_permissions(channel_type, granted) if granted is not None else []
    if missing:
        return (
            f"I can't run a daily question in this channel: I lack {', '.join(missing)} here. Give my role those "
            "in the channel's permissions, or pick another channel."
        )
    return None


def bot_permissions(interaction: discord.Interaction, channel: Any) -> discord.Permissions | None:
    """What the bot may do in `channel`: Discord says so for the interaction's own; the cache knows the others."""
    if channel is None or getattr(channel, "id", None) == interaction.channel_id:
        return interaction.app_permissions
    guild = interaction.guild
    me = guild.me if guild is not None else None
    if me is None or not hasattr(channel, "permissions_for"):
        return None
    permissions: discord.Permissions = channel.permissions_for(me)
    return permissions
