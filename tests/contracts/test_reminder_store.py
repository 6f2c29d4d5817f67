"""`ReminderStore`: one reminder per member, found by its next instant with its member's due count, and moved by
exactly one caller."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from bot.core.refs import ChannelRef, MemberRef
from bot.core.reminders import Reminder
from bot.core.review_cards import CardState, Memory, Rating, ReviewEntry
from tests.contracts.conftest import CHANNEL, NOW

ADA = MemberRef("test", "ada")
BOB = MemberRef("test", "bob")
ELSEWHERE = MemberRef("other", "ada")


def reminder(member: MemberRef = ADA, *, at: timedelta = timedelta(0), last_day: date | None = None) -> Reminder:
    channel = CHANNEL if member.platform == "test" else ChannelRef(member.platform, "g", "c")
    return Reminder(member, time(8, 0), "Europe/Berlin", channel, member.user_id.title(), NOW + at, last_day)


async def due_card(store, member: MemberRef, question_id: str, due_in: timedelta) -> None:  # type: ignore[no-untyped-def]
    def memory(history: list[ReviewEntry]) -> Memory:
        return Memory(CardState.REVIEW, None, 1.0, 5.0, NOW + due_in, NOW - timedelta(days=1))

    entry = ReviewEntry(f"k:{question_id}", Rating.GOOD, NOW - timedelta(days=1))
    await store.record_review(member=member, question_id=question_id, entry=entry, replay=memory)


async def test_a_member_has_one_reminder_which_is_set_read_and_dropped(store):
    assert await store.get_reminder(member=ADA) is None
    await store.save_reminder(reminder())
    changed = reminder(at=timedelta(hours=1), last_day=date(2026, 11, 22))
    await store.save_reminder(changed)
    assert await store.get_reminder(member=ADA) == changed
    assert await store.drop_reminder(member=ADA) is True
    assert await store.drop_reminder(member=ADA) is False
    assert await store.get_reminder(member=ADA) is None


async def test_due_reminders_are_those_come_on_the_platform_earliest_first_with_their_due_reviews(store):
    await store.save_reminder(reminder(BOB, at=timedelta(minutes=-5)))
    await store.save_reminder(reminder(ADA))
    await store.save_reminder(reminder(MemberRef("test", "cyd"), at=timedelta(minutes=1)))  # not yet
    await store.save_reminder(reminder(ELSEWHERE, at=timedelta(minutes=-9)))  # another platform
    await due_card(store, ADA, "q1", timedelta(hours=-1))
    await due_card(store, ADA, "q2", timedelta(0))
    await due_card(store, ADA, "q3", timedelta(hours=-1))  # its question left the bank
    await due_card(store, ADA, "q4", timedelta(seconds=1))  # due a second later
    await due_card(store, ELSEWHERE, "q1", timedelta(hours=-1))
    due = await store.due_reminders(platform="test", now=NOW, question_ids={"q1", "q2", "q4"}, limit=10)
    assert [(found.reminder.member, found.reviews_due) for found in due] == [(BOB, 0), (ADA, 2)]
    assert due[1].reminder == reminder(ADA)
    [first] = await store.due_reminders(platform="test", now=NOW, question_ids={"q1"}, limit=1)
    assert first.reminder.member == BOB


async def test_moving_a_reminder_is_a_claim_only_one_caller_wins(store):
    await store.save_reminder(reminder())
    tomorrow = NOW + timedelta(days=1)
    moves = await asyncio.gather(
        *(store.move_reminder(member=ADA, due_at=NOW, next_at=tomorrow, last_day=date(2026, 11, 23)) for _ in range(5))
    )
    assert sorted(moves) == [False, False, False, False, True]
    moved = await store.get_reminder(member=ADA)
    assert (moved.next_at, moved.last_day) == (tomorrow, date(2026, 11, 23))
    assert await store.due_reminders(platform="test", now=NOW, question_ids=set(), limit=10) == []
    assert await store.move_reminder(member=BOB, due_at=NOW, next_at=tomorrow, last_day=None) is False
    # given back: due again
    assert await store.move_reminder(member=ADA, due_at=tomorrow, next_at=NOW, last_day=None) is True
    [again] = await store.due_reminders(platform="test", now=NOW, question_ids=set(), limit=10)
    assert again.reminder == reminder()
