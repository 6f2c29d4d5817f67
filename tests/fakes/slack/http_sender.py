"""HTTP-mode delivery: POST a Slack-signed request to the app's endpoint (e.g. ``/slack/events``).

Signature: ``X-Slack-Signature: v0=hex(hmac_sha256(secret, "v0:{ts}:{body}"))`` with
``X-Slack-Request-Timestamp: {ts}``; bolt rejects (401) a bad/missing signature or a timestamp more
than 5 minutes away from now.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

SIGNATURE_MODES = ("valid", "forged", "missing", "missing_timestamp")


def sign(secret: str, timestamp: str, body: str) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def encode_body(envelope_type: str, payload: dict[str, Any]) -> tuple[str, str]:
    """(body, content type) as Slack sends each kind over HTTP."""
    if envelope_type == "events_api":
        return json.dumps(payload), "application/json"
    if envelope_type == "slash_commands":
        return urlencode(payload), "application/x-www-form-urlencoded"
    if envelope_type == "ssl_check":
        return urlencode(payload), "application/x-www-form-urlencoded"
    return urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"


@dataclass
class HttpResult:
    status: int
    body: str
    headers: dict[str, str]
    request_headers: dict[str, str]
    request_body: str


async def post_signed(
    session: aiohttp.ClientSession,
    url: str,
    body: str,
    content_type: str,
    secret: str,
    *,
    signature: str = "valid",
    stale: bool = False,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
    timeout: float = 10.0,
) -> HttpResult:
    if signature not in SIGNATURE_MODES:
        raise ValueError(f"signature must be one of {SIGNATURE_MODES}, not {signature!r}")
    ts = str(timestamp if timestamp is not None else int(time.time()) - (6 * 60 if stale else 0))
    headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
    if signature != "missing_timestamp":
        headers["X-Slack-Request-Timestamp"] = ts
    if signature in ("valid", "missing_timestamp"):
        headers["X-Slack-Signature"] = sign(secret, ts, body)
    elif signature == "forged":
        headers["X-Slack-Signature"] = sign(secret + "-wrong", ts, body)
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
    async with session.post(
        url, data=body.encode(), headers=headers, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as r:
        text = await r.text()
        return HttpResult(
            status=r.status,
            body=text,
            headers=dict(r.headers),
            request_headers=headers,
            request_body=body,
        )
