"""The fake's Web API: ``POST/GET /api/<method>`` with Slack's response shapes and error codes.

Accepts query params, form bodies and JSON bodies (slack_sdk mixes them per method) and the token as
``Authorization: Bearer`` or a ``token`` param. Every call is recorded in ``FakeSlack.calls``.
"""

from __future__ import annotations

import base64
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from . import block_kit, payloads, scopes
from .files import FileError
from .ids import ts_to_micros
from .state import ApiCall, Channel, Ephemeral, Message, View

if TYPE_CHECKING:
    from .fake import FakeSlack

TRIGGER_SECONDS = 3.0  # Slack: a trigger_id must be used within 3 seconds of the interaction
MESSAGE_TEXT_LIMIT = 40_000  # Slack: chat.postMessage answers msg_too_long beyond this

JSON_PARAMS = ("blocks", "attachments", "view", "metadata", "user_auth_blocks")


class ApiError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def _truthy(v: Any) -> bool:
    return str(v).lower() in ("1", "true", "yes")


def _encode_cursor(value: str) -> str:
    return base64.b64encode(f"next_ts:{value}".encode()).decode()


def _decode_cursor(cursor: str) -> str:
    try:
        raw = base64.b64decode(cursor.encode()).decode()
    except Exception as exc:
        raise ApiError("invalid_cursor") from exc
    if not raw.startswith("next_ts:"):
        raise ApiError("invalid_cursor")
    return raw[len("next_ts:") :]


def _metadata_if_asked(messages: list[dict[str, Any]], params: dict) -> None:
    """Slack returns message metadata from conversations.history and .replies only with include_all_metadata."""
    if not _truthy(params.get("include_all_metadata", False)):
        for message in messages:
            message.pop("metadata", None)


class WebApi:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.methods: dict[str, Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]] = {
            "api.test": self.api_test,
            "auth.test": self.auth_test,
            "apps.connections.open": self.apps_connections_open,
            "chat.postMessage": self.chat_post_message,
            "chat.postEphemeral": self.chat_post_ephemeral,
            "chat.update": self.chat_update,
            "chat.delete": self.chat_delete,
            "chat.getPermalink": self.chat_get_permalink,
            "conversations.replies": self.conversations_replies,
            "conversations.history": self.conversations_history,
            "conversations.info": self.conversations_info,
            "conversations.join": self.conversations_join,
            "conversations.members": self.conversations_members,
            "conversations.open": self.conversations_open,
            "users.info": self.users_info,
            "views.open": self.views_open,
            "views.push": self.views_push,
            "views.update": self.views_update,
            "views.publish": self.views_publish,
            "reactions.add": self.reactions_add,
            "reactions.remove": self.reactions_remove,
            "files.getUploadURLExternal": self.files_get_upload_url_external,
            "files.completeUploadExternal": self.files_complete_upload_external,
        }

    # ------------------------------------------------------------------ plumbing

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        content_type = request.content_type or ""
        if request.method == "POST" and request.can_read_body:
            if content_type == "application/json":
                try:
                    body = await request.json()
                except json.JSONDecodeError:
                    return self._respond(
                        method, params, None, request, content_type, 200, {"ok": False, "error": "invalid_json"}
                    )
                if isinstance(body, dict):
                    params.update(body)
            else:
                form = await request.post()
                for k in form:
                    vals = form.getall(k)
                    params[k] = vals[0] if len(vals) == 1 else list(vals)
        token: str | None = None
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        if "token" in params:
            token = token or str(params["token"])
            params.pop("token")
        for key in JSON_PARAMS:
            if isinstance(params.get(key), str) and params[key][:1] in ("[", "{"):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        kind = self.fake._token_kind(token)

        limited = self.fake._take_rate_limit(method)
        if limited is not None:
            resp = self._respond(
                method, params, token, request, content_type, 429, {"ok": False, "error": "ratelimited"}
            )
            resp.headers["Retry-After"] = str(limited)
            return resp
        failure = self.fake._take_failure(method)
        if failure is not None:
            status, error = failure
            return self._respond(method, params, token, request, content_type, status, {"ok": False, "error": error})

        handler = self.methods.get(method)
        if handler is None:
            return self._respond(
                method, params, token, request, content_type, 200, {"ok": False, "error": "unknown_method"}
            )
        try:
            if method not in ("api.test",):
                self._check_token(method, kind)
            if kind == "bot":
                self._check_scope(method, params)
            result = await handler(params, kind)
            body = {"ok": True, **result}
        except ApiError as exc:
            body = {"ok": False, "error": exc.error, **exc.extra}
        resp = self._respond(method, params, token, request, content_type, 200, body)
        if kind == "bot":
            resp.headers["X-OAuth-Scopes"] = self.fake.bot_scopes
        return resp

    def _respond(
        self,
        method: str,
        params: dict,
        token: str | None,
        request: web.Request,
        content_type: str,
        status: int,
        body: dict,
    ) -> web.Response:
        call = ApiCall(
            method=method,
            params=params,
            token=token,
            token_kind=self.fake._token_kind(token),
            http_method=request.method,
            content_type=content_type,
            status=status,
            response=body,
        )
        self.fake.calls.append(call)
        self.fake._notify()
        return web.json_response(body, status=status)

    def _check_token(self, method: str, kind: str) -> None:
        if kind == "none":
            raise ApiError("not_authed")
        if kind == "invalid":
            raise ApiError("invalid_auth")
        if kind == "revoked":
            raise ApiError("token_revoked")
        if method == "apps.connections.open":
            if kind != "app":
                raise ApiError("not_allowed_token_type")
        elif kind == "app":
            raise ApiError("not_allowed_token_type")

    def _check_scope(self, method: str, params: dict) -> None:
        ref = params.get("channel")
        channel = self.fake._resolve_channel(str(ref)) if ref else None
        needed = scopes.needed_for_method(method, channel)
        if needed and needed not in self.fake.granted_scopes:
            raise ApiError("missing_scope", needed=needed, provided=self.fake.bot_scopes)

    @staticmethod
    def _check_blocks(blocks: Any, surface: str = "message") -> None:
        found = block_kit.problems(blocks, surface)
        if found:
            raise ApiError("invalid_blocks", response_metadata={"messages": found})

    def _channel(self, params: dict, key: str = "channel", *, need_member: bool = True) -> Channel:
        ref = params.get(key)
        if not ref:
            raise ApiError("channel_not_found")
        channel = self.fake._resolve_channel(str(ref), create_dm=True)
        if channel is None:
            raise ApiError("channel_not_found")
        bot = self.fake.team.bot_user_id
        if need_member and bot not in channel.members:
            # Slack hides private channels the bot isn't in.
            raise ApiError("channel_not_found" if channel.is_private else "not_in_channel")
        return channel

    def _message(self, channel: Channel, ts: Any, error: str = "message_not_found") -> Message:
        msg = self.fake._messages.get((channel.id, str(ts or "")))
        if msg is None or msg.deleted:
            raise ApiError(error)
        return msg

    # ------------------------------------------------------------------ auth / apps

    async def api_test(self, params: dict, kind: str) -> dict:
        return {"args": {k: v for k, v in params.items()}} if params else {}

    async def auth_test(self, params: dict, kind: str) -> dict:
        team = self.fake.team
        return {
            "url": f"https://{team.team_domain}.slack.com/",
            "team": self.fake.team_name,
            "user": self.fake.bot_user.name,
            "team_id": team.team_id,
            "user_id": team.bot_user_id,
            "bot_id": team.bot_id,
            "is_enterprise_install": False,
        }

    async def apps_connections_open(self, params: dict, kind: str) -> dict:
        return {"url": self.fake._socket._issue_url()}

    # ------------------------------------------------------------------ chat

    def _content(self, params: dict) -> tuple[str, list | None, list | None]:
        text = params.get("text")
        blocks = params.get("blocks")
        attachments = params.get("attachments")
        if not text and not blocks and not attachments:
            raise ApiError("no_text")
        if blocks is not None and not isinstance(blocks, list):
            raise ApiError("invalid_blocks")
        if attachments is not None and not isinstance(attachments, list):
            raise ApiError("invalid_attachments")
        if text and len(str(text)) > MESSAGE_TEXT_LIMIT:
            raise ApiError("msg_too_long")
        self._check_blocks(blocks)
        return str(text or ""), blocks, attachments

    async def chat_post_message(self, params: dict, kind: str) -> dict:
        self._check_direct_message(params)
        channel = self._channel(params)
        if channel.is_archived:
            raise ApiError("is_archived")
        text, blocks, attachments = self._content(params)
        thread_ts = params.get("thread_ts") or None
        parent: Message | None = None
        if thread_ts:
            parent = self._message(channel, thread_ts, error="thread_not_found")
            if parent.is_reply:  # replying to a reply lands in the parent's thread
                parent = self._message(channel, parent.thread_ts, error="thread_not_found")
        msg = self.fake._store_message(
            channel,
            text=text,
            user=self.fake.team.bot_user_id,
            bot_id=self.fake.team.bot_id,
            app_id=self.fake.team.api_app_id,
            thread_ts=parent.ts if parent else None,
            blocks=blocks,
            attachments=attachments,
            metadata=params.get("metadata") if isinstance(params.get("metadata"), dict) else None,
            reply_broadcast=_truthy(params.get("reply_broadcast", False)),
            params={k: v for k, v in params.items() if k not in ("channel", "text", "blocks", "attachments")},
        )
        api_msg = msg.to_api(bot_profile=self.fake._bot_profile())
        self.fake._echo(payloads.message_event(msg, channel, self.fake._bot_profile()))
        return {"channel": channel.id, "ts": msg.ts, "message": api_msg}

    def _check_direct_message(self, params: dict) -> None:
        """A user id as `channel` is a direct message from the app: refused to a bot, and to a user the fake is
        told refuses them (``refuse_dms``) with the error Slack gives."""
        user = self.fake.users.get(str(params.get("channel") or ""))
        if user is None:
            return
        if user.is_bot:
            raise ApiError("cannot_dm_bot")
        refusal = self.fake.dm_refusals.get(user.id)
        if refusal:
            raise ApiError(refusal)

    async def chat_post_ephemeral(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        user = params.get("user")
        if not user or self.fake._resolve_user(str(user)) is None:
            raise ApiError("user_not_found")
        if not channel.is_im and str(user) not in channel.members:
            raise ApiError("user_not_in_channel")
        text, blocks, _ = self._content(params)
        message_ts = self.fake.ids.ts()
        self.fake.ephemerals.append(
            Ephemeral(
                channel=channel.id,
                user=str(user),
                text=text,
                blocks=blocks,
                thread_ts=params.get("thread_ts"),
                message_ts=message_ts,
                params=dict(params),
            )
        )
        return {"message_ts": message_ts}

    async def chat_update(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        msg = self._message(channel, params.get("ts"))
        if msg.bot_id != self.fake.team.bot_id:
            raise ApiError("cant_update_message")
        if "text" not in params and "blocks" not in params and "attachments" not in params:
            raise ApiError("no_text")
        self._check_blocks(params.get("blocks"))
        previous = msg.to_api(bot_profile=self.fake._bot_profile())
        if "text" in params:
            msg.text = str(params["text"] or "")
        if "blocks" in params:
            msg.blocks = params["blocks"] or None
        if "attachments" in params:
            msg.attachments = params["attachments"] or None
        msg.edited = {"user": self.fake.team.bot_user_id, "ts": self.fake.ids.ts()}
        msg.params.update(
            {k: v for k, v in params.items() if k not in ("channel", "ts", "text", "blocks", "attachments")}
        )
        self.fake._notify()
        new = msg.to_api(bot_profile=self.fake._bot_profile())
        self.fake._echo(payloads.message_changed_event(new, previous, channel, self.fake.ids.ts()))
        return {"channel": channel.id, "ts": msg.ts, "text": msg.text, "message": new}

    async def chat_delete(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        msg = self._message(channel, params.get("ts"))
        if msg.bot_id != self.fake.team.bot_id:
            raise ApiError("cant_delete_message")
        previous = msg.to_api(bot_profile=self.fake._bot_profile())
        msg.deleted = True
        self.fake._notify()
        self.fake._echo(payloads.message_deleted_event(previous, channel, self.fake.ids.ts()))
        return {"channel": channel.id, "ts": msg.ts}

    async def chat_get_permalink(self, params: dict, kind: str) -> dict:
        channel = self._channel(params, need_member=False)
        msg = self._message(channel, params.get("message_ts"))
        return {"channel": channel.id, "permalink": self.fake.permalink(channel.id, msg.ts)}

    # ------------------------------------------------------------------ conversations

    @staticmethod
    def _window(params: dict) -> Callable[[Message], bool]:
        oldest = params.get("oldest")
        latest = params.get("latest")
        inclusive = _truthy(params.get("inclusive", False))
        lo = ts_to_micros(str(oldest)) if oldest not in (None, "", "0") else None
        hi = ts_to_micros(str(latest)) if latest not in (None, "") else None

        def ok(m: Message) -> bool:
            k = m.sort_key
            if lo is not None and (k < lo or (k == lo and not inclusive)):
                return False
            return not (hi is not None and (k > hi or (k == hi and not inclusive)))

        return ok

    @staticmethod
    def _limit(params: dict, default: int) -> int:
        try:
            limit = int(params.get("limit") or default)
        except ValueError as exc:
            raise ApiError("invalid_limit") from exc
        return max(1, min(limit, 1000)) if limit > 0 else default

    async def conversations_replies(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        ts = params.get("ts")
        if not ts:
            raise ApiError("invalid_arguments")
        parent = self._message(channel, ts, error="thread_not_found")
        if parent.is_reply:
            parent = self._message(channel, parent.thread_ts, error="thread_not_found")
        replies = self.fake._replies(channel.id, parent.ts)
        in_window = self._window(params)
        chain = [parent] + [r for r in replies if in_window(r)]
        limit = self._limit(params, 1000)
        start = 0
        if params.get("cursor"):
            after = _decode_cursor(str(params["cursor"]))
            start = next((i for i, m in enumerate(chain) if m.ts == after), len(chain))
        page = chain[start : start + limit]
        more = start + limit < len(chain)
        profile = self.fake._bot_profile()
        out = [m.to_api(replies=replies if m is parent else None, bot_profile=profile) for m in page]
        _metadata_if_asked(out, params)
        return {
            "messages": out,
            "has_more": more,
            "response_metadata": {"next_cursor": _encode_cursor(chain[start + limit].ts) if more else ""},
        }

    async def conversations_history(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        in_window = self._window(params)
        top = [
            m for m in self.fake._channel_messages(channel.id) if (not m.is_reply or m.reply_broadcast) and in_window(m)
        ]
        top.reverse()  # newest first
        limit = self._limit(params, 100)
        start = 0
        if params.get("cursor"):
            after = _decode_cursor(str(params["cursor"]))
            start = next((i for i, m in enumerate(top) if m.ts == after), len(top))
        page = top[start : start + limit]
        more = start + limit < len(top)
        profile = self.fake._bot_profile()
        out = [m.to_api(replies=self.fake._replies(channel.id, m.ts) or None, bot_profile=profile) for m in page]
        _metadata_if_asked(out, params)
        result: dict[str, Any] = {
            "messages": out,
            "has_more": more,
            "pin_count": 0,
            "channel_actions_ts": None,
            "channel_actions_count": 0,
        }
        result["response_metadata"] = {"next_cursor": _encode_cursor(top[start + limit].ts) if more else ""}
        return result

    async def conversations_info(self, params: dict, kind: str) -> dict:
        channel = self._channel(params, need_member=False)
        if channel.is_private and self.fake.team.bot_user_id not in channel.members:
            raise ApiError("channel_not_found")
        return {"channel": channel.to_api(self.fake.team.bot_user_id)}

    async def conversations_join(self, params: dict, kind: str) -> dict:
        channel = self._channel(params, need_member=False)
        if channel.is_private or channel.is_im:
            if self.fake.team.bot_user_id not in channel.members:
                raise ApiError("channel_not_found")
            raise ApiError("method_not_supported_for_channel_type")
        if channel.is_archived:
            raise ApiError("is_archived")
        already = self.fake.team.bot_user_id in channel.members
        channel.members.add(self.fake.team.bot_user_id)
        out: dict[str, Any] = {"channel": channel.to_api(self.fake.team.bot_user_id)}
        if already:
            out["warning"] = "already_in_channel"
            out["response_metadata"] = {"warnings": ["already_in_channel"]}
        return out

    async def conversations_members(self, params: dict, kind: str) -> dict:
        channel = self._channel(params)
        return {"members": sorted(channel.members), "response_metadata": {"next_cursor": ""}}

    async def conversations_open(self, params: dict, kind: str) -> dict:
        users = str(params.get("users") or "").split(",")
        users = [u.strip() for u in users if u.strip()]
        if len(users) != 1:
            raise ApiError("users_list_not_supplied" if not users else "not_enough_users")
        if self.fake._resolve_user(users[0]) is None:
            raise ApiError("user_not_found")
        channel = self.fake._dm_channel(users[0])
        return {"channel": {"id": channel.id}, "no_op": True, "already_open": True}

    # ------------------------------------------------------------------ files

    async def files_get_upload_url_external(self, params: dict, kind: str) -> dict:
        try:
            return self.fake.files.get_upload_url(params)
        except FileError as problem:
            raise ApiError(problem.error) from None

    async def files_complete_upload_external(self, params: dict, kind: str) -> dict:
        try:
            return self.fake.files.complete(params)
        except FileError as problem:
            raise ApiError(problem.error) from None

    # ------------------------------------------------------------------ users

    async def users_info(self, params: dict, kind: str) -> dict:
        user = self.fake.users.get(str(params.get("user") or ""))
        if user is None:
            raise ApiError("user_not_found")
        return {"user": user.to_api(self.fake.team.team_id)}

    # ------------------------------------------------------------------ views

    def _view_payload(self, params: dict) -> dict:
        view = params.get("view")
        if not isinstance(view, dict) or "type" not in view:
            raise ApiError("invalid_arguments")
        self._check_blocks(view.get("blocks"), "modal")
        if len(str((view.get("title") or {}).get("text", ""))) > 24:
            raise ApiError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]
                },
            )
        if len(str(view.get("private_metadata", ""))) > 3000:
            raise ApiError(
                "invalid_arguments",
                response_metadata={
                    "messages": ["[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"]
                },
            )
        return view

    def _consume_trigger(self, params: dict) -> str:
        trigger_id = str(params.get("trigger_id") or "")
        if not trigger_id:
            raise ApiError("invalid_arguments")
        state = self.fake._triggers.get(trigger_id)
        if state is None:
            raise ApiError("invalid_trigger_id")
        if state["used"]:
            raise ApiError("exchanged_trigger_id")
        if self.fake.now() - state["issued"] > TRIGGER_SECONDS:
            raise ApiError("expired_trigger_id")
        state["used"] = True
        return trigger_id

    def _full_view(self, record: View) -> dict:
        team = self.fake.team
        v = record.view
        return {
            "id": record.id,
            "team_id": team.team_id,
            "type": v.get("type", "modal"),
            "blocks": v.get("blocks", []),
            "private_metadata": v.get("private_metadata", ""),
            "callback_id": v.get("callback_id", ""),
            "state": {"values": {}},
            "hash": record.hash,
            "title": v.get("title"),
            "clear_on_close": bool(v.get("clear_on_close", False)),
            "notify_on_close": bool(v.get("notify_on_close", False)),
            "close": v.get("close"),
            "submit": v.get("submit"),
            "previous_view_id": record.previous_view_id,
            "root_view_id": record.root_view_id,
            "app_id": team.api_app_id,
            "external_id": v.get("external_id", ""),
            "app_installed_team_id": team.team_id,
            "bot_id": team.bot_id,
        }

    def _new_view(
        self, method: str, view: dict, trigger_id: str | None, user_id: str | None, root: View | None
    ) -> View:
        view_id = self.fake.ids.next("V0", 9)
        record = View(
            id=view_id,
            view=view,
            method=method,
            trigger_id=trigger_id,
            user_id=user_id,
            hash=self.fake.ids.view_hash(),
            root_view_id=root.root_view_id if root else view_id,
            previous_view_id=root.id if root else None,
        )
        self.fake.views.append(record)
        self.fake._notify()
        return record

    async def views_open(self, params: dict, kind: str) -> dict:
        view = self._view_payload(params)
        trigger_id = self._consume_trigger(params)
        user_id = self.fake._triggers[trigger_id].get("user_id")
        record = self._new_view("views.open", view, trigger_id, user_id, None)
        return {"view": self._full_view(record)}

    async def views_push(self, params: dict, kind: str) -> dict:
        view = self._view_payload(params)
        trigger_id = self._consume_trigger(params)
        trig = self.fake._triggers[trigger_id]
        root = self.fake._find_view(trig.get("view_id")) if trig.get("view_id") else None
        record = self._new_view("views.push", view, trigger_id, trig.get("user_id"), root)
        return {"view": self._full_view(record)}

    async def views_update(self, params: dict, kind: str) -> dict:
        view = self._view_payload(params)
        record = None
        if params.get("view_id"):
            record = self.fake._find_view(str(params["view_id"]))
        elif params.get("external_id"):
            record = next((v for v in reversed(self.fake.views) if v.external_id == params["external_id"]), None)
        else:
            raise ApiError("invalid_arguments")
        if record is None:
            raise ApiError("not_found")
        if params.get("hash") and params["hash"] != record.hash:
            raise ApiError("hash_conflict")
        record.history.append(record.view)
        record.view = view
        record.method = "views.update"
        record.hash = self.fake.ids.view_hash()
        self.fake._notify()
        return {"view": self._full_view(record)}

    async def views_publish(self, params: dict, kind: str) -> dict:
        view = self._view_payload(params)
        user_id = str(params.get("user_id") or "")
        if user_id not in self.fake.users:
            raise ApiError("user_not_found")
        record = next((v for v in self.fake.views if v.method == "views.publish" and v.user_id == user_id), None)
        if record is None:
            record = self._new_view("views.publish", view, None, user_id, None)
        else:
            record.history.append(record.view)
            record.view = view
            record.hash = self.fake.ids.view_hash()
            self.fake._notify()
        return {"view": self._full_view(record)}

    # ------------------------------------------------------------------ reactions

    def _reaction_target(self, params: dict) -> tuple[Channel, Message, str]:
        channel = self._channel(params)
        msg = self._message(channel, params.get("timestamp"))
        name = str(params.get("name") or "").strip(":")
        if not name:
            raise ApiError("invalid_name")
        return channel, msg, name

    async def reactions_add(self, params: dict, kind: str) -> dict:
        channel, msg, name = self._reaction_target(params)
        users = msg.reactions.setdefault(name, [])
        bot = self.fake.team.bot_user_id
        if bot in users:
            raise ApiError("already_reacted")
        users.append(bot)
        self.fake._notify()
        self.fake._echo(
            payloads.reaction_event("reaction_added", bot, name, channel, msg.ts, msg.user, self.fake.ids.ts())
        )
        return {}

    async def reactions_remove(self, params: dict, kind: str) -> dict:
        channel, msg, name = self._reaction_target(params)
        bot = self.fake.team.bot_user_id
        users = msg.reactions.get(name, [])
        if bot not in users:
            raise ApiError("no_reaction")
        users.remove(bot)
        self.fake._notify()
        self.fake._echo(
            payloads.reaction_event("reaction_removed", bot, name, channel, msg.ts, msg.user, self.fake.ids.ts())
        )
        return {}
