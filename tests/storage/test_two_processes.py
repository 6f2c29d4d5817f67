"""Two bot processes on one database, a SQLite file or PostgreSQL: what one changes, the other honours at once
(nothing is cached), and a claim is taken over once its process has ended."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.events import Reply
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef, Member, MemberRef
from bot.core.schedule import Schedule, parse_time
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.standings import Period
from bot.grading import AnswerGrader
from bot.storage.store import SqliteStore
from tests.support.recording_platform import RecordingPlatform

ROOT = Path(__file__).resolve().parents[2]
CHANNEL = ChannelRef("test", "g", "c")


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where both processes open the database: a file, or a PostgreSQL database."""
    if request.param == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "shared.db")


# The other process: a moderator pauses the channel and starts a new season through its own study group.
OTHER = """
import asyncio, sys
from datetime import datetime
from bot.core.clock import FixedClock
from bot.core.refs import ChannelRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.storage.store import SqliteStore
from bot.core.bank import Bank
from bot.grading import AnswerGrader
from tests.support.recording_platform import RecordingPlatform


async def main():
    async with await SqliteStore.open(sys.argv[1]) as store:
        clock = FixedClock(datetime.fromisoformat(sys.argv[2]))
        context = StudyGroupContext(
            bank=Bank.of([]), store=store, platform=RecordingPlatform(), grader=AnswerGrader(), clock=clock
        )
        group = StudyGroup(context)
        channel = ChannelRef("test", "g", "c")
        await group.channels.set_paused(channel, True)
        season = await group.standings.new_season(channel.server)
        print(season.number)

asyncio.run(main())
"""


async def test_a_pause_and_a_new_season_made_in_another_process_are_honoured_at_once(shared_database, bank, clock):
    path = shared_database
    platform = RecordingPlatform()
    async with await SqliteStore.open(path) as store:
        group = StudyGroup(
            StudyGroupContext(bank=bank, store=store, platform=platform, grader=AnswerGrader(), clock=clock)
        )
        at = (clock.now() - timedelta(minutes=30)).strftime("%H:%M")
        held = ChannelConfig(CHANNEL, Schedule(at=parse_time(at), timezone="UTC"))  # the scheduler's copy
        await store.save_channel(held)
        yesterday = await group.daily.post_for_date(held, clock.now().date() - timedelta(days=1))
        assert yesterday.post is not None and yesterday.post.thread is not None
        before = await group.standings.leaderboard(CHANNEL, None, period=Period.SEASON)  # read season 1 here first
        assert before.title.endswith("season 1") and before.standings == ()
        posts_before = len(platform.posts)

        other = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(OTHER), str(path), clock.now().isoformat()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert other.returncode == 0, other.stderr
        assert other.stdout.strip() == "2"

        # today's post is due by the schedule this process saved; the sweep reads the channel as it is now
        assert held.schedule.latest_due(clock.now()) is not None
        assert await group.sweep(TextStyle()) == []
        assert len(platform.posts) == posts_before  # nothing posted in the paused channel

        ada = Member(MemberRef("test", "ada"), "Ada")
        text = "Bias is the error that comes from wrong assumptions in the model."
        reply = Reply(yesterday.post.thread, "r1", ada, text, clock.now())
        scored = await group.on_reply(reply)
        assert scored.answer is not None
        season = await group.standings.leaderboard(CHANNEL, ada.ref, period=Period.SEASON)
        assert [(s.display_name, s.points) for s in season.standings] == [("Ada", scored.answer.points)]
        assert season.title.endswith("season 2")
        assert season.own is not None and season.own.rank == 1


async def test_a_claim_is_left_to_its_running_process_and_taken_over_at_once_when_it_has_ended(
    shared_database, bank, clock
) -> None:
    from datetime import date

    from bot.core.usecases.daily import Outcome

    path = shared_database
    platform = RecordingPlatform(crash_after_posting=True)
    config = ChannelConfig(CHANNEL, Schedule(at=parse_time("09:00"), timezone="UTC"))
    crashing = await SqliteStore.open(path)
    await crashing.save_channel(config)
    with pytest.raises(SystemExit):  # posted, then stopped before recording it
        await StudyGroup(
            StudyGroupContext(bank=bank, store=crashing, platform=platform, grader=AnswerGrader(), clock=clock)
        ).daily.post_for_date(config, date(2026, 11, 23))
    platform.crash_after_posting = False
    async with await SqliteStore.open(path) as store:
        peer = StudyGroup(
            StudyGroupContext(bank=bank, store=store, platform=platform, grader=AnswerGrader(), clock=clock)
        )
        clock.advance(seconds=10)
        held = await peer.daily.post_for_date(config, date(2026, 11, 23))
        assert held.outcome is Outcome.IN_PROGRESS  # its process still runs: it may yet record the post
        await crashing.close()  # that process has ended, its claim 10 s old (the lease is two minutes)
        taken = await peer.daily.post_for_date(config, date(2026, 11, 23))
        assert taken.outcome is Outcome.RECOVERED and taken.post is not None and taken.post.thread is not None
        assert len(platform.posts) == 1
