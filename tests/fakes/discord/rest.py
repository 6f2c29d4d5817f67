"""REST routes of the fake (``/api/v10/...``), with Discord's error bodies and rate-limit headers."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from aiohttp import BodyPartReader, web

from . import limits, payloads
from .ids import CallbackType, ChannelType, Intents, InteractionType, MessageFlags, Permissions, iso, snowflake
from .interactions import InteractionHandle, allowed_callbacks
from .models import Channel, Message, RecordedRequest

if TYPE_CHECKING:
    from .server import FakeDiscord

WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors
        self.retry_after = retry_after  # a 429: the body's retry_after and the Retry-After header

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        if self.retry_after is not None:
            body.update(retry_after=self.retry_after, **{"global": False})
        return body

    def headers(self) -> dict[str, str]:
        if self.retry_after is None:
            return {}
        return {"Retry-After": str(int(self.retry_after + 0.999)), "X-RateLimit-Scope": "user"}


def daily_creates_reached(cap: int) -> ApiError:
    """Discord's answer once a day's application-command creations are used up: a 429 that lasts until midnight."""
    now = time.time()
    until_midnight = 86400 - now % 86400
    return ApiError(
        429,
        30034,
        f"Max number of daily application command creates has been reached ({cap})",
        retry_after=until_midnight,
    )


def unknown_channel() -> ApiError:
    return ApiError(404, 10003, "Unknown Channel")


def unknown_message() -> ApiError:
    return ApiError(404, 10008, "Unknown Message")


def form_error(where: str, code: str, message: str) -> ApiError:
    errors: dict[str, Any] = {}
    node = errors
    parts = where.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = {"_errors": [{"code": code, "message": message}]}
    return ApiError(400, 50035, "Invalid Form Body", errors)


@dataclass
class RateLimitRule:
    substring: str
    times: int
    retry_after: float
    method: str | None = None
    is_global: bool = False
    scope: str = "user"
    hits: int = 0


@dataclass
class FailureRule:
    substring: str
    status: int
    code: int
    message: str
    times: int | None = 1
    method: str | None = None
    hits: int = 0


@dataclass
class Ctx:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[dict[str, Any]] = field(default_factory=list)


_S = r"(\d+)"
_TOKEN = r"([^/]+)"


class RestApi:
    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self._routes: list[tuple[str, re.Pattern[str], Any, bool]] = []
        add = self._add
        add("GET", r"/users/@me", self.get_me)
        add("GET", rf"/users/{_S}", self.get_user)
        add("POST", r"/users/@me/channels", self.create_dm)
        add("GET", r"/gateway", self.get_gateway, auth=False)
        add("GET", r"/gateway/bot", self.get_gateway_bot)
        add("GET", r"/oauth2/applications/@me", self.get_application)
        add("GET", r"/applications/@me", self.get_application)
        add("GET", rf"/applications/{_S}/commands", self.get_commands)
        add("PUT", rf"/applications/{_S}/commands", self.put_commands)
        add("POST", rf"/applications/{_S}/commands", self.post_command)
        add("GET", rf"/applications/{_S}/commands/{_S}", self.get_command)
        add("DELETE", rf"/applications/{_S}/commands/{_S}", self.delete_command)
        add("GET", rf"/applications/{_S}/guilds/{_S}/commands", self.get_commands)
        add("PUT", rf"/applications/{_S}/guilds/{_S}/commands", self.put_commands)
        add("POST", rf"/applications/{_S}/guilds/{_S}/commands", self.post_command)
        add("GET", rf"/applications/{_S}/guilds/{_S}/commands/{_S}", self.get_command)
        add("DELETE", rf"/applications/{_S}/guilds/{_S}/commands/{_S}", self.delete_command)
        add("GET", rf"/guilds/{_S}", self.get_guild)
        add("GET", rf"/guilds/{_S}/channels", self.get_guild_channels)
        add("GET", rf"/guilds/{_S}/roles", self.get_guild_roles)
        add("GET", rf"/guilds/{_S}/members", self.list_members)
        add("GET", rf"/guilds/{_S}/members/{_S}", self.get_member)
        add("GET", rf"/channels/{_S}", self.get_channel)
        add("PATCH", rf"/channels/{_S}", self.edit_channel)
        add("DELETE", rf"/channels/{_S}", self.delete_channel)
        add("POST", rf"/channels/{_S}/typing", self.typing)
        add("GET", rf"/channels/{_S}/messages", self.history)
        add("POST", rf"/channels/{_S}/messages", self.create_message)
        add("GET", rf"/channels/{_S}/messages/pins", self.list_pins)
        add("PUT", rf"/channels/{_S}/messages/pins/{_S}", self.pin)
        add("DELETE", rf"/channels/{_S}/messages/pins/{_S}", self.unpin)
        add("PUT", rf"/channels/{_S}/pins/{_S}", self.pin)
        add("DELETE", rf"/channels/{_S}/pins/{_S}", self.unpin)
        add("GET", rf"/channels/{_S}/messages/{_S}", self.get_message)
        add("PATCH", rf"/channels/{_S}/messages/{_S}", self.edit_message)
        add("DELETE", rf"/channels/{_S}/messages/{_S}", self.delete_message)
        add("POST", rf"/channels/{_S}/messages/{_S}/threads", self.thread_from_message)
        add("POST", rf"/channels/{_S}/threads", self.thread_without_message)
        add("PUT", rf"/channels/{_S}/thread-members/@me", self.join_thread)
        add("PUT", rf"/channels/{_S}/thread-members/{_S}", self.add_thread_member)
        add("DELETE", rf"/channels/{_S}/thread-members/@me", self.leave_thread)
        add("PUT", rf"/channels/{_S}/messages/{_S}/reactions/([^/]+)/@me", self.add_reaction)
        add("DELETE", rf"/channels/{_S}/messages/{_S}/reactions/([^/]+)/@me", self.remove_own_reaction)
        add("DELETE", rf"/channels/{_S}/messages/{_S}/reactions/([^/]+)/{_S}", self.remove_user_reaction)
        add("GET", rf"/channels/{_S}/messages/{_S}/reactions/([^/]+)", self.get_reactions)
        add("DELETE", rf"/channels/{_S}/messages/{_S}/reactions/([^/]+)", self.clear_emoji)
        add("DELETE", rf"/channels/{_S}/messages/{_S}/reactions", self.clear_reactions)
        add("POST", rf"/interactions/{_S}/{_TOKEN}/callback", self.interaction_callback, auth=False)
        add("POST", rf"/webhooks/{_S}/{_TOKEN}", self.webhook_execute, auth=False)
        add("GET", rf"/webhooks/{_S}/{_TOKEN}/messages/(@original|\d+)", self.webhook_get, auth=False)
        add("PATCH", rf"/webhooks/{_S}/{_TOKEN}/messages/(@original|\d+)", self.webhook_edit, auth=False)
        add("DELETE", rf"/webhooks/{_S}/{_TOKEN}/messages/(@original|\d+)", self.webhook_delete, auth=False)

    def _add(self, method: str, pattern: str, handler, *, auth: bool = True) -> None:
        self._routes.append((method, re.compile(pattern + r"/?$"), handler, auth))

    # ================================================================== dispatching
    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        raw_path = request.rel_url.raw_path
        upload = fake.uploads.get(f"{fake.base_url}{unquote(raw_path)}")
        if request.method == "GET" and raw_path.startswith("/attachments/"):  # the CDN: an uploaded file's bytes
            if upload is None:
                return web.Response(status=404)
            return web.Response(body=upload[0], content_type=upload[1])
        prefix = re.match(r"^/api(/v\d+)?", raw_path)
        path = raw_path[prefix.end() :] if prefix else raw_path
        body, files = await self._read_body(request)
        headers = {k: v for k, v in request.headers.items() if k.lower() != "authorization"}
        rec = RecordedRequest(
            method=request.method,
            path=unquote(path),
            query=dict(request.query),
            json=body,
            headers=headers,
            files=files,
        )
        if fake.latency:
            await asyncio.sleep(fake.latency)  # the request crossing the internet
        fake.requests.append(rec)
        status, out, extra_headers = await self._route(request, rec, path, body, files)
        rec.status, rec.response = status, out
        fake._changed()
        if fake.latency:
            await asyncio.sleep(fake.latency)  # and the answer coming back
        resp_headers = {"Via": "1.1 google", **extra_headers}
        if status == 204 or out is None:
            return web.Response(status=204, headers=resp_headers)
        # Exactly "application/json" (no charset): discord.py's json_or_text compares the header verbatim.
        resp_headers["Content-Type"] = "application/json"
        return web.Response(body=_dumps(out).encode(), status=status, headers=resp_headers)

    async def _read_body(self, request: web.Request) -> tuple[Any, list[dict[str, Any]]]:
        if not request.can_read_body:
            return None, []
        ctype = request.content_type
        if ctype == "multipart/form-data":
            body: Any = None
            files: list[dict[str, Any]] = []
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                else:
                    data = await part.read()
                    kind = part.headers.get("Content-Type", "application/octet-stream")
                    if kind == "application/octet-stream":  # what discord.py sends: Discord goes by the file
                        kind = mimetypes.guess_type(part.filename or "")[0] or kind
                    files.append(
                        {"field": part.name, "filename": part.filename, "size": len(data), "data": data, "type": kind}
                    )
            return body, files
        text = await request.text()
        if not text:
            return None, []
        try:
            return json.loads(text), []
        except ValueError:
            return text, []

    async def _route(self, request, rec, path, body, files) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        method = request.method
        key = f"{method} {rec.path}"
        for rule in fake._failures:
            if _applies(rule.method, rule.substring, method, key) and (rule.times is None or rule.hits < rule.times):
                rule.hits += 1
                return rule.status, {"message": rule.message, "code": rule.code}, {}
        for rl in fake._rate_limits:
            if _applies(rl.method, rl.substring, method, key) and rl.hits < rl.times:
                rl.hits += 1
                return 429, *self._rate_limited(rl, rec.path)
        for m, pattern, handler, auth in self._routes:
            match = pattern.match(path)
            if match is None:
                continue
            if m != method:
                continue
            if auth:
                token = request.headers.get("Authorization", "")
                if fake.invalid_token or token != f"Bot {fake.token}":
                    return 401, {"message": "401: Unauthorized", "code": 0}, {}
            ctx = Ctx(method=method, path=rec.path, query=dict(request.query), json=body, files=files)
            try:
                status, out = await handler(ctx, *[unquote(g) for g in match.groups()])
            except limits.Invalid as bad:
                err = form_error(bad.where, bad.code, bad.message)
                return err.status, err.body(), err.headers()
            except ApiError as err:
                return err.status, err.body(), err.headers()
            return status, out, self._ok_headers(rec.path)
        if any(p.match(path) for _, p, _, _ in self._routes):
            fake.unknown_routes.append(rec)
            return 405, {"message": "405: Method Not Allowed", "code": 0}, {}
        fake.unknown_routes.append(rec)
        return 404, {"message": "404: Not Found", "code": 0}, {}

    def _bucket(self, path: str) -> str:
        return "fake" + re.sub(r"\d{5,}", ":id", path).replace("/", "-")[:40]

    def _ok_headers(self, path: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
            "X-RateLimit-Reset-After": "1.000",
            "X-RateLimit-Bucket": self._bucket(path),
        }

    def _rate_limited(self, rl: RateLimitRule, path: str) -> tuple[dict[str, Any], dict[str, str]]:
        body = {"message": "You are being rate limited.", "retry_after": rl.retry_after, "global": rl.is_global}
        if rl.is_global:
            body["code"] = 0
        headers = {
            "Retry-After": str(max(1, int(rl.retry_after + 0.999))),
            "X-RateLimit-Scope": "global" if rl.is_global else rl.scope,
        }
        if rl.is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": f"{time.time() + rl.retry_after:.3f}",
                    "X-RateLimit-Reset-After": f"{rl.retry_after:.3f}",
                    "X-RateLimit-Bucket": self._bucket(path),
                }
            )
        return body, headers

    # ================================================================== helpers
    def _channel(self, channel_id: str | int, *, method: str | None = None) -> Channel:
        fake = self.fake
        cid = int(channel_id)
        chan = fake.channels.get(cid)
        if chan is None:
            raise unknown_channel()
        for target in (cid, chan.parent_id):
            rule = fake._forbidden.get(target) if target is not None else None
            if rule is not None and (method is None or method in rule[2]):
                raise ApiError(403, rule[0], rule[1])
        return chan

    def _message(self, chan: Channel, message_id: str | int) -> Message:
        msg = self.fake.messages.get(int(message_id))
        # Ephemeral interaction replies only exist for their user: the channel routes can't see them.
        if msg is None or msg.deleted or msg.channel_id != chan.id or msg.ephemeral:
            raise unknown_message()
        return msg

    def _validate_message_body(self, body: dict[str, Any], files: list[dict[str, Any]], *, creating: bool) -> None:
        content = body.get("content")
        if content is not None and not isinstance(content, str):
            content = str(content)
        if content and len(content) > 2000:
            raise form_error("content", "BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
        embeds = body.get("embeds") or []
        if len(embeds) > 10:
            raise form_error("embeds", "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        total = 0
        for i, embed in enumerate(embeds):
            for key, limit in (("title", 256), ("description", 4096)):
                value = embed.get(key) or ""
                total += len(value)
                if len(value) > limit:
                    raise form_error(
                        f"embeds.{i}.{key}", "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length."
                    )
            fields = embed.get("fields") or []
            if len(fields) > 25:
                raise form_error(f"embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            for j, fld in enumerate(fields):
                for key, limit in (("name", 256), ("value", 1024)):
                    value = fld.get(key) or ""
                    total += len(value)
                    if not value:
                        raise form_error(f"embeds.{i}.fields.{j}.{key}", "BASE_TYPE_REQUIRED", "This field is required")
                    if len(value) > limit:
                        raise form_error(
                            f"embeds.{i}.fields.{j}.{key}",
                            "BASE_TYPE_MAX_LENGTH",
                            f"Must be {limit} or fewer in length.",
                        )
            total += len((embed.get("footer") or {}).get("text") or "") + len(
                (embed.get("author") or {}).get("name") or ""
            )
        if total > 6000:
            raise form_error("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        limits.check_components(body.get("components") or [], flags=int(body.get("flags") or 0))
        if creating and not (
            content or embeds or body.get("components") or files or body.get("sticker_ids") or body.get("poll")
        ):
            raise ApiError(400, 50006, "Cannot send an empty message")

    def _attachments(self, body: dict[str, Any], files: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Each uploaded file as Discord lists it: its CDN url (served by the fake with the bytes sent), and the
        description (alt text) the body's `attachments` gave the upload of the same index."""
        described = {str(a.get("id")): a for a in body.get("attachments") or [] if isinstance(a, dict)}
        out = []
        for i, f in enumerate(files):
            index = (f["field"] or "").removeprefix("files[").removesuffix("]")
            meta = described.get(index, {})
            attachment_id = str(snowflake())
            filename = f["filename"] or f"file{i}"
            url = f"{self.fake.base_url}/attachments/{attachment_id}/{filename}"
            self.fake.uploads[url] = (f["data"], f.get("type") or "application/octet-stream")
            entry = {
                "id": attachment_id,
                "filename": filename,
                "size": f["size"],
                "url": url,
                "proxy_url": url,
                "content_type": f.get("type") or "application/octet-stream",
            }
            if meta.get("description"):
                entry["description"] = meta["description"]
            out.append(entry)
        return out

    def _new_message(self, chan: Channel, body: dict[str, Any], files, **extra: Any) -> Message:
        fake = self.fake
        msg = Message(
            id=snowflake(),
            channel_id=chan.id,
            guild_id=chan.guild_id,
            author=fake.bot_user,
            content=str(body.get("content") or ""),
            components=body.get("components") or [],
            attachments=self._attachments(body, files),
            flags=int(body.get("flags") or 0),
            tts=bool(body.get("tts")),
            allowed_mentions=body.get("allowed_mentions"),
            message_reference=body.get("message_reference"),
            nonce=body.get("nonce"),
            raw_body=body,
            **extra,
        )
        msg.embeds = [_normalise_embed(e, msg.attachments) for e in body.get("embeds") or []]
        if msg.message_reference is not None and msg.type == 0:
            msg.type = 19
            msg.message_reference = {
                "type": 0,
                "channel_id": str(chan.id),
                "guild_id": str(chan.guild_id) if chan.guild_id else None,
                **{
                    k: str(v) if k.endswith("_id") and v is not None else v
                    for k, v in msg.message_reference.items()
                    if k != "fail_if_not_exists"
                },
            }
        fake._store_message(msg)
        return msg

    async def _dispatch_message(self, event: str, msg: Message) -> None:
        if msg.ephemeral:
            return
        await self.fake._dispatch_message_event(event, msg)

    def _apply_edit(self, msg: Message, body: dict[str, Any], files) -> None:
        if "content" in body:
            msg.content = str(body["content"] or "")
        if "components" in body:
            msg.components = body["components"] or []
        if "allowed_mentions" in body:
            msg.allowed_mentions = body["allowed_mentions"]
        if "flags" in body and body["flags"] is not None:
            keep = msg.flags & MessageFlags.EPHEMERAL
            msg.flags = (int(body["flags"]) & ~MessageFlags.LOADING) | keep
        if "attachments" in body or files:
            kept_ids = {str(a.get("id")) for a in body.get("attachments") or []}
            kept = [a for a in msg.attachments if a["id"] in kept_ids]
            msg.attachments = kept + self._attachments(body, files)
        if "embeds" in body:
            msg.embeds = [_normalise_embed(e, msg.attachments) for e in body["embeds"] or []]
        msg.flags &= ~MessageFlags.LOADING
        msg.edited_timestamp = iso()
        msg.raw_body = {**(msg.raw_body or {}), **body}

    # ================================================================== users / gateway / application
    async def get_me(self, ctx):
        return 200, payloads.bot_self_user(self.fake.bot_user)

    async def get_user(self, ctx, uid):
        u = self.fake.users.get(int(uid))
        if u is None:
            raise ApiError(404, 10013, "Unknown User")
        return 200, payloads.user(u)

    async def create_dm(self, ctx):
        fake = self.fake
        uid = int((ctx.json or {}).get("recipient_id", 0))
        u = fake.users.get(uid)
        if u is None:
            raise ApiError(400, 50007, "Cannot send messages to this user")
        chan = fake.dm_channel(u)
        return 200, fake.channel_payload(chan)

    async def get_gateway(self, ctx):
        return 200, {"url": self.fake.gateway_url}

    async def get_gateway_bot(self, ctx):
        return 200, {
            "url": self.fake.gateway_url,
            "shards": self.fake.recommended_shards,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
        }

    async def get_application(self, ctx):
        fake = self.fake
        return 200, {
            "id": str(fake.application_id),
            "name": fake.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "hook": True,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": fake.application_flags,
            "owner": payloads.user(fake.owner_user),
            "team": None,
            "bot": payloads.user(fake.bot_user),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
            "integration_types_config": {"0": {}},
            "approximate_guild_count": len(fake.guilds),
            "tags": [],
        }

    # ================================================================== application commands
    def _command_store(self, app_id: str, guild_id: str | None) -> dict[str, dict[str, Any]]:
        fake = self.fake
        if int(app_id) != fake.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if guild_id is None:
            return fake.global_commands
        if int(guild_id) not in fake.guilds:
            raise ApiError(403, 50001, "Missing Access")
        return fake.guild_commands.setdefault(int(guild_id), {})

    def _command_object(
        self, body: dict[str, Any], guild_id: str | None, old: dict[str, Any] | None, *, where: str = ""
    ) -> dict[str, Any]:
        if not isinstance(body, dict) or not body.get("name"):
            raise form_error(f"{where}name", "BASE_TYPE_REQUIRED", "This field is required")
        limits.check_command(body, where)
        ctype = body.get("type", 1)
        name = body["name"]
        cmd = {
            "id": old["id"] if old else str(snowflake()),
            "application_id": str(self.fake.application_id),
            "version": str(snowflake()),
            "default_member_permissions": body.get("default_member_permissions"),
            "type": ctype,
            "name": name,
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types") or [0],
            "options": body.get("options") or [],
            "nsfw": body.get("nsfw", False),
        }
        if guild_id is not None:
            cmd["guild_id"] = str(guild_id)
        return cmd

    async def get_commands(self, ctx, app_id, guild_id=None):
        return 200, list(self._command_store(app_id, guild_id).values())

    def _count_creates(self, names: list[Any], guild_id: str | None) -> None:
        """Commands that do not exist yet count towards the day's creations, per scope (global or one guild)."""
        fake = self.fake
        scope = int(guild_id) if guild_id else None
        made = fake.command_creates.get(scope, 0)
        if names and made + len(names) > fake.daily_command_creates:
            raise daily_creates_reached(fake.daily_command_creates)
        fake.command_creates[scope] = made + len(names)

    async def put_commands(self, ctx, app_id, guild_id=None):
        store = self._command_store(app_id, guild_id)
        if not isinstance(ctx.json, list):
            raise form_error("_", "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType")
        if len(ctx.json) > 100:
            raise ApiError(400, 30032, "Maximum number of application commands reached (100)")
        new = {}
        for index, body in enumerate(ctx.json):
            cmd = self._command_object(body, guild_id, store.get(body.get("name")), where=f"{index}.")
            new[cmd["name"]] = cmd
        self._count_creates([name for name in new if name not in store], guild_id)
        store.clear()
        store.update(new)
        self.fake.command_syncs.append({"guild_id": int(guild_id) if guild_id else None, "commands": ctx.json})
        return 200, list(store.values())

    async def post_command(self, ctx, app_id, guild_id=None):
        store = self._command_store(app_id, guild_id)
        name = str((ctx.json or {}).get("name"))
        self._count_creates([name] if name not in store else [], guild_id)
        cmd = self._command_object(ctx.json, guild_id, store.get(name))
        status = 200 if cmd["name"] in store else 201
        store[cmd["name"]] = cmd
        return status, cmd

    async def get_command(self, ctx, app_id, *ids):
        guild_id, cmd_id = (ids[0], ids[1]) if len(ids) == 2 else (None, ids[0])
        for cmd in self._command_store(app_id, guild_id).values():
            if cmd["id"] == cmd_id:
                return 200, cmd
        raise ApiError(404, 10063, "Unknown application command")

    async def delete_command(self, ctx, app_id, *ids):
        guild_id, cmd_id = (ids[0], ids[1]) if len(ids) == 2 else (None, ids[0])
        store = self._command_store(app_id, guild_id)
        for name, cmd in list(store.items()):
            if cmd["id"] == cmd_id:
                del store[name]
                return 204, None
        raise ApiError(404, 10063, "Unknown application command")

    # ================================================================== guilds
    def _guild(self, gid):
        g = self.fake.guilds.get(int(gid))
        if g is None:
            raise ApiError(404, 10004, "Unknown Guild")
        return g

    async def get_guild(self, ctx, gid):
        g = self._guild(gid)
        data = payloads.guild_create(self.fake, g, all_members=False)
        for key in (
            "members",
            "channels",
            "threads",
            "presences",
            "voice_states",
            "joined_at",
            "large",
            "unavailable",
            "member_count",
        ):
            data.pop(key, None)
        if ctx.query.get("with_counts") in ("true", "1", "True"):
            data["approximate_member_count"] = len(g.members)
            data["approximate_presence_count"] = len(g.members)
        return 200, data

    async def get_guild_channels(self, ctx, gid):
        g = self._guild(gid)
        chans = [self.fake.channels[c] for c in g.channel_ids if c in self.fake.channels]
        return 200, [payloads.channel(c) for c in chans if not c.is_thread]

    async def get_guild_roles(self, ctx, gid):
        return 200, [payloads.role(r) for r in self._guild(gid).roles.values()]

    async def list_members(self, ctx, gid):
        g = self._guild(gid)
        if not self.fake.current_identify or not self.fake.current_identify.has_intent(Intents.GUILD_MEMBERS):
            raise ApiError(403, 50001, "Missing Access")
        limit = int(ctx.query.get("limit", 1))
        after = int(ctx.query.get("after", 0))
        members = sorted((m for m in g.members.values() if m.user.id > after), key=lambda m: m.user.id)[:limit]
        return 200, [payloads.member(m) for m in members]

    async def get_member(self, ctx, gid, uid):
        g = self._guild(gid)
        m = g.members.get(int(uid))
        if m is None:
            raise ApiError(404, 10007, "Unknown Member")
        return 200, payloads.member(m)

    # ================================================================== channels
    async def get_channel(self, ctx, cid):
        chan = self._channel(cid, method="GET")
        return 200, self.fake.channel_payload(chan)

    async def edit_channel(self, ctx, cid):
        fake = self.fake
        chan = self._channel(cid, method="PATCH")
        body = ctx.json or {}
        if chan.is_thread:
            limits.check_thread(body, creating=False)
        if "name" in body:
            chan.name = body["name"]
        if "topic" in body:
            chan.topic = body["topic"]
        if "archived" in body:
            chan.archived = bool(body["archived"])
        if "locked" in body:
            chan.locked = bool(body["locked"])
        if "auto_archive_duration" in body:
            chan.auto_archive_duration = int(body["auto_archive_duration"])
        event = "THREAD_UPDATE" if chan.is_thread else "CHANNEL_UPDATE"
        await fake.gateway.dispatch(event, payloads.channel(chan), intent=Intents.GUILDS)
        return 200, fake.channel_payload(chan)

    async def delete_channel(self, ctx, cid):
        chan = self._channel(cid, method="DELETE")
        data = payloads.channel(chan)
        await self.fake.remove_channel(chan.id)
        return 200, data

    async def typing(self, ctx, cid):
        self._channel(cid, method="POST")
        return 204, None

    async def history(self, ctx, cid):
        chan = self._channel(cid, method="GET")
        limit = max(1, min(100, int(ctx.query.get("limit", 50))))
        msgs = [m for m in self.fake.messages_in(chan.id)]  # oldest first
        if "around" in ctx.query:
            around = int(ctx.query["around"])
            older = [m for m in msgs if m.id <= around][-(limit // 2 + limit % 2) :]
            newer = [m for m in msgs if m.id > around][: limit // 2]
            page = older + newer
        elif "after" in ctx.query:
            after = int(ctx.query["after"])
            page = [m for m in msgs if m.id > after][:limit]
        elif "before" in ctx.query:
            before = int(ctx.query["before"])
            page = [m for m in msgs if m.id < before][-limit:]
        else:
            page = msgs[-limit:]
        page.sort(key=lambda m: m.id, reverse=True)  # Discord answers newest first
        return 200, [payloads.message(self.fake, m) for m in page]

    def _require(self, chan: Channel, permission: int) -> None:
        """403 Missing Permissions unless the bot has `permission` in the channel (a thread: in its parent)."""
        fake = self.fake
        if chan.guild_id is None:
            return
        where = fake.channels.get(chan.parent_id) if chan.is_thread and chan.parent_id else chan
        if where is not None and not fake.guilds[chan.guild_id].channel_permissions_of(fake.bot_user.id, where) & (
            permission
        ):
            raise ApiError(403, 50013, "Missing Permissions")

    def _unless_locked(self, chan: Channel) -> None:
        """A locked thread (archived or not) takes messages, edits and reactions only from those who manage threads."""
        fake = self.fake
        if not (chan.is_thread and chan.locked) or chan.guild_id is None:
            return
        parent = fake.channels.get(chan.parent_id) if chan.parent_id else None
        guild = fake.guilds[chan.guild_id]
        have = guild.channel_permissions_of(fake.bot_user.id, parent) if parent else guild.permissions_of(0)
        if not have & Permissions.MANAGE_THREADS:
            raise ApiError(400, 160005, "Thread is locked")

    async def create_message(self, ctx, cid):
        chan = self._channel(cid, method="POST")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        if chan.type in (ChannelType.GUILD_FORUM, ChannelType.GUILD_CATEGORY):
            raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
        if chan.type == ChannelType.DM and self.fake.closed_dms.intersection(chan.recipients):
            raise ApiError(403, 50007, "Cannot send messages to this user")
        self._unless_locked(chan)
        self._require(chan, Permissions.SEND_MESSAGES_IN_THREADS if chan.is_thread else Permissions.SEND_MESSAGES)
        if ctx.files:
            self._require(chan, Permissions.ATTACH_FILES)  # uploading into a channel takes Attach Files
        self._validate_message_body(body, ctx.files, creating=True)
        if chan.is_thread and chan.archived:
            chan.archived = False
        ref = body.get("message_reference")
        if ref and ref.get("message_id") and int(ref["message_id"]) not in self.fake.messages:
            if ref.get("fail_if_not_exists", True):
                raise form_error("message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
            body = {k: v for k, v in body.items() if k != "message_reference"}
        msg = self._new_message(chan, body, ctx.files)
        await self._dispatch_message("MESSAGE_CREATE", msg)
        return 200, payloads.message(self.fake, msg)

    async def get_message(self, ctx, cid, mid):
        chan = self._channel(cid, method="GET")
        return 200, payloads.message(self.fake, self._message(chan, mid))

    async def edit_message(self, ctx, cid, mid):
        chan = self._channel(cid, method="PATCH")
        self._unless_locked(chan)
        msg = self._message(chan, mid)
        body = ctx.json if isinstance(ctx.json, dict) else {}
        if msg.author.id != self.fake.bot_user.id and set(body) - {"flags"}:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        self._validate_message_body(body, ctx.files, creating=False)
        self._apply_edit(msg, body, ctx.files)
        await self._dispatch_message("MESSAGE_UPDATE", msg)
        return 200, payloads.message(self.fake, msg)

    async def delete_message(self, ctx, cid, mid):
        fake = self.fake
        chan = self._channel(cid, method="DELETE")
        msg = self._message(chan, mid)
        guild = fake.guilds.get(chan.guild_id) if chan.guild_id is not None else None
        others = msg.author.id != fake.bot_user.id and guild is not None
        if others and guild and not guild.permissions_of(fake.bot_user.id) & Permissions.MANAGE_MESSAGES:
            raise ApiError(403, 50013, "Missing Permissions")
        await fake._delete_message(msg)
        return 204, None

    async def list_pins(self, ctx, cid):
        chan = self._channel(cid, method="GET")
        pinned = [m for m in self.fake.messages_in(chan.id) if m.pinned]
        return 200, {
            "items": [{"pinned_at": iso(), "message": payloads.message(self.fake, m)} for m in reversed(pinned)],
            "has_more": False,
        }

    async def pin(self, ctx, cid, mid):
        chan = self._channel(cid, method="PUT")
        self._message(chan, mid).pinned = True
        return 204, None

    async def unpin(self, ctx, cid, mid):
        chan = self._channel(cid, method="DELETE")
        self._message(chan, mid).pinned = False
        return 204, None

    # ================================================================== threads
    async def thread_from_message(self, ctx, cid, mid):
        fake = self.fake
        chan = self._channel(cid, method="POST")
        if chan.type not in ChannelType.THREAD_PARENTS:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        msg = self._message(chan, mid)
        if msg.thread_id is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        self._require(chan, Permissions.CREATE_PUBLIC_THREADS)
        body = ctx.json or {}
        limits.check_thread(body, creating=True)
        announcement = chan.type == ChannelType.GUILD_ANNOUNCEMENT
        thread = fake.create_thread(
            chan,
            body["name"],
            message_id=msg.id,
            owner=fake.bot_user,
            type=ChannelType.ANNOUNCEMENT_THREAD if announcement else ChannelType.PUBLIC_THREAD,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        data = payloads.channel(thread)
        data["member"] = payloads.thread_member(thread, fake.bot_user.id)
        await fake.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True}, intent=Intents.GUILDS)
        return 201, data

    async def thread_without_message(self, ctx, cid):
        fake = self.fake
        chan = self._channel(cid, method="POST")
        body = ctx.json or {}
        limits.check_thread(body, creating=True)
        if chan.type == ChannelType.GUILD_FORUM:
            return await self._forum_post(chan, body, ctx.files)
        if chan.type not in ChannelType.THREAD_PARENTS:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        thread = fake.create_thread(
            chan,
            body["name"],
            owner=fake.bot_user,
            type=int(body.get("type") or ChannelType.PRIVATE_THREAD),
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        data = payloads.channel(thread)
        data["member"] = payloads.thread_member(thread, fake.bot_user.id)
        await fake.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True}, intent=Intents.GUILDS)
        return 201, data

    async def _forum_post(self, forum: Channel, body: dict[str, Any], files) -> tuple[int, Any]:
        """A forum post: a thread whose first message (same id as the thread) is the post itself."""
        fake = self.fake
        self._require(forum, Permissions.SEND_MESSAGES)
        starter = body.get("message")
        if not isinstance(starter, dict) or not (starter.get("content") or starter.get("embeds")):
            raise form_error("message", "BASE_TYPE_REQUIRED", "This field is required")
        if files:
            self._require(forum, Permissions.ATTACH_FILES)
        self._validate_message_body(starter, files, creating=True)
        thread = fake.create_thread(
            forum,
            str(body["name"]),
            owner=fake.bot_user,
            auto_archive_duration=int(body.get("auto_archive_duration") or 1440),
        )
        msg = self._new_message(thread, starter, files)
        fake._channel_messages[thread.id].remove(msg.id)  # re-filed under the thread's id, as Discord numbers it
        del fake.messages[msg.id]
        thread.message_count -= 1
        thread.total_message_sent -= 1
        msg.id = thread.id
        msg.thread_id = thread.id
        fake._store_message(msg)
        data = payloads.channel(thread)
        data["member"] = payloads.thread_member(thread, fake.bot_user.id)
        data["message"] = payloads.message(fake, msg)
        await fake.gateway.dispatch("THREAD_CREATE", {**data, "newly_created": True}, intent=Intents.GUILDS)
        await self._dispatch_message("MESSAGE_CREATE", msg)
        return 201, data

    async def join_thread(self, ctx, cid):
        chan = self._channel(cid, method="PUT")
        if self.fake.bot_user.id not in chan.member_ids:
            chan.member_ids.append(self.fake.bot_user.id)
        return 204, None

    async def add_thread_member(self, ctx, cid, uid):
        chan = self._channel(cid, method="PUT")
        if int(uid) not in chan.member_ids:
            chan.member_ids.append(int(uid))
        return 204, None

    async def leave_thread(self, ctx, cid):
        chan = self._channel(cid, method="DELETE")
        if self.fake.bot_user.id in chan.member_ids:
            chan.member_ids.remove(self.fake.bot_user.id)
        return 204, None

    # ================================================================== reactions
    async def add_reaction(self, ctx, cid, mid, emoji):
        chan = self._channel(cid, method="PUT")
        self._unless_locked(chan)
        msg = self._message(chan, mid)
        await self.fake._react(msg, self.fake.bot_user, payloads.parse_emoji(emoji), add=True)
        return 204, None

    async def remove_own_reaction(self, ctx, cid, mid, emoji):
        chan = self._channel(cid, method="DELETE")
        msg = self._message(chan, mid)
        await self.fake._react(msg, self.fake.bot_user, payloads.parse_emoji(emoji), add=False)
        return 204, None

    async def remove_user_reaction(self, ctx, cid, mid, emoji, uid):
        chan = self._channel(cid, method="DELETE")
        msg = self._message(chan, mid)
        await self.fake._react(msg, self.fake.resolve_user(int(uid)), payloads.parse_emoji(emoji), add=False)
        return 204, None

    async def get_reactions(self, ctx, cid, mid, emoji):
        chan = self._channel(cid, method="GET")
        msg = self._message(chan, mid)
        users = msg.reactions.get(payloads.emoji_key(payloads.parse_emoji(emoji)), [])
        limit = _int_query(ctx.query, "limit", 25)
        if not 1 <= limit <= 100:
            raise form_error("limit", "NUMBER_TYPE_MAX" if limit > 100 else "NUMBER_TYPE_MIN", "Must be 1 to 100.")
        if _int_query(ctx.query, "type", 0) not in (0, 1):
            raise form_error("type", "ENUM_TYPE_COERCE", "Value is not a valid enum value.")
        if _int_query(ctx.query, "type", 0) == 1:
            return 200, []  # super reactions (burst) are not modelled: every reaction here is a normal one
        after = _int_query(ctx.query, "after", 0)
        ids = sorted(u for u in users if u > after)[:limit]  # by user id, as Discord pages them with `after`
        return 200, [payloads.user(self.fake.users[u]) for u in ids]

    async def clear_emoji(self, ctx, cid, mid, emoji):
        chan = self._channel(cid, method="DELETE")
        msg = self._message(chan, mid)
        msg.reactions.pop(payloads.emoji_key(payloads.parse_emoji(emoji)), None)
        return 204, None

    async def clear_reactions(self, ctx, cid, mid):
        chan = self._channel(cid, method="DELETE")
        self._message(chan, mid).reactions.clear()
        return 204, None

    # ================================================================== interactions & webhooks
    async def interaction_callback(self, ctx, iid, token):
        fake = self.fake
        handle = fake.interactions.get(int(iid))
        if handle is None or handle.token != token:
            raise ApiError(404, 10062, "Unknown interaction")
        if handle.responded:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        if time.monotonic() - handle.created_monotonic > fake.interaction_deadline:
            raise ApiError(404, 10062, "Unknown interaction")
        body = ctx.json if isinstance(ctx.json, dict) else {}
        ctype = body.get("type")
        data = body.get("data") or {}
        if ctype not in allowed_callbacks(handle.type):
            raise ApiError(
                400,
                50035,
                "Invalid Form Body",
                {
                    "type": {
                        "_errors": [
                            {
                                "code": "INTERACTION_CALLBACK_TYPE_INVALID",
                                "message": "Invalid interaction callback type",
                            }
                        ]
                    }
                },
            )
        chan = fake.channels.get(handle.channel_id) if handle.channel_id else None
        resource: dict[str, Any] = {"type": ctype}
        info: dict[str, Any] = {"id": str(handle.id), "type": handle.type}
        if ctype in (CallbackType.CHANNEL_MESSAGE_WITH_SOURCE, CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE):
            if chan is None:
                raise unknown_channel()
            if ctype == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
                self._validate_message_body(data, ctx.files, creating=True)
                flags = int(data.get("flags") or 0)
                msg_body = data
            else:
                flags = (int(data.get("flags") or 0) & MessageFlags.EPHEMERAL) | MessageFlags.LOADING
                msg_body = {"flags": flags}
            msg = self._new_message(
                chan,
                msg_body,
                ctx.files,
                webhook_id=fake.application_id,
                application_id=fake.application_id,
                type=20 if handle.type == InteractionType.APPLICATION_COMMAND else 0,
                interaction_metadata=fake.interaction_metadata(handle),
            )
            await self._dispatch_message("MESSAGE_CREATE", msg)
            handle.original_message_id = msg.id
            info.update(
                response_message_id=str(msg.id),
                response_message_loading=bool(flags & MessageFlags.LOADING),
                response_message_ephemeral=bool(flags & MessageFlags.EPHEMERAL),
            )
            resource["message"] = payloads.message(fake, msg)
        elif ctype in (CallbackType.UPDATE_MESSAGE, CallbackType.DEFERRED_UPDATE_MESSAGE):
            source = handle.payload.get("message")
            if source is None:
                raise ApiError(400, 50035, "Invalid Form Body")
            msg = fake.messages[int(source["id"])]
            handle.original_message_id = msg.id
            info.update(response_message_id=str(msg.id), response_message_ephemeral=msg.ephemeral)
            if ctype == CallbackType.UPDATE_MESSAGE:
                self._validate_message_body(data, ctx.files, creating=False)
                self._apply_edit(msg, data, ctx.files)
                await self._dispatch_message("MESSAGE_UPDATE", msg)
                resource["message"] = payloads.message(fake, msg)
        elif ctype == CallbackType.MODAL:
            limits.check_modal(data)
            handle.modal = data
            fake.modals.append((handle, data))
        elif ctype == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            limits.check_choices(list(data.get("choices") or []))
            handle.choices = list(data.get("choices") or [])
        handle.callbacks.append({"type": ctype, "data": data})
        fake._changed()
        if ctx.query.get("with_response") in ("1", "true", "True"):
            return 200, {"interaction": info, "resource": resource}
        return 204, None

    def _webhook_handle(self, app_id: str, token: str) -> InteractionHandle:
        fake = self.fake
        if int(app_id) != fake.application_id:
            raise ApiError(404, 10015, "Unknown Webhook")
        handle = fake._interactions_by_token.get(token)
        if handle is None or not handle.responded:
            raise ApiError(404, 10015, "Unknown Webhook")
        if time.monotonic() - handle.created_monotonic > fake.interaction_token_lifetime:
            raise ApiError(401, 50027, "Invalid Webhook Token")
        return handle

    def _webhook_message(self, handle: InteractionHandle, which: str) -> Message:
        mid = handle.original_message_id if which == "@original" else int(which)
        if mid is None or (which != "@original" and mid not in handle.followup_ids):
            raise unknown_message()
        msg = self.fake.messages.get(mid)
        if msg is None or msg.deleted:
            raise unknown_message()
        return msg

    async def webhook_execute(self, ctx, app_id, token):
        fake = self.fake
        handle = self._webhook_handle(app_id, token)
        chan = fake.channels.get(handle.channel_id) if handle.channel_id else None
        if chan is None:
            raise unknown_channel()
        body = ctx.json if isinstance(ctx.json, dict) else {}
        self._validate_message_body(body, ctx.files, creating=True)
        target = chan
        if ctx.query.get("thread_id"):
            target = self._channel(ctx.query["thread_id"], method="POST")
        msg = self._new_message(
            target,
            body,
            ctx.files,
            webhook_id=fake.application_id,
            application_id=fake.application_id,
            interaction_metadata=fake.interaction_metadata(handle),
        )
        handle.followup_ids.append(msg.id)
        await self._dispatch_message("MESSAGE_CREATE", msg)
        if ctx.query.get("wait") in ("1", "true", "True"):
            return 200, payloads.message(fake, msg)
        return 204, None

    async def webhook_get(self, ctx, app_id, token, which):
        handle = self._webhook_handle(app_id, token)
        return 200, payloads.message(self.fake, self._webhook_message(handle, which))

    async def webhook_edit(self, ctx, app_id, token, which):
        handle = self._webhook_handle(app_id, token)
        msg = self._webhook_message(handle, which)
        body = ctx.json if isinstance(ctx.json, dict) else {}
        self._validate_message_body(body, ctx.files, creating=False)
        was_loading = bool(msg.flags & MessageFlags.LOADING)
        self._apply_edit(msg, body, ctx.files)
        if was_loading:
            msg.edited_timestamp = None
        handle.edits.append({"message_id": msg.id, **body})
        await self._dispatch_message("MESSAGE_UPDATE", msg)
        return 200, payloads.message(self.fake, msg)

    async def webhook_delete(self, ctx, app_id, token, which):
        handle = self._webhook_handle(app_id, token)
        msg = self._webhook_message(handle, which)
        await self.fake._delete_message(msg)
        return 204, None


def _int_query(query: dict[str, str], name: str, default: int) -> int:
    try:
        return int(query.get(name, default))
    except ValueError:
        raise form_error(name, "NUMBER_TYPE_COERCE", "Value is not int.") from None


def _applies(rule_method: str | None, substring: str, method: str, key: str) -> bool:
    return (rule_method is None or rule_method == method) and substring in key


def _normalise_embed(embed: dict[str, Any], attachments: list[dict[str, Any]]) -> dict[str, Any]:
    """An embed as Discord stores it: an `attachment://NAME` image points at that uploaded file's url."""
    out = dict(embed)
    out.setdefault("type", "rich")
    if "fields" in out:
        out["fields"] = [{"inline": False, **f} for f in out["fields"]]
    image = out.get("image") or {}
    name = str(image.get("url") or "")
    if name.startswith("attachment://"):
        found = next((a for a in attachments if a["filename"] == name.removeprefix("attachment://")), None)
        if found is not None:
            out["image"] = {**image, "url": found["url"], "proxy_url": found["proxy_url"]}
    return out


def _dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"))
