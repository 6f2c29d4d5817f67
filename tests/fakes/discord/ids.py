"""Snowflakes, timestamps and the bit constants the fake Discord needs."""

from __future__ import annotations

import datetime as _dt
import itertools
import time

DISCORD_EPOCH_MS = 1420070400000
_counter = itertools.count(1)
_last = 0


def snowflake() -> int:
    """A fresh, strictly increasing snowflake whose timestamp part is 'now'."""
    global _last
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    value = (ms << 22) | (1 << 17) | (next(_counter) & 0xFFF)
    if value <= _last:
        value = _last + 1
    _last = value
    return value


def snowflake_time(value: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(((value >> 22) + DISCORD_EPOCH_MS) / 1000, tz=_dt.UTC)


def iso(when: _dt.datetime | None = None) -> str:
    """Discord's timestamp format, e.g. ``2026-11-23T12:00:00.123000+00:00``."""
    when = when or _dt.datetime.now(_dt.UTC)
    return when.isoformat(timespec="microseconds")


class Intents:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MODERATION = 1 << 2
    GUILD_EXPRESSIONS = 1 << 3
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    GUILD_MESSAGE_TYPING = 1 << 11
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    DIRECT_MESSAGE_TYPING = 1 << 14
    MESSAGE_CONTENT = 1 << 15
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class Permissions:
    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38
    ALL = (1 << 51) - 1
    # What @everyone gets in a fresh server (roughly Discord's default).
    DEFAULT_EVERYONE = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_APPLICATION_COMMANDS
        | CREATE_PUBLIC_THREADS
        | SEND_MESSAGES_IN_THREADS
    )


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2  # its text chat takes messages, never threads
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_FORUM = 15  # no messages of its own: every post is a thread
    THREAD_TYPES = (10, 11, 12)
    THREAD_PARENTS = (GUILD_TEXT, GUILD_ANNOUNCEMENT)  # threads started from a message


class InteractionType:
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType:
    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class MessageFlags:
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7
