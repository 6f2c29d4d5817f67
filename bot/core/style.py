"""How a platform writes bold text, code and mentions, and makes echoed user text harmless."""

from __future__ import annotations

from bot.core.refs import ChannelRef, MemberRef


class TextStyle:
    """Plain text, as the console shows it. Platforms override the pieces that differ."""

    def bold(self, text: str) -> str:
        return text

    def italic(self, text: str) -> str:
        return text

    def code(self, text: str) -> str:
        return f"`{text}`"

    def mention(self, member: MemberRef, display_name: str) -> str:
        return self.user_text(display_name)

    def channel(self, channel: ChannelRef, name: str) -> str:
        """A channel as a reader finds it (a link where the platform has them)."""
        return f"#{name or channel.channel_id}"

    def link(self, url: str, label: str) -> str:
        return f"{label} ({url})"

    def user_text(self, text: str) -> str:
        """Text a member wrote, made unable to ping anyone when the bot repeats it."""
        return text.replace("@everyone", "@\u200beveryone").replace("@here", "@\u200bhere")
