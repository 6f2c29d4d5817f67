"""``FakeDiscord``: an aiohttp server on 127.0.0.1 speaking Discord's REST + gateway wire formats."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from aiohttp import web

from . import payloads
from .gateway import Gateway
from .ids import ChannelType, Intents, InteractionType, Permissions, snowflake
from .interactions import (
    InteractionHandle,
    base_payload,
    build_command_data,
    modal_submission,
    walk_components,
)
from .models import Channel, Guild, Identify, Member, Message, RecordedRequest, Role, User
from .rest import WRITE_METHODS, FailureRule, RateLimitRule, RestApi

Ref = Any  # a record (User/Member/Guild/Channel/Message/Role), its id, or (users only) a username


class FakeDiscord:
    """A fake Discord for the real discord.py client.

    ``async with FakeDiscord() as fake:`` starts it on an ephemeral port; point discord.py at it with
    ``with fake.patch_discord(): ...`` (sets ``discord.http.Route.BASE`` and
    ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``).
    """

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "StudyBot",
        guild_name: str | None = "Study Group",
        channel_name: str = "general",
        heartbeat_interval: float = 1.0,
        interaction_deadline: float = 3.0,
        allowed_privileged_intents: int = Intents.PRIVILEGED,
        application_flags: int = (1 << 19) | (1 << 15) | (1 << 13),
        transport_compression: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        daily_command_creates: int = 200,
        latency: float = 0.0,
        shards_required: int | None = None,
        recommended_shards: int = 1,
    ) -> None:
        self.token = token
        self.host = host
        self._listen_port = port  # 0: any free port
        self.port: int | None = None
        self.heartbeat_interval_ms = int(heartbeat_interval * 1000)
        self.interaction_deadline = interaction_deadline  # seconds from creation to the first callback
        self.interaction_token_lifetime = 15 * 60.0  # seconds: follow-ups and edits after it get 401
        self.latency = latency  # seconds each way: on every REST request and answer, and on every dispatch
        self.allowed_privileged_intents = allowed_privileged_intents
        self.application_flags = application_flags
        self.transport_compression = transport_compression
        self.daily_command_creates = daily_command_creates  # Discord's cap per day, per guild and globally
        self.command_creates: dict[int | None, int] = {}  # guild id (None: global) -> commands created today
        # sharding: an IDENTIFY with fewer shards than `shards_required` is closed with 4011 (Discord requires
        # sharding past 2,500 guilds); GET /gateway/bot recommends `recommended_shards`
        self.shards_required = shards_required
        self.recommended_shards = recommended_shards
        self.sharding_refusals = 0
        self.invalid_token = False  # True -> every authenticated route (GET /users/@me first) answers 401

        # --- state
        self.application_id = snowflake()
        self.bot_user = User(id=self.application_id, username=bot_name, bot=True)
        self.owner_user = User(id=snowflake(), username="owner")
        self.users: dict[int, User] = {u.id: u for u in (self.bot_user, self.owner_user)}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, Message] = {}
        self.uploads: dict[str, tuple[bytes, str]] = {}  # attachment url -> (bytes, content type), as the CDN
        self._channel_messages: dict[int, list[int]] = {}
        self.global_commands: dict[str, dict[str, Any]] = {}
        self.guild_commands: dict[int, dict[str, dict[str, Any]]] = {}
        self.interactions: dict[int, InteractionHandle] = {}
        self._interactions_by_token: dict[str, InteractionHandle] = {}
        self.modals: list[tuple[InteractionHandle, dict[str, Any]]] = []
        self._dm_channels: dict[int, int] = {}
        self.closed_dms: set[int] = set()  # users who take no direct messages from the bot (see close_dms)

        # --- records
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.command_syncs: list[dict[str, Any]] = []
        self.identifies: list[Identify] = []
        self.identify_count = 0
        self.resume_count = 0
        self.invalid_session_count = 0
        self.heartbeat_count = 0
        self.resumes: list[dict[str, Any]] = []
        self.replayed: list[dict[str, Any]] = []
        self.gateway_connects: list[dict[str, str]] = []
        self.gateway_received: list[dict[str, Any]] = []
        self.presence_updates: list[Any] = []

        # --- failure injection
        self._rate_limits: list[RateLimitRule] = []
        self._failures: list[FailureRule] = []
        self._forbidden: dict[int, tuple[int, str, tuple[str, ...]]] = {}

        self._change: asyncio.Event | None = None
        self.gateway = Gateway(self)
        self.rest = RestApi(self)
        self._runner: web.AppRunner | None = None

        self.guild: Guild | None = None
        self.channel: Channel | None = None
        if guild_name is not None:
            self.guild = self.add_guild(guild_name, owner=self.owner_user)
            self.channel = self.add_text_channel(self.guild, channel_name)

    # ================================================================== lifecycle
    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/gateway", self.gateway.handle)
        app.router.add_route("GET", "/gateway/", self.gateway.handle)
        app.router.add_route("*", "/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self._listen_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self.gateway.close_all()
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return self.gateway_url

    @contextlib.contextmanager
    def patch_discord(self) -> Iterator[FakeDiscord]:
        """Point the installed discord.py at this fake (REST base + default gateway), restoring on exit."""
        import discord.gateway
        import discord.http
        import yarl

        old_base = discord.http.Route.BASE
        old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        discord.http.Route.BASE = self.api_base_url
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)
        try:
            yield self
        finally:
            discord.http.Route.BASE = old_base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    # ================================================================== waiting
    def _changed(self) -> None:
        ev, self._change = self._change, None
        if ev is not None:
            ev.set()

    async def wait_for(self, predicate: Callable[[], Any], timeout: float = 5.0, *, what: str | None = None) -> Any:
        """Return ``predicate()`` as soon as it is truthy (re-checked on every fake state change and every 20 ms,
        so predicates over client-side state work too); ``TimeoutError`` with recent requests otherwise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if self._change is None:
                self._change = asyncio.Event()
            ev = self._change
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                recent = ", ".join(repr(r) for r in self.requests[-6:])
                raise TimeoutError(
                    f"fake discord: timed out after {timeout}s waiting for {what or predicate}; "
                    f"recent requests: [{recent}]"
                )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ev.wait(), min(remaining, 0.02))

    async def wait_for_request(
        self,
        method: str | None = None,
        path_contains: str | None = None,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """Wait until ``count`` recorded requests match; returns the ``count``-th."""

        def check():
            hits = [r for r in self.requests_matching(method, path_contains) if predicate is None or predicate(r)]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(check, timeout, what=f"{count}x {method or '*'} {path_contains or ''}")

    async def wait_for_message(
        self,
        channel: Ref,
        predicate: Callable[[Message], bool] | None = None,
        *,
        from_bot: bool | None = None,
        include_ephemeral: bool = False,
        timeout: float = 5.0,
    ) -> Message:
        cid = _id(channel)

        def check():
            for m in self.messages_in(cid, include_ephemeral=include_ephemeral):
                if from_bot is not None and (m.author.id == self.bot_user.id) != from_bot:
                    continue
                if predicate is None or predicate(m):
                    return m
            return None

        return await self.wait_for(check, timeout, what=f"a message in {cid}")

    async def wait_until_ready(self, timeout: float = 5.0) -> Identify:
        """Until a client has IDENTIFYed and been sent READY + GUILD_CREATEs."""
        return await self.wait_for(lambda: self.current_identify, timeout, what="IDENTIFY")

    # ================================================================== records
    @property
    def current_identify(self) -> Identify | None:
        session = self.gateway.current
        return session.identify if session is not None else None

    @property
    def identify(self) -> Identify | None:
        return self.identifies[-1] if self.identifies else None

    def requests_matching(self, method: str | None = None, path_contains: str | None = None) -> list[RecordedRequest]:
        return [r for r in self.requests if r.matches(method, path_contains)]

    def messages_in(self, channel: Ref, *, include_ephemeral: bool = False) -> list[Message]:
        """Live messages in a channel/thread, oldest first (ephemeral interaction replies excluded by default)."""
        ids = self._channel_messages.get(_id(channel), [])
        msgs = [self.messages[i] for i in ids]
        return [m for m in msgs if not m.deleted and (include_ephemeral or not m.ephemeral)]

    def interaction_responses(self, interaction: Ref | None = None) -> list[dict[str, Any]]:
        """Callback bodies (``{"interaction_id", "type", "data"}``) of one interaction or of all, in order."""
        handles = [self.interactions[_id(interaction)]] if interaction is not None else self.interactions.values()
        return [{"interaction_id": h.id, **cb} for h in handles for cb in h.callbacks]

    def commands(self, guild: Ref | None = None) -> dict[str, dict[str, Any]]:
        return self.global_commands if guild is None else self.guild_commands.get(_id(guild), {})

    # ================================================================== state setup (synchronous, no events)
    def add_user(self, username: str, *, bot: bool = False, global_name: str | None = None) -> User:
        user = User(id=snowflake(), username=username, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: Ref | None = None, guild_id: int | None = None) -> Guild:
        """A guild (its id from the clock, or `guild_id`: its shard is `(guild_id >> 22) % shard_count`)."""
        owner_user = self.resolve_user(owner) if owner is not None else self.owner_user
        guild = Guild(id=guild_id or snowflake(), name=name, owner_id=owner_user.id)
        guild.roles[guild.id] = Role(
            id=guild.id, guild_id=guild.id, name="@everyone", permissions=Permissions.DEFAULT_EVERYONE, position=0
        )
        bot_role = Role(
            id=snowflake(),
            guild_id=guild.id,
            name=self.bot_user.username,
            managed=True,
            permissions=Permissions.DEFAULT_EVERYONE
            | Permissions.MANAGE_MESSAGES
            | Permissions.MANAGE_THREADS
            | Permissions.EMBED_LINKS,
        )
        guild.roles[bot_role.id] = bot_role
        self.guilds[guild.id] = guild
        guild.members[owner_user.id] = Member(user=owner_user, guild_id=guild.id)
        guild.members[self.bot_user.id] = Member(user=self.bot_user, guild_id=guild.id, roles=[bot_role.id])
        return guild

    def add_text_channel(
        self, guild: Ref, name: str, *, topic: str | None = None, type: int = ChannelType.GUILD_TEXT
    ) -> Channel:
        """A guild channel: text by default, or a voice, stage, announcement or forum ``type`` (ChannelType)."""
        g = self._guild(guild)
        chan = Channel(
            id=snowflake(),
            type=type,
            name=name,
            guild_id=g.id,
            topic=topic,
            position=len(g.channel_ids),
        )
        self.channels[chan.id] = chan
        g.channel_ids.append(chan.id)
        return chan

    def set_overwrite(self, channel: Ref, target: Ref, *, allow: int = 0, deny: int = 0) -> None:
        """A channel permission overwrite for a role (or the guild id: @everyone) or a member, as Discord keeps them."""
        chan = self._channel(channel)
        guild = self._guild(chan.guild_id)
        tid = _id(target)
        chan.overwrites[tid] = (0 if tid in guild.roles else 1, allow, deny)

    def bot_role(self, guild: Ref) -> Role:
        g = self._guild(guild)
        return next(r for r in g.roles.values() if r.managed and r.name == self.bot_user.username)

    def add_role(self, guild: Ref, name: str, permissions: int = 0) -> Role:
        g = self._guild(guild)
        role = Role(id=snowflake(), guild_id=g.id, name=name, permissions=permissions, position=len(g.roles))
        g.roles[role.id] = role
        return role

    def add_member(
        self,
        guild: Ref,
        user: Ref,
        *,
        roles: tuple[Ref, ...] | list[Ref] = (),
        permissions: int = 0,
        manage_guild: bool = False,
        nick: str | None = None,
        bot: bool = False,
    ) -> Member:
        """Add a member (``user`` may be a new username). ``manage_guild``/``permissions`` create a role for it."""
        g = self._guild(guild)
        if isinstance(user, str) and not user.isdigit() and self._user_by_name(user) is None:
            u = self.add_user(user, bot=bot)
        else:
            u = self.resolve_user(user)
        member = g.members.get(u.id) or Member(user=u, guild_id=g.id, nick=nick)
        g.members[u.id] = member
        for r in roles:
            self.give_role(g, u, r)
        if manage_guild:
            permissions |= Permissions.MANAGE_GUILD
        if permissions:
            self.give_role(g, u, self.add_role(g, f"{u.username}-perms", permissions))
        return member

    def give_role(self, guild: Ref, user: Ref, role: Ref) -> Member:
        g = self._guild(guild)
        member = g.members[self.resolve_user(user).id]
        rid = _id(role)
        if rid not in g.roles:
            raise ValueError(f"unknown role {role!r}")
        if rid not in member.roles:
            member.roles.append(rid)
        return member

    def create_thread(
        self,
        channel: Ref,
        name: str,
        *,
        message_id: int | None = None,
        owner: Ref | None = None,
        type: int = ChannelType.PUBLIC_THREAD,
        auto_archive_duration: int = 1440,
    ) -> Channel:
        """State only (no event): a thread under ``channel``; with ``message_id`` it shares that id."""
        parent = self._channel(channel)
        owner_user = self.resolve_user(owner) if owner is not None else self.bot_user
        tid = message_id if message_id is not None else snowflake()
        thread = Channel(
            id=tid,
            type=type,
            name=name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner_user.id,
            auto_archive_duration=auto_archive_duration,
            member_ids=[owner_user.id],
        )
        self.channels[thread.id] = thread
        self._guild(parent.guild_id).channel_ids.append(thread.id)
        if message_id is not None:
            self.messages[message_id].thread_id = thread.id
        return thread

    def dm_channel(self, user: Ref) -> Channel:
        u = self.resolve_user(user)
        if u.id not in self._dm_channels:
            chan = Channel(id=snowflake(), type=ChannelType.DM, name=None, recipients=[u.id])
            self.channels[chan.id] = chan
            self._dm_channels[u.id] = chan.id
        return self.channels[self._dm_channels[u.id]]

    def close_dms(self, user: Ref) -> None:
        """The user turned off direct messages from server members (or blocked the bot): Discord still opens the
        DM channel, and refuses each message in it with 403 and code 50007."""
        self.closed_dms.add(self.resolve_user(user).id)

    def direct_messages(self, user: Ref) -> list[Message]:
        """What the bot sent the user in their DM channel, oldest first."""
        chan_id = self._dm_channels.get(self.resolve_user(user).id)
        return self.messages_in(chan_id) if chan_id is not None else []

    def channel_payload(self, chan: Channel) -> dict[str, Any]:
        data = payloads.channel(chan)
        if chan.type == ChannelType.DM:
            data["recipients"] = [payloads.user(self.users[u]) for u in chan.recipients]
        elif chan.is_thread and self.bot_user.id in chan.member_ids:
            data["member"] = payloads.thread_member(chan, self.bot_user.id)
        return data

    async def announce_channel(self, channel: Ref) -> None:
        """Dispatch CHANNEL_CREATE (or THREAD_CREATE) for a channel added with ``add_text_channel``/``create_thread``
        after the bot connected, so its cache learns about it."""
        chan = self._channel(channel)
        if chan.is_thread:
            data = {**self.channel_payload(chan), "newly_created": True}
            await self.gateway.dispatch("THREAD_CREATE", data, intent=Intents.GUILDS)
        else:
            await self.gateway.dispatch("CHANNEL_CREATE", payloads.channel(chan), intent=Intents.GUILDS)

    async def remove_channel(self, channel: Ref) -> None:
        """Delete a channel/thread (later REST calls get 404 code 10003) and dispatch CHANNEL/THREAD_DELETE."""
        chan = self._channel(channel)
        del self.channels[chan.id]
        if chan.guild_id is not None:
            g = self.guilds[chan.guild_id]
            g.channel_ids.remove(chan.id)
            if chan.is_thread:
                data = {"id": str(chan.id), "guild_id": str(g.id), "parent_id": str(chan.parent_id), "type": chan.type}
                await self.gateway.dispatch("THREAD_DELETE", data, intent=Intents.GUILDS)
            else:
                await self.gateway.dispatch("CHANNEL_DELETE", payloads.channel(chan), intent=Intents.GUILDS)

    # ================================================================== failure injection
    def rate_limit(
        self,
        route_substring: str,
        times: int = 1,
        retry_after: float = 0.05,
        *,
        method: str | None = None,
        is_global: bool = False,
    ) -> RateLimitRule:
        """Answer the next ``times`` requests whose ``"METHOD /path"`` contains ``route_substring`` with 429."""
        rule = RateLimitRule(route_substring, times, retry_after, method.upper() if method else None, is_global)
        self._rate_limits.append(rule)
        return rule

    def fail_route(
        self,
        route_substring: str,
        status: int,
        *,
        code: int = 0,
        message: str | None = None,
        times: int | None = 1,
        method: str | None = None,
    ) -> FailureRule:
        """Answer matching requests with ``status`` and Discord's error JSON (``times=None``: forever)."""
        rule = FailureRule(
            route_substring, status, code, message or f"{status}: Error", times, method.upper() if method else None
        )
        self._failures.append(rule)
        return rule

    def forbid_channel(
        self,
        channel: Ref,
        *,
        code: int = 50001,
        message: str = "Missing Access",
        methods: tuple[str, ...] = WRITE_METHODS,
    ) -> None:
        """403 ``{"message": "Missing Access", "code": 50001}`` on writes to the channel (and its threads)."""
        self._forbidden[_id(channel)] = (code, message, methods)

    def unforbid_channel(self, channel: Ref) -> None:
        self._forbidden.pop(_id(channel), None)

    async def disconnect(self, *, resumable: bool = True, use_reconnect_op: bool = False, code: int | None = None):
        """Drop the bot's gateway socket. ``resumable``: close 4000 (or op 7 RECONNECT) so the client RESUMEs and
        gets the dispatches it missed; otherwise INVALID_SESSION(false) so it IDENTIFYs again."""
        await self.gateway.disconnect(resumable=resumable, use_reconnect_op=use_reconnect_op, code=code)

    def hold_resumes(self) -> asyncio.Event:
        """Make RESUMEs wait until the returned event is set, so a test can inject events that must be replayed
        (``fake.gateway.waiting_resumes`` counts the held ones)."""
        self.gateway.resume_gate = asyncio.Event()
        return self.gateway.resume_gate

    def hold_identifies(self) -> asyncio.Event:
        """Make IDENTIFYs wait until the returned event is set, so a test can act while no session exists
        (``fake.gateway.waiting_identifies`` counts the held ones)."""
        self.gateway.identify_gate = asyncio.Event()
        return self.gateway.identify_gate

    def age_interactions(self, seconds: float) -> None:
        """Let ``seconds`` pass for every interaction so far, as Discord counts their deadline and token life."""
        for handle in self.interactions.values():
            handle.created_monotonic -= seconds

    # ================================================================== what users do
    async def dispatch(self, event: str, data: dict[str, Any], *, intent: int | None = None) -> int:
        """Raw escape hatch: send any dispatch to the connected bot (returns how many sessions got it)."""
        return await self.gateway.dispatch(event, data, intent=intent)

    async def user_message(
        self,
        channel: Ref,
        author: Ref,
        content: str = "",
        *,
        embeds: list[dict[str, Any]] | None = None,
        attachments: list[dict[str, Any]] | None = None,
        reply_to: Ref | None = None,
    ) -> int:
        """A user posts in a channel/thread/DM: stores it, dispatches MESSAGE_CREATE, returns the message id."""
        chan = self._channel(channel)
        user = self.resolve_user(author)
        if chan.guild_id is not None and user.id not in self.guilds[chan.guild_id].members:
            raise ValueError(f"{user.username} is not a member of guild {chan.guild_id}")
        msg = Message(
            id=snowflake(),
            channel_id=chan.id,
            guild_id=chan.guild_id,
            author=user,
            content=content,
            embeds=list(embeds or []),
            attachments=list(attachments or []),
        )
        if reply_to is not None:
            msg.type = 19
            msg.message_reference = {
                "type": 0,
                "message_id": str(_id(reply_to)),
                "channel_id": str(chan.id),
                "guild_id": str(chan.guild_id) if chan.guild_id else None,
            }
        if chan.is_thread and user.id not in chan.member_ids:
            chan.member_ids.append(user.id)
        self._store_message(msg)
        await self._dispatch_message_event("MESSAGE_CREATE", msg)
        return msg.id

    async def user_edit(self, message: Ref, content: str) -> None:
        msg = self.messages[_id(message)]
        msg.content = content
        msg.edited_timestamp = payloads.now()
        await self._dispatch_message_event("MESSAGE_UPDATE", msg)

    async def user_delete(self, message: Ref) -> None:
        await self._delete_message(self.messages[_id(message)])

    async def user_react(self, message: Ref, user: Ref, emoji: str = "👍") -> None:
        await self._react(self.messages[_id(message)], self.resolve_user(user), payloads.parse_emoji(emoji), add=True)

    async def user_unreact(self, message: Ref, user: Ref, emoji: str = "👍") -> None:
        await self._react(self.messages[_id(message)], self.resolve_user(user), payloads.parse_emoji(emoji), add=False)

    async def slash_command(
        self,
        guild: Ref | None,
        channel: Ref,
        user: Ref,
        name: str,
        options: dict[str, Any] | None = None,
        subcommand: str | tuple[str, ...] | None = None,
        *,
        enforce_permissions: bool = True,
    ) -> InteractionHandle:
        """A user runs ``/name [group] [sub] options...`` of a *synced* command: INTERACTION_CREATE type 2.
        ``subcommand`` is ``"sub"`` or ``"group sub"``; ``options`` maps option names to values (users, channels,
        roles may be records or ids). A command whose ``default_member_permissions`` the user lacks raises
        ``PermissionError`` (Discord hides it) unless ``enforce_permissions=False``."""
        gid = _id(guild) if guild is not None else None
        command = self._find_command(name, gid)
        needed = int(command.get("default_member_permissions") or 0)
        if enforce_permissions and gid is not None and needed:
            have = self._guild(gid).permissions_of(self.resolve_user(user).id)
            if needed & ~have:
                raise PermissionError(f"Discord would not offer /{name} to this user (needs permissions {needed})")
        data = build_command_data(self, command, options, subcommand, gid)
        payload = base_payload(
            self, InteractionType.APPLICATION_COMMAND, self.resolve_user(user), gid, _id(channel), data
        )
        return await self._send_interaction(payload)

    async def autocomplete(
        self,
        guild: Ref | None,
        channel: Ref,
        user: Ref,
        name: str,
        options: dict[str, Any],
        focused: str,
        subcommand: str | tuple[str, ...] | None = None,
    ) -> InteractionHandle:
        """APPLICATION_COMMAND_AUTOCOMPLETE (type 4) with ``focused`` marked; choices land in ``handle.choices``."""
        gid = _id(guild) if guild is not None else None
        command = self._find_command(name, gid)
        data = build_command_data(self, command, options, subcommand, gid, focused=focused)
        payload = base_payload(
            self, InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE, self.resolve_user(user), gid, _id(channel), data
        )
        return await self._send_interaction(payload)

    async def click_button(
        self, message: Ref, custom_id: str, user: Ref, *, values: list[str] | None = None
    ) -> InteractionHandle:
        """A user clicks a button (or picks ``values`` in a select) on a message: MESSAGE_COMPONENT (type 3)."""
        msg = self.messages[_id(message)]
        comp = next((c for c in walk_components(msg.components) if c.get("custom_id") == custom_id), None)
        if comp is None:
            ids = [c.get("custom_id") for c in walk_components(msg.components) if c.get("custom_id")]
            raise ValueError(f"message {msg.id} has no component {custom_id!r}; has {ids}")
        if comp.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled")
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": comp["type"]}
        if comp["type"] != 2:
            data["values"] = [str(v) for v in values or []]
        payload = base_payload(
            self, InteractionType.MESSAGE_COMPONENT, self.resolve_user(user), msg.guild_id, msg.channel_id, data
        )
        payload["message"] = payloads.message(self, msg)
        return await self._send_interaction(payload)

    select = click_button

    async def submit_modal(self, custom_id: str, values: dict[str, Any], user: Ref | None = None) -> InteractionHandle:
        """A user submits the modal the bot last opened with ``custom_id``: MODAL_SUBMIT (type 5)."""
        found = next(((h, m) for h, m in reversed(self.modals) if m.get("custom_id") == custom_id), None)
        if found is None:
            opened = [m.get("custom_id") for _, m in self.modals]
            raise ValueError(f"no modal {custom_id!r} was opened; opened: {opened}")
        origin, modal = found
        who = self.resolve_user(user) if user is not None else self.users[origin.user_id]
        data = {"custom_id": custom_id, "components": modal_submission(modal, values)}
        payload = base_payload(self, InteractionType.MODAL_SUBMIT, who, origin.guild_id, origin.channel_id, data)
        if "message" in origin.payload:
            payload["message"] = payloads.message(self, self.messages[int(origin.payload["message"]["id"])])
        return await self._send_interaction(payload)

    # ================================================================== internals
    def resolve_user(self, ref: Ref) -> User:
        if isinstance(ref, User):
            return ref
        if isinstance(ref, Member):
            return ref.user
        if isinstance(ref, str) and not ref.isdigit():
            found = self._user_by_name(ref)
            if found is None:
                raise KeyError(f"unknown user {ref!r}")
            return found
        return self.users[int(ref)]

    def _user_by_name(self, name: str) -> User | None:
        return next((u for u in self.users.values() if u.username == name), None)

    def _guild(self, ref: Ref) -> Guild:
        return self.guilds[_id(ref)]

    def _channel(self, ref: Ref) -> Channel:
        cid = _id(ref)
        if cid not in self.channels:
            raise KeyError(f"unknown channel {cid}")
        return self.channels[cid]

    def _find_command(self, name: str, guild_id: int | None) -> dict[str, Any]:
        if guild_id is not None and name in self.guild_commands.get(guild_id, {}):
            return self.guild_commands[guild_id][name]
        if name in self.global_commands:
            return self.global_commands[name]
        known = list(self.global_commands) + list(self.guild_commands.get(guild_id or 0, {}))
        raise ValueError(f"/{name} was never synced (PUT .../commands); synced: {known}")

    async def _send_interaction(self, payload: dict[str, Any]) -> InteractionHandle:
        handle = InteractionHandle(self, payload)
        self.interactions[handle.id] = handle
        self._interactions_by_token[handle.token] = handle
        if not await self.gateway.dispatch("INTERACTION_CREATE", payload):
            raise RuntimeError("no bot is connected to the fake gateway")
        return handle

    def interaction_metadata(self, handle: InteractionHandle) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "id": str(handle.id),
            "type": handle.type,
            "user": payloads.user(self.users[handle.user_id]),
            "authorizing_integration_owners": handle.payload.get("authorizing_integration_owners", {}),
        }
        if handle.type == InteractionType.APPLICATION_COMMAND:
            meta["name"] = handle.payload["data"]["name"]
            meta["command_type"] = 1
        if "message" in handle.payload:
            meta["interacted_message_id"] = handle.payload["message"]["id"]
        return meta

    def _store_message(self, msg: Message) -> None:
        self.messages[msg.id] = msg
        self._channel_messages.setdefault(msg.channel_id, []).append(msg.id)
        chan = self.channels.get(msg.channel_id)
        if chan is not None:
            chan.last_message_id = msg.id
            if chan.is_thread:
                chan.message_count += 1
                chan.total_message_sent += 1
        self._changed()

    async def _dispatch_message_event(self, event: str, msg: Message) -> None:
        intent = Intents.GUILD_MESSAGES if msg.guild_id is not None else Intents.DIRECT_MESSAGES
        await self.gateway.dispatch(event, payloads.message(self, msg, gateway=True), intent=intent)

    async def _delete_message(self, msg: Message) -> None:
        msg.deleted = True
        chan = self.channels.get(msg.channel_id)
        if chan is not None and chan.is_thread:
            chan.message_count = max(0, chan.message_count - 1)
        self._changed()
        if msg.ephemeral:
            return
        data = {"id": str(msg.id), "channel_id": str(msg.channel_id)}
        if msg.guild_id is not None:
            data["guild_id"] = str(msg.guild_id)
        intent = Intents.GUILD_MESSAGES if msg.guild_id is not None else Intents.DIRECT_MESSAGES
        await self.gateway.dispatch("MESSAGE_DELETE", data, intent=intent)

    async def _react(self, msg: Message, user: User, emoji: dict[str, Any], *, add: bool) -> None:
        key = payloads.emoji_key(emoji)
        users = msg.reactions.setdefault(key, [])
        msg.reaction_emoji.setdefault(key, emoji)
        if add == (user.id in users):
            return  # no change, no event (as on Discord)
        if add:
            users.append(user.id)
        else:
            users.remove(user.id)
            if not users:
                del msg.reactions[key]
        data: dict[str, Any] = {
            "user_id": str(user.id),
            "channel_id": str(msg.channel_id),
            "message_id": str(msg.id),
            "emoji": emoji,
            "burst": False,
            "type": 0,
        }
        if msg.guild_id is not None:
            data["guild_id"] = str(msg.guild_id)
            member = self.guilds[msg.guild_id].members.get(user.id)
            if add and member is not None:
                data["member"] = payloads.member(member)
        if add:
            data["message_author_id"] = str(msg.author.id)
            data["burst_colors"] = []
        intent = Intents.GUILD_MESSAGE_REACTIONS if msg.guild_id is not None else Intents.DIRECT_MESSAGE_REACTIONS
        self._changed()
        await self.gateway.dispatch("MESSAGE_REACTION_ADD" if add else "MESSAGE_REACTION_REMOVE", data, intent=intent)


def _id(ref: Ref) -> int:
    if isinstance(ref, int):
        return ref
    if isinstance(ref, str):
        return int(ref)
    if hasattr(ref, "id"):
        return int(ref.id)
    raise TypeError(f"cannot take an id from {ref!r}")
