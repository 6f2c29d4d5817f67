"""Review reminders from the member's side: at their local time, only on days reviews are due, once a day, across
DST changes and restarts, and switched off (said once) when their direct messages are closed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.refs import Actor
from bot.core.review_cards import CardState, Memory, Rating, ReviewEntry
from bot.core.studygroup import StudyGroup
from bot.storage.store import SqliteStore
from tests.core.test_daily_loop import CHANNEL, member, run

BERLIN = ZoneInfo("Europe/Berlin")
ADA = Actor(member("ada"), CHANNEL)
BOB = Actor(member("bob"), CHANNEL)


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN, fold=fold)


async def due_card(group: StudyGroup, actor: Actor, due: datetime, question_id: str = "p-value") -> None:
    """A card of the member's that falls due at `due` (and stays due: nobody reviews it here)."""

    def memory(history: list[ReviewEntry]) -> Memory:
        return Memory(CardState.REVIEW, None, 3.0, 5.0, due, history[-1].reviewed_at)

    reviewed = due - timedelta(days=3)
    entry = ReviewEntry(f"test:{question_id}", Rating.GOOD, reviewed)
    await group.context.store.record_review(
        member=actor.member.ref, question_id=question_id, entry=entry, replay=memory
    )


async def dms_at(group: StudyGroup, platform, clock, when: datetime) -> list[str]:  # type: ignore[no-untyped-def]
    """The direct messages the minute's run at `when` sends."""
    clock.set(when)
    before = len(platform.direct_messages)
    await group.reminders.send_due()
    return [text for _, text in platform.direct_messages[before:]]


async def remind(group: StudyGroup, clock, line: str, *, now: datetime) -> str:  # type: ignore[no-untyped-def]
    clock.set(now)
    response = await run(group, ADA, line)
    assert response.ok and response.private, response.text
    return response.text


@pytest.mark.parametrize(
    ("days", "utc_hours"),
    [
        ((26, 27, 28, 29), (7, 7, 6, 6)),  # March 2027: Berlin moves to summer time on Sunday the 28th
        ((29, 30, 31), (6, 6, 7)),  # October 2027: back to winter time on Sunday the 31st
    ],
    ids=["march", "october"],
)
async def test_the_reminder_comes_at_eight_in_berlin_across_the_dst_change(group, platform, clock, days, utc_hours):
    month = 3 if days[0] == 26 else 10
    set_up = await remind(
        group, clock, "/review remind time:08:00 timezone:Europe/Berlin", now=berlin(2027, month, days[0], 6)
    )
    assert "Reminder set: 08:00 Europe/Berlin" in set_up and "/review remind time:off stops it" in set_up
    await due_card(group, ADA, berlin(2027, month, 1, 12))
    await due_card(group, BOB, berlin(2027, month, 1, 12))  # bob never asked for reminders
    sent_at = []
    for day in days:
        assert await dms_at(group, platform, clock, berlin(2027, month, day, 7, 59)) == []
        assert await dms_at(group, platform, clock, berlin(2027, month, day, 8, 0)) == ["1 review due: /review"]
        sent_at.append(clock.now().astimezone(UTC).hour)
        assert await dms_at(group, platform, clock, berlin(2027, month, day, 8, 1)) == []
        assert await dms_at(group, platform, clock, berlin(2027, month, day, 23, 59)) == []
    assert tuple(sent_at) == utc_hours
    assert {who for who, _ in platform.direct_messages} == {ADA.member.ref}


async def test_no_reminder_on_a_day_nothing_is_due_and_never_two_in_one_day(group, platform, clock):
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    await due_card(group, ADA, berlin(2027, 1, 5, 12))
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8)) == []  # nothing due at all
    assert await dms_at(group, platform, clock, berlin(2027, 1, 5, 8)) == []  # due only at noon
    assert await dms_at(group, platform, clock, berlin(2027, 1, 5, 12)) == []  # the day's time has passed
    await due_card(group, ADA, berlin(2027, 1, 5, 12), question_id="bias-variance")
    assert await dms_at(group, platform, clock, berlin(2027, 1, 6, 8)) == ["2 reviews due: /review"]
    # a later time the same day waits for the next day
    later = await remind(group, clock, "/review remind time:20:00", now=berlin(2027, 1, 6, 9))
    assert "20:00 Europe/Berlin" in later and "Thu 07 Jan 20:00" in later
    assert await dms_at(group, platform, clock, berlin(2027, 1, 6, 20)) == []
    assert await dms_at(group, platform, clock, berlin(2027, 1, 7, 20)) == ["2 reviews due: /review"]
    off = await remind(group, clock, "/review remind off", now=berlin(2027, 1, 7, 21))
    assert off == "Review reminders are off."
    assert await dms_at(group, platform, clock, berlin(2027, 1, 8, 20)) == []
    assert (await run(group, ADA, "/review remind off")).text == "You have no review reminder to switch off."


async def test_a_time_the_clocks_skip_comes_at_the_jump_and_a_time_they_repeat_comes_once(group, platform, clock):
    await due_card(group, ADA, berlin(2027, 1, 1, 12))
    await remind(group, clock, "/review remind time:02:30 tz:Europe/Berlin", now=berlin(2027, 3, 27, 12))
    at_jump = datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # 02:00 CET becomes 03:00 CEST: 02:30 never happens
    assert await dms_at(group, platform, clock, at_jump - timedelta(minutes=1)) == []
    assert await dms_at(group, platform, clock, at_jump) == ["1 review due: /review"]
    assert await dms_at(group, platform, clock, berlin(2027, 3, 28, 3, 30)) == []

    await remind(group, clock, "/review remind time:02:30", now=berlin(2027, 10, 30, 12))
    assert await dms_at(group, platform, clock, berlin(2027, 10, 31, 2, 30)) == ["1 review due: /review"]
    assert await dms_at(group, platform, clock, berlin(2027, 10, 31, 2, 30, fold=1)) == []  # the second 02:30
    assert await dms_at(group, platform, clock, berlin(2027, 11, 1, 2, 30)) == ["1 review due: /review"]


def restarted(group: StudyGroup, store: SqliteStore) -> StudyGroup:
    """The same bot started again on the same database: nothing carried over in memory."""
    from dataclasses import replace

    return StudyGroup(replace(group.context, store=store))


async def test_a_restart_never_sends_it_twice_and_makes_it_up_only_within_the_grace_window(
    group, platform, clock, tmp_path
):
    await due_card(group, ADA, berlin(2027, 1, 1, 12))
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8)) == ["1 review due: /review"]
    async with await SqliteStore.open(tmp_path / "studybot.db") as reopened:
        again = restarted(group, reopened)
        assert await dms_at(again, platform, clock, berlin(2027, 1, 4, 8, 1)) == []  # sent before the restart
        # down from 07:00 to 11:30: made up at the start, within the four-hour grace window
        assert await dms_at(again, platform, clock, berlin(2027, 1, 5, 11, 30)) == ["1 review due: /review"]
        # down from 07:00 to 12:30: too late to be worth it, passed over; the next day's comes as usual
        assert await dms_at(again, platform, clock, berlin(2027, 1, 6, 12, 30)) == []
        assert await dms_at(again, platform, clock, berlin(2027, 1, 7, 8)) == ["1 review due: /review"]
        # two workers at the same minute: one of them claims it
        clock.set(berlin(2027, 1, 8, 8))
        before = len(platform.direct_messages)
        await asyncio.gather(group.reminders.send_due(), again.reminders.send_due())
        assert len(platform.direct_messages) == before + 1


async def test_closed_direct_messages_switch_it_off_and_say_so_once_in_the_channel(group, platform, clock):
    await due_card(group, ADA, berlin(2027, 1, 1, 12))
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    platform.closed_dms.add(ADA.member.ref.user_id)
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8)) == []
    [(channel, told, text)] = platform.told_in_channel
    assert channel == CHANNEL and told == ADA.member
    assert "can't send you direct messages" in text and "reminders are off" in text and "/review remind" in text
    assert await dms_at(group, platform, clock, berlin(2027, 1, 5, 8)) == []
    assert len(platform.told_in_channel) == 1
    assert (await run(group, ADA, "/review remind off")).text == "You have no review reminder to switch off."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/review remind time:25:00 tz:Europe/Berlin", "Time '25:00' is out of range: hours go 00-23"),
        ("/review remind time:8am tz:Europe/Berlin", "Time '8am' is not HH:MM (24-hour clock)"),
        ("/review remind time:08:00 tz:Europe/Berln", "Timezone 'Europe/Berln' is not an IANA timezone name"),
        ("/review remind tz:Europe/Berlin", "Say when: /review remind time:HH:MM timezone:Area/City"),
        ("/review remind tomorrow", "Say when: /review remind time:HH:MM timezone:Area/City"),
    ],
)
async def test_a_bad_time_or_timezone_gets_one_clear_line_and_keeps_the_reminder(group, clock, line, expected):
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    kept = await group.context.store.get_reminder(member=ADA.member.ref)
    refused = await run(group, ADA, line)
    assert not refused.ok and refused.text.startswith(expected) and "\n" not in refused.text
    assert await group.context.store.get_reminder(member=ADA.member.ref) == kept


async def test_a_reminder_the_platform_keeps_refusing_for_now_is_sent_the_next_minute(group, platform, clock):
    await due_card(group, ADA, berlin(2027, 1, 1, 12))
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    platform.dms_rate_limited_for = 600.0  # longer than a claim's lease: not waited out in this minute
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8)) == []
    platform.dms_rate_limited_for = 0.0
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8, 1)) == ["1 review due: /review"]
    assert await dms_at(group, platform, clock, berlin(2027, 1, 4, 8, 2)) == []
