"""Builders for what Slack sends to an app: Events API wrappers, message/reaction events,
slash command bodies, ``block_actions`` and ``view_submission`` payloads (real field names)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from .state import Channel, Message, User


@dataclass(frozen=True)
class TeamInfo:
    team_id: str
    team_domain: str
    api_app_id: str
    bot_user_id: str
    bot_id: str
    verification_token: str
    enterprise_id: str | None = None


def rich_text_blocks(text: str) -> list[dict[str, Any]]:
    """The ``rich_text`` block Slack clients attach to a typed message."""
    return [
        {
            "type": "rich_text",
            "block_id": uuid.uuid4().hex[:5],
            "elements": [{"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}],
        }
    ]


def event_callback(team: TeamInfo, event: dict[str, Any], event_id: str, event_time: int | None = None) -> dict:
    """The Events API wrapper (``type: event_callback``)."""
    return {
        "token": team.verification_token,
        "team_id": team.team_id,
        "context_team_id": team.team_id,
        "context_enterprise_id": team.enterprise_id,
        "api_app_id": team.api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time if event_time is not None else int(time.time()),
        "authorizations": [
            {
                "enterprise_id": team.enterprise_id,
                "team_id": team.team_id,
                "user_id": team.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def url_verification(team: TeamInfo, challenge: str) -> dict:
    return {"token": team.verification_token, "challenge": challenge, "type": "url_verification"}


def message_event(msg: Message, channel: Channel, bot_profile: dict | None = None) -> dict[str, Any]:
    """A ``message`` event for a new message (user or bot; thread replies carry ``thread_ts``/``parent_user_id``)."""
    event = msg.to_api(bot_profile=bot_profile)
    event["channel"] = channel.id
    event["event_ts"] = msg.ts
    event["channel_type"] = channel.channel_type
    return event


def message_changed_event(
    new: dict[str, Any], previous: dict[str, Any], channel: Channel, event_ts: str
) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": new,
        "previous_message": previous,
        "channel": channel.id,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel.channel_type,
    }


def message_deleted_event(previous: dict[str, Any], channel: Channel, event_ts: str) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "deleted_ts": previous["ts"],
        "channel": channel.id,
        "previous_message": previous,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel.channel_type,
    }


def message_replied_event(parent: dict[str, Any], channel: Channel, event_ts: str) -> dict[str, Any]:
    """The (legacy) ``message_replied`` event: ``message`` is the parent with its reply counters."""
    return {
        "type": "message",
        "subtype": "message_replied",
        "hidden": True,
        "message": parent,
        "channel": channel.id,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel.channel_type,
    }


def channel_join_event(user: User, channel: Channel, ts: str, team: TeamInfo) -> dict[str, Any]:
    return {
        "type": "message",
        "subtype": "channel_join",
        "user": user.id,
        "text": f"<@{user.id}> has joined the channel",
        "team": team.team_id,
        "channel": channel.id,
        "ts": ts,
        "event_ts": ts,
        "channel_type": channel.channel_type,
    }


def member_joined_channel_event(user: User, channel: Channel, event_ts: str, team: TeamInfo) -> dict[str, Any]:
    return {
        "type": "member_joined_channel",
        "user": user.id,
        "channel": channel.id,
        "channel_type": "G" if channel.is_private else "C",
        "team": team.team_id,
        "event_ts": event_ts,
    }


def reaction_event(
    kind: str, user_id: str, reaction: str, channel: Channel, ts: str, item_user: str | None, event_ts: str
) -> dict[str, Any]:
    """``reaction_added`` / ``reaction_removed`` (``reaction`` is the name without colons, e.g. ``+1``)."""
    event: dict[str, Any] = {
        "type": kind,
        "user": user_id,
        "reaction": reaction,
        "item": {"type": "message", "channel": channel.id, "ts": ts},
        "event_ts": event_ts,
    }
    if item_user:
        event["item_user"] = item_user
    return event


def slash_command(
    team: TeamInfo,
    user: User,
    channel: Channel,
    command: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    """Slash command fields (form-encoded in HTTP mode; the envelope payload in Socket Mode)."""
    return {
        "token": team.verification_token,
        "team_id": team.team_id,
        "team_domain": team.team_domain,
        "channel_id": channel.id,
        "channel_name": channel.name if not channel.is_im else "directmessage",
        "user_id": user.id,
        "user_name": user.name,
        "command": command if command.startswith("/") else "/" + command,
        "text": text,
        "api_app_id": team.api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }


def _user_obj(team: TeamInfo, user: User) -> dict[str, str]:
    return {"id": user.id, "username": user.name, "name": user.name, "team_id": team.team_id}


def block_actions(
    team: TeamInfo,
    user: User,
    channel: Channel | None,
    message: dict[str, Any] | None,
    action: dict[str, Any],
    trigger_id: str,
    response_url: str | None,
    view: dict[str, Any] | None = None,
    state_values: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``block_actions`` payload for a click on a message (or, with ``view``, inside a modal)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user_obj(team, user),
        "api_app_id": team.api_app_id,
        "token": team.verification_token,
        "trigger_id": trigger_id,
        "team": {"id": team.team_id, "domain": team.team_domain},
        "enterprise": None,
        "is_enterprise_install": False,
        "state": {"values": state_values or {}},
        "actions": [action],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = view
    else:
        assert channel is not None and message is not None
        payload["container"] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel.id,
            "is_ephemeral": False,
        }
        if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
            payload["container"]["thread_ts"] = message["thread_ts"]
        payload["channel"] = {"id": channel.id, "name": channel.name}
        payload["message"] = message
        payload["response_url"] = response_url
    return payload


def view_submission(
    team: TeamInfo, user: User, view: dict[str, Any], trigger_id: str, response_urls: list | None = None
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": {"id": team.team_id, "domain": team.team_domain},
        "user": _user_obj(team, user),
        "api_app_id": team.api_app_id,
        "token": team.verification_token,
        "trigger_id": trigger_id,
        "view": view,
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def state_values(values: dict[str, Any], blocks: list[dict[str, Any]]) -> dict[str, Any]:
    """Normalise ``values`` for ``view.state.values``.

    Accepts the real shape ``{block_id: {action_id: {"type": ..., "value": ...}}}``, the short form
    ``{block_id: {action_id: "text"}}`` and the flat form ``{action_id: "text"}`` (the block id is
    looked up in the view's ``input`` blocks, else equals the action id).
    """
    by_action: dict[str, tuple[str, str]] = {}
    for block in blocks or []:
        element = block.get("element") or {}
        if element.get("action_id"):
            by_action[element["action_id"]] = (block.get("block_id", element["action_id"]), element.get("type", ""))
    out: dict[str, dict[str, Any]] = {}
    for key, val in values.items():
        if (
            isinstance(val, dict)
            and all(isinstance(v, (dict, str, list)) for v in val.values())
            and not ("type" in val and isinstance(val.get("type"), str))
        ):
            block_out = out.setdefault(key, {})
            for action_id, v in val.items():
                etype = next((t for a, (b, t) in by_action.items() if a == action_id and b == key), "")
                block_out[action_id] = _state_value(v, etype)
        else:
            block_id, etype = by_action.get(key, (key, ""))
            out.setdefault(block_id, {})[key] = _state_value(val, etype)
    return out


def _state_value(v: Any, element_type: str) -> dict[str, Any]:
    if isinstance(v, dict):
        return v
    if element_type in ("static_select", "radio_buttons", "external_select"):
        return {
            "type": element_type,
            "selected_option": {"text": {"type": "plain_text", "text": str(v)}, "value": str(v)},
        }
    if element_type in ("multi_static_select", "checkboxes"):
        items = v if isinstance(v, list) else [v]
        return {
            "type": element_type,
            "selected_options": [{"text": {"type": "plain_text", "text": str(i)}, "value": str(i)} for i in items],
        }
    return {"type": element_type or "plain_text_input", "value": v}
