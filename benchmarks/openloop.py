"""Open-loop ingest: replies offered at a fixed rate, each timed from its scheduled arrival to the moment it is
stored, so time spent queueing behind earlier replies counts (a closed loop, which starts the clock when a slot
frees up, never sees it).

Workload: the ingest benchmark's channels, open questions and reply stream (fresh store, 1,000 channels and
50,000 members in the full run), offered at 200, 1,000 and 2,000 replies/s for 10 s each, one rate after the
other on the same store. Reply n of a rate arrives at start + n / rate whatever happened to the ones before.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path

from benchmarks.common import Report, percentile, say, scale
from benchmarks.ingest import events, open_questions, workload
from benchmarks.machine import Machine
from bot.core.events import Reply
from bot.core.studygroup import StudyGroup

RATES = (200, 1_000, 2_000)
TARGET_MS = 50.0  # p99 at 200 replies/s


async def offer(group: StudyGroup, stream: list[Reply], rate: int) -> tuple[list[float], float, int]:
    """Latencies (s) from each reply's scheduled arrival, the seconds until the last was stored, and how many
    were scored."""
    latencies: list[float] = []
    scored = 0
    pending: set[asyncio.Task[None]] = set()

    async def one(reply: Reply, arrival: float) -> None:
        nonlocal scored
        result = await group.on_reply(reply)
        latencies.append(time.perf_counter() - arrival)
        scored += result.verdict == "scored"

    start = time.perf_counter()
    for number, reply in enumerate(stream):
        arrival = start + number / rate
        delay = arrival - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(one(reply, arrival))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*list(pending))
    return latencies, time.perf_counter() - start, scored


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    load = workload(quick)
    seconds = scale(quick, 10, 1) / (4 if quick else 1)
    say(
        f"\n[open-loop ingest] replies offered at {', '.join(f'{rate:,}' for rate in RATES)}/s for {seconds:g} s each "
        f"through StudyGroup.on_reply, timed from each one's arrival; {load.channels:,} channels, "
        f"{load.members:,} members"
    )
    group, _, posts = await open_questions(folder / "openloop.db", load)
    needed = sum(int(rate * seconds) for rate in RATES)
    stream = [
        event for event in events(dataclasses.replace(load, replies=needed), posts)[0] if isinstance(event, Reply)
    ]
    at = 0
    for rate in RATES:
        part = stream[at : at + int(rate * seconds)]
        at += len(part)
        latencies, elapsed, scored = await offer(group, part, rate)
        p50, p99 = percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000
        report.add(
            f"ingest_open_p99_ms_{rate}",
            p99,
            "ms",
            target=f"<= {TARGET_MS:g} ms" if rate == RATES[0] else "printed",
            met=p99 <= TARGET_MS if rate == RATES[0] else None,
            load=f"{rate:,} replies/s offered open-loop for {seconds:g} s ({len(part):,} replies)",
            baseline=f"p50 {p50:.2f} ms, max {max(latencies) * 1000:.1f} ms; all stored {elapsed:.2f} s after the "
            f"first arrived ({len(part) / elapsed:,.0f} replies/s kept up); {scored:,} scored",
        )
        report.extra(f"ingest_open_p50_ms_{rate}", p50)
    await group.context.store.close()  # type: ignore[attr-defined]
