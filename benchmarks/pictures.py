"""Cards: how long the leaderboard, stats and weekly recap cards take to draw, and what 20 concurrent /stats do to
the commands that draw nothing.

Card render: `bot.pictures.renderer.png` on the busiest cards a member can see (a full top 10 with the asker's
own row below it; a stats card with a day answered every other day for 26 weeks, readiness for more topics than
it shows and three next reviews; a recap of a week with a question and a best answer every day), after the
renderer's warm-up, one after another. Under load: a StudyGroup with the Pillow renderer on a database
of 2,000 members; 20 members ask /stats at once, again and again, while /quiz, /qotd status and /help run one after
another and are timed (their p99 is the figure). /leaderboard draws a card too, so it waits in the same queue and
is not among them.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, percentile, say, scale
from benchmarks.leaderboard import build
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.commands import parse_command
from bot.core.pictures import BoardRow, LeaderboardPicture, Picture, RecapPicture, StatsPicture
from bot.core.refs import Actor, Member, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.pictures.renderer import PillowRenderer, png
from bot.storage.store import SqliteStore

CONCURRENT_STATS = 20
OTHER_COMMANDS = ("/quiz", "/qotd status", "/help")
NAMES = ("Ada Lovelace", "Влад Петров", "José 😀 Núñez", "中文名", "Grace Hopper", "Émilie du Châtelet", "Ωmega")


def busiest_board() -> LeaderboardPicture:
    rows = tuple(BoardRow(rank, NAMES[rank % len(NAMES)] * 2, 5_000 - rank * 37, 300 - rank) for rank in range(1, 11))
    return LeaderboardPicture("Leaderboard · this server · season 12", rows, BoardRow(4_321, "Me Myself", 12, 1, True))


def busiest_stats() -> StatsPicture:
    today = T0.date()
    topics = tuple((f"topic {number}", 100 - number * 7) for number in range(12))
    days = frozenset(today - timedelta(days=day) for day in range(0, 26 * 7, 2))
    readiness = tuple((f"topic {number}", number / 12) for number in range(12))
    reviews = tuple((f"A long question title to cut, number {number} of the bank", "in 3 days") for number in range(3))
    return StatsPicture(
        "Ada Lovelace", 12_345, 2_345, 3, 900, 41, 77, days, today, topics, readiness=readiness, next_reviews=reviews
    )


def busiest_recap() -> RecapPicture:
    podium = tuple(BoardRow(rank, NAMES[rank] * 2, 900 - rank * 100, 7) for rank in (1, 2, 3))
    days = tuple((day, 40 + number) for number, day in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")))
    title = "Two-sample t-test or Mann-Whitney U: which one, and why, for skewed data?"
    best = tuple((NAMES[number % len(NAMES)], title) for number in range(7))
    return RecapPicture("Weekly recap · Mon 16 Nov – Sun 22 Nov", podium, days, (title, 46), best)


def busiest() -> dict[str, Picture]:
    return {"leaderboard": busiest_board(), "stats": busiest_stats(), "recap": busiest_recap()}


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    renders = scale(quick, 300, 5)
    say(f"\n[pictures] {renders} renders of each card, then {CONCURRENT_STATS} concurrent /stats beside other commands")
    for picture in busiest().values():
        png(picture)  # the fonts and the glyph checks, as the renderer's warm-up does at start
    timings: dict[str, list[float]] = {name: [] for name in busiest()}
    sizes: dict[str, int] = {}
    for _ in range(renders):
        for name, picture in busiest().items():
            begun = time.perf_counter()
            data = png(picture)
            timings[name].append(time.perf_counter() - begun)
            sizes[name] = len(data)
    every = [timing for kind in timings.values() for timing in kind]
    render_p99 = percentile(every, 99) * 1000
    report.add(
        "card_render_p99_ms",
        render_p99,
        "ms",
        target="<= 150 ms",
        met=render_p99 <= 150,
        baseline=", ".join(
            f"{name} p99 {percentile(timings[name], 99) * 1000:.1f} ms ({sizes[name] / 1000:.0f} kB)"
            for name in timings
        )
        + f"; p50 {percentile(every, 50) * 1000:.1f} ms",
    )
    report.extra("card_max_kb", max(sizes.values()) / 1000)

    members = scale(quick, 2_000, 200)
    path = folder / "pictures.db"
    channels = build(path, scale(quick, 20_000, 2_000), members, seed=23, servers=1, channels_per_server=10)
    store = await SqliteStore.open(path)
    renderer = PillowRenderer()
    group = StudyGroup(
        StudyGroupContext(
            bank=builtin_bank(),
            store=store,
            platform=InstantPlatform(),
            grader=AnswerGrader(),
            clock=FixedClock(T0),
            pictures=renderer,
        )
    )
    style = TextStyle()
    rng = random.Random(29)

    def actor() -> Actor:
        user = f"u{rng.randrange(members)}"
        return Actor(Member(MemberRef(PLATFORM, user), f"member {user}"), rng.choice(channels))

    async def others(seconds: float) -> list[float]:
        latencies: list[float] = []
        number, begun_all = 0, time.perf_counter()
        while time.perf_counter() - begun_all < seconds:
            line = OTHER_COMMANDS[number % len(OTHER_COMMANDS)]
            begun = time.perf_counter()
            response = await group.handle(actor(), parse_command(line), style)
            latencies.append(time.perf_counter() - begun)
            assert response.ok, response.text
            number += 1
            await asyncio.sleep(0.005)
        return latencies

    stats_done = 0

    async def asking_stats(stop: asyncio.Event) -> None:
        nonlocal stats_done
        while not stop.is_set():
            response = await group.handle(actor(), parse_command("/stats"), style)
            assert response.attachment is not None
            stats_done += 1

    seconds = 0.5 if quick else 20.0
    quiet = await others(0.25 if quick else 3.0)
    stop = asyncio.Event()
    askers = [asyncio.create_task(asking_stats(stop)) for _ in range(CONCURRENT_STATS)]
    loaded = await others(seconds)
    stop.set()
    await asyncio.gather(*askers)
    renderer.close()
    await store.close()
    others_p99 = percentile(loaded, 99) * 1000
    report.add(
        "commands_beside_stats_p99_ms",
        others_p99,
        "ms",
        target="<= 50 ms",
        met=others_p99 <= 50,
        baseline=f"{', '.join(OTHER_COMMANDS)} while {CONCURRENT_STATS} members ask /stats over and over "
        f"({stats_done} cards in {seconds:g} s); with no /stats: p99 {percentile(quiet, 99) * 1000:.2f} ms",
    )
