"""The gateway websocket: HELLO/IDENTIFY/READY/GUILD_CREATE, heartbeats, dispatch with sequence numbers, RESUME."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from . import payloads
from .ids import Intents
from .models import Identify

if TYPE_CHECKING:
    from .server import FakeDiscord

log = logging.getLogger(__name__)

# opcodes
DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE_STATE, RESUME, RECONNECT, REQUEST_MEMBERS = 0, 1, 2, 3, 4, 6, 7, 8
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11

_CONTENT_FIELDS = ("content", "embeds", "attachments", "components", "poll")


@dataclass
class Connection:
    ws: web.WebSocketResponse
    query: dict[str, str]
    compressor: Any = None
    session: GatewaySession | None = None
    closed_by_server: bool = False

    async def send(self, frame: dict[str, Any]) -> None:
        if self.ws.closed:
            return
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=True)
        try:
            if self.compressor is not None:
                data = self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            else:
                await self.ws.send_str(text)
        except (ConnectionError, RuntimeError) as exc:  # socket went away under us
            log.debug("fake gateway send failed: %s", exc)


GUILD_EVENTS_BY_ID = ("GUILD_CREATE", "GUILD_UPDATE", "GUILD_DELETE")  # their guild is `id`, not `guild_id`


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: a guild's events go to shard (guild_id >> 22) % shard_count."""
    return (guild_id >> 22) % shard_count


def guild_of(event: str, data: dict[str, Any]) -> int | None:
    raw = data.get("id") if event in GUILD_EVENTS_BY_ID else data.get("guild_id")
    return int(raw) if raw is not None else None


@dataclass
class GatewaySession:
    session_id: str
    identify: Identify
    seq: int = 0
    log: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    conn: Connection | None = None
    valid: bool = True
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def wants(self, intent: int | None) -> bool:
        return intent is None or bool(self.identify.intents & intent)

    @property
    def shard(self) -> tuple[int, int]:
        """(shard id, shard count): an IDENTIFY without `shard` is shard 0 of 1."""
        shard = self.identify.shard
        return (int(shard[0]), int(shard[1])) if shard else (0, 1)

    def carries(self, guild_id: int | None) -> bool:
        """Whether this session's shard gets the guild's events (events of no guild, such as DMs: shard 0)."""
        shard_id, count = self.shard
        return shard_id == 0 if guild_id is None else shard_of(guild_id, count) == shard_id

    async def send_dispatch(self, event: str, data: dict[str, Any], *, arrives: float | None = None) -> int:
        """Log and send one dispatch; `arrives` (loop time) holds it back until then, keeping the order."""
        async with self.lock:
            self.seq += 1
            frame = {"op": DISPATCH, "s": self.seq, "t": event, "d": data}
            self.log.append((self.seq, frame))
            if arrives is not None:
                await asyncio.sleep(max(0.0, arrives - asyncio.get_running_loop().time()))
            if self.conn is not None:
                await self.conn.send(frame)
            return self.seq


class Gateway:
    """Owned by :class:`FakeDiscord`; one logical session per IDENTIFY (normally one bot, one session)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self.sessions: dict[str, GatewaySession] = {}
        self.connections: list[Connection] = []
        self.resume_gate: asyncio.Event | None = None  # see FakeDiscord.hold_resumes()
        self.waiting_resumes = 0
        self._in_flight: set[asyncio.Task[int]] = set()  # dispatches held up by latency
        self.identify_gate: asyncio.Event | None = None  # see FakeDiscord.hold_identifies()
        self.waiting_identifies = 0

    # ------------------------------------------------------------------ helpers
    @property
    def current(self) -> GatewaySession | None:
        live = [s for s in self.sessions.values() if s.valid]
        return live[-1] if live else None

    def _visible(self, session: GatewaySession, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """Apply the MESSAGE_CONTENT privileged-intent rule like Discord does."""
        if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE") or session.identify.has_intent(Intents.MESSAGE_CONTENT):
            return data
        bot_id = str(self.fake.bot_user.id)
        author = (data.get("author") or {}).get("id")
        mentioned = any(u.get("id") == bot_id for u in data.get("mentions", []))
        if author == bot_id or mentioned or "guild_id" not in data:
            return data
        data = dict(data)
        for key in _CONTENT_FIELDS:
            if key in data:
                data[key] = "" if key == "content" else []
        return data

    async def dispatch(self, event: str, data: dict[str, Any], *, intent: int | None = None) -> int:
        """Send (or queue for RESUME) a dispatch to every live session that asked for ``intent``."""
        delivered = 0
        guild_id = guild_of(event, data)
        for session in list(self.sessions.values()):
            if session.valid and session.wants(intent) and session.carries(guild_id):
                frame = self._visible(session, event, data)
                if self.fake.latency:  # on its way: whoever caused the event (a REST call, say) does not wait
                    arrives = asyncio.get_running_loop().time() + self.fake.latency
                    sending = asyncio.create_task(session.send_dispatch(event, frame, arrives=arrives))
                    self._in_flight.add(sending)
                    sending.add_done_callback(self._in_flight.discard)
                else:
                    await session.send_dispatch(event, frame)
                delivered += 1
        self.fake._changed()
        return delivered

    # ------------------------------------------------------------------ control (used by FakeDiscord)
    async def disconnect(self, *, resumable: bool = True, code: int | None = None, use_reconnect_op: bool = False):
        session = self.current
        if session is None or session.conn is None:
            raise RuntimeError("no connected gateway session to disconnect")
        conn = session.conn
        session.conn = None  # from now on dispatches are only logged, then replayed on RESUME
        conn.closed_by_server = True
        if not resumable:
            session.valid = False
            # INVALID_SESSION(false): the client drops its session and IDENTIFYs again
            await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            await conn.ws.close(code=code or 4000)
        elif use_reconnect_op:
            await conn.send({"op": RECONNECT, "d": None, "s": None, "t": None})
            await conn.ws.close(code=code or 4000)  # the client also closes on op 7
        else:
            await conn.ws.close(code=code or 4000)  # 4000 "Unknown error" -> client RESUMEs
        self.fake._changed()

    async def close_all(self) -> None:
        for sending in list(self._in_flight):
            sending.cancel()  # dispatches still on their way when the fake goes away
        for conn in list(self.connections):
            conn.closed_by_server = True
            if not conn.ws.closed:
                await conn.ws.close(code=1001)

    # ------------------------------------------------------------------ websocket handler
    async def handle(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        query = dict(request.query)
        fake.gateway_connects.append(query)
        compressor = None
        if fake.transport_compression and query.get("compress") == "zlib-stream":
            compressor = zlib.compressobj()
        conn = Connection(ws=ws, query=query, compressor=compressor)
        self.connections.append(conn)
        fake._changed()
        await conn.send(
            {
                "op": HELLO,
                "d": {"heartbeat_interval": fake.heartbeat_interval_ms, "_trace": ['["fake-gateway",{"micros":0}]']},
                "s": None,
                "t": None,
            }
        )
        try:
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await ws.close(code=4002)  # decode error
                    break
                fake.gateway_received.append(frame)
                await self._on_frame(conn, frame)
        finally:
            self.connections.remove(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                # A client that closes with 1000/1001 ends its session (it can't be resumed).
                if not conn.closed_by_server and ws.close_code in (1000, 1001):
                    session.valid = False
            fake._changed()
        return ws

    async def _on_frame(self, conn: Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == HEARTBEAT:
            self.fake.heartbeat_count += 1
            await conn.send({"op": HEARTBEAT_ACK, "d": None, "s": None, "t": None})
        elif op == IDENTIFY:
            await self._identify(conn, data or {})
        elif op == RESUME:
            await self._resume(conn, data or {})
        elif op == PRESENCE:
            self.fake.presence_updates.append(data)
        elif op == REQUEST_MEMBERS:
            await self._members_chunk(conn, data or {})
        elif op == VOICE_STATE:
            pass
        else:
            await conn.ws.close(code=4001)  # unknown opcode

    async def _identify(self, conn: Connection, d: dict[str, Any]) -> None:
        fake = self.fake
        gate = self.identify_gate
        if gate is not None and not gate.is_set():
            self.waiting_identifies += 1
            fake._changed()
            try:
                await gate.wait()
            finally:
                self.waiting_identifies -= 1
        if conn.session is not None:
            await conn.ws.close(code=4005)  # already authenticated
            return
        if d.get("token") != fake.token:
            await conn.ws.close(code=4004)  # authentication failed
            return
        intents = d.get("intents")
        if not isinstance(intents, int) or intents < 0:
            await conn.ws.close(code=4013)  # invalid intents
            return
        if intents & Intents.PRIVILEGED & ~fake.allowed_privileged_intents:
            await conn.ws.close(code=4014)  # disallowed (privileged, not enabled in the portal)
            return
        shard = d.get("shard")
        if shard is not None and not _valid_shard(shard):
            await conn.ws.close(code=4010)  # invalid shard
            return
        if fake.shards_required and (shard is None or shard[1] < fake.shards_required):
            fake.sharding_refusals += 1
            await conn.ws.close(code=4011)  # sharding required: too many guilds for one connection
            return
        ident = Identify(
            token=d["token"],
            intents=intents,
            properties=d.get("properties", {}),
            shard=d.get("shard"),
            raw={k: v for k, v in d.items() if k != "token"},
            query=conn.query,
        )
        fake.identifies.append(ident)
        fake.identify_count += 1
        session = GatewaySession(session_id=uuid.uuid4().hex, identify=ident, conn=conn)
        for old in self.sessions.values():
            if old.shard == session.shard:  # a new IDENTIFY of a shard ends that shard's old session
                old.valid = False
        self.sessions[session.session_id] = session
        conn.session = session
        ready = {
            "v": 10,
            "user": payloads.bot_self_user(fake.bot_user),
            "user_settings": {},
            "guilds": [{"id": str(g.id), "unavailable": True} for g in fake.guilds.values() if session.carries(g.id)],
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "session_id": session.session_id,
            "session_type": "normal",
            "resume_gateway_url": fake.resume_gateway_url,
            "application": {"id": str(fake.application_id), "flags": fake.application_flags},
            "auth": {},
            "_trace": ['["fake-gateway",{"micros":0}]'],
        }
        if ident.shard is not None:
            ready["shard"] = ident.shard
        await session.send_dispatch("READY", ready)
        all_members = ident.has_intent(Intents.GUILD_MEMBERS)
        for g in list(fake.guilds.values()):
            if session.carries(g.id):
                await session.send_dispatch("GUILD_CREATE", payloads.guild_create(fake, g, all_members=all_members))
        fake._changed()

    async def _resume(self, conn: Connection, d: dict[str, Any]) -> None:
        fake = self.fake
        gate = self.resume_gate
        if gate is not None and not gate.is_set():
            self.waiting_resumes += 1
            fake._changed()
            try:
                await gate.wait()
            finally:
                self.waiting_resumes -= 1
        session = self.sessions.get(d.get("session_id") or "")
        if session is None or not session.valid or d.get("token") != fake.token:
            fake.invalid_session_count += 1
            await conn.send({"op": INVALID_SESSION, "d": False, "s": None, "t": None})
            return
        seq = d.get("seq") or 0
        async with session.lock:
            if session.conn is not None and session.conn is not conn:
                old = session.conn
                old.closed_by_server = True
                await old.ws.close(code=4000)
            session.conn = conn
            conn.session = session
            for s, frame in session.log:
                if s > seq:
                    await conn.send(frame)
                    fake.replayed.append(frame)
        fake.resume_count += 1
        fake.resumes.append({"session_id": session.session_id, "seq": seq})
        await session.send_dispatch("RESUMED", {"_trace": ['["fake-gateway",{"micros":0}]']})
        fake._changed()

    async def _members_chunk(self, conn: Connection, d: dict[str, Any]) -> None:
        fake = self.fake
        if conn.session is None:
            return
        gid = int(d.get("guild_id", 0))
        guild = fake.guilds.get(gid)
        if guild is None:
            return
        query = (d.get("query") or "").lower()
        ids = {int(x) for x in d.get("user_ids") or []}
        members = [
            payloads.member(m)
            for m in guild.members.values()
            if (not ids or m.user.id in ids) and m.user.username.lower().startswith(query)
        ]
        limit = d.get("limit") or 0
        if limit:
            members = members[:limit]
        chunk = {
            "guild_id": str(gid),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        await conn.session.send_dispatch("GUILD_MEMBERS_CHUNK", chunk)


def _valid_shard(shard: Any) -> bool:
    return (
        isinstance(shard, list)
        and len(shard) == 2
        and all(isinstance(n, int) for n in shard)
        and 0 <= shard[0] < shard[1]
    )
