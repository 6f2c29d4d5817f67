"""PostgreSQL beside SQLite, in one run, on a throwaway cluster (`tests/support/postgres.py`) in a temporary
folder: fsync on, commits that do not wait for the disk (`synchronous_commit = off`), the durability class of
SQLite's WAL with synchronous=NORMAL. Every figure is measured on both engines through the same store.

1. Ingest: the ingest benchmark's replies through `StudyGroup.on_reply` / `on_delete`, 64 in flight.
2. Leaderboards over 1,000,000 answers (`leaderboard.build`, then bulk-loaded into PostgreSQL by
   `benchmarks/pg_load.py`): top 10 + own rank through `Standings.leaderboard`, askers spread over each ranking.
3. Fan-out of 10,000 due channels against a platform with a 100 ms round trip: one instance, and on
   PostgreSQL two instances (two processes, each its own store and writer) sharing the channels; every channel
   posted exactly once.
4. Commands under load: /leaderboard (channel, server) and /stats while 200 replies/s are offered open-loop, on
   the databases of 2.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
import shutil
import sqlite3
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import psycopg

from benchmarks import ingest, openloop
from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, percentile, say, scale
from benchmarks.fanout_instances import FanOut, fan_out, save_channels
from benchmarks.leaderboard import CHANNELS_PER_SERVER, SERVERS, board_scope, build, ranking, spread
from benchmarks.machine import Machine
from benchmarks.pg_load import load
from bot.core.clock import FixedClock
from bot.core.commands import parse_command
from bot.core.events import Reply
from bot.core.records import DailyPost, Period
from bot.core.refs import Actor, ChannelRef, Member, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.postgres.database import PostgresDatabase
from bot.storage.store import SqliteStore
from tests.support.postgres import Cluster, cluster, server_binaries

ENGINES = ("sqlite", "postgresql")
COMMANDS = ("/leaderboard", "/leaderboard period:all scope:server", "/stats")
# Each command's name in the figures' names.
NAMES = dict(zip(COMMANDS, ("channel_board", "server_board", "stats"), strict=True))
RATE = 200  # replies offered per second while the commands run
TEXT = "Covariance keeps the units of both variables; correlation divides by both standard deviations."


def p(values: list[float], q: float) -> float:
    """The percentile in milliseconds."""
    return percentile(values, q) * 1000


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    if server_binaries() is None:
        say(
            "\n[postgres] skipped: no PostgreSQL server binaries (initdb, pg_ctl) found; install them "
            "(`apt-get install -y postgresql` on Debian) or set STUDYBOT_TEST_PG_BIN to their folder"
        )
        return
    started = time.perf_counter()
    with cluster(durable=True) as running:
        assert running is not None
        with psycopg.connect(running.url()) as admin:
            version = admin.execute("SHOW server_version").fetchone()
        say(
            f"\n[postgres] a throwaway PostgreSQL {version[0] if version else '?'} cluster on 127.0.0.1 in a "
            f"temporary folder, started in {time.perf_counter() - started:.1f} s (fsync on, synchronous_commit off: "
            "SQLite's WAL + synchronous=NORMAL durability); every figure beside SQLite's from this run"
        )
        await ingest_both(report, machine, folder, running, quick)
        sqlite_path, url, channels = await history(folder, running, quick)
        await leaderboards_both(report, sqlite_path, url, channels, quick)
        await fanout_both(report, folder, running, quick)
        await commands_both(report, sqlite_path, url, channels, quick)


async def ingest_both(report: Report, machine: Machine, folder: Path, running: Cluster, quick: bool) -> None:
    load_ = dataclasses.replace(ingest.workload(quick), replies=scale(quick, 10_000, 100))
    say(
        f"\n[postgres: ingest] {load_.replies:,} replies (10% too short, 5% delivered twice, 2% deleted later) over "
        f"{2 * load_.channels:,} open questions, {load_.members:,} members, through StudyGroup.on_reply/on_delete, "
        f"{ingest.IN_FLIGHT} in flight, onto an empty store"
    )
    on_sqlite = await ingest.ingest_once(folder / "ingest.db", load_)
    on_postgres = await ingest.ingest_once(running.new_database("ingest"), load_, PostgresDatabase)  # type: ignore[arg-type]
    consistent = on_sqlite.consistent and on_postgres.consistent
    report.add(
        "pg_ingest_replies_per_s",
        on_postgres.rate,
        "replies/s",
        target="printed",
        load=f"{on_postgres.events:,} events as fast as they are stored, {ingest.IN_FLIGHT} in flight (closed loop)",
        baseline=f"SQLite in this run: {on_sqlite.rate:,.0f} replies/s (p99 {p(on_sqlite.latencies, 99):.1f} ms, "
        f"{on_sqlite.batches:,} transactions); PostgreSQL p99 {p(on_postgres.latencies, 99):.1f} ms, "
        f"{on_postgres.batches:,} transactions; leaderboards match answers on both: {consistent}; {machine.beside()}",
        ratio=f"{on_postgres.rate / on_sqlite.rate:.2f}x SQLite",
    )
    report.extra("pg_ingest_sqlite_replies_per_s", on_sqlite.rate)


async def history(folder: Path, running: Cluster, quick: bool) -> tuple[Path, str, list[ChannelRef]]:
    """The leaderboard benchmark's database (1,000,000 answers in the full run) on SQLite, and loaded into
    PostgreSQL."""
    answers, members = scale(quick, 1_000_000, 3_000), scale(quick, 100_000, 1_000)
    path = folder / "history.db"
    started = time.perf_counter()
    channels = build(path, answers, members, channels_per_server=scale(quick, CHANNELS_PER_SERVER, 10))
    built = time.perf_counter() - started
    url = running.new_database("history")
    started = time.perf_counter()
    copied = await asyncio.to_thread(load, path, url)
    say(
        f"\n[postgres: stored history] {copied['answers']:,} answers by {copied['members']:,} members in "
        f"{len(channels)} channels on {SERVERS} servers: built for SQLite in {built:.1f} s, bulk-loaded into "
        f"PostgreSQL (COPY, then the store's REBUILD_LEADERBOARDS, VACUUM ANALYZE) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    return path, url, channels


async def open_group(location: str) -> StudyGroup:
    store = await SqliteStore.open(location)
    return StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )


async def closing(group: StudyGroup) -> None:
    await group.context.store.close()  # type: ignore[attr-defined]


Read = tuple[int, Period, bool, str]  # channel index, period, server-wide, asker


def reads_to_make(path: Path, channels: list[ChannelRef], samples: int) -> list[Read]:
    """The same reads for both engines: askers on the board, spread from its first member to its last."""
    rng = random.Random(11)
    per_server = len(channels) // SERVERS
    plain = sqlite3.connect(path)
    boards: dict[tuple[str, str, str], list[str]] = {}
    planned: list[Read] = []
    for server_wide in (False, True):
        for period in Period:
            for sample in range(samples):
                index = rng.randrange(len(channels))
                key = _period_key(period)
                scope = board_scope(index + 1, f"s:{PLATFORM}:g{index // per_server}", server_wide)
                if (scope, period.value, key) not in boards:
                    boards[scope, period.value, key] = ranking(plain, scope, period.value, key)
                if members := boards[scope, period.value, key]:
                    planned.append((index, period, server_wide, spread(members, sample, samples)))
    plain.close()
    return planned


def _period_key(period: Period) -> str:
    """The current period's key at T0 (the build keeps UTC; its second season is the current one)."""
    year, week, _ = T0.date().isocalendar()
    return {"week": f"{year}-W{week:02d}", "month": f"{T0:%Y-%m}", "season": "2", "all": "all"}[period.value]


async def leaderboards_both(report: Report, path: Path, url: str, channels: list[ChannelRef], quick: bool) -> None:
    planned = reads_to_make(path, channels, scale(quick, 100, 4))
    say(
        f"\n[postgres: leaderboards] {len(planned):,} reads of top 10 + the asker's rank through "
        "Standings.leaderboard, per channel and per server, week/month/season/all, one after another"
    )
    times: dict[str, dict[bool, list[float]]] = {}
    ranked: dict[str, int] = {}
    for engine, location in zip(ENGINES, (str(path), url), strict=True):
        group = await open_group(location)
        times[engine] = {False: [], True: []}
        ranked[engine] = 0
        for index, period, server_wide, asker in planned:
            begun = time.perf_counter()
            board = await group.standings.leaderboard(
                channels[index], MemberRef(PLATFORM, asker), period=period, server_wide=server_wide
            )
            times[engine][server_wide].append(time.perf_counter() - begun)
            ranked[engine] += board.own is not None
        await closing(group)
    for server_wide, key, kind in (
        (False, "pg_leaderboard_p99_ms", "channel"),
        (True, "pg_leaderboard_server_p99_ms", "server"),
    ):
        ours, theirs = times["postgresql"][server_wide], times["sqlite"][server_wide]
        report.add(
            key,
            p(ours, 99),
            "ms",
            target="printed",
            load=f"{len(ours)} {kind} boards read one after another over 1,000,000 answers, nothing written meanwhile"
            if not quick
            else f"{len(ours)} {kind} boards",
            baseline=f"PostgreSQL p50 {p(ours, 50):.2f} ms; SQLite in this run: p50 {p(theirs, 50):.2f} ms, p99 "
            f"{p(theirs, 99):.2f} ms; askers ranked: {ranked['postgresql']:,} and {ranked['sqlite']:,} of "
            f"{len(planned):,}",
            ratio=f"{p(ours, 99) / max(p(theirs, 99), 1e-9):.1f}x SQLite's p99",
        )
        report.extra(f"{key.removesuffix('_p99_ms')}_p50_ms", p(ours, 50))
        report.extra(f"{key.removesuffix('_p99_ms')}_sqlite_p99_ms", p(theirs, 99))


def _instances_line(run: FanOut) -> str:
    return "; ".join(
        f"instance {number + 1}: {', '.join(f'{outcome} {count:,}' for outcome, count in sorted(one.outcomes.items()))}"
        f", {one.transactions:,} write transactions, {one.cpu_s:.1f} s CPU"
        for number, one in enumerate(run.instances)
    )


async def fanout_both(report: Report, folder: Path, running: Cluster, quick: bool) -> None:
    channels = scale(quick, 10_000, 40)
    say(
        f"\n[postgres: fan-out] {channels:,} channels due at 09:00 UTC, the slot job of each instance (a process of "
        "its own) posting to a platform whose every request takes 100 ms"
    )
    sqlite_path = folder / "fanout.db"
    await save_channels(str(sqlite_path), channels)
    base = running.new_database("fanout_channels")
    await save_channels(base, channels)
    plan = (
        ("sqlite", str(sqlite_path), 1),
        ("postgresql", running.new_database("fanout_one", like="fanout_channels"), 1),
        ("postgresql x2", running.new_database("fanout_two", like="fanout_channels"), 2),
    )
    if quick:  # the smoke run's figures mean nothing: start every instance at once rather than wait for each
        done = await asyncio.gather(*(fan_out(location, instances) for _, location, instances in plan))
    else:
        done = [await fan_out(location, instances) for _, location, instances in plan]
    runs = {name: run for (name, _, _), run in zip(plan, done, strict=True)}
    for name, run in runs.items():
        assert run.each_once(channels), f"{name}: a channel was not posted exactly once"
        say(f"  {name}: {run.seconds:.2f} s; {_instances_line(run)}")
    one, two, lite = (channels / runs[name].seconds for name in ("postgresql", "postgresql x2", "sqlite"))
    floor = channels / 32 * 0.1
    report.add(
        "pg_fanout_channels_per_s",
        one,
        "channels/s",
        target="printed",
        load=f"{channels:,} channels due at once, one instance, 100 ms a request",
        baseline=f"SQLite in this run: {lite:,.0f} channels/s; the floor of 32 channels at a time: "
        f"{channels / floor:,.0f} channels/s; every channel posted exactly once on both",
        ratio=f"{one / lite:.2f}x SQLite",
    )
    ratio = two / one
    report.add(
        "pg_fanout_two_instances_vs_one",
        ratio,
        "x one",
        target=">= 1.6, every channel posted once",
        met=ratio >= 1.6,
        load=f"the same {channels:,} channels shared by two instances (two processes, each its own writer, reader "
        "and presence connections) on one PostgreSQL database",
        baseline=f"two instances {two:,.0f} channels/s, one instance {one:,.0f} channels/s; every channel posted "
        "exactly once (asserted)",
        ratio=f"{runs['postgresql'].seconds:.2f} s / {runs['postgresql x2'].seconds:.2f} s",
    )
    report.extra("pg_fanout_two_instances_channels_per_s", two)
    report.extra("pg_fanout_sqlite_channels_per_s", lite)


async def commands_both(report: Report, path: Path, url: str, channels: list[ChannelRef], quick: bool) -> None:
    seconds: float = 0.5 if quick else 10
    say(
        f"\n[postgres: commands under load] {', '.join(COMMANDS)} through StudyGroup.handle, one after another, "
        f"while {RATE} replies/s are offered open-loop for {seconds} s, on the stored history of both engines"
    )
    copy = path.with_name("commands.db")
    shutil.copyfile(path, copy)
    plain = sqlite3.connect(copy)
    boards = [ranking(plain, f"s:{PLATFORM}:g{server}", "all", "all") for server in range(SERVERS)]
    plain.close()
    found: dict[str, Loaded] = {}
    for engine, location in zip(ENGINES, (str(copy), url), strict=True):
        found[engine] = await under_load(location, channels, boards, seconds, quick)
    ours, theirs = found["postgresql"], found["sqlite"]
    by_command(report, ours, theirs)
    report.add(
        "pg_command_p99_ms",
        p(ours.every("loaded"), 99),
        "ms",
        target="<= 50 ms",
        met=p(ours.every("loaded"), 99) <= 50,
        load=f"commands one after another (5 ms apart) while {RATE} replies/s are stored for {seconds} s",
        baseline=f"PostgreSQL idle p99 {p(ours.every('idle'), 99):.2f} ms, replies' p99 {p(ours.replies, 99):.1f} ms "
        f"({ours.scored:,} scored of {int(RATE * seconds):,}); SQLite in this run: commands p99 "
        f"{p(theirs.every('loaded'), 99):.2f} ms (idle {p(theirs.every('idle'), 99):.2f}), replies' p99 "
        f"{p(theirs.replies, 99):.1f} ms ({theirs.scored:,} scored)",
        ratio=f"{p(ours.every('loaded'), 99) / max(p(theirs.every('loaded'), 99), 1e-9):.1f}x SQLite's p99",
    )
    report.extra("pg_ingest_p99_ms_200", p(ours.replies, 99))
    report.extra("pg_command_sqlite_p99_ms", p(theirs.every("loaded"), 99))


@dataclasses.dataclass
class Loaded:
    """One engine's commands and replies: latencies by command, with nothing stored meanwhile and under load."""

    idle: dict[str, list[float]]
    loaded: dict[str, list[float]]
    replies: list[float]
    scored: int

    def every(self, when: str) -> list[float]:
        return [value for values in getattr(self, when).values() for value in values]


def by_command(report: Report, ours: Loaded, theirs: Loaded) -> None:
    """Each command's p50 / p99, idle and under load, PostgreSQL beside SQLite (printed, and as extras)."""
    headings = ("PostgreSQL idle", "SQLite idle", "PostgreSQL load", "SQLite load")
    say(f"  {'p50 / p99 ms':<40} " + " ".join(f"{heading:>16}" for heading in headings))
    for command in COMMANDS:
        cells = []
        for when in ("idle", "loaded"):
            for engine, found in (("", ours), ("sqlite_", theirs)):
                values = getattr(found, when)[command]
                cells.append(f"{p(values, 50):.1f} / {p(values, 99):.1f}")
                for q in (50, 99):
                    report.extra(f"pg_command_{engine}{NAMES[command]}_{when}_p{q}_ms", p(values, q))
        say(f"  {command:<40} " + " ".join(f"{cell:>16}" for cell in cells))


async def under_load(
    location: str, channels: list[ChannelRef], boards: list[list[str]], seconds: float, quick: bool
) -> Loaded:
    """The commands' latencies idle and under load, the replies' from their arrival, and how many scored."""
    group = await open_group(location)
    store = group.context.store
    posts: list[DailyPost] = [post for ref in channels if (post := await store.latest_post(channel=ref))]  # type: ignore[attr-defined]
    style = TextStyle()

    async def commands(until: Callable[[], bool]) -> dict[str, list[float]]:
        latencies: dict[str, list[float]] = {line: [] for line in COMMANDS}
        number = 0
        while not until():
            post = posts[(number * 31) % len(posts)]
            board = boards[int(post.channel.server_id[1:])]
            user = spread(board, number % 97, 97)
            actor = Actor(Member(MemberRef(PLATFORM, user), f"member {user}"), post.channel)
            begun = time.perf_counter()
            line = COMMANDS[number % len(COMMANDS)]
            response = await group.handle(actor, parse_command(line), style)
            latencies[line].append(time.perf_counter() - begun)
            assert response.ok, response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies

    def after(span: float) -> Callable[[], bool]:
        end = time.perf_counter() + span
        return lambda: time.perf_counter() >= end

    idle = await commands(after(scale(quick, 3, 0.2)))
    replies = [
        Reply(
            post.thread,
            f"load-{location[-8:]}-{number}",
            Member(MemberRef(PLATFORM, f"new{number}"), f"newcomer {number}"),
            TEXT,
            T0 + timedelta(milliseconds=number),
        )
        for number in range(int(RATE * seconds))
        if (post := posts[number % len(posts)]).thread is not None
    ]
    worker = asyncio.ensure_future(openloop.offer(group, replies, RATE))
    loaded = await commands(worker.done)
    reply_latencies, _, scored = await worker
    await closing(group)
    return Loaded(idle, loaded, reply_latencies, scored)
