"""Commands under load: /leaderboard, /stats and /quiz through `StudyGroup.handle` while replies are ingested at a
steady 2,000 per second through `on_reply` / `on_delete` on the same database."""

from __future__ import annotations

import asyncio
import gc
import time
from pathlib import Path

from benchmarks.common import PLATFORM, Report, percentile, say, scale
from benchmarks.ingest import Workload, deliver, events, open_questions
from benchmarks.machine import Machine
from bot.core.commands import parse_command
from bot.core.events import Reply, ReplyDeleted
from bot.core.refs import Actor, Member, MemberRef
from bot.core.style import TextStyle

COMMANDS = ("/leaderboard", "/leaderboard period:all scope:server", "/stats", "/quiz")
RATE = 2_000  # replies per second in the background


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    load = Workload(
        channels=scale(quick, 1_000, 100),
        servers=scale(quick, 100, 10),
        members=scale(quick, 50_000, 5_000),
        replies=scale(quick, 80_000, 12_000),
    )
    seconds = scale(quick, 20, 3)
    warm = load.replies - RATE * seconds - 1_000
    say(
        f"\n[commands] {', '.join(COMMANDS)} through StudyGroup.handle, one after another, for {seconds} s while "
        f"{RATE:,} replies/s are ingested ({load.channels:,} channels, {load.members:,} members, "
        f"{warm:,} replies stored before)"
    )
    group, _, posts = await open_questions(folder / "commands.db", load)
    stream, _ = events(load, posts, seed=99)
    await deliver(group, stream[:warm])
    background = stream[warm:]
    gc.collect()
    gc.freeze()  # the harness's event list, as in the ingest benchmark
    style = TextStyle()
    stop = asyncio.Event()
    ingested = 0

    async def ingest() -> None:
        nonlocal ingested
        tick = 0.01
        started = time.perf_counter()
        pending: set[asyncio.Task] = set()
        for index in range(0, len(background), int(RATE * tick)):
            if stop.is_set():
                break
            for event in background[index : index + int(RATE * tick)]:
                call = group.on_reply(event) if isinstance(event, Reply) else group.on_delete(event)
                task = asyncio.ensure_future(call)
                pending.add(task)
                task.add_done_callback(pending.discard)
                ingested += isinstance(event, Reply | ReplyDeleted)
            due = started + (index // int(RATE * tick) + 1) * tick
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        await asyncio.gather(*pending)

    async def commands(seconds: float) -> tuple[dict[str, list[float]], float]:
        latencies: dict[str, list[float]] = {command: [] for command in COMMANDS}
        started = time.perf_counter()
        number = 0
        while time.perf_counter() - started < seconds:
            post = posts[number * 7919 % len(posts)]
            asker = Actor(Member(MemberRef(PLATFORM, f"u{number * 104_729 % load.members}"), "asker"), post.channel)
            line = COMMANDS[number % len(COMMANDS)]
            begun = time.perf_counter()
            response = await group.handle(asker, parse_command(line), style)
            latencies[line].append(time.perf_counter() - begun)
            assert response.ok, response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies, time.perf_counter() - started

    idle, _ = await commands(max(1, seconds // 4))  # the baseline: the same commands with no ingest running
    worker = asyncio.create_task(ingest())
    latencies, elapsed = await commands(seconds)
    stop.set()
    await worker
    quiet = [value for values in idle.values() for value in values]
    await group.context.store.close()  # type: ignore[attr-defined]
    gc.unfreeze()
    every = [value for values in latencies.values() for value in values]
    p99 = percentile(every, 99) * 1000
    detail = ", ".join(f"{line} {percentile(values, 99) * 1000:.1f}" for line, values in latencies.items())
    report.add(
        "command_p99_ms",
        p99,
        "ms",
        target="<= 50 ms",
        met=p99 <= 50,
        baseline=f"the same commands with no ingest: p99 {percentile(quiet, 99) * 1000:.2f} ms; under load "
        f"{len(every)} commands, p50 {percentile(every, 50) * 1000:.2f} ms; p99 by command: {detail}; "
        f"ingested {ingested / elapsed:,.0f} events/s meanwhile",
    )
    report.extra("command_background_events_per_s", ingested / elapsed)
    report.extra("command_idle_p99_ms", percentile(quiet, 99) * 1000)
