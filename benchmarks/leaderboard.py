"""Leaderboards: top 10 plus the asker's own rank, per channel and per server, for week, month, season and all time,
through `Standings.leaderboard` (the maintained `scores` aggregates), against a plain GROUP BY over all answers.

Workload (full run): 1,000,000 scored answers by 100,000 members in 200 channels on 4 servers (25,000 members
each), over 120 days and 2 seasons. The rows are bulk-loaded with plain sqlite3 (as many answers through the use
case would take minutes); the aggregates are built from them exactly as scoring maintains them.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, median, percentile, say, scale
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.records import Period
from bot.core.refs import ChannelRef, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.database import open_sync, ts
from bot.storage.leaderboards import REBUILD_LEADERBOARDS
from bot.storage.store import SqliteStore

SERVERS, CHANNELS_PER_SERVER, DAYS, SEASON_2_DAY = 4, 50, 120, 60


def build(
    path: Path,
    answers: int,
    members: int,
    seed: int = 7,
    *,
    servers: int = SERVERS,
    channels_per_server: int = CHANNELS_PER_SERVER,
) -> list[ChannelRef]:
    """Channels, posts (one a day for DAYS days; the last day's still open), members, seasons and answers by
    executemany, and the leaderboards built from them."""
    rng = random.Random(seed)
    connection = open_sync(path)
    channels = [ChannelRef(PLATFORM, f"g{s}", f"c{s}-{c}") for s in range(servers) for c in range(channels_per_server)]
    per_server = members // servers
    first_day = T0.date() - timedelta(days=DAYS - 1)
    bank = builtin_bank()
    question_ids = [question.id for question in bank.questions]
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO channels (id, platform, server_id, channel_id, post_time, timezone, days, seed, updated_at) "
        "VALUES (?, ?, ?, ?, '09:00', 'UTC', 'mon,tue,wed,thu,fri,sat,sun', '', ?)",
        [(pk, ref.platform, ref.server_id, ref.channel_id, ts(T0)) for pk, ref in enumerate(channels, start=1)],
    )
    connection.executemany(
        "INSERT INTO seasons (server_scope, number, started_at) VALUES (?, ?, ?)",
        [
            (f"s:{PLATFORM}:g{s}", number, ts(T0 - timedelta(days=DAYS - start)))
            for s in range(servers)
            for number, start in ((1, 0), (2, SEASON_2_DAY))
        ],
    )
    posts = []
    for pk in range(1, len(channels) + 1):
        for day in range(DAYS):
            local = first_day + timedelta(days=day)
            posted = T0 - timedelta(days=DAYS - 1 - day) - timedelta(hours=3)
            post_id = len(posts) + 1
            status = "posted" if day == DAYS - 1 else "closed"
            posts.append(
                (
                    post_id,
                    pk,
                    PLATFORM,
                    local.isoformat(),
                    question_ids[(pk + day) % len(question_ids)],
                    1,
                    status,
                    ts(posted),
                    f"m{post_id}",
                    f"t{post_id}",
                    ts(posted),
                    ts(posted + timedelta(hours=48)),
                )
            )
    connection.executemany("INSERT INTO posts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL)", posts)
    connection.executemany(
        "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?)",
        [(PLATFORM, f"u{n}", f"member {n}") for n in range(members)],
    )
    rows, seen = [], set()
    counts: dict[int, int] = {}
    while len(rows) < answers:
        pk = rng.randrange(len(channels)) + 1
        server = (pk - 1) // channels_per_server
        day = min(DAYS - 1, int(rng.triangular(0, DAYS, DAYS)))  # more activity lately
        post_id = (pk - 1) * DAYS + day + 1
        member = server * per_server + int(rng.paretovariate(1.2) * 50) % per_server  # a few very active members
        if (post_id, member) in seen:
            member = server * per_server + rng.randrange(per_server)
            if (post_id, member) in seen:
                continue
        seen.add((post_id, member))
        rank = counts[post_id] = counts.get(post_id, 0) + 1
        local = first_day + timedelta(days=day)
        year, week, _ = local.isocalendar()
        answered = T0 - timedelta(days=DAYS - 1 - day) + timedelta(seconds=rng.randrange(36_000))
        points = 10 + {1: 5, 2: 3, 3: 1}.get(rank, 0)
        rows.append(
            (
                post_id,
                pk,
                f"s:{PLATFORM}:g{server}",
                PLATFORM,
                f"a{len(rows)}",
                f"u{member}",
                ts(answered),
                rank,
                points,
                1,
                f"{year}-W{week:02d}",
                f"{local:%Y-%m}",
                2 if day >= SEASON_2_DAY else 1,
            )
        )
    connection.executemany(
        "INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id, answered_at, rank, "
        "base_points, streak, week_key, month_key, season) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    for statement in REBUILD_LEADERBOARDS:  # as the upgrade to schema 5 builds them from stored answers
        connection.execute(statement)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return channels


NAIVE = """
    WITH board AS (
        SELECT member_id, SUM(base_points + reaction_bonus + best_bonus) AS points, COUNT(*) AS answers,
               MAX(answered_at) AS last_answer_at
        FROM answers WHERE {where} AND deleted = 0 GROUP BY member_id
    ), ranked AS (
        SELECT member_id, points, answers,
               ROW_NUMBER() OVER (ORDER BY points DESC, last_answer_at, member_id) AS rank
        FROM board
    )
    SELECT rank, member_id, points, answers FROM ranked WHERE rank <= 10 OR member_id = ? ORDER BY rank
"""


def naive(
    connection: sqlite3.Connection, channel_pk: int, server: str, server_wide: bool, period: str, key: str, asker: str
) -> list[tuple]:
    scope = ("server_scope = ?", server) if server_wide else ("channel_pk = ?", channel_pk)
    column = {"week": "week_key = ?", "month": "month_key = ?", "season": "season = ?", "all": "? = 'all'"}[period]
    value: object = int(key) if period == "season" else key
    return connection.execute(NAIVE.format(where=f"{scope[0]} AND {column}"), (scope[1], value, asker)).fetchall()


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    answers, members = scale(quick, 1_000_000, 20_000), scale(quick, 100_000, 4_000)
    samples, naive_samples = scale(quick, 150, 25), scale(quick, 4, 2)
    say(
        f"\n[leaderboard] top 10 + the asker's rank, channel and server, week/month/season/all, over {answers:,} "
        f"answers by {members:,} members ({SERVERS} servers x {CHANNELS_PER_SERVER} channels, {DAYS} days); "
        f"{samples} askers per board kind through Standings.leaderboard"
    )
    path = folder / "leaderboard.db"
    started = time.perf_counter()
    channels = build(path, answers, members)
    say(f"  built in {time.perf_counter() - started:.1f} s")
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )
    for ref in channels[:1]:  # the configs exist (written above); read them once like the bot would
        assert await store.get_channel(ref) is not None
    rng = random.Random(11)
    per_server = members // SERVERS
    ours: dict[bool, list[float]] = {False: [], True: []}
    by_kind: dict[tuple[bool, str], list[float]] = {}
    plain = sqlite3.connect(path)
    agree = True
    naive_times: dict[bool, list[float]] = {False: [], True: []}
    for server_wide in (False, True):
        for period in Period:
            for sample in range(samples):
                index = rng.randrange(len(channels))
                channel = channels[index]
                server = index // CHANNELS_PER_SERVER
                asker = MemberRef(PLATFORM, f"u{server * per_server + rng.randrange(per_server)}")
                begun = time.perf_counter()
                board = await group.standings.leaderboard(channel, asker, period=period, server_wide=server_wide)
                spent = time.perf_counter() - begun
                ours[server_wide].append(spent)
                by_kind.setdefault((server_wide, period.value), []).append(spent)
                if sample < naive_samples:
                    key = await group.standings.period_key(channel, period, T0)
                    begun = time.perf_counter()
                    found = naive(
                        plain, index + 1, f"s:{PLATFORM}:g{server}", server_wide, period.value, key, asker.user_id
                    )
                    naive_times[server_wide].append(time.perf_counter() - begun)
                    top = [(row[1], row[2]) for row in found if row[0] <= 10]
                    agree &= top == [(s.member.user_id, s.points) for s in board.standings]
                    own = [row[0] for row in found if row[1] == asker.user_id]
                    agree &= (own[0] if own else None) == (board.own.rank if board.own else None)
    plain.close()
    await store.close()
    detail = ", ".join(
        f"{'server' if wide else 'channel'} {period} {percentile(times, 99) * 1000:.2f}"
        for (wide, period), times in by_kind.items()
    )
    say(f"  p99 ms by board: {detail}; same top 10 and own rank as the GROUP BY: {agree}")
    channel_p99 = percentile(ours[False], 99) * 1000
    server_p99 = percentile(ours[True], 99) * 1000
    naive_channel = median(naive_times[False]) * 1000
    naive_server = median(naive_times[True]) * 1000
    report.add(
        "leaderboard_p99_ms",
        channel_p99,
        "ms",
        target="<= 5 ms per channel",
        met=channel_p99 <= 5 and agree,
        baseline=f"p50 {percentile(ours[False], 50) * 1000:.2f} ms; {machine.beside()}",
    )
    report.add(
        "leaderboard_server_p99_ms",
        server_p99,
        "ms",
        target="<= 20 ms per server",
        met=server_p99 <= 20 and agree,
        baseline=f"p50 {percentile(ours[True], 50) * 1000:.2f} ms",
    )
    ratio = (naive_channel + naive_server) / (median(ours[False]) * 1000 + median(ours[True]) * 1000)
    report.add(
        "leaderboard_vs_naive",
        ratio,
        "x faster",
        baseline=f"plain GROUP BY over all answers (top 10 + own rank by a window): median {naive_channel:.1f} ms per "
        f"channel, {naive_server:.1f} ms per server; same results: {agree}",
        ratio=f"naive median / ours median, channel {naive_channel / (median(ours[False]) * 1000):.0f}x, "
        f"server {naive_server / (median(ours[True]) * 1000):.0f}x",
    )
