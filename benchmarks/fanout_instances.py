"""Fan-out by one or more bot instances, each a process of its own with its own store on one database.

Every instance plans the stored channels and fires the slot job at the same moment, as several `studybot run`
on one PostgreSQL database do when their minute comes; the day's claim in the database decides which of them
posts each channel. Each posts to a platform where every request takes `ROUND_TRIP` (`benchmarks/roundtrips.py`):
one platform shared by all, since with no rate limit it is the round trip alone that each request waits.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import queue
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import PLATFORM, builtin_bank
from benchmarks.fanout import DUE, due_channels
from benchmarks.roundtrips import ROUND_TRIP, RoundTripPlatform
from bot.core.clock import FixedClock
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.scheduling.scheduler import DailyScheduler
from bot.storage.store import SqliteStore


@dataclass
class Instance:
    """What one instance did during its fan-out."""

    started: float
    finished: float
    outcomes: dict[str, int]
    posts: dict[str, int]  # post key -> times this instance posted it
    transactions: int
    cpu_s: float


@dataclass
class FanOut:
    instances: list[Instance]
    rows_posted: int
    posts: Counter[str] = field(default_factory=Counter)

    @property
    def seconds(self) -> float:
        return max(one.finished for one in self.instances) - min(one.started for one in self.instances)

    def each_once(self, channels: int) -> bool:
        return len(self.posts) == channels == self.rows_posted and set(self.posts.values()) == {1}


async def save_channels(location: str, channels: int) -> None:
    """The fan-out's `due_channels`, saved in the database at `location`."""
    async with await SqliteStore.open(location) as store:
        configs = due_channels(channels)
        for start in range(0, channels, 500):
            await asyncio.gather(*(store.save_channel(config) for config in configs[start : start + 500]))


async def _instance(location: str, number: int, ready: Any, go: Any) -> Instance:
    platform = RoundTripPlatform(ROUND_TRIP, first_id=number * 10**9 + 1)  # message ids unique on the platform
    store = await SqliteStore.open(location)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=platform, grader=AnswerGrader(), clock=FixedClock(DUE)
        )
    )
    scheduler = DailyScheduler(group, TextStyle())
    await scheduler.load()
    slot = scheduler.slot_of((await store.list_channels(platform=PLATFORM))[0].ref)
    assert slot is not None
    before = store.db.batches
    ready.release()
    await asyncio.to_thread(go.wait)
    cpu, started = time.process_time(), time.monotonic()  # monotonic: one clock for every process on Linux
    results = await scheduler.post_slot(slot)
    finished = time.monotonic()
    cpu = time.process_time() - cpu
    transactions = store.db.batches - before
    await store.close()
    return Instance(
        started,
        finished,
        dict(Counter(str(result.outcome) for result in results)),
        platform.posts,
        transactions,
        cpu,
    )


def _serve(location: str, number: int, ready: Any, go: Any, done: Any) -> None:
    done.put(asyncio.run(_instance(location, number, ready, go)))


def _result(done: Any, processes: list[Any]) -> Instance:
    """The next instance's result; an instance that died instead fails the benchmark rather than hanging it."""
    while True:
        try:
            return done.get(timeout=1)  # type: ignore[no-any-return]
        except queue.Empty:
            _fail_if_dead(processes)


def _fail_if_dead(processes: list[Any]) -> None:
    dead = [process.exitcode for process in processes if process.exitcode not in (None, 0)]
    if dead:
        raise RuntimeError(f"a bot instance of the fan-out exited with code {dead[0]}")


async def fan_out(location: str, instances: int) -> FanOut:
    """Start `instances` processes on the database at `location`, fire their slot job together, and gather what
    each did; the rows posted are read back from the database."""
    spawn = multiprocessing.get_context("spawn")
    ready, go, done = spawn.Semaphore(0), spawn.Event(), spawn.Queue()
    processes = [spawn.Process(target=_serve, args=(location, number, ready, go, done)) for number in range(instances)]
    for process in processes:
        process.start()
    for _ in processes:
        while not await asyncio.to_thread(ready.acquire, True, 1):
            _fail_if_dead(processes)
    go.set()
    gathered = [await asyncio.to_thread(_result, done, processes) for _ in processes]
    for process in processes:
        await asyncio.to_thread(process.join)
    async with await SqliteStore.open(location) as store:
        rows = len(await store.posts_with_status("posted"))
    posts: Counter[str] = Counter()
    for one in gathered:
        posts.update(one.posts)
    return FanOut(gathered, rows, posts)
