"""Which OAuth scope each Web API method (and each event) needs, as Slack's method pages list them. The
conversation methods need the scope of the conversation's kind: ``channels:`` for public channels,
``groups:`` for private ones, ``im:`` for direct messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .state import Channel

# A scope, or a family ("history", "read") completed by the conversation's kind.
METHOD_SCOPES: dict[str, str] = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "conversations.history": "{kind}:history",
    "conversations.replies": "{kind}:history",
    "conversations.info": "{kind}:read",
    "conversations.members": "{kind}:read",
    "conversations.join": "channels:join",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "reactions.add": "reactions:write",
    "reactions.remove": "reactions:write",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
ALL_BOT_SCOPES = (
    "chat:write,commands,channels:history,groups:history,im:history,mpim:history,channels:read,groups:read,"
    "im:read,im:write,channels:join,reactions:read,reactions:write,users:read,files:write"
)


def kind_of(channel: Channel | None) -> str:
    if channel is None:
        return "channels"
    if channel.is_im:
        return "im"
    return "groups" if channel.is_private else "channels"


def needed_for_method(method: str, channel: Channel | None) -> str | None:
    scope = METHOD_SCOPES.get(method)
    return scope.format(kind=kind_of(channel)) if scope else None


def needed_for_event(event_type: str, channel: Channel | None) -> str | None:
    """The scope without which Slack does not send the app this event at all."""
    if event_type in ("reaction_added", "reaction_removed"):
        return "reactions:read"
    if event_type == "message":
        return f"{kind_of(channel)}:history"
    return None
