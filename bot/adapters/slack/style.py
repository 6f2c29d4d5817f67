"""Slack's mrkdwn: `*bold*`, `<@U123>` mentions, `<url|label>` links, and echoed text that can never ping."""

from __future__ import annotations

import re

from bot.core.refs import ChannelRef, MemberRef
from bot.core.style import TextStyle

_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
_SLACK_CHANNEL_ID = re.compile(r"^C[A-Z0-9]{2,}$")
# What the bot itself writes inside <...>: user and channel mentions and links. Anything else, notably
# <!everyone>, <!channel>, <!here> and <!subteam^...>, is escaped on the way out.
_ALLOWED_TOKEN = re.compile(
    r"<(?:@[UW][A-Z0-9]+|#C[A-Z0-9]+(?:\|[^<>]*)?|(?:https?://|mailto:)[^<>\s|]+(?:\|[^<>]*)?)>"
)
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt);)")


def escape(text: str) -> str:
    """Slack's three control characters as entities: the text shows as written and links nothing."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """What Slack sends (`&lt;` for `<`) back into the characters the member typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def safe_mrkdwn(text: str) -> str:
    """Last pass over everything the bot sends: keep its own mentions and links, escape every other `<`, `>`
    and bare `&`, so no text (a bank entry with `a < b > c`, or anything a member wrote) becomes markup."""
    out: list[str] = []
    last = 0
    for match in _ALLOWED_TOKEN.finditer(text):
        out.append(_escape_loose(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_loose(text[last:]))
    return "".join(out)


def _escape_loose(text: str) -> str:
    return _BARE_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


class SlackStyle(TextStyle):
    """mrkdwn for Slack. `quiet=True` names members by display name instead of mentioning (and so notifying)
    them: used for a leaderboard posted in the channel."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.quiet = quiet

    def bold(self, text: str) -> str:
        return f"*{text}*" if text.strip() else text

    def italic(self, text: str) -> str:
        return f"_{text}_" if text.strip() else text

    def code(self, text: str) -> str:
        return f"`{text.replace('`', 'ˋ')}`"

    def mention(self, member: MemberRef, display_name: str) -> str:
        if not self.quiet and _SLACK_USER_ID.match(member.user_id):
            return f"<@{member.user_id}>"
        return self.user_text(display_name or member.user_id)

    def channel(self, channel: ChannelRef, name: str) -> str:
        if _SLACK_CHANNEL_ID.match(channel.channel_id):
            return f"<#{channel.channel_id}>"
        return escape(super().channel(channel, name))

    def link(self, url: str, label: str) -> str:
        return f"<{url.replace('|', '%7C').replace('>', '%3E')}|{escape(label)}>"

    def user_text(self, text: str) -> str:
        return super().user_text(escape(text))
