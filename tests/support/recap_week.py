"""Last week in a channel, stored as the bot would have stored it, for the weekly recap's tests on each platform."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from bot.core.ports import Store
from bot.core.records import DailyPost, NewAnswer, PeriodKeys
from bot.core.refs import ChannelRef, MemberRef
from tests.support.claims import asking

LAST_MONDAY = date(2026, 11, 16)
SUNDAY_EVENING = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
MONDAY_AFTER_NINE = datetime(2026, 11, 23, 9, 1, tzinfo=UTC)  # the recap's time in a channel set up for 09:00 UTC
QUESTIONS = {0: "p-value", 2: "bias-variance"}  # Monday's and Wednesday's
RECAP_KEY_OF_LAST_WEEK = "2026-11-16"


async def _ask(store: Store, channel: ChannelRef, day: date, question_id: str) -> DailyPost:
    at = datetime.combine(day, time(9), tzinfo=UTC)
    claim = await store.claim_post(channel=channel, local_date=day, now=at, choose=asking(question_id))
    assert claim is not None
    post = await store.confirm_post(
        post_id=claim.post.id, message_id=f"m{day}", thread_id=f"t{day}", url=None, posted_at=at, closes_at=at
    )
    await store.mark_closed(post_id=post.id)  # long closed: nothing left to read back or sum up
    return post


async def seed_last_week(store: Store, channel: ChannelRef, people: Sequence[tuple[MemberRef, str]]) -> None:
    """Monday's question answered by the first two people (the first's marked best, 10 + 15 points), Wednesday's
    by the first three (10 each): the podium is the first with 35, the second with 20, the third with 10."""
    for offset, question_id in QUESTIONS.items():
        day = LAST_MONDAY + timedelta(days=offset)
        post = await _ask(store, channel, day, question_id)
        year, week, _ = day.isocalendar()
        keys = PeriodKeys(f"{year}-W{week:02d}", f"{day:%Y-%m}", 1)
        for place, (member, name) in enumerate(people[: 2 if offset == 0 else 3]):
            at = datetime.combine(day, time(10 + place), tzinfo=UTC)
            answer = NewAnswer(post.id, channel, f"a{day}-{place}", member, name, at, 1, 10, keys)
            stored = await store.record_answer(answer, early_bonus=lambda rank: 0)
            assert stored is not None
            if offset == 0 and place == 0:
                await store.set_best_answer(answer_id=stored.id, best=True, bonus=15)
