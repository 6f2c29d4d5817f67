"""``FakeSlack``: one workspace served on 127.0.0.1 (Web API + Socket Mode + response_urls) plus the
methods tests use to act as Slack users and to inspect what the bot did."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp
from aiohttp import web

from .actions import ChannelRef, Delivery, UserActions, UserRef
from .files import Files
from .ids import IdFactory
from .payloads import TeamInfo
from .scopes import ALL_BOT_SCOPES
from .socket_mode import SocketModeServer
from .state import Ack, ApiCall, Channel, Envelope, Ephemeral, Message, ResponseUrlPost, User, View
from .web_api import WebApi


class FakeSlack(UserActions):
    """A fake Slack workspace. ``async with FakeSlack() as fake:`` then point slack_sdk at ``fake.api_url``.

    Delivery of user actions: ``mode="socket"`` (default; needs a Socket Mode client connected with
    ``fake.app_token``), ``mode="http"`` (POSTs signed requests to ``app_url``) or ``mode="none"`` (state only).
    """

    def __init__(
        self,
        *,
        mode: str = "socket",
        app_url: str | None = None,
        bot_token: str = "xoxb-1111-2222-fakebottoken",
        app_token: str = "xapp-1-A0APP00001-3333-fakeapptoken",
        signing_secret: str = "fake-signing-secret-0123456789abcdef",
        verification_token: str = "fakeVerificationToken",
        team_id: str = "T0TEAM0001",
        team_name: str = "Studybot Test",
        team_domain: str = "studybot-test",
        bot_user_id: str = "U0BOT00001",
        bot_id: str = "B0BOT00001",
        bot_name: str = "studybot",
        api_app_id: str = "A0APP00001",
        bot_scopes: str = ALL_BOT_SCOPES,
        echo_bot_messages: bool = True,
        start_ts: float | None = None,
        ts_per_channel: bool = False,
        host: str = "127.0.0.1",
        delivery_timeout: float = 5.0,
        default_users: bool = True,
    ) -> None:
        if mode not in ("socket", "http", "none"):
            raise ValueError("mode must be 'socket', 'http' or 'none'")
        self.mode = mode
        self.app_url = app_url
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.team_name = team_name
        self.bot_scopes = bot_scopes
        self.echo_bot_messages = echo_bot_messages
        self.host = host
        self.port = 0
        self.delivery_timeout = delivery_timeout
        self.team = TeamInfo(
            team_id=team_id,
            team_domain=team_domain,
            api_app_id=api_app_id,
            bot_user_id=bot_user_id,
            bot_id=bot_id,
            verification_token=verification_token,
        )
        self.ids = IdFactory(start_ts=start_ts, ts_per_channel=ts_per_channel)
        self.user_tokens: set[str] = set()
        self.revoked_tokens: set[str] = set()  # bot tokens of an uninstall or a revocation: `token_revoked`
        self.time_offset = 0.0  # `advance` moves the fake's clock for trigger_id and response_url expiry

        # state
        self.users: dict[str, User] = {}
        self.dm_refusals: dict[str, str] = {}  # user id -> the error chat.postMessage gives a DM to them
        self.channels: dict[str, Channel] = {}
        self._messages: dict[tuple[str, str], Message] = {}
        self._by_channel: dict[str, list[Message]] = {}
        self._triggers: dict[str, dict[str, Any]] = {}
        self._response_urls: dict[str, dict[str, Any]] = {}
        self._events: dict[str, dict[str, Any]] = {}  # event_id -> {"payload", "retries"}
        # records
        self.calls: list[ApiCall] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: list[View] = []
        self.envelopes: list[Envelope] = []
        self.acks: dict[str, Ack] = {}
        self.response_posts: list[ResponseUrlPost] = []
        self.refused_response_posts: list[tuple[str, str]] = []  # (response_url, expired_url | used_url)
        self.deliveries: list[Delivery] = []
        self.echoes: list[dict[str, Any]] = []
        self.socket_garbage: list[str] = []
        self.late_acks: list[tuple[str, float]] = []  # (what was delivered, seconds to its ack) beyond 3 s
        self.undelivered: list[dict[str, Any]] = []  # events Slack would not send: a scope is missing
        self.errors: list[BaseException] = []
        # failure injection
        self._rate_limits: dict[str, list[int]] = {}  # method -> [remaining, retry_after]
        self._failures: dict[str, list[Any]] = {}  # method -> [remaining, status, error]

        self._changed = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self._api = WebApi(self)
        self.files = Files(self)  # uploads, by file id
        self._socket = SocketModeServer(self)

        self.bot_user = self.add_user(bot_name, user_id=bot_user_id, is_bot=True, bot_id=bot_id, display_name=bot_name)
        if default_users:
            self.owner = self.add_user(
                "olive", user_id="U0OWNER001", is_owner=True, is_primary_owner=True, is_admin=True, display_name="Olive"
            )
            self.admin = self.add_user("ada", user_id="U0ADMIN001", is_admin=True, display_name="Ada")
            self.alice = self.add_user("alice", user_id="U0ALICE001", display_name="Alice")
            self.bob = self.add_user("bob", user_id="U0BOB00001", display_name="Bob")
            self.other_bot = self.add_user("otherbot", user_id="U0OBOT0001", is_bot=True, bot_id="B0OTHER001")
            everyone = [u.id for u in self.users.values()]
            self.general = self.add_channel("general", channel_id="C0GENERAL1", members=everyone)
            self.random = self.add_channel(
                "random", channel_id="C0RANDOM01", members=[u for u in everyone if u != bot_user_id]
            )
            self.private = self.add_channel(
                "study-private", channel_id="C0PRIVATE1", is_private=True, members=[bot_user_id, self.alice.id]
            )

    # ------------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeSlack:
        await self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api.handle)
        app.router.add_get("/socket-mode", self._socket.handle)
        app.router.add_post("/response-url/{rid}", self._handle_response_url)
        app.router.add_post("/upload/v1/{file_id}", self.files.receive)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._socket.close_all()
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def api_url(self) -> str:
        """``http://127.0.0.1:PORT/api/`` — give it to ``AsyncWebClient(base_url=...)`` / ``SLACK_API_URL``."""
        return f"{self.base_url}api/"

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode websocket connections were accepted so far."""
        return self._socket.connections

    @property
    def socket_open(self) -> int:
        return sum(1 for _, w in self._socket.open if not w.closed)

    # ------------------------------------------------------------------ workspace setup

    def add_user(
        self,
        name: str,
        *,
        user_id: str | None = None,
        display_name: str = "",
        real_name: str = "",
        is_admin: bool = False,
        is_owner: bool = False,
        is_primary_owner: bool = False,
        is_bot: bool = False,
        bot_id: str | None = None,
        deleted: bool = False,
        join: tuple[str, ...] = (),
    ) -> User:
        user = User(
            id=user_id or self.ids.next("U0", 8),
            name=name,
            display_name=display_name,
            real_name=real_name or name.title(),
            is_admin=is_admin,
            is_owner=is_owner,
            is_primary_owner=is_primary_owner,
            is_bot=is_bot,
            bot_id=bot_id,
            deleted=deleted,
        )
        self.users[user.id] = user
        for ch in join:
            channel = self.channel(ch)
            channel.members.add(user.id)
        return user

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        is_private: bool = False,
        bot_member: bool | None = None,
        members: list[str] | None = None,
        is_archived: bool = False,
    ) -> Channel:
        mem = set(members) if members is not None else set(self.users)
        if bot_member is True:
            mem.add(self.team.bot_user_id)
        elif bot_member is False:
            mem.discard(self.team.bot_user_id)
        channel = Channel(
            id=channel_id or self.ids.next("C0", 8),
            name=name.lstrip("#"),
            is_private=is_private,
            is_archived=is_archived,
            members=mem,
        )
        self.channels[channel.id] = channel
        self._by_channel.setdefault(channel.id, [])
        return channel

    def user(self, ref: UserRef) -> User:
        found = self._resolve_user(ref)
        if found is None:
            raise KeyError(f"no user {ref!r} in the fake workspace")
        return found

    def channel(self, ref: ChannelRef) -> Channel:
        found = self._resolve_channel(ref)
        if found is None:
            raise KeyError(f"no channel {ref!r} in the fake workspace")
        return found

    def refuse_dms(self, user: UserRef, error: str = "not_allowed") -> None:
        """Direct messages from the app to `user` are refused with `error` (chat.postMessage's answer)."""
        found = self._resolve_user(user)
        assert found is not None, user
        self.dm_refusals[found.id] = error

    def remove_bot_from(self, channel: ChannelRef) -> None:
        """The bot is no longer a member: posting answers ``not_in_channel`` (``channel_not_found`` if private)."""
        self.channel(channel).members.discard(self.team.bot_user_id)

    def add_bot_to(self, channel: ChannelRef) -> None:
        self.channel(channel).members.add(self.team.bot_user_id)

    def archive(self, channel: ChannelRef) -> None:
        self.channel(channel).is_archived = True

    def delete_channel(self, channel: ChannelRef) -> None:
        """Drop the channel: every call naming it answers ``channel_not_found``."""
        ch = self.channel(channel)
        del self.channels[ch.id]

    def issue_user_token(self, token: str = "xoxp-1111-fakeusertoken") -> str:
        self.user_tokens.add(token)
        return token

    # ------------------------------------------------------------------ time

    def now(self) -> float:
        """The fake's clock (monotonic seconds, moved on by ``advance``) that trigger_ids and response_urls
        expire by."""
        return time.monotonic() + self.time_offset

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` pass for expiry: trigger_ids (3 s) and response_urls (30 minutes)."""
        self.time_offset += seconds

    # ------------------------------------------------------------------ failure injection

    def rate_limit(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429, ``Retry-After: retry_after``,
        ``{"ok": false, "error": "ratelimited"}``. (slack_sdk reads only the first digit of Retry-After.)"""
        self._rate_limits[method] = [times, retry_after]

    def fail(self, method: str, error: str = "internal_error", times: int = 1, status: int = 200) -> None:
        """The next ``times`` calls of ``method`` answer ``{"ok": false, "error": error}`` with HTTP ``status``."""
        self._failures[method] = [times, status, error]

    def _take_rate_limit(self, method: str) -> int | None:
        entry = self._rate_limits.get(method)
        if not entry or entry[0] <= 0:
            return None
        entry[0] -= 1
        return entry[1]

    def _take_failure(self, method: str) -> tuple[int, str] | None:
        entry = self._failures.get(method)
        if not entry or entry[0] <= 0:
            return None
        entry[0] -= 1
        return entry[1], entry[2]

    @property
    def granted_scopes(self) -> set[str]:
        return {scope.strip() for scope in self.bot_scopes.split(",") if scope.strip()}

    def _token_kind(self, token: str | None) -> str:
        if not token:
            return "none"
        if token == self.bot_token:
            return "bot"
        if token == self.app_token:
            return "app"
        if token in self.user_tokens:
            return "user"
        if token in self.revoked_tokens:
            return "revoked"
        return "invalid"

    # ------------------------------------------------------------------ records / waiting

    def _notify(self) -> None:
        ev, self._changed = self._changed, asyncio.Event()
        ev.set()

    async def wait_until(self, condition: Callable[[], Any], timeout: float = 5.0, what: str = "condition") -> Any:
        """Wait (without polling sleeps) until ``condition()`` is truthy; returns its value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            ev = self._changed
            result = condition()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = [f"{c.method}({c.response.get('error') or 'ok'})" for c in self.calls[-10:]]
                raise TimeoutError(f"FakeSlack: timed out after {timeout}s waiting for {what}; last calls: {recent}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), remaining)

    async def wait_for(
        self, predicate: str | Callable[[ApiCall], bool], timeout: float = 5.0, count: int = 1
    ) -> ApiCall:
        """Wait until ``count`` recorded Web API calls match (a method name or a predicate on ``ApiCall``);
        returns the ``count``-th match (already recorded calls count)."""
        pred = (lambda c: c.method == predicate) if isinstance(predicate, str) else predicate

        def check() -> ApiCall | None:
            matches = [c for c in self.calls if pred(c)]
            return matches[count - 1] if len(matches) >= count else None

        return await self.wait_until(check, timeout, what=f"API call {predicate!r} x{count}")

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> Ack:
        return await self.wait_until(lambda: self.acks.get(envelope_id), timeout, what=f"ack of envelope {envelope_id}")

    async def wait_for_connections(self, n: int, timeout: float = 5.0) -> int:
        """Wait until ``n`` websocket connections were accepted in total and one is open."""
        return await self.wait_until(
            lambda: self.socket_connections >= n and self.socket_open > 0 and self.socket_connections,
            timeout,
            what=f"{n} Socket Mode connection(s)",
        )

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def messages_in(self, channel: ChannelRef, *, include_replies: bool = False) -> list[Message]:
        """Live messages of a channel, oldest first (top level only unless ``include_replies``)."""
        ch = self.channel(channel)
        return [
            m
            for m in self._by_channel.get(ch.id, [])
            if not m.deleted and (include_replies or not m.is_reply or m.reply_broadcast)
        ]

    def bot_messages(self, channel: ChannelRef | None = None) -> list[Message]:
        chans = [self.channel(channel).id] if channel is not None else list(self._by_channel)
        return [m for c in chans for m in self._by_channel.get(c, []) if m.bot_id == self.team.bot_id and not m.deleted]

    def message(self, channel: ChannelRef, ts: str) -> Message | None:
        return self._messages.get((self.channel(channel).id, str(ts)))

    def thread(self, channel: ChannelRef, ts: str) -> list[Message]:
        """Parent then live replies, oldest first (empty if there is no such message)."""
        ch = self.channel(channel)
        parent = self._messages.get((ch.id, str(ts)))
        if parent is None:
            return []
        return [parent] + [r for r in self._replies(ch.id, parent.ts)]

    def permalink(self, channel: str, ts: str) -> str:
        msg = self._messages.get((channel, ts))
        base = f"https://{self.team.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        if msg is not None and msg.is_reply:
            base += f"?thread_ts={msg.thread_ts}&cid={channel}"
        return base

    # ------------------------------------------------------------------ internal state helpers

    def _resolve_user(self, ref: UserRef) -> User | None:
        if isinstance(ref, User):
            return self.users.get(ref.id, ref)
        if ref in self.users:
            return self.users[ref]
        name = ref.lstrip("@")
        return next((u for u in self.users.values() if u.name == name), None)

    def _resolve_channel(self, ref: ChannelRef, create_dm: bool = False) -> Channel | None:
        if isinstance(ref, Channel):
            return self.channels.get(ref.id)
        if ref in self.channels:
            return self.channels[ref]
        if create_dm and ref in self.users:
            return self._dm_channel(ref)
        name = ref.lstrip("#")
        return next((c for c in self.channels.values() if c.name == name and not c.is_im), None)

    def _dm_channel(self, user_id: str) -> Channel:
        for ch in self.channels.values():
            if ch.is_im and ch.im_user == user_id:
                return ch
        ch = Channel(
            id="D" + user_id[1:],
            name=user_id,
            is_im=True,
            im_user=user_id,
            members={user_id, self.team.bot_user_id},
        )
        self.channels[ch.id] = ch
        self._by_channel.setdefault(ch.id, [])
        return ch

    def _store_message(self, channel: Channel, **fields: Any) -> Message:
        thread_ts = fields.get("thread_ts")
        if thread_ts:
            parent = self._messages.get((channel.id, thread_ts))
            fields.setdefault("parent_user_id", parent.user if parent else None)
        msg = Message(channel=channel.id, ts=self.ids.ts(channel.id), team=self.team.team_id, **fields)
        self._messages[(channel.id, msg.ts)] = msg
        self._by_channel.setdefault(channel.id, []).append(msg)
        self._notify()
        return msg

    def _channel_messages(self, channel_id: str) -> list[Message]:
        return [m for m in self._by_channel.get(channel_id, []) if not m.deleted]

    def _replies(self, channel_id: str, parent_ts: str) -> list[Message]:
        return [m for m in self._channel_messages(channel_id) if m.thread_ts == parent_ts and m.ts != parent_ts]

    def _find_view(self, ref: str) -> View | None:
        return next((v for v in reversed(self.views) if v.id == ref), None) or next(
            (v for v in reversed(self.views) if v.callback_id == ref), None
        )

    def _bot_profile(self) -> dict[str, Any]:
        return {
            "id": self.team.bot_id,
            "deleted": False,
            "name": self.bot_user.name,
            "updated": 1700000000,
            "app_id": self.team.api_app_id,
            "icons": {"image_48": "https://avatars.example/bot_48.png"},
            "team_id": self.team.team_id,
        }

    def _issue_trigger(self, user_id: str, view_id: str | None = None) -> str:
        trigger_id = self.ids.trigger_id()
        self._triggers[trigger_id] = {"used": False, "user_id": user_id, "view_id": view_id, "issued": self.now()}
        return trigger_id

    def _issue_response_url(self, source: dict[str, Any]) -> str:
        rid = uuid.uuid4().hex
        url = f"{self.base_url}response-url/{rid}"
        self._response_urls[rid] = {"url": url, "source": source, "issued": self.now(), "uses": 0}
        return url

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                self.errors.append(t.exception())  # type: ignore[arg-type]

        task.add_done_callback(done)

    def _echo(self, event: dict[str, Any]) -> None:
        """Slack echoes the bot's own activity back as events; deliver it if an app is reachable."""
        if not self.echo_bot_messages:
            return
        if self.mode == "none" or (self.mode == "socket" and self.socket_open == 0):
            return
        if self.mode == "http" and not self.app_url:
            return
        self.echoes.append(event)
        self._spawn(self.send_event(event))
