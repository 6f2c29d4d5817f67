"""Discord markdown for the core's wording: **bold**, *italic*, `code`, <@id> mentions, [label](url) links."""

from __future__ import annotations

import discord

from bot.core.refs import ChannelRef, MemberRef
from bot.core.style import TextStyle

PLATFORM = "discord"

# Every message the bot sends carries this: echoed user text can never ping anyone, not even by mention.
NO_PINGS = discord.AllowedMentions.none()


class DiscordStyle(TextStyle):
    def bold(self, text: str) -> str:
        return f"**{text}**"

    def italic(self, text: str) -> str:
        return f"*{text}*"

    def mention(self, member: MemberRef, display_name: str) -> str:
        if member.platform == PLATFORM and member.user_id.isdigit():
            return f"<@{member.user_id}>"
        return self.user_text(display_name)

    def channel(self, channel: ChannelRef, name: str) -> str:
        return f"<#{channel.channel_id}>" if channel.channel_id.isdigit() else super().channel(channel, name)

    def link(self, url: str, label: str) -> str:
        return f"[{label}]({url})"
