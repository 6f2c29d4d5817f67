"""Leaderboards: top 10 plus the asker's own rank, per channel and per server, for week, month, season and all time,
through `Standings.leaderboard` (the maintained `leaderboards` aggregates), against the GROUP BY a competent peer
would write: the same file with the production pragmas and a covering index on (channel, time) and on (server,
time), each period a time range of it.

Workload (full run): 1,000,000 scored answers by 100,000 members in 200 channels on 4 servers (25,000 members
each), over 120 days and 2 seasons. The rows are bulk-loaded with plain sqlite3 (as many answers through the use
case would take minutes); the aggregates are built from them exactly as scoring maintains them. The askers are
members on the board, spread over its whole ranking from the first to the last, so every read counts the
asker's own rank.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, median, percentile, say, scale
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.records import Period
from bot.core.refs import ChannelRef, MemberRef
from bot.core.rules import ScoringRules
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.connections import configure
from bot.storage.database import open_sync, ts
from bot.storage.leaderboards import REBUILD_LEADERBOARDS
from bot.storage.store import SqliteStore

SERVERS, CHANNELS_PER_SERVER, DAYS, SEASON_2_DAY = 4, 50, 120, 60


def season_start(day: int) -> datetime:
    """Midnight UTC of the build's day `day` (day 0 is the first): where a season begins, for the answers' own
    season numbers and a time range over them to agree."""
    return (T0 - timedelta(days=DAYS - 1 - day)).replace(hour=0, minute=0, second=0, microsecond=0)


def build(
    path: Path,
    answers: int,
    members: int,
    seed: int = 7,
    *,
    servers: int = SERVERS,
    channels_per_server: int = CHANNELS_PER_SERVER,
    long_channels: int = 0,
    long_days: int = DAYS,
    streaks: tuple[int, ...] = (),
) -> list[ChannelRef]:
    """Channels, posts (one a day for DAYS days, or `long_days` in the first `long_channels` channels; the last
    day's still open), members, seasons and answers by executemany, and the leaderboards built from them.

    In each long channel, one member per entry of `streaks` has answered every day of a streak that long, up to
    yesterday (their answers carry the streak and its bonus as scoring stores them), on top of the `answers`
    spread at random."""
    rng = random.Random(seed)
    rules = ScoringRules()
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
            (f"s:{PLATFORM}:g{s}", number, ts(season_start(start)))
            for s in range(servers)
            for number, start in ((1, DAYS - long_days if long_channels else 0), (2, SEASON_2_DAY))
        ],
    )
    # Day d of a channel is first_day + d; a long channel's first days are before first_day (d < 0).
    first_of = {pk: DAYS - (long_days if pk <= long_channels else DAYS) for pk in range(1, len(channels) + 1)}
    post_ids: dict[tuple[int, int], int] = {}
    posts = []
    for pk in range(1, len(channels) + 1):
        for day in range(first_of[pk], DAYS):
            local = first_day + timedelta(days=day)
            posted = T0 - timedelta(days=DAYS - 1 - day) - timedelta(hours=3)
            post_id = post_ids[pk, day] = len(posts) + 1
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
    del posts
    connection.executemany(
        "INSERT INTO members (platform, member_id, display_name) VALUES (?, ?, ?)",
        [(PLATFORM, f"u{n}", f"member {n}") for n in range(members)],
    )
    rows: list[tuple[object, ...]] = []
    seen: set[tuple[int, int]] = set()
    counts: dict[int, int] = {}

    def answer(pk: int, day: int, member: int, streak: int) -> None:
        post_id = post_ids[pk, day]
        seen.add((post_id, member))
        rank = counts[post_id] = counts.get(post_id, 0) + 1
        local = first_day + timedelta(days=day)
        year, week, _ = local.isocalendar()
        answered = T0 - timedelta(days=DAYS - 1 - day) + timedelta(seconds=rng.randrange(36_000))
        points = rules.answer_points + rules.streak_bonus(streak) + rules.early_bonus(rank)
        server = (pk - 1) // channels_per_server
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
                streak,
                f"{year}-W{week:02d}",
                f"{local:%Y-%m}",
                2 if day >= SEASON_2_DAY else 1,
            )
        )

    for pk in range(1, min(long_channels, len(channels)) + 1):
        server = (pk - 1) // channels_per_server
        for place, length in enumerate(streaks):
            member = streaker(server, per_server, pk, place)
            for streak, day in enumerate(range(DAYS - 1 - length, DAYS - 1), start=1):  # up to yesterday
                answer(pk, day, member, streak)
    while len(rows) < answers:
        pk = rng.randrange(len(channels)) + 1
        server = (pk - 1) // channels_per_server
        span = DAYS - first_of[pk]
        day = first_of[pk] + min(span - 1, int(rng.triangular(0, span, span)))  # more activity lately
        member = server * per_server + int(rng.paretovariate(1.2) * 50) % per_server  # a few very active members
        if (post_ids[pk, day], member) in seen:
            member = server * per_server + rng.randrange(per_server)
            if (post_ids[pk, day], member) in seen:
                continue
        answer(pk, day, member, 1)
    connection.executemany(
        "INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id, answered_at, rank, "
        "base_points, streak, week_key, month_key, season) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    rows.clear()
    for statement in REBUILD_LEADERBOARDS:  # as the upgrade to schema 5 builds them from stored answers
        connection.execute(statement)
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()
    return channels


def streaker(server: int, per_server: int, pk: int, place: int) -> int:
    """The member number of the `place`-th long streak in channel `pk` (a member of its server)."""
    return server * per_server + (per_server - 1 - (pk * 7 + place) % per_server)


PEER = """
    WITH board AS (
        SELECT member_id, SUM(base_points + reaction_bonus + best_bonus) AS points, COUNT(*) AS answers,
               MAX(answered_at) AS last_answer_at
        FROM answers WHERE {scope} = ? AND answered_at >= ? AND answered_at < ? AND deleted = 0 GROUP BY member_id
    ), ranked AS (
        SELECT member_id, points, answers,
               ROW_NUMBER() OVER (ORDER BY points DESC, last_answer_at, member_id) AS rank
        FROM board
    )
    SELECT rank, member_id, points, answers FROM ranked WHERE rank <= 10 OR member_id = ? ORDER BY rank
"""

# What a competent peer adds for those queries: each covers its GROUP BY, a time range of one channel or server.
PEER_INDEXES = (
    "CREATE INDEX peer_by_channel_time ON answers "
    "(channel_pk, answered_at, member_id, base_points, reaction_bonus, best_bonus, deleted)",
    "CREATE INDEX peer_by_server_time ON answers "
    "(server_scope, answered_at, member_id, base_points, reaction_bonus, best_bonus, deleted)",
)


def peer_copy(source: Path, path: Path) -> sqlite3.Connection:
    """A copy of the built file with the peer's indexes, opened with the production pragmas."""
    shutil.copyfile(source, path)
    connection = sqlite3.connect(path, isolation_level=None)
    configure(connection)
    for statement in PEER_INDEXES:
        connection.execute(statement)
    connection.execute("ANALYZE")
    return connection


def period_range(period: str, key: str) -> tuple[str, str]:
    """The period as a range of answered_at (the build's channels keep UTC, seasons start at midnight)."""
    if period == "all":
        return "", "~"
    if period == "week":
        year, week = key.split("-W")
        start = datetime.combine(date.fromisocalendar(int(year), int(week), 1), datetime.min.time(), T0.tzinfo)
        return ts(start), ts(start + timedelta(days=7))
    if period == "month":
        year, month = (int(part) for part in key.split("-"))
        start = datetime(year, month, 1, tzinfo=T0.tzinfo)
        following = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=T0.tzinfo)
        return ts(start), ts(following)
    if int(key) == 1:
        return "", ts(season_start(SEASON_2_DAY))
    return ts(season_start(SEASON_2_DAY)), "~"


def peer(
    connection: sqlite3.Connection, channel_pk: int, server: str, server_wide: bool, period: str, key: str, asker: str
) -> list[tuple]:
    scope = ("server_scope", server) if server_wide else ("channel_pk", channel_pk)
    low, high = period_range(period, key)
    return connection.execute(PEER.format(scope=scope[0]), (scope[1], low, high, asker)).fetchall()


def board_scope(channel_pk: int, server: str, server_wide: bool) -> str:
    """The `leaderboards.scope` of a channel's board, or of its server's."""
    return server if server_wide else f"c:{channel_pk}"


def ranking(connection: sqlite3.Connection, scope: str, period: str, key: str) -> list[str]:
    """Every member on a board, first to last, as the bot ranks them."""
    return [
        row[0]
        for row in connection.execute(
            "SELECT member_id FROM leaderboards WHERE scope = ? AND period = ? AND period_key = ? AND points > 0 "
            "ORDER BY points DESC, last_answer_at, member_id",
            (scope, period, key),
        )
    ]


def spread(members: list[str], sample: int, samples: int) -> str:
    """The `sample`-th of `samples` askers spread evenly over the ranking: the first, ..., the last."""
    return members[round(sample * (len(members) - 1) / max(1, samples - 1))]


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    answers, members = scale(quick, 1_000_000, 10_000), scale(quick, 100_000, 2_000)
    samples, peer_samples = scale(quick, 150, 20), scale(quick, 6, 2)
    per_server = scale(quick, CHANNELS_PER_SERVER, 10)
    say(
        f"\n[leaderboard] top 10 + the asker's rank, channel and server, week/month/season/all, over {answers:,} "
        f"answers by {members:,} members ({SERVERS} servers x {per_server} channels, {DAYS} days); "
        f"{samples} askers per board kind through Standings.leaderboard, spread over the board's ranking from the "
        "first to the last"
    )
    path = folder / "leaderboard.db"
    started = time.perf_counter()
    channels = build(path, answers, members, channels_per_server=per_server)
    plain = peer_copy(path, folder / "peer.db")
    say(f"  built in {time.perf_counter() - started:.1f} s (and the peer's copy, with its indexes)")
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )
    for ref in channels[:1]:  # the configs exist (written above); read them once like the bot would
        assert await store.get_channel(ref) is not None
    rng = random.Random(11)
    ours: dict[bool, list[float]] = {False: [], True: []}
    by_kind: dict[tuple[bool, str], list[float]] = {}
    rankings: dict[tuple[str, str, str], list[str]] = {}
    agree = True
    ranked = asked = 0
    peer_times: dict[bool, list[float]] = {False: [], True: []}
    every = max(1, samples // peer_samples)
    for server_wide in (False, True):
        for period in Period:
            for sample in range(samples):
                index = rng.randrange(len(channels))
                channel = channels[index]
                server = f"s:{PLATFORM}:g{index // per_server}"
                key = await group.standings.period_key(channel, period, T0)
                scope = board_scope(index + 1, server, server_wide)
                if (scope, period.value, key) not in rankings:
                    rankings[scope, period.value, key] = ranking(plain, scope, period.value, key)
                board_members = rankings[scope, period.value, key]
                if not board_members:
                    continue
                asker = MemberRef(PLATFORM, spread(board_members, sample, samples))
                begun = time.perf_counter()
                board = await group.standings.leaderboard(channel, asker, period=period, server_wide=server_wide)
                spent = time.perf_counter() - begun
                ours[server_wide].append(spent)
                by_kind.setdefault((server_wide, period.value), []).append(spent)
                asked += 1
                ranked += board.own is not None
                if sample % every == 0 or sample == samples - 1:
                    begun = time.perf_counter()
                    found = peer(plain, index + 1, server, server_wide, period.value, key, asker.user_id)
                    peer_times[server_wide].append(time.perf_counter() - begun)
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
    say(
        f"  p99 ms by board: {detail}; same top 10 and own rank as the peer's GROUP BY: {agree}; "
        f"{ranked:,} of {asked:,} askers on the board (own rank counted)"
    )
    channel_p99 = percentile(ours[False], 99) * 1000
    server_p99 = percentile(ours[True], 99) * 1000
    naive_channel = median(peer_times[False]) * 1000
    naive_server = median(peer_times[True]) * 1000
    offered = f"{asked:,} reads one after another, askers on the board from first to last, nothing written meanwhile"
    report.add(
        "leaderboard_p99_ms",
        channel_p99,
        "ms",
        target="<= 5 ms per channel",
        met=channel_p99 <= 5 and agree,
        load=offered,
        baseline=f"p50 {percentile(ours[False], 50) * 1000:.2f} ms; {machine.beside()}",
    )
    report.add(
        "leaderboard_server_p99_ms",
        server_p99,
        "ms",
        target="<= 20 ms per server",
        met=server_p99 <= 20 and agree,
        load=offered,
        baseline=f"p50 {percentile(ours[True], 50) * 1000:.2f} ms",
    )
    ratio = (naive_channel + naive_server) / (median(ours[False]) * 1000 + median(ours[True]) * 1000)
    report.add(
        "leaderboard_vs_naive",
        ratio,
        "x faster",
        baseline=f"a peer's GROUP BY over a time range of a covering (channel, time) or (server, time) index, "
        f"production pragmas (top 10 + own rank by a window): median {naive_channel:.1f} ms per channel, "
        f"{naive_server:.1f} ms per server; same results: {agree}",
        ratio=f"peer median / ours median, channel {naive_channel / (median(ours[False]) * 1000):.1f}x, "
        f"server {naive_server / (median(ours[True]) * 1000):.1f}x",
    )
    report.extra("leaderboard_askers_ranked_share", ranked / max(1, asked))
    report.extra("leaderboard_peer_channel_median_ms", naive_channel)
    report.extra("leaderboard_peer_server_median_ms", naive_server)
