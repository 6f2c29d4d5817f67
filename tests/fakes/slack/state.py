"""What the fake Slack workspace holds (team, users, channels, messages, views) and what it records."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .ids import ts_to_micros


@dataclass
class User:
    id: str
    name: str
    display_name: str = ""
    real_name: str = ""
    is_admin: bool = False
    is_owner: bool = False
    is_primary_owner: bool = False
    is_bot: bool = False
    is_restricted: bool = False
    deleted: bool = False
    bot_id: str | None = None
    tz: str = "Europe/London"

    def to_api(self, team_id: str) -> dict[str, Any]:
        """The ``user`` object of ``users.info``."""
        display = self.display_name
        real = self.real_name or self.name
        profile: dict[str, Any] = {
            "real_name": real,
            "real_name_normalized": real,
            "display_name": display,
            "display_name_normalized": display,
            "first_name": real.split(" ")[0],
            "title": "",
            "status_text": "",
            "status_emoji": "",
            "avatar_hash": "g0000000000",
            "image_48": f"https://avatars.example/{self.id}_48.png",
            "image_72": f"https://avatars.example/{self.id}_72.png",
            "team": team_id,
        }
        if self.is_bot and self.bot_id:
            profile["bot_id"] = self.bot_id
            profile["always_active"] = True
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "deleted": self.deleted,
            "color": "9f69e7",
            "real_name": real,
            "tz": self.tz,
            "tz_label": "Greenwich Mean Time",
            "tz_offset": 0,
            "profile": profile,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": self.is_primary_owner,
            "is_restricted": self.is_restricted,
            "is_ultra_restricted": False,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "updated": 1700000000,
            "is_email_confirmed": not self.is_bot,
        }


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)
    topic: str = ""
    purpose: str = ""
    created: int = 1700000000
    im_user: str | None = None

    def to_api(self, bot_user_id: str) -> dict[str, Any]:
        """The ``channel`` object of ``conversations.info``."""
        if self.is_im:
            return {
                "id": self.id,
                "created": self.created,
                "is_im": True,
                "is_org_shared": False,
                "user": self.im_user,
                "is_user_deleted": False,
                "priority": 0,
            }
        return {
            "id": self.id,
            "name": self.name,
            "is_channel": not self.is_private,
            "is_group": self.is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": self.is_private,
            "created": self.created,
            "is_archived": self.is_archived,
            "is_general": self.name == "general",
            "unlinked": 0,
            "name_normalized": self.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_ext_shared": False,
            "is_member": bot_user_id in self.members,
            "creator": "",
            "topic": {"value": self.topic, "creator": "", "last_set": 0},
            "purpose": {"value": self.purpose, "creator": "", "last_set": 0},
            "num_members": len(self.members),
        }

    @property
    def channel_type(self) -> str:
        """``channel_type`` of message events."""
        if self.is_im:
            return "im"
        return "group" if self.is_private else "channel"


@dataclass
class Message:
    """A message stored in a channel (posted by a user through the fake, or by the bot via the Web API)."""

    channel: str
    ts: str
    text: str = ""
    user: str | None = None
    bot_id: str | None = None
    app_id: str | None = None
    thread_ts: str | None = None
    parent_user_id: str | None = None
    blocks: list[Any] | None = None
    attachments: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    subtype: str | None = None
    reply_broadcast: bool = False
    edited: dict[str, str] | None = None
    deleted: bool = False
    reactions: dict[str, list[str]] = field(default_factory=dict)  # name -> user ids, insertion ordered
    params: dict[str, Any] = field(default_factory=dict)  # raw Web API params (unfurl_links, mrkdwn, ...)
    client_msg_id: str | None = None
    team: str | None = None

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    @property
    def sort_key(self) -> int:
        return ts_to_micros(self.ts)

    def to_api(self, replies: list[Message] | None = None, bot_profile: dict | None = None) -> dict[str, Any]:
        """The message object as ``conversations.history``/``replies`` and events show it."""
        out: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text}
        if self.subtype:
            out["subtype"] = self.subtype
        if self.user:
            out["user"] = self.user
        if self.bot_id:
            out["bot_id"] = self.bot_id
            if self.app_id:
                out["app_id"] = self.app_id
            if bot_profile:
                out["bot_profile"] = bot_profile
        if self.team:
            out["team"] = self.team
        if self.client_msg_id:
            out["client_msg_id"] = self.client_msg_id
        if self.blocks is not None:
            out["blocks"] = self.blocks
        if self.attachments is not None:
            out["attachments"] = self.attachments
        if self.metadata is not None:
            out["metadata"] = self.metadata
        if self.edited:
            out["edited"] = dict(self.edited)
        if self.thread_ts:
            out["thread_ts"] = self.thread_ts
            if self.is_reply:
                if self.parent_user_id:
                    out["parent_user_id"] = self.parent_user_id
                if self.reply_broadcast:
                    out["subtype"] = "thread_broadcast"
        if replies:
            live = [r for r in replies if not r.deleted]
            out["thread_ts"] = self.ts
            out["reply_count"] = len(live)
            out["reply_users_count"] = len({r.user or r.bot_id for r in live})
            out["reply_users"] = list(dict.fromkeys(r.user or r.bot_id for r in live))[:5]
            out["latest_reply"] = live[-1].ts if live else self.ts
            out["is_locked"] = False
            out["subscribed"] = False
        if self.reactions:
            out["reactions"] = [
                {"name": name, "users": list(users), "count": len(users)}
                for name, users in self.reactions.items()
                if users
            ]
        return out


@dataclass
class ApiCall:
    """One Web API call the fake received."""

    method: str
    params: dict[str, Any]
    token: str | None
    token_kind: str  # "bot" | "app" | "user" | "invalid" | "revoked" | "none"
    http_method: str
    content_type: str
    status: int
    response: dict[str, Any]
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def error(self) -> str | None:
        return self.response.get("error")


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[Any] | None
    thread_ts: str | None
    message_ts: str
    params: dict[str, Any]


@dataclass
class View:
    """A modal (or home tab) the bot opened/updated/pushed/published."""

    id: str
    view: dict[str, Any]
    method: str  # views.open | views.update | views.push | views.publish
    trigger_id: str | None
    user_id: str | None
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def callback_id(self) -> str | None:
        return self.view.get("callback_id")

    @property
    def external_id(self) -> str | None:
        return self.view.get("external_id")

    @property
    def private_metadata(self) -> str:
        return self.view.get("private_metadata", "")


@dataclass
class Envelope:
    """A Socket Mode envelope sent to the app."""

    envelope_id: str
    type: str  # events_api | slash_commands | interactive
    payload: dict[str, Any]
    accepts_response_payload: bool
    retry_attempt: int = 0
    retry_reason: str = ""
    connection: int = 0

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {
            "envelope_id": self.envelope_id,
            "payload": self.payload,
            "type": self.type,
            "accepts_response_payload": self.accepts_response_payload,
        }
        if self.type == "events_api":
            wire["retry_attempt"] = self.retry_attempt
            wire["retry_reason"] = self.retry_reason
        return wire


@dataclass
class Ack:
    """The app's Socket Mode acknowledgement of an envelope (``payload`` is e.g. a slash command reply)."""

    envelope_id: str
    payload: dict[str, Any] | None
    raw: dict[str, Any]
    at: float = field(default_factory=time.monotonic)


@dataclass
class ResponseUrlPost:
    """A POST the app made to a ``response_url`` the fake handed out."""

    response_url: str
    body: dict[str, Any]
    source: dict[str, Any]  # the slash command / block_actions payload the url belonged to
