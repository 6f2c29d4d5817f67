"""What members do on a platform, as the core hears it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.refs import Member, ThreadRef


@dataclass(frozen=True, slots=True)
class Reply:
    """A message posted in a thread (maybe a daily question's)."""

    thread: ThreadRef
    message_id: str
    author: Member
    text: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class ReplyEdited:
    platform: str
    message_id: str
    author: Member
    text: str
    edited_at: datetime
    thread: ThreadRef | None = None


@dataclass(frozen=True, slots=True)
class ReplyDeleted:
    platform: str
    message_id: str


@dataclass(frozen=True, slots=True)
class ReactionChanged:
    platform: str
    message_id: str
    reactor: Member
    emoji: str
    added: bool
    reactor_is_moderator: bool = False
