"""Commands and replies under a big operator's load: /leaderboard (channel and server), /stats and /quiz through
`StudyGroup.handle`, while 200 replies/s are offered through `on_reply`, on a database where 10,000 channels
already hold 1,000,000 answers.

Replies are offered open-loop: reply n arrives at start + n / 200 s whatever happened to the ones before, and
its latency runs from that arrival to the moment it is stored, so any queueing counts. Commands run one after
another meanwhile, asked by members spread over every server. Baseline: the same commands on the same database
with nothing being stored.
"""

from __future__ import annotations

import asyncio
import gc
import random
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, percentile, say, scale
from benchmarks.leaderboard import build
from benchmarks.machine import Machine
from benchmarks.threads import running_threads
from bot.core.clock import FixedClock
from bot.core.commands import parse_command
from bot.core.events import Reply
from bot.core.records import DailyPost
from bot.core.refs import Actor, Member, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.store import SqliteStore

COMMANDS = ("/leaderboard", "/leaderboard period:all scope:server", "/stats", "/quiz")
RATE = 200  # replies offered per second
OPEN_THREADS = 1_000  # channels whose question of the day the replies go to
TEXT = "Covariance keeps the units of both variables; correlation divides by both standard deviations."


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    answers, members = scale(quick, 1_000_000, 20_000), scale(quick, 100_000, 5_000)
    servers, per_server = scale(quick, 100, 5), scale(quick, 100, 40)
    seconds = scale(quick, 30, 2)
    say(
        f"\n[commands] {', '.join(COMMANDS)} through StudyGroup.handle while {RATE} replies/s are offered open-loop "
        f"for {seconds} s; {servers * per_server:,} channels on {servers} servers already hold {answers:,} answers "
        f"by {members:,} members"
    )
    path = folder / "commands.db"
    started = time.perf_counter()
    channels = build(path, answers, members, seed=13, servers=servers, channels_per_server=per_server)
    say(f"  built in {time.perf_counter() - started:.1f} s")
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )
    rng = random.Random(17)
    open_posts: list[DailyPost] = []
    for ref in rng.sample(channels, min(OPEN_THREADS, len(channels))):
        post = await store.latest_post(channel=ref)
        assert post is not None and post.thread is not None
        open_posts.append(post)
    members_per_server = members // servers

    def member_of(post: DailyPost, number: int) -> Member:
        server = int(post.channel.server_id[1:])
        user = f"u{server * members_per_server + (number * 7_919) % members_per_server}"
        return Member(MemberRef(PLATFORM, user), f"member {user}")

    # Offered replies come from members who have not answered that post yet, so each one is a scoring answer.
    offered: list[Reply] = []
    for number in range(RATE * seconds):
        post = open_posts[number % len(open_posts)]
        assert post.thread is not None
        author = Member(MemberRef(PLATFORM, f"new{number}"), f"newcomer {number}")
        offered.append(Reply(post.thread, f"load{number}", author, TEXT, T0 + timedelta(milliseconds=number)))
    style = TextStyle()
    gc.collect()
    gc.freeze()  # the harness's event list, held up front (a bot holds a few in flight)

    async def commands(until: asyncio.Task[None] | None, at_least: float) -> dict[str, list[float]]:
        latencies: dict[str, list[float]] = {line: [] for line in COMMANDS}
        number, begun_all = 0, time.perf_counter()
        while (until is not None and not until.done()) or time.perf_counter() - begun_all < at_least:
            post = open_posts[(number * 31) % len(open_posts)]
            line = COMMANDS[number % len(COMMANDS)]
            begun = time.perf_counter()
            response = await group.handle(Actor(member_of(post, number), post.channel), parse_command(line), style)
            latencies[line].append(time.perf_counter() - begun)
            assert response.ok, response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies

    reply_latencies: list[float] = []
    verdicts: dict[str, int] = {}
    most_threads = running_threads()

    async def one(reply: Reply, arrival: float) -> None:
        result = await group.on_reply(reply)
        reply_latencies.append(time.perf_counter() - arrival)
        verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1

    async def offer() -> None:
        nonlocal most_threads
        pending: set[asyncio.Task[None]] = set()
        start = time.perf_counter()
        for number, reply in enumerate(offered):
            arrival = start + number / RATE
            await asyncio.sleep(max(0.0, arrival - time.perf_counter()))
            task = asyncio.ensure_future(one(reply, arrival))
            pending.add(task)
            task.add_done_callback(pending.discard)
            if number % RATE == 0:
                most_threads = max(most_threads, running_threads())
        await asyncio.gather(*pending)

    idle = await commands(None, scale(quick, 5, 1))
    worker = asyncio.create_task(offer())
    loaded = await commands(worker, 0)
    await worker
    await store.close()
    gc.unfreeze()

    every = [value for values in loaded.values() for value in values]
    quiet = [value for values in idle.values() for value in values]
    reply_p99 = percentile(reply_latencies, 99) * 1000
    command_p99 = percentile(every, 99) * 1000
    detail = ", ".join(f"{line} {percentile(values, 99) * 1000:.1f}" for line, values in loaded.items())
    say(f"  verdicts: {', '.join(f'{k} {v:,}' for k, v in sorted(verdicts.items()))}")
    report.add(
        "ingest_p99_ms",
        reply_p99,
        "ms",
        target=f"<= 50 ms at {RATE}/s offered",
        met=reply_p99 <= 50 and verdicts.get("scored", 0) == len(offered),
        baseline=f"open-loop, from each reply's arrival; p50 {percentile(reply_latencies, 50) * 1000:.2f} ms, "
        f"max {max(reply_latencies) * 1000:.1f} ms, {len(offered):,} replies, all scored: "
        f"{verdicts.get('scored', 0) == len(offered)}",
    )
    report.add(
        "command_p99_ms",
        command_p99,
        "ms",
        target="<= 50 ms",
        met=command_p99 <= 50,
        baseline=f"the same commands with nothing stored meanwhile: p99 {percentile(quiet, 99) * 1000:.2f} ms; "
        f"under load {len(every)} commands, p50 {percentile(every, 50) * 1000:.2f} ms; p99 by command: {detail}",
        ratio=f"{command_p99 / max(percentile(quiet, 99) * 1000, 1e-9):.1f}x idle",
    )
    report.add(
        "threads",
        most_threads,
        "threads",
        target="<= 6",
        met=most_threads <= 6,
        baseline="the most this process ran while storing and answering (its own event loop included)",
    )
    report.extra("command_idle_p99_ms", percentile(quiet, 99) * 1000)
