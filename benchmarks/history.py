"""A database with history: ingest onto a store that already holds 1,000,000 answers, against the same store empty.

The stored database (full run): 10,000 channels on 100 servers, 100,000 members, 1,000,000 answers over 120
days, and 100 channels with 400 days of posts in which members have answered every day for 365, 180, 90, 30
and 7 days up to yesterday (each answer carrying its streak and bonus, as scoring stores them). It is bulk-loaded
into the real schema and its leaderboards built by `REBUILD_LEADERBOARDS`, once per run (`stored`), and copied for
each benchmark that uses it (this one and `commands`).

The same 10,000 replies (today's questions of 1,000 channels, the long ones among them; every streak member answers once
more, the rest by members who have not answered that question yet) go through `StudyGroup.on_reply`, 64 in
flight, onto that store and onto one with the same channels, posts and members but no answers.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, percentile, say, scale
from benchmarks.ingest import IN_FLIGHT, LONG_TEXTS, deliver
from benchmarks.leaderboard import build, streaker
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.events import Reply
from bot.core.records import DailyPost
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.store import SqliteStore

STREAKS = (365, 180, 90, 30, 7)


@dataclass(frozen=True)
class Shape:
    answers: int
    members: int
    servers: int
    per_server: int
    long_channels: int
    long_days: int = 400
    streaks: tuple[int, ...] = STREAKS

    @property
    def channels(self) -> int:
        return self.servers * self.per_server


def shape(quick: bool) -> Shape:
    return Shape(
        answers=scale(quick, 1_000_000, 5_000),
        members=scale(quick, 100_000, 2_000),
        servers=scale(quick, 100, 4),
        per_server=scale(quick, 100, 10),
        long_channels=scale(quick, 100, 2),
        streaks=STREAKS if not quick else (365, 30),
    )


def make(path: Path, load: Shape, *, answers: int | None = None) -> list[ChannelRef]:
    return build(
        path,
        load.answers if answers is None else answers,
        load.members,
        seed=13,
        servers=load.servers,
        channels_per_server=load.per_server,
        long_channels=load.long_channels,
        long_days=load.long_days,
        streaks=load.streaks if answers is None else (),
    )


def stored(folder: Path, quick: bool) -> tuple[Path, list[ChannelRef], Shape]:
    """A copy, in `folder`, of this run's stored database (built the first time it is asked for)."""
    load = shape(quick)
    pristine = folder.parent / "history-pristine.db"
    channels_file = folder.parent / "history-channels.txt"
    if not pristine.exists():
        started = time.perf_counter()
        channels = make(pristine, load)
        channels_file.write_text("\n".join(f"{ref.server_id} {ref.channel_id}" for ref in channels), "utf-8")
        say(f"  the stored database built in {time.perf_counter() - started:.1f} s")
    channels = [ChannelRef(PLATFORM, *line.split()) for line in channels_file.read_text("utf-8").splitlines() if line]
    copy = folder / "history.db"
    shutil.copyfile(pristine, copy)
    # Put the copy on disk before the run: otherwise the run's first checkpoint, which syncs the file, pays for
    # writing out the harness's 500 MB copy (a stall of most of a second that no running bot ever sees).
    with copy.open("rb+") as written:
        os.fsync(written.fileno())
    return copy, channels, load


def streakers(load: Shape) -> dict[int, list[str]]:
    """Channel pk -> the members who answered every day of a streak there, longest first."""
    return {
        pk: [
            f"u{streaker((pk - 1) // load.per_server, load.members // load.servers, pk, place)}"
            for place in range(len(load.streaks))
        ]
        for pk in range(1, load.long_channels + 1)
    }


def replies(
    path: Path, channels: list[ChannelRef], load: Shape, count: int, open_posts: list[DailyPost]
) -> list[Reply]:
    """Replies to today's questions of `open_posts`, none by a member who already answered that question."""
    rng = random.Random(29)
    connection = sqlite3.connect(path)
    answered = {
        (post_id, member)
        for post_id, member in connection.execute(
            "SELECT answers.post_id, answers.member_id FROM answers JOIN posts ON posts.id = answers.post_id "
            "WHERE posts.status = 'posted'"
        )
    }
    connection.close()
    pk_of = {ref: pk for pk, ref in enumerate(channels, start=1)}
    long_members = streakers(load)
    per_server = load.members // load.servers
    stream: list[Reply] = []
    number = 0
    for post in open_posts:  # every streak member first answers once more
        for user in long_members.get(pk_of[post.channel], []):
            answered.add((post.id, user))
            stream.append(reply(post, user, number))
            number += 1
    while len(stream) < count:
        post = open_posts[rng.randrange(len(open_posts))]
        server = int(post.channel.server_id[1:])
        user = f"u{server * per_server + rng.randrange(per_server)}"
        if (post.id, user) in answered:
            continue
        answered.add((post.id, user))
        stream.append(reply(post, user, number))
        number += 1
    rng.shuffle(stream)
    return stream[:count]


def reply(post: DailyPost, user: str, number: int) -> Reply:
    assert post.thread is not None
    text = LONG_TEXTS[number % len(LONG_TEXTS)]
    return Reply(
        post.thread,
        f"h{number}",
        Member(MemberRef(PLATFORM, user), f"member {user}"),
        text,
        T0 + timedelta(milliseconds=number),
    )


async def open_group(path: Path) -> StudyGroup:
    store = await SqliteStore.open(path)
    return StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(), store=store, platform=InstantPlatform(), grader=AnswerGrader(), clock=FixedClock(T0)
        )
    )


async def today(group: StudyGroup, channels: list[ChannelRef], load: Shape, how_many: int) -> list[DailyPost]:
    """Today's open question in the long channels and in others picked at random, `how_many` in all."""
    rng = random.Random(31)
    picked = channels[: load.long_channels] + rng.sample(channels[load.long_channels :], how_many - load.long_channels)
    posts = []
    for ref in picked:
        post = await group.context.store.latest_post(channel=ref)  # type: ignore[attr-defined]
        assert post is not None and post.thread is not None
        posts.append(post)
    return posts


async def ingest(path: Path, stream: list[Reply]) -> tuple[float, list[float], dict[str, int]]:
    group = await open_group(path)
    started = time.perf_counter()
    latencies, verdicts, _ = await deliver(group, list(stream))
    elapsed = time.perf_counter() - started
    await group.context.store.close()  # type: ignore[attr-defined]
    return len(stream) / elapsed, latencies, verdicts


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    path, channels, load = stored(folder, quick)
    count = scale(quick, 10_000, 500)
    say(
        f"\n[history] {count:,} replies through StudyGroup.on_reply, {IN_FLIGHT} in flight, onto {load.channels:,} "
        f"channels holding {load.answers:,} answers ({load.long_channels} channels with {load.long_days} days of "
        f"posts and streaks of {', '.join(map(str, load.streaks))} days), against the same channels with none"
    )
    group = await open_group(path)
    posts = await today(group, channels, load, min(1_000, load.channels))
    await group.context.store.close()  # type: ignore[attr-defined]
    stream = replies(path, channels, load, count, posts)
    empty_path = folder / "empty.db"
    make(empty_path, load, answers=0)
    empty_rate, empty_latencies, empty_verdicts = await ingest(empty_path, stream)
    full_rate, full_latencies, full_verdicts = await ingest(path, stream)
    all_scored = full_verdicts.get("scored", 0) == empty_verdicts.get("scored", 0) == len(stream)
    say(f"  verdicts with history: {', '.join(f'{k} {v:,}' for k, v in sorted(full_verdicts.items()))}")
    report.add(
        "ingest_history_replies_per_s",
        full_rate,
        "replies/s",
        target="printed",
        load=f"{len(stream):,} replies as fast as they are stored, {IN_FLIGHT} in flight, onto {load.answers:,} "
        "stored answers",
        baseline=f"the same replies onto the same channels and posts with no answers: {empty_rate:,.0f} replies/s "
        f"(p99 {percentile(empty_latencies, 99) * 1000:.1f} ms; with history p99 "
        f"{percentile(full_latencies, 99) * 1000:.1f} ms); all scored in both: {all_scored}",
    )
    report.add(
        "ingest_history_vs_empty",
        full_rate / empty_rate,
        "x empty",
        target="printed",
        ratio=f"{full_rate:,.0f} / {empty_rate:,.0f} replies/s",
    )
    report.extra("ingest_empty_replies_per_s", empty_rate)
    report.extra("ingest_history_p99_ms", percentile(full_latencies, 99) * 1000)
