"""Platform-neutral identities. Scores and posts are keyed by these, never by a library's objects."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerRef:
    """A Discord guild, a Slack workspace, or the console's one local server."""

    platform: str
    server_id: str


@dataclass(frozen=True, slots=True)
class ChannelRef:
    platform: str
    server_id: str
    channel_id: str

    @property
    def server(self) -> ServerRef:
        return ServerRef(self.platform, self.server_id)


@dataclass(frozen=True, slots=True)
class ThreadRef:
    """The thread under a daily question: a Discord thread id, or the Slack adapter's id of the parent message."""

    channel: ChannelRef
    thread_id: str


@dataclass(frozen=True, slots=True)
class MemberRef:
    platform: str
    user_id: str


@dataclass(frozen=True, slots=True)
class Member:
    """A member as an event describes them: who, what they are called, and whether they are a bot."""

    ref: MemberRef
    display_name: str
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Actor:
    """Whoever runs a command: the member, where they run it, and whether the platform says they moderate."""

    member: Member
    channel: ChannelRef
    is_moderator: bool = False
