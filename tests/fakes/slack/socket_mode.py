"""The fake's Socket Mode endpoint: ``apps.connections.open`` hands out ``ws://…/socket-mode?ticket=…``;
the websocket says ``hello``, carries envelopes, collects acks and can send ``disconnect`` or drop."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from typing import TYPE_CHECKING, Any

from aiohttp import WSCloseCode, WSMsgType, web

from .state import Ack, Envelope

ACK_SECONDS = 3.0  # Slack counts an envelope not acknowledged within 3 s as failed (and retries an event)

if TYPE_CHECKING:
    from .fake import FakeSlack


class SocketModeServer:
    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self._tickets: dict[str, bool] = {}  # ticket -> used
        self.open: list[tuple[int, web.WebSocketResponse]] = []
        self.connections = 0
        self.hellos = 0
        self._sent_at: dict[str, tuple[str, float]] = {}  # envelope id -> (type, when sent)

    def _issue_url(self) -> str:
        ticket = secrets.token_hex(8)
        self._tickets[ticket] = False
        return f"ws://{self.fake.host}:{self.fake.port}/socket-mode?ticket={ticket}&app_id={self.fake.team.api_app_id}"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if self._tickets.get(ticket) is not False:
            return web.Response(status=403, text="invalid or used ticket")
        self._tickets[ticket] = True
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connections += 1
        number = self.connections
        self.open.append((number, ws))
        try:
            await ws.send_str(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": len(self.open),
                        "debug_info": {
                            "host": "applink-fake-1",
                            "build_number": 1,
                            "approximate_connection_time": 18060,
                        },
                        "connection_info": {"app_id": self.fake.team.api_app_id},
                    }
                )
            )
            self.hellos += 1
            self.fake._notify()
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    self._on_text(msg.data)
                elif msg.type == WSMsgType.ERROR:
                    break
        finally:
            self.open = [(n, w) for n, w in self.open if w is not ws]
            self.fake._notify()
        return ws

    def _on_text(self, data: str) -> None:
        try:
            message: dict[str, Any] = json.loads(data)
        except json.JSONDecodeError:
            self.fake.socket_garbage.append(data)
            return
        envelope_id = message.get("envelope_id")
        if envelope_id:
            self.fake.acks[envelope_id] = Ack(envelope_id=envelope_id, payload=message.get("payload"), raw=message)
            kind, sent = self._sent_at.pop(envelope_id, ("", time.monotonic()))
            took = time.monotonic() - sent
            if took > ACK_SECONDS:
                self.fake.late_acks.append((kind, took))
        else:
            self.fake.socket_garbage.append(data)
        self.fake._notify()

    async def wait_connected(self, timeout: float) -> web.WebSocketResponse:
        await self.fake.wait_until(
            lambda: any(not w.closed for _, w in self.open), timeout=timeout, what="a Socket Mode connection"
        )
        return [w for _, w in self.open if not w.closed][-1]

    async def send(self, envelope: Envelope, timeout: float) -> None:
        ws = await self.wait_connected(timeout)
        envelope.connection = next(n for n, w in self.open if w is ws)
        self.fake.envelopes.append(envelope)
        self._sent_at[envelope.envelope_id] = (envelope.type, time.monotonic())
        await ws.send_str(json.dumps(envelope.to_wire()))
        self.fake._notify()

    async def disconnect(self, reason: str = "refresh_requested", close_after: float | None = None) -> None:
        """Send ``{"type": "disconnect", "reason": ...}`` on every open connection (the client reconnects)."""
        targets = [w for _, w in self.open if not w.closed]
        for ws in targets:
            await ws.send_str(
                json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake-1"}})
            )
        if close_after is not None:
            await asyncio.sleep(close_after)
            for ws in targets:
                await ws.close(code=WSCloseCode.GOING_AWAY)

    async def drop(self) -> None:
        """Close every open websocket from the server side (no ``disconnect`` message first)."""
        for _, ws in list(self.open):
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"fake slack dropped the connection")

    async def close_all(self) -> None:
        for _, ws in list(self.open):
            await ws.close(code=WSCloseCode.GOING_AWAY)
