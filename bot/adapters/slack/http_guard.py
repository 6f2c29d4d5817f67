"""What stands between the open internet and bolt in HTTP mode: every request is checked here first.

- Connections: at most `max_connections` open at once; when full, the connection that has waited longest
  for a request to arrive (headers or body, or idle after its last answer) is closed to make room, so
  slow clients cannot hold the door shut; one that sends no complete headers within `header_timeout`
  seconds is closed anyway. Only connections whose request is being handled are never dropped.
- Requests: a body must arrive within `body_timeout` seconds and be at most `max_body` bytes; the
  timestamp must be whole seconds (400 otherwise); the signature must match (401); a signed request
  already served inside Slack's five-minute window is a replay (401); a signed body that is not what
  Slack sends (broken or non-object JSON, NUL bytes, deep nesting, a form `payload` that is not JSON,
  bytes that are not UTF-8) is refused with 400 before any listener sees it.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

log = logging.getLogger(__name__)

WINDOW = 5 * 60  # Slack's: a request whose timestamp is further from now is stale
MAX_CONNECTIONS = 256
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
MAX_BODY = 1024 * 1024  # Slack's largest payloads (a view with its blocks) are well under this
MAX_DEPTH = 64  # Slack's payloads nest a dozen levels at most
RECENT_SIGNATURES = 200_000  # more than ten minutes of 200 requests a second


class BadRequest(Exception):
    """A request refused before bolt sees it: the HTTP status and the reason (which is also the body)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RecentSignatures:
    """Signatures of the requests served while their timestamp is still inside the window. Slack signs each
    delivery afresh (a retry carries a new timestamp, so a new signature), so a signature seen twice is a
    replay. Bounded: when full, the entry closest to expiring is dropped first."""

    def __init__(
        self, window: int = WINDOW, limit: int = RECENT_SIGNATURES, clock: Callable[[], float] = time.time
    ) -> None:
        self._window = window
        self._limit = limit
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._heap: list[tuple[float, str]] = []

    def first_time(self, timestamp: int, signature: str) -> bool:
        now = self._clock()
        while self._heap and (self._heap[0][0] < now or len(self._expiry) >= self._limit):
            _, old = heapq.heappop(self._heap)
            self._expiry.pop(old, None)
        if signature in self._expiry:
            return False
        expires = float(timestamp + self._window)  # after this the timestamp alone makes the request stale
        self._expiry[signature] = expires
        heapq.heappush(self._heap, (expires, signature))
        return True

    def __len__(self) -> int:
        return len(self._expiry)


def check_signed(secret: str, headers: Any, body: bytes, recent: RecentSignatures, *, now: float | None = None) -> None:
    """Raise BadRequest unless `body` was signed by Slack just now and not served before."""
    timestamp = headers.get("X-Slack-Request-Timestamp")
    signature = headers.get("X-Slack-Signature")
    if not timestamp or not signature:
        raise BadRequest(401, "missing X-Slack-Request-Timestamp or X-Slack-Signature")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        raise BadRequest(400, "X-Slack-Request-Timestamp must be whole seconds since 1970")
    seconds = int(timestamp)
    if abs((time.time() if now is None else now) - seconds) > WINDOW:
        raise BadRequest(401, "stale request")
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(f"v0={digest}", signature):
        raise BadRequest(401, "invalid signature")
    if not recent.first_time(seconds, signature):
        log.warning("refused a replayed Slack request (timestamp %s)", timestamp)
        raise BadRequest(401, "replayed request")


def check_body(body: bytes, content_type: str) -> str:
    """The body as text when it is shaped like something Slack sends (BadRequest 400 otherwise)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "the body is not UTF-8") from None
    if "\x00" in text:
        raise BadRequest(400, "the body contains NUL bytes")
    if content_type == "application/json":
        _check_object(text, "the JSON body")
    elif content_type == "application/x-www-form-urlencoded":
        try:
            form = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict"))
        except (ValueError, UnicodeDecodeError):
            raise BadRequest(400, "the form body is malformed") from None
        if any("\x00" in value for value in form.values()):
            raise BadRequest(400, "the form body contains NUL bytes")
        if "payload" in form:
            _check_object(form["payload"], "the form's payload")
    else:
        raise BadRequest(400, "the body must be JSON or a form")
    return text


def _check_object(text: str, what: str) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest(400, f"{what} is not valid JSON") from None
    if not isinstance(value, dict):
        raise BadRequest(400, f"{what} must be a JSON object")
    if _depth(value) > MAX_DEPTH:
        raise BadRequest(400, f"{what} nests deeper than {MAX_DEPTH} levels")


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def refusal(problem: BadRequest) -> web.Response:
    return web.Response(status=problem.status, text=problem.reason)


async def read_body(request: web.Request, timeout: float) -> bytes:
    """The whole body within `timeout` seconds, at most the app's `client_max_size` bytes."""
    try:
        return await asyncio.wait_for(request.read(), timeout)
    except TimeoutError:
        raise BadRequest(408, "the body did not arrive in time") from None
    except web.HTTPRequestEntityTooLarge:
        raise BadRequest(413, "the body is too large") from None
    except ConnectionResetError:  # the client left, or was dropped to make room: nobody reads the answer
        raise BadRequest(400, "the connection closed before the body arrived") from None


class _Guarded(asyncio.Protocol):
    """One connection: aiohttp's protocol inside, with the time its request headers are awaited since."""

    def __init__(self, guard: ConnectionGuard, inner: asyncio.Protocol) -> None:
        self._guard = guard
        self._inner = inner
        self.transport: asyncio.Transport | None = None
        # since when it waits for a request to arrive (headers and body); None while one is being handled
        self.waiting_since: float | None = None
        self._tail = b""
        self._timer: asyncio.TimerHandle | None = None
        self._started = False  # whether aiohttp's protocol saw the connection

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        if not self._guard.admit(self):
            transport.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            transport.close()
            return
        self.await_headers()
        self._started = True
        self._inner.connection_made(transport)

    def await_headers(self) -> None:
        """From now on the connection waits for a request's headers (the first, or the next on a kept-alive
        connection): it may be dropped to make room, and is closed when they do not come in time."""
        self._stop_timer()
        loop = asyncio.get_running_loop()
        self.waiting_since = loop.time()
        self._tail = b""
        self._timer = loop.call_later(self._guard.header_timeout, self.close)

    def data_received(self, data: bytes) -> None:
        if self.waiting_since is not None:
            seen = self._tail + data
            if b"\r\n\r\n" in seen:
                self._stop_timer()  # the headers are in; the body has its own timeout (`read_body`)
            else:
                self._tail = seen[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        self._guard.forget(self)
        if self._started:
            self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def close(self) -> None:
        self._stop_timer()
        if self.transport is not None:
            self.transport.abort()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class ConnectionGuard:
    """Counts open connections and closes the slowest when full; `protocol` is the server's factory."""

    def __init__(
        self,
        factory: Callable[[], asyncio.Protocol],
        *,
        max_connections: int = MAX_CONNECTIONS,
        header_timeout: float = HEADER_TIMEOUT,
    ) -> None:
        self._factory = factory
        self.max_connections = max_connections
        self.header_timeout = header_timeout
        self._open: dict[_Guarded, None] = {}
        self._by_transport: dict[asyncio.BaseTransport, _Guarded] = {}

    def protocol(self) -> asyncio.Protocol:
        return _Guarded(self, self._factory())

    def __len__(self) -> int:
        return len(self._open)

    def admit(self, connection: _Guarded) -> bool:
        if len(self._open) >= self.max_connections:
            waiting = [c for c in self._open if c.waiting_since is not None]  # headers or body still to come
            if not waiting:
                log.warning("refused a connection: %d requests are being handled", len(self._open))
                return False
            slowest = min(waiting, key=lambda c: c.waiting_since or 0.0)
            slowest.close()
            self.forget(slowest)
        self._open[connection] = None
        if connection.transport is not None:
            self._by_transport[connection.transport] = connection
        return True

    def forget(self, connection: _Guarded) -> None:
        if connection.transport is not None:
            self._by_transport.pop(connection.transport, None)
        self._open.pop(connection, None)

    def busy(self, transport: asyncio.BaseTransport | None) -> None:
        """The request on `transport` has fully arrived and is being handled: it is not dropped for room."""
        connection = self._by_transport.get(transport) if transport is not None else None
        if connection is not None:
            connection.waiting_since = None

    def finished(self, transport: asyncio.BaseTransport | None) -> None:
        """The request on `transport` was answered: an idle kept-alive connection waits like a new one."""
        connection = self._by_transport.get(transport) if transport is not None else None
        if connection is not None:
            connection.await_headers()
