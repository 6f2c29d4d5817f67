"""The storage targets at the load a big operator offers: 200 replies/s through `on_reply`, with commands
answered meanwhile. `python -m benchmarks.storage_load [--quick]`.

Prints the p99 per reply and per command (with the idle figures beside them) and the threads of the process.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import time
from pathlib import Path

from benchmarks.commands import COMMANDS
from benchmarks.common import PLATFORM, percentile
from benchmarks.ingest import Workload, deliver, events, open_questions
from bot.core.commands import parse_command
from bot.core.events import Reply, ReplyDeleted
from bot.core.refs import Actor, Member, MemberRef
from bot.core.style import TextStyle

RATE = 200


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


async def measure(folder: Path, quick: bool) -> None:
    seconds = 5 if quick else 20
    load = Workload(channels=1_000, servers=100, members=50_000, replies=(20_000 if quick else 80_000) + RATE * seconds)
    group, _, posts = await open_questions(folder / "load.db", load)
    stream, _ = events(load, posts, seed=5)
    warm = len(stream) - RATE * seconds - 500
    await deliver(group, stream[:warm])
    background = stream[warm:]
    gc.collect()
    gc.freeze()
    style = TextStyle()
    reply_latencies: list[float] = []
    most_threads = threads()

    async def one(event: object) -> None:
        begun = time.perf_counter()
        if isinstance(event, Reply):
            await group.on_reply(event)
        else:
            assert isinstance(event, ReplyDeleted)
            await group.on_delete(event)
        reply_latencies.append(time.perf_counter() - begun)

    async def ingest() -> None:
        nonlocal most_threads
        started, pending = time.perf_counter(), set()
        for index, event in enumerate(background[: RATE * seconds]):
            task = asyncio.ensure_future(one(event))
            pending.add(task)
            task.add_done_callback(pending.discard)
            most_threads = max(most_threads, threads())
            await asyncio.sleep(max(0.0, started + (index + 1) / RATE - time.perf_counter()))
        await asyncio.gather(*pending)

    async def commands(until: asyncio.Task[None] | None, at_least: float) -> list[float]:
        latencies, number, started = [], 0, time.perf_counter()
        while (until is not None and not until.done()) or time.perf_counter() - started < at_least:
            post = posts[number * 7919 % len(posts)]
            asker = Actor(Member(MemberRef(PLATFORM, f"u{number * 104_729 % load.members}"), "asker"), post.channel)
            begun = time.perf_counter()
            response = await group.handle(asker, parse_command(COMMANDS[number % len(COMMANDS)]), style)
            latencies.append(time.perf_counter() - begun)
            assert response.ok, response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies

    idle = await commands(None, 2)
    worker = asyncio.create_task(ingest())
    loaded = await commands(worker, 0)
    await worker
    await group.context.store.close()  # type: ignore[attr-defined]
    gc.unfreeze()
    print(
        f"{RATE} replies/s offered for {seconds} s on {warm:,} stored answers: reply p50 "
        f"{percentile(reply_latencies, 50) * 1000:.1f} ms, p99 {percentile(reply_latencies, 99) * 1000:.1f} ms; "
        f"commands p99 {percentile(loaded, 99) * 1000:.1f} ms under load ({len(loaded)} commands), "
        f"{percentile(idle, 99) * 1000:.1f} ms idle; at most {most_threads} threads"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    with tempfile.TemporaryDirectory() as name:
        asyncio.run(measure(Path(name), parser.parse_args().quick))


if __name__ == "__main__":
    main()
