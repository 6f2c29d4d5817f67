"""Fan-out: many channels due at the same minute, through the scheduler's slot job and `DailyQuestions.post_due`.

1. 10,000 channels (full run) at 09:00 UTC: each chooses its question, claims the day and posts to an in-process
   platform that answers at once. Baseline: the same channels posted one after another (the old sweep).
2. 500 channels against a platform that allows 50 requests per second and answers the rest with 429 and
   Retry-After, as Discord does. Floor: 500 / 50 per second = 10 s.
"""

from __future__ import annotations

import asyncio
import math
import time
from datetime import time as clock_time
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, say, scale
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.records import ChannelConfig, PostStatus
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import Outcome
from bot.grading import AnswerGrader
from bot.scheduling.scheduler import DailyScheduler, slot_id
from bot.storage.store import SqliteStore

DUE = T0.replace(hour=9, minute=0)


async def due_group(path: Path, channels: int, platform: InstantPlatform) -> tuple[StudyGroup, list[ChannelConfig]]:
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=platform, grader=AnswerGrader(), clock=FixedClock(DUE)
        )
    )
    configs = [
        ChannelConfig(
            ChannelRef(PLATFORM, f"g{n % 200}", f"c{n}"),
            Schedule(at=clock_time(9, 0), timezone="UTC"),
            seed=f"bench:{n}",
        )
        for n in range(channels)
    ]
    await asyncio.gather(*(store.save_channel(config) for config in configs))
    return group, configs


async def fire(path: Path, channels: int, platform: InstantPlatform) -> tuple[float, int, int]:
    """Plan the channels (one slot), fire the slot; returns (seconds, posted, rows posted in the database)."""
    group, configs = await due_group(path, channels, platform)
    scheduler = DailyScheduler(group, TextStyle())
    await scheduler.load()
    slot = scheduler.slot_of(configs[0].ref)
    assert slot == slot_id(configs[0])
    started = time.perf_counter()
    results = await scheduler.post_slot(slot)
    elapsed = time.perf_counter() - started
    posted = sum(result.outcome is Outcome.POSTED for result in results)
    rows = len(await group.context.store.posts_with_status(PostStatus.POSTED))
    await group.context.store.close()  # type: ignore[attr-defined]
    return elapsed, posted, rows


async def sequential(path: Path, channels: int) -> float:
    platform = InstantPlatform()
    group, configs = await due_group(path, channels, platform)
    started = time.perf_counter()
    for config in configs:
        await group.post_if_due(config)
    elapsed = time.perf_counter() - started
    await group.context.store.close()  # type: ignore[attr-defined]
    return elapsed


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    channels = scale(quick, 10_000, 500)
    say(f"\n[fan-out] {channels:,} channels due at 09:00 UTC, one slot job, posting to an in-process platform")
    platform = InstantPlatform()
    elapsed, posted, rows = await fire(folder / "fanout.db", channels, platform)
    once = posted == channels == rows == len(platform.posts) and set(platform.posts.values()) == {1}
    rate = channels / elapsed
    baseline = await sequential(folder / "sequential.db", channels)
    report.add(
        "fanout_channels_per_s",
        rate,
        "channels/s",
        target=">= 1,000/s, each posted once",
        met=rate >= 1000 and once,
        baseline=f"one after another (the old sweep): {channels / baseline:,.0f} channels/s ({baseline:.2f} s); "
        f"every channel posted exactly once: {once} ({len(platform.posts):,} posts, {rows:,} rows)",
        ratio=f"{baseline / elapsed:.2f}x the sequential rate",
    )
    report.extra("fanout_sequential_channels_per_s", channels / baseline)

    limited = scale(quick, 500, 100)
    # The earliest a fixed window of 50 requests per second lets the last post through: 50 at once, then 50 at
    # each new second. (The plain count over the rate, limited / 50 s, is a second longer.)
    floor = (math.ceil(limited / 50) - 1) * 1.0
    say(f"\n[fan-out under a rate limit] {limited} channels, platform allows 50 requests/s, 429 + Retry-After beyond")
    platform = InstantPlatform(limit=50, window=1.0)
    elapsed, posted, rows = await fire(folder / "limited.db", limited, platform)
    once = posted == limited == rows == len(platform.posts) and set(platform.posts.values()) == {1}
    ratio = elapsed / floor
    report.add(
        "fanout_vs_rate_floor",
        ratio,
        "x floor",
        target="<= 1.15, none lost or doubled",
        met=ratio <= 1.15 and once,
        baseline=f"floor: the limiter lets the last of {limited} posts through at {floor:.1f} s "
        f"({limited} / 50 per s = {limited / 50:.1f} s); took {elapsed:.2f} s; {platform.refused:,} requests got "
        f"429 and were retried after Retry-After; every channel posted exactly once: {once}",
        ratio=f"{elapsed:.2f} s / {floor:.1f} s",
    )
    report.extra("fanout_rate_limited_s", elapsed)
