"""A Slack message as the core knows it: `T0123/C0123ABC/1700000000.123456`, its workspace, channel and ts.

Slack's `ts` is unique only within its channel: two channels, of one workspace or two (workspaces can even
share a channel id), hold messages with the same ts, and a fan-out posting thousands of channels in one
second makes that likely. The store keeps message and thread ids unique per platform, so the id handed to
the core carries what makes the ts unique, and every Web API call takes the ts back out of it."""

from __future__ import annotations

from bot.core.refs import ChannelRef

SEPARATOR = "/"  # in no team id, channel id or ts


def message_id(channel: ChannelRef, ts: str) -> str:
    """The core's id of the message `ts` in `channel` (also the id of the thread under it)."""
    return SEPARATOR.join((channel.server_id, channel.channel_id, ts))


def ts_of(message_id: str) -> str:
    """The Slack `ts` inside a core id."""
    return message_id.rpartition(SEPARATOR)[2]
