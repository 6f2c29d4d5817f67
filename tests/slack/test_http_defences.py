"""HTTP mode facing the open internet: replayed requests, malformed signed bodies, slow and large clients."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import sqlite3
import time
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.slack.http_guard import RecentSignatures
from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import answer_to, command, running, settle, slack_settings

HTTP = pytest.mark.parametrize("mode", ["http"])


def stored(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return list(db.iterdump())


async def post(
    url: str, body: bytes, content_type: str, headers: dict[str, str], timeout: float = 5.0
) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as session,
        session.post(
            url,
            data=body,
            headers={"Content-Type": content_type, **headers},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response,
    ):
        return response.status, await response.text()


def signed(secret: str, body: bytes, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


@HTTP
async def test_a_replayed_command_is_refused(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
        pause = await fake.slash_command(fake.admin, fake.general, "/qotd", "pause")
        assert pause.status == 200
        await answer_to(fake, pause)
        await command(fake, fake.admin, fake.general, "/qotd resume")
        assert pause.http is not None
        captured = pause.http
        status, _ = await post(
            fake.app_url or "",
            captured.request_body.encode(),
            captured.request_headers["Content-Type"],
            {k: v for k, v in captured.request_headers.items() if k.startswith("X-Slack")},
        )
        assert status == 401
        await settle(bot)
        status_answer = await command(fake, fake.alice, fake.general, "/qotd status")
        assert "Paused." not in status_answer.body["text"]


def test_recent_signatures_expire_after_the_window_and_stay_bounded() -> None:
    now = [1000.0]
    recent = RecentSignatures(window=300, limit=3, clock=lambda: now[0])
    assert recent.first_time(1000, "a") and not recent.first_time(1000, "a")
    now[0] = 1301.0  # the timestamp is stale now, so the signature can be forgotten
    assert recent.first_time(1301, "b") and len(recent) == 1
    for name in "cdefg":
        recent.first_time(1301, name)
    assert len(recent) == 3


BAD_BODIES = {
    "broken JSON": (b'{"type": "event_callback", ', "application/json"),
    "a JSON array": (b"[1, 2, 3]", "application/json"),
    "NUL bytes": (b'{"type": "event_callback", "event": {"text": "a\x00b"}}', "application/json"),
    "deep nesting": (b'{"event": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", "application/json"),
    "nesting past the limit": (b'{"event": ' + b"[" * 200 + b"]" * 200 + b"}", "application/json"),
    "a payload that is not JSON": (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    "a payload that is a JSON string": (b"payload=%22text%22", "application/x-www-form-urlencoded"),
    "binary": (bytes(range(256)) * 4, "application/json"),
    "a binary form": (b"command=%2Fqotd&text=\xff\xfe", "application/x-www-form-urlencoded"),
}


@HTTP
async def test_malformed_signed_requests_get_400_and_change_nothing(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    database = tmp_path / "slack.db"
    async with running(fake, slack_settings(fake, database), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
        await settle(bot)
        before = stored(database)
        url = fake.app_url or ""
        for name, (body, content_type) in BAD_BODIES.items():
            status, _ = await post(url, body, content_type, signed(fake.signing_secret, body))
            assert status == 400, name
        form = b"command=%2Fqotd&text=pause"
        for timestamp in ("soon", "12.5", "-1", "١٢٣"):
            headers = signed(fake.signing_secret, form, timestamp)
            status, _ = await post(url, form, "application/x-www-form-urlencoded", headers)
            assert status == 400, timestamp
        await settle(bot)
        assert stored(database) == before
        answer = await command(fake, fake.alice, fake.general, "/qotd status")
        assert "Paused." not in answer.body["text"]


async def slow_client(port: int, opened: list[asyncio.StreamWriter], index: int = 0) -> None:
    _, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 2.0)
    if index % 2:  # the body never finishes
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500\r\n\r\n{")
    else:  # the headers never finish
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    opened.append(writer)


@HTTP
async def test_slow_clients_do_not_lock_out_valid_requests(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    settings = slack_settings(
        fake, tmp_path / "slack.db", http_max_connections=40, http_header_timeout=30.0, http_body_timeout=30.0
    )
    async with running(fake, settings, clock, bank) as bot:
        port = bot.http_port
        assert port
        opened: list[asyncio.StreamWriter] = []
        try:
            await asyncio.wait_for(asyncio.gather(*(slow_client(port, opened, index) for index in range(200))), 10.0)
            started = time.monotonic()
            delivery = await fake.slash_command(fake.alice, fake.general, "/qotd", "status")
            assert delivery.status == 200
            assert time.monotonic() - started < 3.0
            assert (await answer_to(fake, delivery)).body["text"]
            assert bot.adapter.transport is not None
            assert len(bot.adapter.transport.guard or ()) <= 40  # type: ignore[attr-defined]
        finally:
            for writer in opened:
                writer.close()


async def idle_client(port: int, opened: list[asyncio.StreamWriter]) -> None:
    """A client that sends one complete (unsigned) request, reads the refusal, and keeps the connection."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 2.0)
    writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}")
    opened.append(writer)
    assert (await asyncio.wait_for(reader.readline(), 3.0)).startswith(b"HTTP/1.1 401")


@HTTP
async def test_idle_kept_alive_connections_do_not_lock_out_valid_requests(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db", http_max_connections=20, http_header_timeout=30.0)
    async with running(fake, settings, clock, bank) as bot:
        port = bot.http_port
        assert port
        opened: list[asyncio.StreamWriter] = []
        try:
            await asyncio.wait_for(asyncio.gather(*(idle_client(port, opened) for _ in range(20))), 10.0)
            started = time.monotonic()
            delivery = await fake.slash_command(fake.alice, fake.general, "/qotd", "status")
            assert delivery.status == 200 and time.monotonic() - started < 3.0
            assert (await answer_to(fake, delivery)).body["text"]
        finally:
            for writer in opened:
                writer.close()


@HTTP
async def test_headers_and_bodies_that_never_finish_are_cut_off(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank
) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db", http_header_timeout=0.3, http_body_timeout=0.3)
    async with running(fake, settings, clock, bank) as bot:
        port = bot.http_port
        assert port
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        assert await asyncio.wait_for(reader.read(), 3.0) == b""  # closed, no request ever handled
        writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{")
        answer = await asyncio.wait_for(reader.read(), 3.0)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        writer.close()


@HTTP
async def test_a_body_over_the_limit_gets_413(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    settings = slack_settings(fake, tmp_path / "slack.db", http_max_body=10_000)
    async with running(fake, settings, clock, bank):
        body = json.dumps({"type": "event_callback", "padding": "x" * 20_000}).encode()
        status, _ = await post(fake.app_url or "", body, "application/json", signed(fake.signing_secret, body))
        assert status == 413
