"""Commands and replies under a big operator's load: /leaderboard (channel and server), /stats and /quiz through
`StudyGroup.handle`, while 200 replies/s are offered through `on_reply`, on the stored database of
`benchmarks/history.py`: 10,000 channels already holding 1,000,000 answers, members with streaks up to a year.

Replies are offered open-loop: reply n arrives at start + n / 200 s whatever happened to the ones before, and
its latency runs from that arrival to the moment it is stored, so any queueing counts. Commands run one after
another meanwhile, asked by members on the board, spread over every server and its whole ranking (the last
included), and in the long channels by the members with the longest streaks. Baseline: the same commands on the
same database with nothing being stored.
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, percentile, say, scale
from benchmarks.history import stored, streakers, today
from benchmarks.leaderboard import ranking, spread
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
    path, channels, load = stored(folder, quick)
    seconds = scale(quick, 30, 1)
    say(
        f"\n[commands] {', '.join(COMMANDS)} through StudyGroup.handle while {RATE} replies/s are offered open-loop "
        f"for {seconds} s; {load.channels:,} channels on {load.servers} servers already hold {load.answers:,} "
        f"answers by {load.members:,} members, streaks up to {max(load.streaks)} days"
    )
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )
    open_posts: list[DailyPost] = await today(group, channels, load, min(OPEN_THREADS, len(channels)))
    plain = sqlite3.connect(path)
    boards = {server: ranking(plain, f"s:{PLATFORM}:g{server}", "all", "all") for server in range(load.servers)}
    plain.close()
    long_members = streakers(load)
    pk_of = {ref: pk for pk, ref in enumerate(channels, start=1)}

    def member_of(post: DailyPost, number: int) -> Member:
        """On the board: in a long channel every other asker has a streak; else spread over the ranking."""
        long = long_members.get(pk_of[post.channel])
        if long and number % 2:
            user = long[(number // 2) % len(long)]
        else:
            board = boards[int(post.channel.server_id[1:])]
            user = spread(board, number % 97, 97)
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

    idle = await commands(None, scale(quick, 5, 0.5))
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
        load=f"{RATE} replies/s offered open-loop for {seconds} s while the commands run",
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
        load=f"commands one after another (5 ms apart) while {RATE} replies/s are stored",
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
