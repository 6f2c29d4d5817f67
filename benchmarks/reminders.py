"""Review reminders: 100,000 opted-in members (full run) due in one minute, sent through the scheduler's minute job
(`Reminders.send_due`) to a platform that allows a fixed number of direct messages per second and answers the rest
with 429 and Retry-After, as Discord does.

Discord itself allows a bot 50 requests a second, and a first DM to a member is two (open the DM channel, then
send): 25 members a second, over an hour for 100,000. The run configures a higher limit so it ends in seconds;
what it measures is that the job keeps to whatever limit the platform sets, close to it, and that every member
gets exactly one reminder, a second run (another worker, or a restart) none.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from benchmarks.common import PLATFORM, T0, InstantPlatform, Report, builtin_bank, say, scale
from benchmarks.machine import Machine
from bot.core.clock import FixedClock
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.reminders import Sent
from bot.grading import AnswerGrader
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.database import ts
from bot.storage.store import SqliteStore

DUE = T0.replace(hour=8, minute=0)


class DirectMessages(InstantPlatform):
    """An instant platform with direct messages under its per-second limit, counting them per member."""

    def __init__(self, *, limit: int) -> None:
        super().__init__(limit=limit)
        self.sent: Counter[str] = Counter()
        self.peak = 0  # the most DMs taken in one of the limiter's one-second windows

    async def message_member(self, member: MemberRef, text: str) -> None:
        self._admit()  # RateLimited beyond the limit, and nothing sent
        self.peak = max(self.peak, self._in_window)
        self.sent[member.user_id] += 1

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        self._admit()

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        self._admit()


async def opted_in(path: Path, members: int, platform: DirectMessages) -> StudyGroup:
    """`members` reminders due at 08:00 UTC, each member with one review due."""
    store = await SqliteStore.open(path)
    question = builtin_bank().questions[0].id
    reminders = [
        (PLATFORM, f"u{n}", "08:00", "UTC", f"g{n % 200}", f"c{n % 1000}", f"member {n}", ts(DUE), None)
        for n in range(members)
    ]
    cards = [
        (PLATFORM, f"u{n}", question, 2, None, 3.0, 5.0, ts(DUE - timedelta(days=1)), None, 1) for n in range(members)
    ]

    def fill(connection) -> None:  # type: ignore[no-untyped-def]
        connection.executemany("INSERT INTO review_reminders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reminders)
        connection.executemany("INSERT INTO review_cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", cards)

    await store.db.write(fill)
    context = StudyGroupContext(
        bank=builtin_bank(),
        store=store,
        platform=platform,
        grader=AnswerGrader(),
        clock=FixedClock(DUE + timedelta(seconds=30)),
        scheduler=FsrsScheduler(),
    )
    return StudyGroup(context)


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    members = scale(quick, 100_000, 300)
    limit = scale(quick, 5_000, 150)
    say(f"\n[reminders] {members:,} members' review reminders due at 08:00, a platform allowing {limit:,} DMs/s")
    platform = DirectMessages(limit=limit)
    group = await opted_in(folder / "reminders.db", members, platform)
    started = time.perf_counter()
    first = await group.reminders.send_due()
    elapsed = time.perf_counter() - started
    again = await group.reminders.send_due()  # another worker at the same minute, or the bot started again
    store = group.context.store
    still_due = await store.due_reminders(platform=PLATFORM, now=group.context.now(), question_ids=(), limit=1)
    await store.close()  # type: ignore[attr-defined]
    lost = members - len(platform.sent)
    doubled = sum(1 for count in platform.sent.values() if count > 1)
    sent = sum(platform.sent.values())
    floor = max(1, (members - 1) // limit)  # the fixed window lets the last one through this many seconds in
    exact = lost == doubled == 0 and not still_due
    report.add(
        "reminders_sent_per_s",
        sent / elapsed,
        "DMs/s",
        target=f"the platform's {limit:,}/s, every member exactly once",
        met=exact,
        load=f"{members:,} opted-in members due at one minute, each with a review due, the scheduler's minute job",
        baseline=f"{sent:,} DMs in {elapsed:.2f} s; {platform.refused:,} requests got 429 and were retried after "
        f"Retry-After; lost {lost}, doubled {doubled}; outcomes {_said(first)}, a second run {_said(again) or 'none'}",
    )
    report.add(
        "reminders_vs_floor",
        elapsed / floor,
        "x floor",
        target="<= 1.15",
        met=elapsed / floor <= 1.15,
        load=f"the limiter lets the last of {members:,} through {floor} s in ({members:,} / {limit:,} per s)",
        ratio=f"{elapsed:.2f} s / {floor} s",
    )
    report.add(
        "reminders_peak_per_window",
        platform.peak,
        "DMs/window",
        target=f"<= {limit:,} (the limit)",
        met=platform.peak <= limit,
        load="the most DMs the platform took in one of its one-second windows",
    )
    report.extra("reminders_lost", lost)
    report.extra("reminders_doubled", doubled)
    report.extra("reminders_send_s", elapsed)


def _said(outcomes: Counter[Sent]) -> str:
    return ", ".join(f"{count:,} {outcome.value}" for outcome, count in sorted(outcomes.items()))
