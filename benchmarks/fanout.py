"""Fan-out: many channels due at the same minute, through the scheduler's slot job and `DailyQuestions.post_due`.

1. 10,000 channels (full run) at 09:00 UTC: each chooses its question, claims the day and posts to an in-process
   platform that answers at once. Baseline: the same channels posted one after another (the old sweep).
2. 500 channels against a platform that allows 50 requests per second and answers the rest with 429 and
   Retry-After, as Discord does. Floor: 500 / 50 per second = 10 s.
3. A group bank: the built-in bank plus 10,000 generated questions (`benchmarks/bank.py`), 1,000 channels at
   once on the instant platform; baseline: the built-in bank's rate of 1.
4. Real round trips (`benchmarks/roundtrips.py`): every request takes 100 ms; then Discord's limits (2 requests
   a question, 50/s global, 5 per 5 s per channel) and Slack's (1 per second per channel). Floor: what the
   fan-out's concurrency and the limits allow at best.
"""

from __future__ import annotations

import asyncio
import math
import tempfile
import time
from datetime import time as clock_time
from pathlib import Path

from benchmarks import bank as bank_benchmark
from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, say, scale
from benchmarks.machine import Machine
from benchmarks.roundtrips import DISCORD, ROUND_TRIP, SLACK, Limits, RoundTripPlatform
from bot.banks.loading import load_bank
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.records import ChannelConfig, PostStatus
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import FAN_OUT_CONCURRENCY, Outcome
from bot.grading import AnswerGrader
from bot.scheduling.scheduler import DailyScheduler, slot_id
from bot.storage.store import SqliteStore

DUE = T0.replace(hour=9, minute=0)


def due_channels(channels: int) -> list[ChannelConfig]:
    """`channels` channels due at 09:00 UTC, on 200 servers."""
    return [
        ChannelConfig(
            ChannelRef(PLATFORM, f"g{n % 200}", f"c{n}"),
            Schedule(at=clock_time(9, 0), timezone="UTC"),
            seed=f"bench:{n}",
        )
        for n in range(channels)
    ]


async def due_group(
    path: Path, channels: int, platform: InstantPlatform, bank: Bank | None = None
) -> tuple[StudyGroup, list[ChannelConfig]]:
    store = await SqliteStore.open(path)
    context = StudyGroupContext(
        bank=bank or builtin_bank(), store=store, platform=platform, grader=AnswerGrader(), clock=FixedClock(DUE)
    )
    group = StudyGroup(context)
    configs = due_channels(channels)
    await asyncio.gather(*(store.save_channel(config) for config in configs))
    return group, configs


async def fire(
    path: Path, channels: int, platform: InstantPlatform, bank: Bank | None = None
) -> tuple[float, int, int]:
    """Plan the channels (one slot), fire the slot; returns (seconds, posted, rows posted in the database)."""
    group, configs = await due_group(path, channels, platform, bank)
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
    channels = scale(quick, 10_000, 300)
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
        load=f"{channels:,} channels due at one minute, one slot job, a platform that answers at once",
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
        load=f"{limited} channels due at once, 50 requests/s allowed, answered at once",
        baseline=f"floor: the limiter lets the last of {limited} posts through at {floor:.1f} s "
        f"({limited} / 50 per s = {limited / 50:.1f} s); took {elapsed:.2f} s; {platform.refused:,} requests got "
        f"429 and were retried after Retry-After; every channel posted exactly once: {once}",
        ratio=f"{elapsed:.2f} s / {floor:.1f} s",
    )
    report.extra("fanout_rate_limited_s", elapsed)

    await group_bank(report, folder, quick, rate)
    for limits, count in (
        (ROUND_TRIP, scale(quick, 2_000, 64)),
        (DISCORD, scale(quick, 300, 20)),
        (SLACK, scale(quick, 2_000, 64)),
    ):
        await round_trips(report, folder, limits, count)


async def group_bank(report: Report, folder: Path, quick: bool, builtin_rate: float) -> None:
    extra, channels = scale(quick, 10_000, 1_000), scale(quick, 1_000, 100)
    with tempfile.TemporaryDirectory(dir=folder) as bank_folder:
        bank_benchmark.generate(Path(bank_folder), extra)
        bank = load_bank([bank_folder])
    say(
        f"\n[fan-out, group bank] {channels:,} channels due at once, a bank of {len(bank):,} questions "
        f"(the built-in one and {extra:,} of the group's own)"
    )
    platform = InstantPlatform()
    elapsed, posted, rows = await fire(folder / "group-bank.db", channels, platform, bank)
    once = posted == channels == rows == len(platform.posts) and set(platform.posts.values()) == {1}
    big_rate = channels / elapsed
    report.add(
        "fanout_group_bank_channels_per_s",
        big_rate,
        "channels/s",
        target="printed",
        load=f"{channels:,} channels due at one minute, one slot job, instant platform, {len(bank):,} questions",
        baseline=f"the built-in bank ({len(builtin_bank()):,} questions) in this run: {builtin_rate:,.0f} channels/s; "
        f"every channel posted exactly once: {once}",
        ratio=f"{big_rate / builtin_rate:.2f}x the built-in bank's rate",
    )


def floor_seconds(limits: Limits, channels: int) -> float:
    """The earliest the last post can be done: the fan-out's concurrency at the round trip, or the global limit
    (a fixed window: the first second's requests at once), whichever is slower."""
    by_round_trips = math.ceil(channels / FAN_OUT_CONCURRENCY) * limits.requests_per_post * limits.round_trip
    if limits.global_per_s is None:
        return by_round_trips
    by_limit = (math.ceil(channels * limits.requests_per_post / limits.global_per_s) - 1) + limits.round_trip
    return max(by_round_trips, by_limit)


async def round_trips(report: Report, folder: Path, limits: Limits, channels: int) -> None:
    key = {"Discord": "fanout_discord", "Slack": "fanout_slack"}.get(limits.name, "fanout_round_trip")
    say(f"\n[fan-out, {limits.name}] {channels:,} channels due at once, each request {limits.round_trip * 1000:.0f} ms")
    platform = RoundTripPlatform(limits)
    elapsed, posted, rows = await fire(folder / f"{key}.db", channels, platform)
    once = posted == channels == rows == len(platform.posts) and set(platform.posts.values()) == {1}
    floor = floor_seconds(limits, channels)
    limit_text = ", ".join(
        part
        for part in (
            f"{limits.global_per_s}/s global" if limits.global_per_s else "",
            f"{limits.per_channel} per {limits.channel_window:g} s per channel" if limits.per_channel else "",
        )
        if part
    )
    report.add(
        f"{key}_channels_per_s",
        channels / elapsed,
        "channels/s",
        target="printed",
        load=f"{channels:,} channels due at one minute, {limits.requests_per_post} request(s) a question of "
        f"{limits.round_trip * 1000:.0f} ms each{', ' + limit_text if limit_text else ''}",
        baseline=f"floor {floor:.2f} s ({FAN_OUT_CONCURRENCY} channels at a time at the round trip"
        f"{', or the global limit' if limits.global_per_s else ''}); took {elapsed:.2f} s; {platform.refused:,} "
        f"requests refused with 429 and retried; every channel posted exactly once: {once}",
        ratio=f"{elapsed / floor:.2f}x the floor",
    )
    report.extra(f"{key}_vs_floor", elapsed / floor)
