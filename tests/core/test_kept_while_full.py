"""The study group on a real full disk: events kept in order up to the bound, the rest refused with a reason,
each kept one stored once when there is room, and one log line each way."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.events import ReactionChanged, Reply
from bot.core.records import Period
from bot.core.refs import MemberRef
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.storage.store import SqliteStore
from tests.core.test_daily_loop import CHANNEL, LONG, member, mod, run
from tests.support.full_disk import full_disk
from tests.support.recording_platform import RecordingPlatform


async def test_past_the_bound_an_event_is_refused_with_a_reason_and_the_kept_ones_are_stored_once(
    tmp_path, bank: Bank, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    with full_disk(tmp_path, "tmpfs") as disk, caplog.at_level(logging.WARNING):
        async with await SqliteStore.open(disk.database) as store:
            group = StudyGroup(
                StudyGroupContext(
                    bank=bank, store=store, platform=RecordingPlatform(), grader=AnswerGrader(), clock=clock
                )
            )
            group.kept.limit = 2
            assert (await run(group, mod(), "/qotd setup time:09:00")).ok
            clock.set(clock.now().replace(hour=9, minute=1))
            thread = (await group.post_if_due(await store.get_channel(CHANNEL))).post.thread

            def reply(name: str, message_id: str) -> Reply:
                return Reply(thread, message_id, member(name), LONG, clock.now() + timedelta(minutes=1))

            await disk.fill(store.db)
            first = await group.on_reply(reply("ada", "m1"))
            upvote = await group.on_reaction(ReactionChanged("test", "m1", member("bob"), "👍", added=True))
            third = await group.on_reply(reply("cyd", "m3"))
            assert [first.verdict, upvote.verdict, third.verdict] == [Verdict.KEPT, Verdict.KEPT, Verdict.IGNORED]
            assert first.reason == "the disk is full: your answer is kept and will count once there is room"
            assert "your answer could not be kept; try again later" in third.reason
            assert await group.retry_kept() == 0  # still full: nothing is lost, nothing moves

            await disk.make_room(store.db)
            assert await group.retry_kept() == 2
            assert await group.retry_kept() == 0
            board = await group.standings.leaderboard(CHANNEL, MemberRef("test", "id-ada"), period=Period.ALL)
            assert {entry.display_name: entry.points for entry in board.standings} == {"ada": 17}  # 10 + 5 + 2
            again = await group.on_reply(reply("ada", "m1"))  # the platform delivering it once more
            assert again.verdict is Verdict.DUPLICATE
    lines = [record.getMessage() for record in caplog.records]
    assert sum("is full, so nothing more can be stored" in line for line in lines) == 1
    assert sum("2 events are kept in memory" in line for line in lines) == 1
    assert [line for line in lines if "room again" in line] == [
        "the disk has room again: 2 kept event(s) stored; 1 event(s) past the limit were not kept"
    ]
