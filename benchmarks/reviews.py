"""Reviews under load: `/review` and `/stats` (with readiness by topic and the goal plan) through
`StudyGroup.handle`, asked by members who each hold 2,000 review cards, while 200 replies/s are offered open-loop
through `on_reply`.

Workload (full run): a bank of the built-in questions and 2,500 of a group's own (`benchmarks/bank.py`); a server
of 10 channels holding 20,000 answers by 2,000 members (`benchmarks/leaderboard.py`), today's questions open; 5
askers on the board with 2,000 cards each and 200 other members with 50 each, every card the FSRS replay of a
history of 1 to 6 reviews over the last 180 days, stored with its reviews. Each asker has a goal, so /stats shows
the plan too. The real SQLite store, the real FSRS schedule, no pictures (their drawing is `card_render_p99_ms`).

Replies are offered as in `benchmarks/commands.py`: reply n arrives at start + n / 200 s, from a member who has
not answered that post yet. The askers' commands run one after another meanwhile (5 ms apart), /review then
/stats then /stats topic:T. Baseline: the same commands with nothing being stored.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from benchmarks import bank as bank_benchmark
from benchmarks import openloop
from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, percentile, say, scale
from benchmarks.leaderboard import build
from benchmarks.machine import Machine
from bot.banks.loading import load_bank
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.commands import parse_command
from bot.core.events import Reply
from bot.core.records import DailyPost
from bot.core.refs import Actor, ChannelRef, Member, MemberRef
from bot.core.review_cards import Rating, ReviewEntry
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.database import open_sync, ts
from bot.storage.store import SqliteStore

RATE = 200  # replies offered per second
TARGET_MS = 50.0
RATINGS = (Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.EASY)
TEXT = "Covariance keeps the units of both variables; correlation divides by both standard deviations."


def commands_of(topic: str) -> tuple[str, ...]:
    return ("/review", "/stats", f"/stats topic:{topic}")


def store_cards(path: Path, bank: Bank, decks: dict[str, int], goals: Sequence[str], seed: int = 41) -> int:
    """Each member in `decks` gets that many cards of distinct questions, each the FSRS replay of a random history,
    with its reviews, and the members in `goals` a goal 60 days on; bulk-loaded into the real schema. Returns the
    reviews stored."""
    rng = random.Random(seed)
    scheduler = FsrsScheduler()
    ids = [question.id for question in bank.questions]
    cards: list[tuple[object, ...]] = []
    log: list[tuple[object, ...]] = []
    for member, size in decks.items():
        for question_id in rng.sample(ids, size):
            at = T0 - timedelta(days=rng.uniform(1, 180))
            history = []
            for number in range(rng.randint(1, 6)):
                history.append(ReviewEntry(f"quiz:{member}:{question_id}:{number}", rng.choice(RATINGS), at))
                at += timedelta(days=rng.uniform(0.5, 20))
                if at >= T0:
                    break
            memory = scheduler.replay(history)
            last = memory.last_review
            state = (int(memory.state), memory.step, memory.stability, memory.difficulty, ts(memory.due))
            cards.append((PLATFORM, member, question_id, *state, ts(last) if last else None, len(history)))
            log += [
                (PLATFORM, member, question_id, entry.key, int(entry.rating), ts(entry.reviewed_at))
                for entry in history
            ]
    connection = open_sync(path)
    with connection:
        connection.executemany("INSERT INTO review_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cards)
        connection.executemany(
            "INSERT INTO review_log (platform, member_id, question_id, review_key, rating, reviewed_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            log,
        )
        connection.executemany(
            "INSERT INTO review_goals (platform, member_id, ready_by, topics) VALUES (?, ?, ?, '')",
            [(PLATFORM, member, (T0.date() + timedelta(days=60)).isoformat()) for member in goals],
        )
    connection.execute("ANALYZE")
    connection.close()
    # On disk before the run, or its first checkpoint pays for syncing the freshly written file (history.py).
    with path.open("rb") as written:
        os.fsync(written.fileno())
    return len(log)


async def open_posts(group: StudyGroup, channels: Sequence[ChannelRef]) -> list[DailyPost]:
    posts = []
    for ref in channels:
        post = await group.context.store.latest_post(channel=ref)  # type: ignore[attr-defined]
        assert post is not None and post.thread is not None
        posts.append(post)
    return posts


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    extra, deck = scale(quick, 2_500, 120), scale(quick, 2_000, 100)
    askers = [f"u{number}" for number in range(scale(quick, 5, 2))]
    others = {f"u{number}": scale(quick, 50, 10) for number in range(10, 10 + scale(quick, 200, 10))}
    bank_folder = folder / "bank"
    bank_folder.mkdir()
    bank_benchmark.generate(bank_folder, extra)
    bank = load_bank([bank_folder])
    path = folder / "reviews.db"
    channels = build(path, scale(quick, 20_000, 1_000), scale(quick, 2_000, 100), seed=37, servers=1)
    reviews = store_cards(path, bank, {**{member: deck for member in askers}, **others}, askers)
    seconds = scale(quick, 20, 1)
    say(
        f"\n[reviews] /review, /stats and /stats topic:T through StudyGroup.handle by {len(askers)} members with "
        f"{deck:,} cards each, while {RATE} replies/s are offered open-loop for {seconds} s; a bank of {len(bank):,} "
        f"questions, {len(askers) * deck + sum(others.values()):,} cards and {reviews:,} reviews stored"
    )
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=bank,
            store=store,
            platform=InstantPlatform(),
            grader=AnswerGrader(),
            clock=FixedClock(T0),
            scheduler=FsrsScheduler(),
        )
    )
    posts = await open_posts(group, channels)
    topics = sorted(str(topic) for topic in bank.topics())
    style = TextStyle()
    offered = [
        Reply(
            posts[number % len(posts)].thread,  # type: ignore[arg-type]
            f"load{number}",
            Member(MemberRef(PLATFORM, f"new{number}"), f"newcomer {number}"),
            TEXT,
            T0 + timedelta(milliseconds=number),
        )
        for number in range(RATE * seconds)
    ]

    async def commands(until: asyncio.Task[object] | None, at_least: float) -> dict[str, list[float]]:
        latencies: dict[str, list[float]] = {"/review": [], "/stats": []}
        number, begun_all = 0, time.perf_counter()
        while (until is not None and not until.done()) or time.perf_counter() - begun_all < at_least:
            user = askers[number % len(askers)]
            line = commands_of(topics[number % len(topics)])[number % 3]
            actor = Actor(Member(MemberRef(PLATFORM, user), f"member {user}"), posts[number % len(posts)].channel)
            begun = time.perf_counter()
            response = await group.handle(actor, parse_command(line), style)
            latencies[line.split()[0]].append(time.perf_counter() - begun)
            assert response.ok and ("Readiness" in response.text or line == "/review"), response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies

    gc.collect()
    gc.freeze()  # the harness's replies, held up front (a bot holds a few in flight)
    idle = await commands(None, scale(quick, 5, 0.3))
    worker = asyncio.create_task(openloop.offer(group, offered, RATE))
    loaded = await commands(worker, 0)
    reply_latencies, _, scored = await worker
    await store.close()
    gc.unfreeze()

    reply_p99 = percentile(reply_latencies, 99) * 1000
    for name, key in (("/review", "review_p99_ms"), ("/stats", "stats_readiness_p99_ms")):
        p99, quiet = percentile(loaded[name], 99) * 1000, percentile(idle[name], 99) * 1000
        report.add(
            key,
            p99,
            "ms",
            target=f"<= {TARGET_MS:g} ms",
            met=p99 <= TARGET_MS,
            load=f"{len(loaded[name])} asked by members with {deck:,} cards while {RATE} replies/s are stored "
            f"(reply p99 {reply_p99:.1f} ms, {scored:,} of {len(offered):,} scored)",
            baseline=f"with nothing stored meanwhile p99 {quiet:.2f} ms; under load p50 "
            f"{percentile(loaded[name], 50) * 1000:.2f} ms, max {max(loaded[name]) * 1000:.1f} ms; {machine.beside()}",
            ratio=f"{p99 / max(quiet, 1e-9):.1f}x idle",
        )
    report.extra("reviews_reply_p99_ms", reply_p99)
