"""Errors the core raises for a person to read: each says what was wrong and how to fix it."""

from __future__ import annotations


class StudybotError(Exception):
    """Base of every error studybot raises on purpose."""


class InvalidInput(StudybotError):
    """A setting or command argument that cannot be used as given."""


class NotAllowed(StudybotError):
    """The member lacks the permission a command needs."""


class NotFound(StudybotError):
    """Something a command refers to does not exist (a question id, a quiz session, a channel)."""


class ConfigError(StudybotError):
    """A setting that cannot be used; the message names the setting and the fix."""


class PlatformGone(StudybotError):
    """The platform refused the bot or ended its connection for good; the adapter has said why in the log."""


class StorageFull(StudybotError):
    """The disk under the database is full: the write that raised it stored nothing, and works again once there
    is room. The message names the database and the fix, for the operator's log."""
