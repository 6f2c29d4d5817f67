"""What Slack users do (messages, edits, reactions, slash commands, clicks, modal submissions) and how
it reaches the app: a Socket Mode envelope, a signed HTTP POST, or nothing (``mode="none"``)."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

import aiohttp
from aiohttp import web

from . import block_kit, payloads, scopes
from .http_sender import HttpResult, encode_body, post_signed
from .state import Channel, Envelope, ResponseUrlPost, User

RESPONSE_URL_SECONDS = 30 * 60.0  # Slack: a response_url takes up to 5 posts within 30 minutes
RESPONSE_URL_USES = 5
ACK_SECONDS = 3.0  # Slack counts a delivery not acknowledged within 3 s as failed

UserRef = User | str
ChannelRef = Channel | str


class Delivery(str):
    """What an injection returned. It *is* a string — the message ts for message/reaction injections,
    otherwise the delivery id — so ``ts = await fake.user_message(...)`` works, and it carries:

    ``mode`` ("socket"/"http"), ``kind``, ``payload`` (what Slack sent), ``event_id``, ``envelope_id``,
    ``ts``, ``trigger_id``, ``response_url``, ``status``/``body``/``http`` (HTTP mode), ``json`` (parsed body).
    """

    mode: str
    kind: str
    payload: dict
    event_id: str | None
    envelope_id: str | None
    ts: str | None
    trigger_id: str | None
    response_url: str | None
    status: int | None
    body: str | None
    http: HttpResult | None

    def __new__(cls, value: str, **attrs: Any) -> Delivery:
        obj = super().__new__(cls, value)
        defaults = dict(
            mode="",
            kind="",
            payload={},
            event_id=None,
            envelope_id=None,
            ts=None,
            trigger_id=None,
            response_url=None,
            status=None,
            body=None,
            http=None,
        )
        defaults.update(attrs)
        obj.__dict__.update(defaults)
        return obj

    @property
    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except json.JSONDecodeError:
            return None


class UserActions:
    """Mixin of ``FakeSlack``: injection of user activity and its delivery to the app."""

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        entry = self._response_urls.get(request.match_info["rid"])
        if entry is None:
            return web.Response(status=404, text="no_such_response_url")
        if self.now() - entry["issued"] > RESPONSE_URL_SECONDS:
            self.refused_response_posts.append((entry["url"], "expired_url"))
            return web.Response(status=404, text="expired_url")
        if entry["uses"] >= RESPONSE_URL_USES:
            self.refused_response_posts.append((entry["url"], "used_url"))
            return web.Response(status=404, text="used_url")
        if request.content_type == "application/json":
            body = await request.json()
        else:
            form = await request.post()
            body = json.loads(form["payload"]) if "payload" in form else dict(form)  # type: ignore[arg-type]
        found = block_kit.problems(body.get("blocks"))
        if found:
            self.refused_response_posts.append((entry["url"], "invalid_blocks"))
            return web.Response(status=400, text="invalid_blocks")
        entry["uses"] += 1
        self.response_posts.append(ResponseUrlPost(response_url=entry["url"], body=body, source=entry["source"]))
        source = entry["source"]
        channel = self.channels.get(source.get("channel_id") or (source.get("channel") or {}).get("id", ""))
        original = source.get("message") or {}
        if channel is not None:
            if body.get("delete_original") and original.get("ts"):
                msg = self._messages.get((channel.id, original["ts"]))
                if msg is not None:
                    msg.deleted = True
            elif body.get("replace_original") and original.get("ts"):
                msg = self._messages.get((channel.id, original["ts"]))
                if msg is not None:
                    msg.text = body.get("text", msg.text)
                    msg.blocks = body.get("blocks", msg.blocks)
            elif body.get("response_type") == "in_channel":
                self._store_message(
                    channel,
                    text=body.get("text", ""),
                    blocks=body.get("blocks"),
                    user=self.team.bot_user_id,
                    bot_id=self.team.bot_id,
                    app_id=self.team.api_app_id,
                    thread_ts=body.get("thread_ts"),
                )
        self._notify()
        return web.Response(text="ok", content_type="text/html")

    # ------------------------------------------------------------------ delivery

    async def _deliver(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        *,
        value: str,
        kind: str,
        mode: str | None = None,
        accepts_response_payload: bool = False,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        signature: str = "valid",
        stale: bool = False,
        timestamp: int | None = None,
        wait_ack: bool = False,
        extra: dict[str, Any] | None = None,
    ) -> Delivery:
        mode = mode or self.mode
        attrs: dict[str, Any] = dict(mode=mode, kind=kind, payload=payload, **(extra or {}))
        if envelope_type == "events_api":
            attrs["event_id"] = payload.get("event_id")
        if mode == "none":
            delivery = Delivery(value or attrs.get("event_id") or uuid.uuid4().hex, **attrs)
        elif mode == "socket":
            if signature != "valid" or stale:
                raise ValueError("signature/stale options only apply to mode='http'")
            envelope = Envelope(
                envelope_id=self.ids.envelope_id(),
                type=envelope_type,
                payload=payload,
                accepts_response_payload=accepts_response_payload,
                retry_attempt=retry_num or 0,
                retry_reason=retry_reason or "",
            )
            await self._socket.send(envelope, self.delivery_timeout)
            attrs["envelope_id"] = envelope.envelope_id
            delivery = Delivery(value or envelope.envelope_id, **attrs)
            if wait_ack:
                await self.wait_for_ack(envelope.envelope_id, self.delivery_timeout)
        elif mode == "http":
            if not self.app_url:
                raise RuntimeError("FakeSlack(mode='http') needs app_url (e.g. http://127.0.0.1:3000/slack/events)")
            assert self._session is not None
            body, ctype = encode_body(envelope_type, payload)
            started = time.monotonic()
            result = await post_signed(
                self._session,
                self.app_url,
                body,
                ctype,
                self.signing_secret,
                signature=signature,
                stale=stale,
                timestamp=timestamp,
                retry_num=retry_num,
                retry_reason=retry_reason,
                timeout=self.delivery_timeout,
            )
            took = time.monotonic() - started
            if took > ACK_SECONDS:
                self.late_acks.append((kind, took))
            attrs.update(status=result.status, body=result.body, http=result)
            delivery = Delivery(value or attrs.get("event_id") or uuid.uuid4().hex, **attrs)
        else:
            raise ValueError(f"unknown mode {mode!r}")
        self.deliveries.append(delivery)
        self._notify()
        return delivery

    async def send_event(self, event: dict[str, Any], *, value: str = "", **opts: Any) -> Delivery:
        """Deliver any ``event`` inside an ``event_callback`` wrapper (new ``event_id``)."""
        channel = self._resolve_channel(str(event.get("channel") or (event.get("item") or {}).get("channel") or ""))
        needed = scopes.needed_for_event(str(event.get("type", "")), channel)
        if needed and needed not in self.granted_scopes:
            self.undelivered.append(event)  # Slack sends no event the app has no scope for
            opts = {**opts, "mode": "none"}
        event_id = self.ids.event_id()
        wrapper = payloads.event_callback(self.team, event, event_id)
        self._events[event_id] = {"payload": wrapper, "retries": 0}
        ts = event.get("ts") if event.get("type") == "message" and not event.get("subtype") else None
        return await self._deliver(
            "events_api",
            wrapper,
            value=value or ts or event_id,
            kind=event.get("type", "event"),
            extra={"ts": ts},
            **opts,
        )

    async def deliver_again(self, event_id: str, *, retry_reason: str = "http_timeout", **opts: Any) -> Delivery:
        """Slack's retry of an event: same payload and ``event_id``; ``X-Slack-Retry-Num``/``-Reason`` headers
        (HTTP) or ``retry_attempt``/``retry_reason`` (Socket Mode). Accepts an event id or an envelope id."""
        entry = self._events.get(event_id)
        if entry is None:
            env = next((e for e in self.envelopes if e.envelope_id == event_id), None)
            if env is None or env.type != "events_api":
                raise KeyError(f"no delivered event {event_id!r}")
            entry = self._events[env.payload["event_id"]]
        entry["retries"] += 1
        payload = entry["payload"]
        if self.mode == "http" and "timestamp" not in opts:
            # Slack signs every retry afresh: a later timestamp, so a new signature (never a replay)
            opts["timestamp"] = int(time.time()) + entry["retries"]
        return await self._deliver(
            "events_api",
            payload,
            value=payload["event_id"],
            kind=payload["event"].get("type", "event"),
            retry_num=entry["retries"],
            retry_reason=retry_reason,
            **opts,
        )

    async def redeliver_unacked(self, *, retry_reason: str = "timeout") -> list[Delivery]:
        """Re-send (as Socket Mode retries) every ``events_api`` envelope that was never acked."""
        seen: set[str] = set()
        out = []
        for env in list(self.envelopes):
            eid = env.payload.get("event_id")
            if env.type != "events_api" or env.envelope_id in self.acks or eid in seen:
                continue
            if any(e.payload.get("event_id") == eid and e.envelope_id in self.acks for e in self.envelopes):
                continue
            seen.add(eid)
            out.append(await self.deliver_again(eid, retry_reason=retry_reason, mode="socket"))
        return out

    async def socket_disconnect(self, reason: str = "refresh_requested", close_after: float | None = None) -> None:
        """Send a ``disconnect`` message (the client calls ``apps.connections.open`` again and reconnects)."""
        await self._socket.disconnect(reason, close_after)

    async def socket_drop(self) -> None:
        """Abruptly close the websocket(s) from the server side."""
        await self._socket.drop()

    # ------------------------------------------------------------------ what users do

    async def user_message(
        self,
        channel: ChannelRef,
        user: UserRef,
        text: str,
        thread_ts: str | None = None,
        *,
        blocks: list | None = None,
        reply_broadcast: bool = False,
        **opts: Any,
    ) -> Delivery:
        """A user posts (``message`` event; stored so ``conversations.replies``/``history`` return it).
        Returns a ``Delivery`` equal to the new message's ts."""
        ch, u = self.channel(channel), self.user(user)
        parent_ts = None
        if thread_ts:
            parent = self._messages.get((ch.id, str(thread_ts)))
            if parent is None:
                raise KeyError(f"no message {thread_ts} in {ch.id}")
            parent_ts = parent.thread_ts if parent.is_reply else parent.ts
        msg = self._store_message(
            ch,
            text=text,
            user=u.id,
            thread_ts=parent_ts,
            blocks=blocks if blocks is not None else payloads.rich_text_blocks(text),
            client_msg_id=str(uuid.uuid4()),
            reply_broadcast=reply_broadcast,
        )
        event = payloads.message_event(msg, ch)
        return await self.send_event(event, value=msg.ts, **opts)

    async def bot_message(
        self, channel: ChannelRef, text: str, *, bot: UserRef = "otherbot", username: str = "otherbot", **opts: Any
    ) -> Delivery:
        """Another integration posts: ``message`` with ``subtype: bot_message`` and its ``bot_id``."""
        ch, b = self.channel(channel), self.user(bot)
        msg = self._store_message(ch, text=text, bot_id=b.bot_id or "B0OTHER001", subtype="bot_message")
        event = payloads.message_event(msg, ch)
        event["username"] = username
        return await self.send_event(event, value=msg.ts, **opts)

    async def user_edit(
        self, channel: ChannelRef, ts: str, text: str, *, user: UserRef | None = None, **opts: Any
    ) -> Delivery:
        """The author edits a message: ``message_changed`` with ``message`` and ``previous_message``."""
        ch = self.channel(channel)
        msg = self._messages[(ch.id, str(ts))]
        previous = msg.to_api(replies=self._replies(ch.id, msg.ts) or None)
        msg.text = text
        msg.blocks = payloads.rich_text_blocks(text) if msg.blocks is not None and not msg.bot_id else msg.blocks
        editor = self.user(user).id if user is not None else msg.user
        event_ts = self.ids.ts()
        msg.edited = {"user": editor or "", "ts": event_ts}
        self._notify()
        new = msg.to_api(replies=self._replies(ch.id, msg.ts) or None)
        event = payloads.message_changed_event(new, previous, ch, event_ts)
        return await self.send_event(event, value=msg.ts, **opts)

    async def user_delete(self, channel: ChannelRef, ts: str, **opts: Any) -> Delivery:
        """A message is deleted: ``message_deleted`` with ``deleted_ts`` and ``previous_message``."""
        ch = self.channel(channel)
        msg = self._messages[(ch.id, str(ts))]
        previous = msg.to_api()
        msg.deleted = True
        self._notify()
        event = payloads.message_deleted_event(previous, ch, self.ids.ts())
        return await self.send_event(event, value=msg.ts, **opts)

    async def _reaction(
        self, kind: str, channel: ChannelRef, ts: str, user: UserRef, reaction: str, **opts: Any
    ) -> Delivery:
        ch, u = self.channel(channel), self.user(user)
        msg = self._messages[(ch.id, str(ts))]
        name = reaction.strip(":")
        users = msg.reactions.setdefault(name, [])
        if kind == "reaction_added" and u.id not in users:
            users.append(u.id)
        elif kind == "reaction_removed" and u.id in users:
            users.remove(u.id)
        self._notify()
        event = payloads.reaction_event(kind, u.id, name, ch, msg.ts, msg.user, self.ids.ts())
        return await self.send_event(event, value=msg.ts, **opts)

    async def user_react(
        self, channel: ChannelRef, ts: str, user: UserRef, reaction: str = "+1", **opts: Any
    ) -> Delivery:
        """``reaction_added`` (``item: {type: message, channel, ts}``, ``item_user``)."""
        return await self._reaction("reaction_added", channel, ts, user, reaction, **opts)

    async def user_unreact(
        self, channel: ChannelRef, ts: str, user: UserRef, reaction: str = "+1", **opts: Any
    ) -> Delivery:
        return await self._reaction("reaction_removed", channel, ts, user, reaction, **opts)

    async def user_join(self, channel: ChannelRef, user: UserRef, **opts: Any) -> Delivery:
        """A user joins: ``member_joined_channel`` then a ``message``/``channel_join`` (returned)."""
        ch, u = self.channel(channel), self.user(user)
        ch.members.add(u.id)
        await self.send_event(payloads.member_joined_channel_event(u, ch, self.ids.ts(), self.team), **opts)
        msg = self._store_message(ch, text=f"<@{u.id}> has joined the channel", user=u.id, subtype="channel_join")
        return await self.send_event(payloads.channel_join_event(u, ch, msg.ts, self.team), value=msg.ts, **opts)

    async def slash_command(
        self, user: UserRef, channel: ChannelRef, command: str, text: str = "", **opts: Any
    ) -> Delivery:
        """``/command text``: form body (HTTP) or a ``slash_commands`` envelope (``accepts_response_payload``).
        The Delivery carries ``trigger_id`` and ``response_url`` (posts to it land in ``fake.response_posts``)."""
        ch, u = self.channel(channel), self.user(user)
        trigger_id = self._issue_trigger(u.id)
        source: dict[str, Any] = {"channel_id": ch.id}
        response_url = self._issue_response_url(source)
        payload = payloads.slash_command(self.team, u, ch, command, text, response_url, trigger_id)
        source.update(payload)
        return await self._deliver(
            "slash_commands",
            payload,
            value=trigger_id,
            kind="slash_command",
            accepts_response_payload=True,
            extra={"trigger_id": trigger_id, "response_url": response_url},
            **opts,
        )

    async def click_button(
        self,
        user: UserRef,
        channel: ChannelRef,
        message_ts: str,
        action_id: str,
        value: str | None = None,
        *,
        block_id: str | None = None,
        text: str | None = None,
        **opts: Any,
    ) -> Delivery:
        """A click on a button of a stored message: ``block_actions`` (``payload=`` form field over HTTP,
        an ``interactive`` envelope in Socket Mode). ``block_id``/``text``/``value`` default to the button's."""
        ch, u = self.channel(channel), self.user(user)
        msg = self._messages.get((ch.id, str(message_ts)))
        if msg is None:
            raise KeyError(f"no message {message_ts} in {ch.id}")
        element = None
        for block in msg.blocks or []:
            for el in block.get("elements", []) + ([block["accessory"]] if "accessory" in block else []):
                if isinstance(el, dict) and el.get("action_id") == action_id:
                    element, block_id = el, block_id or block.get("block_id")
        element = element or {}
        action = {
            "action_id": action_id,
            "block_id": block_id or uuid.uuid4().hex[:5],
            "text": element.get("text") or {"type": "plain_text", "text": text or action_id, "emoji": True},
            "value": value if value is not None else element.get("value", ""),
            "type": element.get("type", "button"),
            "action_ts": f"{time.time():.6f}",
        }
        if element.get("style"):
            action["style"] = element["style"]
        trigger_id = self._issue_trigger(u.id)
        source: dict[str, Any] = {"channel_id": ch.id}
        response_url = self._issue_response_url(source)
        message = msg.to_api(
            replies=self._replies(ch.id, msg.ts) or None,
            bot_profile=self._bot_profile() if msg.bot_id == self.team.bot_id else None,
        )
        payload = payloads.block_actions(self.team, u, ch, message, action, trigger_id, response_url)
        source["message"] = message
        return await self._deliver(
            "interactive",
            payload,
            value=trigger_id,
            kind="block_actions",
            extra={"trigger_id": trigger_id, "response_url": response_url},
            **opts,
        )

    async def message_shortcut(
        self, user: UserRef, channel: ChannelRef, message_ts: str, callback_id: str, **opts: Any
    ) -> Delivery:
        """A member picks a message shortcut from a stored message's menu: ``message_action``."""
        ch, u = self.channel(channel), self.user(user)
        msg = self._messages.get((ch.id, str(message_ts)))
        if msg is None:
            raise KeyError(f"no message {message_ts} in {ch.id}")
        trigger_id = self._issue_trigger(u.id)
        response_url = self._issue_response_url({"channel_id": ch.id})
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": trigger_id,
            "response_url": response_url,
            "action_ts": f"{time.time():.6f}",
            "message_ts": msg.ts,
            "user": {"id": u.id, "name": u.name, "team_id": self.team.team_id},
            "team": {"id": self.team.team_id, "domain": self.team.team_domain},
            "channel": {"id": ch.id, "name": ch.name},
            "message": msg.to_api(),
            "token": self.team.verification_token,
            "api_app_id": self.team.api_app_id,
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return await self._deliver(
            "interactive",
            payload,
            value=trigger_id,
            kind="message_action",
            extra={"trigger_id": trigger_id, "response_url": response_url},
            **opts,
        )

    async def submit_view(
        self, user: UserRef, view: str, values: dict[str, Any] | None = None, **opts: Any
    ) -> Delivery:
        """Submit a modal the bot opened (``view`` is its view id or callback_id): ``view_submission`` with
        ``view.state.values`` built from ``values`` (see ``payloads.state_values`` for accepted shapes)."""
        u = self.user(user)
        record = self._find_view(view)
        if record is None:
            raise KeyError(f"no view {view!r} was opened (views: {[(v.id, v.callback_id) for v in self.views]})")
        full = self._api._full_view(record)
        full["state"] = {"values": payloads.state_values(values or {}, full.get("blocks", []))}
        trigger_id = self._issue_trigger(u.id, view_id=record.id)
        payload = payloads.view_submission(self.team, u, full, trigger_id)
        return await self._deliver(
            "interactive",
            payload,
            value=trigger_id,
            kind="view_submission",
            accepts_response_payload=True,
            extra={"trigger_id": trigger_id},
            **opts,
        )

    async def url_verification(self, challenge: str | None = None, **opts: Any) -> Delivery:
        """HTTP mode: ``{"type": "url_verification", "challenge": ...}``; bolt answers the challenge."""
        challenge = challenge or uuid.uuid4().hex
        payload = payloads.url_verification(self.team, challenge)
        return await self._deliver("events_api", payload, value=challenge, kind="url_verification", mode="http", **opts)

    async def verify_request_url(self) -> str:
        """What Slack does when a request URL is saved under Event Subscriptions: a signed ``url_verification``
        that must be answered 200 within 3 seconds with the challenge (as plain text, JSON or a form).
        Returns ``"verified"`` or, like Slack's settings page, why not."""
        challenge = uuid.uuid4().hex
        timeout, self.delivery_timeout = self.delivery_timeout, 3.0
        try:
            delivery = await self.url_verification(challenge)
        except (aiohttp.ClientError, TimeoutError) as problem:
            return f"Your URL didn't respond ({type(problem).__name__})"
        finally:
            self.delivery_timeout = timeout
        if delivery.status != 200:
            return f"Your URL didn't respond with the value of the challenge parameter (HTTP {delivery.status})"
        body = (delivery.body or "").strip()
        answered = {body, str((delivery.json or {}).get("challenge", "")) if isinstance(delivery.json, dict) else ""}
        answered.update(values[0] for key, values in parse_qs(body).items() if key == "challenge")
        if challenge not in answered:
            return "Your URL didn't respond with the value of the challenge parameter"
        return "verified"

    async def ssl_check(self, **opts: Any) -> Delivery:
        payload = {"ssl_check": "1", "token": self.team.verification_token}
        return await self._deliver("ssl_check", payload, value="ssl_check", kind="ssl_check", mode="http", **opts)
