"""In-memory state of the fake Discord: users, guilds, channels, messages, records."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from .ids import ChannelType, Permissions, iso, snowflake


@dataclass
class User:
    id: int
    username: str
    bot: bool = False
    global_name: str | None = None

    def __int__(self) -> int:
        return self.id


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 1
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False

    def __int__(self) -> int:
        return self.id


@dataclass
class Member:
    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso)

    @property
    def id(self) -> int:
        return self.user.id

    def __int__(self) -> int:
        return self.user.id


@dataclass
class Channel:
    """A guild text channel (type 0), a thread (type 11/12) or a DM (type 1)."""

    id: int
    type: int
    name: str | None
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    topic: str | None = None
    owner_id: int | None = None  # threads
    archived: bool = False
    locked: bool = False
    auto_archive_duration: int = 1440
    created_at: str = field(default_factory=iso)
    recipients: list[int] = field(default_factory=list)  # DMs
    last_message_id: int | None = None
    message_count: int = 0
    total_message_sent: int = 0
    member_ids: list[int] = field(default_factory=list)  # thread members
    overwrites: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # role/user id -> (type, allow, deny)

    @property
    def is_thread(self) -> bool:
        return self.type in ChannelType.THREAD_TYPES

    def __int__(self) -> int:
        return self.id


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=iso)

    @property
    def everyone_role(self) -> Role:
        return self.roles[self.id]

    def permissions_of(self, user_id: int) -> int:
        """Guild-level permissions (channel overwrites are not modelled)."""
        if user_id == self.owner_id:
            return Permissions.ALL
        member = self.members.get(user_id)
        value = self.everyone_role.permissions
        if member is not None:
            for role_id in member.roles:
                role = self.roles.get(role_id)
                if role is not None:
                    value |= role.permissions
        if value & Permissions.ADMINISTRATOR:
            return Permissions.ALL
        return value

    def channel_permissions_of(self, user_id: int, channel: Channel) -> int:
        """Discord's order: guild permissions, then the channel's @everyone, role and member overwrites."""
        value = self.permissions_of(user_id)
        if value & Permissions.ADMINISTRATOR or user_id == self.owner_id:
            return Permissions.ALL
        member = self.members.get(user_id)
        roles = member.roles if member is not None else []
        everyone = channel.overwrites.get(self.id)
        if everyone is not None:
            value = (value & ~everyone[2]) | everyone[1]
        allow = deny = 0
        for role_id in roles:
            found = channel.overwrites.get(role_id)
            if found is not None and found[0] == 0:
                allow, deny = allow | found[1], deny | found[2]
        value = (value & ~deny) | allow
        own = channel.overwrites.get(user_id)
        if own is not None and own[0] == 1:
            value = (value & ~own[2]) | own[1]
        return value

    def __int__(self) -> int:
        return self.id


@dataclass
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    guild_id: int | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    tts: bool = False
    allowed_mentions: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    nonce: Any = None
    timestamp: str = field(default_factory=iso)
    edited_timestamp: str | None = None
    pinned: bool = False
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    thread_id: int | None = None  # set when a thread was started from this message
    reactions: dict[str, list[int]] = field(default_factory=dict)  # emoji key -> user ids in order
    reaction_emoji: dict[str, dict[str, Any]] = field(default_factory=dict)  # emoji key -> emoji object
    deleted: bool = False
    raw_body: dict[str, Any] | None = None  # the JSON the bot sent, verbatim

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def __int__(self) -> int:
        return self.id


@dataclass
class RecordedRequest:
    method: str
    path: str  # relative to the API base, e.g. "/channels/1/messages"
    query: dict[str, str]
    json: Any
    headers: dict[str, str]
    status: int = 0
    response: Any = None
    files: list[dict[str, Any]] = field(default_factory=list)
    at: _dt.datetime = field(default_factory=lambda: _dt.datetime.now(_dt.UTC))

    def matches(self, method: str | None = None, path_contains: str | None = None) -> bool:
        if method is not None and self.method != method.upper():
            return False
        return path_contains is None or path_contains in self.path

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"


@dataclass
class Identify:
    token: str
    intents: int
    properties: dict[str, Any]
    shard: list[int] | None
    raw: dict[str, Any]
    query: dict[str, str]

    def has_intent(self, bit: int) -> bool:
        return bool(self.intents & bit)


def new_id() -> int:
    return snowflake()
