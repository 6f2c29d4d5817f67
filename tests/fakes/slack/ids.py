"""Slack-looking identifiers and message timestamps for the fake Slack."""

from __future__ import annotations

import itertools
import secrets
import time
from collections.abc import Callable


class IdFactory:
    """Hands out Slack-shaped ids (``U0…``, ``C0…``, ``Ev0…``) and monotonic message ``ts`` strings.

    ``start_ts`` pins the first message ts (``1700000000.000100`` style) for deterministic tests;
    by default timestamps follow the wall clock and are strictly increasing. With ``ts_per_channel`` (and
    ``start_ts``) each channel counts from ``start_ts`` on its own, as Slack's ts is unique only within its
    channel: the first messages of two channels get the same ts.
    """

    def __init__(
        self, start_ts: float | None = None, clock: Callable[[], float] = time.time, *, ts_per_channel: bool = False
    ) -> None:
        self._counters: dict[str, itertools.count] = {}
        self._clock = clock
        self._fixed = start_ts is not None
        self._last_micros = round((start_ts if start_ts is not None else 0) * 1_000_000) - 100
        self._first_micros = self._last_micros
        self._per_channel = ts_per_channel and self._fixed
        self._channel_micros: dict[str, int] = {}

    def next(self, prefix: str, width: int = 8) -> str:
        counter = self._counters.setdefault(prefix, itertools.count(1))
        return f"{prefix}{next(counter):0{width}d}"

    def ts(self, channel: str | None = None) -> str:
        """Next message ts: ``"<seconds>.<6 digit micros>"``, strictly increasing (in `channel`, when each
        channel counts on its own)."""
        if self._per_channel and channel is not None:
            micros = self._channel_micros.get(channel, self._first_micros) + 100
            self._channel_micros[channel] = micros
            return _ts(micros)
        micros = self._last_micros + 100 if self._fixed else max(int(self._clock() * 1000000), self._last_micros + 1)
        self._last_micros = micros
        return _ts(micros)

    def event_id(self) -> str:
        return "Ev" + secrets.token_hex(5).upper()

    def trigger_id(self) -> str:
        return f"{int(self._clock())}{secrets.randbelow(1000):03d}.{secrets.randbelow(10**10)}.{secrets.token_hex(16)}"

    def envelope_id(self) -> str:
        hexs = secrets.token_hex(16)
        return f"{hexs[:8]}-{hexs[8:12]}-{hexs[12:16]}-{hexs[16:20]}-{hexs[20:]}"

    def view_hash(self) -> str:
        return f"{int(self._clock())}.{secrets.token_hex(4)}"


def _ts(micros: int) -> str:
    return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


def ts_to_micros(ts: str) -> int:
    """``"1700000000.000100"`` → integer micro-seconds, for ordering and comparisons."""
    sec, _, frac = str(ts).partition(".")
    return int(sec) * 1_000_000 + int((frac or "0").ljust(6, "0")[:6])
