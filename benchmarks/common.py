"""What every benchmark shares: scales, timing, percentiles, the report, and an in-process platform."""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.banks.loading import load_bank
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.ports import PostedQuestion, QuestionCard, RateLimited, ThreadReply
from bot.core.refs import ChannelRef, ThreadRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle

PLATFORM = "bench"
T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # a Monday: every benchmark's "now"


def say(text: str = "") -> None:
    """Human-readable output: stdout normally, stderr under --json (stdout then holds only the JSON)."""
    print(text, file=sys.stderr if os.environ.get("STUDYBOT_BENCH_JSON") else sys.stdout, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def clock() -> FixedClock:
    return FixedClock(T0)


_BANK: Bank | None = None


def builtin_bank() -> Bank:
    global _BANK
    if _BANK is None:
        _BANK = load_bank()
    return _BANK


@dataclass
class Figure:
    key: str
    value: float
    unit: str
    target: str
    met: bool | None
    baseline: str = ""
    ratio: str = ""
    load: str = ""


@dataclass
class Report:
    quick: bool = False
    figures: dict[str, float] = field(default_factory=dict)
    lines: list[Figure] = field(default_factory=list)

    def add(
        self,
        key: str,
        value: float,
        unit: str,
        *,
        target: str = "",
        met: bool | None = None,
        baseline: str = "",
        ratio: str = "",
        load: str = "",
    ) -> None:
        """A figure, printed with its target, the load it was measured under and its baseline from this run."""
        self.figures[key] = round(float(value), 4)
        figure = Figure(key, value, unit, target, met, baseline, ratio, load)
        self.lines.append(figure)
        if self.quick and met is not None:
            met = None  # a smoke run at small scale says nothing about the targets
            target = f"{target} (full run only)"
        figure.met = met
        verdict = "" if met is None else ("  [target met]" if met else "  [TARGET MISSED]")
        say(f"  {key:<24} {value:>12,.3f} {unit:<10} target {target or '-'}{verdict}")
        if load:
            say(f"  {'':<24} load: {load}")
        if baseline:
            say(f"  {'':<24} baseline: {baseline}")
        if ratio:
            say(f"  {'':<24} ratio: {ratio}")

    def extra(self, key: str, value: float) -> None:
        """A supporting figure: in --json, not a target."""
        self.figures[key] = round(float(value), 4)


class InstantPlatform:
    """An in-process platform that answers at once. Optionally a rate limit like Discord's: at most `limit`
    requests per `window` seconds (a fixed window opened by the first request), refusing the rest with
    `RateLimited(retry_after)` (HTTP 429 with Retry-After) without posting anything."""

    def __init__(
        self, *, limit: int | None = None, window: float = 1.0, latency: float = 0.0, first_id: int = 1
    ) -> None:
        self.name = PLATFORM
        self.limit, self.window, self.latency = limit, window, latency
        self.posts: dict[str, int] = {}  # post_key -> times posted
        self.posted_channels: list[str] = []
        self.requests = 0
        self.refused = 0
        self.thread_messages = 0
        self._window_start = 0.0
        self._in_window = 0
        self._ids = itertools.count(first_id)  # several platforms of one run: ids apart

    def _admit(self) -> None:
        self.requests += 1
        if self.limit is None:
            return
        now = time.monotonic()
        if now - self._window_start >= self.window:
            self._window_start, self._in_window = now, 0
        if self._in_window >= self.limit:
            self.refused += 1
            raise RateLimited(self._window_start + self.window - now)
        self._in_window += 1

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        self._admit()
        if self.latency:
            await asyncio.sleep(self.latency)
        message_id = f"m{next(self._ids)}"
        self.posts[post_key] = self.posts.get(post_key, 0) + 1
        self.posted_channels.append(channel.channel_id)
        return PostedQuestion(message_id=message_id, thread_id=f"t-{message_id}", url=None)

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        return None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        self._admit()
        self.thread_messages += 1

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        return ()


class InstantAdapter:
    """What the app drives for an `InstantPlatform`: nothing to connect to, serves until asked to stop."""

    def __init__(self, platform: InstantPlatform | None = None) -> None:
        self.platform = platform or InstantPlatform()
        self.style = TextStyle()

    async def connect(self) -> InstantPlatform:
        return self.platform

    async def start(self, group: StudyGroup) -> None:
        return None

    async def serve(self, stopping: asyncio.Event) -> int:
        await stopping.wait()
        return 0

    async def close(self) -> None:
        return None


def scale(quick: bool, full: int, small: int) -> int:
    return small if quick else full
