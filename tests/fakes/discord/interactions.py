"""Interaction payloads (slash commands, components, modals, autocomplete) and the handle tests inspect."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING, Any

from . import payloads
from .ids import CallbackType, InteractionType, MessageFlags
from .models import Message, Role, User

if TYPE_CHECKING:
    from .server import FakeDiscord

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


class InteractionHandle:
    """What a test gets back from ``slash_command``/``click_button``/``submit_modal``/``autocomplete``.

    Everything here is filled in by the fake's REST handlers as the bot answers.
    """

    def __init__(self, fake: FakeDiscord, payload: dict[str, Any]) -> None:
        self.fake = fake
        self.payload = payload
        self.id: int = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.user_id: int = int((payload.get("member") or {}).get("user", payload.get("user", {}))["id"])
        self.channel_id: int | None = int(payload["channel_id"]) if payload.get("channel_id") else None
        self.guild_id: int | None = int(payload["guild_id"]) if payload.get("guild_id") else None
        self.created_monotonic = time.monotonic()
        self.callbacks: list[dict[str, Any]] = []  # raw callback bodies: {"type": 4, "data": {...}}
        self.original_message_id: int | None = None  # message created/updated by the callback
        self.followup_ids: list[int] = []
        self.edits: list[dict[str, Any]] = []  # bodies of PATCH .../messages/@original (and followup edits)
        self.modal: dict[str, Any] | None = None
        self.choices: list[dict[str, Any]] | None = None

    # -- state -------------------------------------------------------------------------------------
    @property
    def responded(self) -> bool:
        return bool(self.callbacks)

    @property
    def response(self) -> dict[str, Any] | None:
        return self.callbacks[0] if self.callbacks else None

    @property
    def response_type(self) -> int | None:
        return self.callbacks[0]["type"] if self.callbacks else None

    @property
    def ephemeral(self) -> bool:
        data = (self.response or {}).get("data") or {}
        return bool(int(data.get("flags") or 0) & MessageFlags.EPHEMERAL)

    @property
    def original(self) -> Message | None:
        """The message that answered the interaction (after any ``@original`` edits), if any."""
        if self.original_message_id is None:
            return None
        return self.fake.messages.get(self.original_message_id)

    @property
    def followups(self) -> list[Message]:
        return [self.fake.messages[i] for i in self.followup_ids if i in self.fake.messages]

    # -- waiting -----------------------------------------------------------------------------------
    async def wait_response(self, timeout: float = 5.0) -> dict[str, Any]:
        """The interaction callback body (``{"type": .., "data": ..}``)."""
        return await self.fake.wait_for(lambda: self.response, timeout=timeout, what=f"callback for {self.id}")

    async def wait_followups(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        await self.fake.wait_for(
            lambda: len(self.followup_ids) >= count, timeout=timeout, what=f"{count} follow-up(s) for {self.id}"
        )
        return self.followups

    async def wait_original(self, predicate=None, timeout: float = 5.0) -> Message:
        """The original response message once it exists (and ``predicate(message)`` holds, e.g. after a
        deferred response was edited)."""

        def check():
            msg = self.original
            if msg is None or (msg.flags & MessageFlags.LOADING and predicate is None):
                return None
            if predicate is not None and not predicate(msg):
                return None
            return msg

        return await self.fake.wait_for(check, timeout=timeout, what=f"original response of {self.id}")

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.type} response_type={self.response_type}>"


def new_token() -> str:
    return "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)


def base_payload(
    fake: FakeDiscord,
    itype: int,
    user: User,
    guild_id: int | None,
    channel_id: int | None,
    data: dict[str, Any] | None,
) -> dict[str, Any]:
    from .ids import snowflake

    payload: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(fake.application_id),
        "type": itype,
        "token": new_token(),
        "version": 1,
        "locale": "en-US",
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": 10 * 1024 * 1024,
    }
    if data is not None:
        payload["data"] = data
    if channel_id is not None:
        chan = fake.channels[channel_id]
        payload["channel_id"] = str(channel_id)
        cdata = payloads.channel(chan)
        if chan.guild_id is not None:
            g = fake.guilds[chan.guild_id]
            cdata["permissions"] = str(g.permissions_of(user.id))
        payload["channel"] = cdata
    if guild_id is not None:
        g = fake.guilds[guild_id]
        mem = g.members.get(user.id)
        if mem is None:
            raise ValueError(f"user {user.username} is not a member of guild {g.name}")
        payload["guild_id"] = str(guild_id)
        payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
        payload["guild_locale"] = "en-US"
        payload["member"] = payloads.member(mem, permissions=g.permissions_of(user.id))
        where = fake.channels.get(channel_id) if channel_id is not None else None
        if where is not None and where.is_thread and where.parent_id is not None:
            where = fake.channels.get(where.parent_id)  # a thread has its parent's overwrites
        bot_id = fake.bot_user.id
        payload["app_permissions"] = str(
            g.channel_permissions_of(bot_id, where) if where is not None else g.permissions_of(bot_id)
        )
        payload["authorizing_integration_owners"] = {"0": str(guild_id)}
        payload["context"] = 0
    else:
        payload["user"] = payloads.user(user)
        payload["app_permissions"] = "0"
        payload["authorizing_integration_owners"] = {"1": str(user.id)}
        payload["context"] = 1
    return payload


def _option_value(
    fake: FakeDiscord, otype: int, value: Any, resolved: dict[str, dict[str, Any]], guild_id: int | None
) -> Any:
    if otype in (USER, MENTIONABLE) and not isinstance(value, Role):
        if otype == MENTIONABLE and isinstance(value, int) and guild_id and value in fake.guilds[guild_id].roles:
            return _option_value(fake, ROLE, value, resolved, guild_id)
        u = fake.resolve_user(value)
        resolved.setdefault("users", {})[str(u.id)] = payloads.user(u)
        if guild_id is not None:
            g = fake.guilds[guild_id]
            if u.id in g.members:
                mem = payloads.member(g.members[u.id], with_user=False, permissions=g.permissions_of(u.id))
                resolved.setdefault("members", {})[str(u.id)] = mem
        return str(u.id)
    if otype == CHANNEL:
        chan = fake.channels[int(value)]
        cdata = payloads.channel(chan)
        if chan.guild_id:
            cdata["permissions"] = str(fake.guilds[chan.guild_id].permissions_of(fake.bot_user.id))
        resolved.setdefault("channels", {})[str(chan.id)] = cdata
        return str(chan.id)
    if otype in (ROLE, MENTIONABLE):
        rid = int(value)
        role = fake.guilds[guild_id].roles[rid] if guild_id else None
        if role is None:
            raise ValueError(f"unknown role {value}")
        resolved.setdefault("roles", {})[str(rid)] = payloads.role(role)
        return str(rid)
    if otype == INTEGER:
        return int(value)
    if otype == NUMBER:
        return float(value)
    if otype == BOOLEAN:
        return bool(value)
    if otype == ATTACHMENT:
        raise ValueError("attachment options are not supported by the fake")
    return str(value)


def build_command_data(
    fake: FakeDiscord,
    command: dict[str, Any],
    options: dict[str, Any] | None,
    subcommand: str | tuple[str, ...] | list[str] | None,
    guild_id: int | None,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """``data`` of an APPLICATION_COMMAND / AUTOCOMPLETE interaction for a synced ``command``."""
    options = dict(options or {})
    path = subcommand.split() if isinstance(subcommand, str) else list(subcommand or [])
    resolved: dict[str, dict[str, Any]] = {}

    definitions = command.get("options") or []
    chain: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    for part in path:
        match = next((o for o in definitions if o["name"] == part and o["type"] in (1, 2)), None)
        if match is None:
            raise ValueError(
                f"/{command['name']}: no subcommand (group) {part!r}; have {[o['name'] for o in definitions]}"
            )
        chain.append((match, []))
        definitions = match.get("options") or []
    if definitions and any(o["type"] in (1, 2) for o in definitions):
        raise ValueError(f"/{command['name']} needs a subcommand: {[o['name'] for o in definitions]}")

    leaf: list[dict[str, Any]] = []
    by_name = {o["name"]: o for o in definitions}
    for name in options:
        if name not in by_name:
            raise ValueError(f"/{command['name']} {' '.join(path)}: unknown option {name!r}; have {list(by_name)}")
    for definition in definitions:
        name = definition["name"]
        if name not in options:
            if definition.get("required") and focused is None:
                raise ValueError(f"/{command['name']} {' '.join(path)}: missing required option {name!r}")
            continue
        entry: dict[str, Any] = {"name": name, "type": definition["type"]}
        if focused == name:
            entry["value"] = str(options[name])
            entry["focused"] = True
        else:
            entry["value"] = _option_value(fake, definition["type"], options[name], resolved, guild_id)
        leaf.append(entry)

    nested = leaf
    for definition, _ in reversed(chain):
        nested = [{"name": definition["name"], "type": definition["type"], "options": nested}]

    data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": command.get("type", 1)}
    if nested:
        data["options"] = nested
    if resolved:
        data["resolved"] = resolved
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    return data


def walk_components(components: list[dict[str, Any]]):
    for comp in components or []:
        yield comp
        yield from walk_components(comp.get("components") or [])
        for key in ("accessory", "component"):
            if isinstance(comp.get(key), dict):
                yield from walk_components([comp[key]])


def modal_submission(modal: dict[str, Any], values: dict[str, Any]) -> list[dict[str, Any]]:
    """Mirror the modal's layout (action rows or labels) with submitted values."""
    remaining = dict(values)

    def leaf(comp: dict[str, Any]) -> dict[str, Any]:
        cid = comp.get("custom_id")
        out: dict[str, Any] = {"type": comp["type"], "custom_id": cid}
        if "id" in comp:
            out["id"] = comp["id"]
        value = remaining.pop(cid, None) if cid is not None else None
        if comp["type"] == 4:  # text input
            out["value"] = "" if value is None else str(value)
        elif comp["type"] in (3, 5, 6, 7, 8):  # selects
            vals = value if isinstance(value, list | tuple) else ([] if value is None else [value])
            out["values"] = [str(v) for v in vals]
        return out

    result = []
    for comp in modal.get("components") or []:
        if comp["type"] == 1:
            result.append({"type": 1, "components": [leaf(c) for c in comp.get("components") or []]})
        elif comp["type"] == 18 and isinstance(comp.get("component"), dict):
            result.append({"type": 18, "component": leaf(comp["component"])})
        elif comp.get("custom_id"):
            result.append(leaf(comp))
    if remaining:
        raise ValueError(f"modal {modal.get('custom_id')!r} has no inputs {sorted(remaining)}")
    return result


def allowed_callbacks(itype: int) -> set[int]:
    if itype == InteractionType.APPLICATION_COMMAND:
        return {4, 5, 9}
    if itype == InteractionType.MESSAGE_COMPONENT:
        return {4, 5, 6, 7, 9}
    if itype == InteractionType.MODAL_SUBMIT:
        return {4, 5, 6, 7}
    if itype == InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE:
        return {CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT}
    return {1}
