"""Ingest: thread replies through `StudyGroup.on_reply` / `on_delete` into SQLite, against raw sqlite3.

Workload (full run): 200,000 replies (10% too short, 5% delivered twice, 2% deleted later) across 2,000 open
questions (2 per channel: yesterday's and today's) in 1,000 channels on 100 servers, by 50,000 members.
Events are dispatched like a gateway does: each one its own task, at most 64 in flight, in stream order.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import random
import sqlite3
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, clock, percentile, say, scale
from benchmarks.machine import Machine
from benchmarks.peer import PerWriteTransactions, PerWriteTransactionsNoWal
from bot.core.events import Reply, ReplyDeleted
from bot.core.records import ChannelConfig, DailyPost
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.schedule import Schedule
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.database import Database, open_sync
from bot.storage.store import SqliteStore

IN_FLIGHT = 64
LONG_TEXTS = (
    "Covariance keeps the units of both variables; correlation divides by both standard deviations.",
    "Regularisation trades a little bias for a lot less variance, so the model generalises better.",
    "A p-value is the probability of data at least this extreme if the null hypothesis were true.",
    "Dropout samples a thinner network per step, which acts like an ensemble of many networks.",
)
SHORT_TEXTS = ("+1", "same here", "nice question!", "agreed")


@dataclass
class Workload:
    channels: int
    servers: int
    members: int
    replies: int


def workload(quick: bool) -> Workload:
    return Workload(
        channels=scale(quick, 1_000, 40),
        servers=scale(quick, 100, 4),
        members=scale(quick, 50_000, 5_000),
        replies=scale(quick, 200_000, 500),
    )


async def open_questions(
    path: Path, load: Workload, database: type[Database] = Database
) -> tuple[StudyGroup, InstantPlatform, list[DailyPost]]:
    """A study group on a fresh file with `channels` channels, each with yesterday's and today's question open."""
    store = SqliteStore(await database.open(path))
    platform = InstantPlatform()
    the_clock = clock()
    group = StudyGroup(
        StudyGroupContext(bank=builtin_bank(), store=store, platform=platform, grader=AnswerGrader(), clock=the_clock)
    )
    configs = [
        ChannelConfig(
            ChannelRef(PLATFORM, f"g{n % load.servers}", f"c{n}"),
            Schedule(timezone="UTC"),
            name=f"study-{n}",
            seed=f"bench:{n}",
        )
        for n in range(load.channels)
    ]
    await asyncio.gather(*(store.save_channel(config) for config in configs))
    posts: list[DailyPost] = []
    for day in (T0.date() - timedelta(days=1), T0.date()):
        results = await asyncio.gather(*(group.daily.post_for_date(config, day) for config in configs))
        posts.extend(result.post for result in results if result.post is not None)
    return group, platform, posts


def events(load: Workload, posts: list[DailyPost], seed: int = 20261123) -> tuple[list[object], int]:
    """The delivery stream, generated deterministically: replies, second deliveries and later deletions."""
    rng = random.Random(seed)
    stream: list[object | None] = []
    later: list[tuple[int, object]] = []
    members = [Member(MemberRef(PLATFORM, f"u{n}"), f"member {n}") for n in range(load.members)]
    for number in range(load.replies):
        post = posts[rng.randrange(len(posts))]
        assert post.thread is not None
        text = rng.choice(SHORT_TEXTS) if rng.random() < 0.10 else rng.choice(LONG_TEXTS)
        reply = Reply(
            post.thread, f"r{number}", members[rng.randrange(load.members)], text, T0 + timedelta(milliseconds=number)
        )
        stream.append(reply)
        roll = rng.random()
        if roll < 0.05:  # delivered twice: the platform re-sends it a little later
            later.append((number + rng.randint(1, 50), reply))
        elif roll < 0.07:  # deleted later, after it has surely been stored
            later.append((number + IN_FLIGHT * 8 + rng.randint(0, 500), ReplyDeleted(PLATFORM, f"r{number}")))
    merged: list[object] = []
    later.sort(key=lambda item: item[0])
    cursor = 0
    for index, event in enumerate(stream):
        merged.append(event)
        while cursor < len(later) and later[cursor][0] <= index:
            merged.append(later[cursor][1])
            cursor += 1
    merged.extend(event for _, event in later[cursor:])
    return merged, load.replies


async def deliver(
    group: StudyGroup, stream: list[object], in_flight: int = IN_FLIGHT
) -> tuple[list[float], dict, list[float]]:
    """Dispatch every event as its own task, at most `in_flight` at once. Returns latencies (s), verdict counts,
    and the completion time of each event (s since start)."""
    latencies: list[float] = []
    finished: list[float] = []
    verdicts: dict[str, int] = {}
    slots = asyncio.Semaphore(in_flight)
    started = time.perf_counter()

    async def one(event: object) -> None:
        begun = time.perf_counter()
        try:
            if isinstance(event, Reply):
                result = await group.on_reply(event)
            else:
                assert isinstance(event, ReplyDeleted)
                result = await group.on_delete(event)
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1
        finally:
            done = time.perf_counter()
            latencies.append(done - begun)
            finished.append(done - started)
            slots.release()

    tasks = set()
    for event in stream:
        await slots.acquire()
        task = asyncio.create_task(one(event))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    while tasks:
        await asyncio.gather(*list(tasks))
    return latencies, verdicts, finished


# One leaderboard row's change, as the store makes it (8 per answer), for the raw baseline.
UPSERT_LEADERBOARD = """
    INSERT INTO leaderboards (scope, period, period_key, platform, member_id, points, answers, last_answer_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, member_id, period, period_key) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + excluded.answers,
        last_answer_at = max(last_answer_at, excluded.last_answer_at)
"""


def raw_baseline(path: Path, source: Path) -> tuple[float, int]:
    """The rows the run stored (channels, posts, members, answers and their leaderboard rows), inserted again by plain
    sqlite3 executemany in one transaction into a fresh file with the same schema and settings."""
    src = sqlite3.connect(source)
    tables = {
        name: (
            [column[1] for column in src.execute(f"PRAGMA table_info({name})")],
            src.execute(
                f"SELECT * FROM {name} ORDER BY rowid"
                if name in ("channels", "posts", "answers")
                else f"SELECT * FROM {name}"
            ).fetchall(),
        )
        for name in ("channels", "posts", "seasons", "members", "answers", "leaderboards")
    }
    src.close()
    target = open_sync(path)
    started = time.perf_counter()
    target.execute("BEGIN")
    for name, (columns, found) in tables.items():
        marks = ", ".join("?" for _ in columns)
        target.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", found)
    target.execute("COMMIT")
    elapsed = time.perf_counter() - started
    target.close()
    return elapsed, len(tables["answers"][1])


def raw_baseline_upserts(path: Path, source: Path) -> tuple[float, int]:
    """As the run writes them: each answer row, its member upsert and its 8 leaderboard upserts, all by executemany in
    one transaction (the aggregates built by upserts, not copied)."""
    src = sqlite3.connect(source)
    src.row_factory = sqlite3.Row
    answers = src.execute("SELECT * FROM answers ORDER BY id").fetchall()
    others = {
        name: (
            [c[1] for c in src.execute(f"PRAGMA table_info({name})")],
            src.execute(f"SELECT * FROM {name}").fetchall(),
        )
        for name in ("channels", "posts", "seasons")
    }
    names = dict(src.execute("SELECT member_id, display_name FROM members").fetchall())
    src.close()
    target = open_sync(path)
    for name, (columns, found) in others.items():  # the questions were open before the run: not timed
        target.executemany(
            f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})", found
        )
    columns = [key for key in answers[0].keys() if key != "id"]  # noqa: SIM118 (sqlite3.Row)
    score_rows = []
    for row in answers:
        for scope in (f"c:{row['channel_pk']}", row["server_scope"]):
            for period, key in (
                ("week", row["week_key"]),
                ("month", row["month_key"]),
                ("season", str(row["season"])),
                ("all", "all"),
            ):
                score_rows.append(
                    (scope, period, key, row["platform"], row["member_id"], row["base_points"], 1, row["answered_at"])
                )
    from bot.storage.answers import _UPSERT_MEMBER

    started = time.perf_counter()
    target.execute("BEGIN")
    target.executemany(
        f"INSERT INTO answers ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        [tuple(row[c] for c in columns) for row in answers],
    )
    target.executemany(
        _UPSERT_MEMBER, [(row["platform"], row["member_id"], names.get(row["member_id"], "")) for row in answers]
    )
    target.executemany(UPSERT_LEADERBOARD, score_rows)
    target.execute("COMMIT")
    elapsed = time.perf_counter() - started
    target.close()
    return elapsed, len(answers)


@dataclass
class Run:
    """One delivery of a workload's events through the real use case."""

    replies: int
    events: int
    elapsed: float
    latencies: list[float]
    verdicts: dict[str, int]
    finished: list[float]
    batches: int
    consistent: bool

    @property
    def rate(self) -> float:
        return self.replies / self.elapsed


async def ingest_once(path: Path, load: Workload, database: type[Database] = Database) -> Run:
    group, _, posts = await open_questions(path, load, database)
    stream, replies = events(load, posts)
    # The harness holds every event in memory up front (a bot holds a few in flight): keep the collector from
    # walking them over and over, as a long-running process does with what it loaded at start-up.
    gc.collect()
    gc.freeze()
    store = group.context.store
    assert isinstance(store, SqliteStore)
    batches_before = store.db.batches
    started = time.perf_counter()
    latencies, verdicts, finished = await deliver(group, stream)
    elapsed = time.perf_counter() - started  # the leaderboards hold every answer acknowledged: same transaction
    check = await store.db.fetchone(
        "SELECT (SELECT COALESCE(SUM(base_points), 0) FROM answers WHERE deleted = 0),"
        " (SELECT COALESCE(SUM(points), 0) FROM leaderboards WHERE period = 'all' AND scope LIKE 'c:%')"
    )
    assert check is not None
    batches = store.db.batches - batches_before
    await store.close()
    gc.unfreeze()
    return Run(replies, len(stream), elapsed, latencies, verdicts, finished, batches, check[0] == check[1])


def slowest_tenth(finished: list[float]) -> float:
    """Events per second over the slowest tenth of the run: the rate it sustains, not only its average."""
    tenth = max(1, len(finished) // 10)
    ordered = sorted(finished)
    windows = []
    for start in range(0, len(ordered) - tenth + 1, tenth):
        span = ordered[start + tenth - 1] - (ordered[start - 1] if start else 0.0)
        windows.append(tenth / span if span > 0 else float("inf"))
    return min(windows)


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    load = workload(quick)
    say(
        f"\n[ingest] {load.replies:,} replies (10% too short, 5% delivered twice, 2% deleted later) across "
        f"{2 * load.channels:,} open questions in {load.channels:,} channels, {load.members:,} members; "
        f"each through StudyGroup.on_reply/on_delete, {IN_FLIGHT} in flight"
    )
    path = folder / "ingest.db"
    ours = await ingest_once(path, load)
    say(
        "  verdicts: "
        + ", ".join(f"{Verdict(k).value} {v:,}" for k, v in sorted(ours.verdicts.items()))
        + f"; {ours.events:,} events in {ours.elapsed:.1f} s, {ours.batches:,} write transactions"
        + f" ({ours.events / max(1, ours.batches):.1f} events per commit); leaderboards match answers: "
        + str(ours.consistent)
    )
    # The peer stores each reply in its own aiosqlite transaction; it is slow, so both run a shorter stream.
    short = dataclasses.replace(load, replies=scale(quick, 30_000, 200))
    say(f"  the peers, and this store again, on the first {short.replies:,} replies of the same workload")
    ours_short = await ingest_once(folder / "ours-short.db", short)
    peer = await ingest_once(folder / "peer.db", short, PerWriteTransactions)
    # WAL off, every commit waits for the disk twice: a sixth of the stream says as much in a sixth of the time.
    shorter = dataclasses.replace(short, replies=scale(quick, 5_000, 100))
    peer_no_wal = await ingest_once(folder / "peer-no-wal.db", shorter, PerWriteTransactionsNoWal)
    raw_copy, answers = raw_baseline(folder / "raw-copy.db", path)
    raw_upsert, _ = raw_baseline_upserts(folder / "raw-upsert.db", path)
    raw_rate = ours.replies / raw_upsert
    sustained = slowest_tenth(ours.finished)
    report.add(
        "ingest_replies_per_s",
        ours.rate,
        "replies/s",
        target="printed (the load model's bursts are 200/s)",
        load=f"{ours.events:,} events as fast as they are stored, {IN_FLIGHT} in flight (closed loop), empty store",
        baseline=f"slowest tenth of the run {sustained:,.0f} events/s; {machine.beside()}",
    )
    report.extra("ingest_slowest_tenth_events_per_s", sustained)
    offered = f"{short.replies:,} replies as fast as they are stored, {IN_FLIGHT} in flight"
    versus_peer = ours_short.rate / peer.rate
    report.add(
        "ingest_vs_peer",
        versus_peer,
        "x peer",
        target=">= 4 (against the peer with WAL on, the stronger one)",
        met=versus_peer >= 4 and ours.consistent and ours_short.consistent and peer.consistent,
        load=offered,
        baseline=f"a peer that commits each reply in its own aiosqlite transaction, same use case and schema, "
        f"production pragmas (WAL, synchronous=NORMAL): {peer.rate:,.0f} replies/s "
        f"(p99 {percentile(peer.latencies, 99) * 1000:.1f} ms)",
        ratio=f"{ours_short.rate:,.0f} / {peer.rate:,.0f} replies/s on {short.replies:,} replies",
    )
    report.extra("ingest_peer_replies_per_s", peer.rate)
    versus_no_wal = ours_short.rate / peer_no_wal.rate
    report.add(
        "ingest_vs_peer_no_wal",
        versus_no_wal,
        "x peer",
        target="printed",
        load=f"{shorter.replies:,} replies as fast as they are stored, {IN_FLIGHT} in flight",
        baseline=f"the same peer with WAL off, as SQLite and aiosqlite default (journal_mode=DELETE, "
        f"synchronous=FULL, default cache): {peer_no_wal.rate:,.0f} replies/s "
        f"(p99 {percentile(peer_no_wal.latencies, 99) * 1000:.1f} ms); leaderboards match answers: "
        f"{peer_no_wal.consistent}",
        ratio=f"{ours_short.rate:,.0f} replies/s on {short.replies:,} / {peer_no_wal.rate:,.0f} replies/s on "
        f"{shorter.replies:,}",
    )
    report.extra("ingest_peer_no_wal_replies_per_s", peer_no_wal.rate)
    report.extra("ingest_closed_loop_p99_ms", percentile(ours.latencies, 99) * 1000)
    ratio = ours.rate / raw_rate
    report.add(
        "ingest_vs_raw_sqlite",
        ratio,
        "x floor",
        target=">= 0.2 of the write floor",
        met=ratio >= 0.2,
        baseline=(
            f"write floor: raw sqlite3 executemany, one transaction: the same {answers:,} answers + member and 8 "
            f"leaderboard upserts each in {raw_upsert:.2f} s = {raw_rate:,.0f} replies/s "
            f"(it reads nothing and runs no rules; plain row copy of every table: {raw_copy:.2f} s)"
        ),
        ratio=f"{ours.rate:,.0f} / {raw_rate:,.0f} replies/s",
    )
    report.extra("ingest_raw_sqlite_replies_per_s", raw_rate)
    report.extra("ingest_scored_answers", answers)
