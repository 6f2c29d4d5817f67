"""`ReviewStore`: one card per member and question, its memory recomputed from its whole review history."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from bot.core.refs import MemberRef
from bot.core.review_cards import CardState, Goal, Memory, Rating, ReviewEntry
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.store import SqliteStore
from tests.contracts.conftest import NOW

ADA = MemberRef("test", "ada")
BOB = MemberRef("test", "bob")


def days_per_pass(history: list[ReviewEntry]) -> Memory:
    """A stand-in schedule that shows what it was given: due one day after the last review per passing rating."""
    last = history[-1].reviewed_at
    passes = sum(entry.rating is not Rating.AGAIN for entry in history)
    return Memory(CardState.REVIEW, None, float(passes), 5.0, last + timedelta(days=passes), last)


def review(key: str, rating: Rating, at: datetime = NOW) -> ReviewEntry:
    return ReviewEntry(key, rating, at)


async def test_each_review_is_kept_and_the_card_follows_the_whole_history(store):
    first = await store.record_review(
        member=ADA, question_id="q1", entry=review("quiz:1", Rating.GOOD), replay=days_per_pass
    )
    assert (first.member, first.question_id, first.reviews, first.due) == (ADA, "q1", 1, NOW + timedelta(days=1))
    later = NOW + timedelta(days=1)
    second = await store.record_review(
        member=ADA, question_id="q1", entry=review("quiz:2", Rating.EASY, later), replay=days_per_pass
    )
    assert (second.reviews, second.due, second.memory.last_review) == (2, later + timedelta(days=2), later)
    assert await store.review_history(member=ADA, question_id="q1") == [
        review("quiz:1", Rating.GOOD),
        review("quiz:2", Rating.EASY, later),
    ]


async def test_a_second_rating_of_the_same_thing_changes_that_review_rather_than_adding_one(store):
    await store.record_review(member=ADA, question_id="q1", entry=review("answer:7", Rating.GOOD), replay=days_per_pass)
    changed = await store.record_review(
        member=ADA, question_id="q1", entry=review("answer:7", Rating.AGAIN), replay=days_per_pass
    )
    assert changed.reviews == 1 and changed.memory.stability == 0.0
    assert await store.review_history(member=ADA, question_id="q1") == [review("answer:7", Rating.AGAIN)]


async def test_a_review_stored_late_takes_its_place_by_time(store):
    await store.record_review(
        member=ADA,
        question_id="q1",
        entry=review("quiz:2", Rating.GOOD, NOW + timedelta(hours=5)),
        replay=days_per_pass,
    )
    card = await store.record_review(
        member=ADA, question_id="q1", entry=review("answer:1", Rating.AGAIN), replay=days_per_pass
    )
    assert [entry.key for entry in await store.review_history(member=ADA, question_id="q1")] == ["answer:1", "quiz:2"]
    assert card.memory.last_review == NOW + timedelta(hours=5)


async def test_a_members_cards_come_soonest_due_first_and_only_theirs(store):
    for question, rating in (("q1", Rating.EASY), ("q2", Rating.AGAIN), ("q3", Rating.GOOD)):
        await store.record_review(
            member=ADA, question_id=question, entry=review(f"quiz:{question}", rating), replay=days_per_pass
        )
    await store.record_review(member=BOB, question_id="q9", entry=review("quiz:9", Rating.GOOD), replay=days_per_pass)
    every = {"q1", "q2", "q3", "q9"}
    assert [card.question_id for card in await store.review_cards(member=ADA, question_ids=every)] == ["q2", "q1", "q3"]
    assert await store.review_cards(member=MemberRef("test", "cy"), question_ids=every) == []
    assert [card.question_id for card in await store.review_cards(member=ADA, question_ids={"q1", "q9"})] == ["q1"]
    assert await store.review_cards(member=ADA, question_ids=()) == []


async def test_due_cards_are_counted_and_the_most_overdue_come_first_then_the_next_one(store):
    # two days ago q2 was missed (due then), q1 and q3 passed once (due yesterday); q4 passed twice now
    for question, ratings in (("q1", [Rating.EASY]), ("q2", [Rating.AGAIN]), ("q3", [Rating.GOOD])):
        for n, rating in enumerate(ratings):
            entry = review(f"quiz:{question}-{n}", rating, NOW - timedelta(days=2))
            await store.record_review(member=ADA, question_id=question, entry=entry, replay=days_per_pass)
    entries = [review("quiz:q4-1", Rating.GOOD), review("quiz:q4-2", Rating.GOOD)]
    for entry in entries:
        await store.record_review(member=ADA, question_id="q4", entry=entry, replay=days_per_pass)
    every = {"q1", "q2", "q3", "q4"}
    count, first = await store.due_reviews(member=ADA, now=NOW, question_ids=every, limit=1)
    assert count == 3 and [card.question_id for card in first] == ["q2"]
    count, first = await store.due_reviews(member=ADA, now=NOW, question_ids={"q3", "q4"}, limit=5)
    assert count == 1 and [card.question_id for card in first] == ["q3"]
    upcoming = await store.next_review(member=ADA, after=NOW, question_ids=every)
    assert upcoming is not None and upcoming.question_id == "q4"
    assert await store.next_review(member=ADA, after=NOW, question_ids={"q1"}) is None
    assert await store.due_reviews(member=BOB, now=NOW, question_ids=every, limit=1) == (0, [])


async def test_a_replay_that_fails_stores_nothing(store):
    def broken(history: list[ReviewEntry]) -> Memory:
        raise ValueError("no")

    with pytest.raises(Exception, match="no"):
        await store.record_review(member=ADA, question_id="q1", entry=review("quiz:1", Rating.GOOD), replay=broken)
    assert await store.review_history(member=ADA, question_id="q1") == []
    assert await store.review_cards(member=ADA, question_ids={"q1"}) == []


async def test_cards_and_reviews_survive_a_restart(tmp_path):
    fsrs = FsrsScheduler()
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        card = await store.record_review(
            member=ADA, question_id="q1", entry=review("quiz:1", Rating.GOOD), replay=fsrs.replay
        )
    async with await SqliteStore.open(tmp_path / "s.db") as reopened:
        assert await reopened.review_cards(member=ADA, question_ids={"q1"}) == [card]
        assert await reopened.review_history(member=ADA, question_id="q1") == [review("quiz:1", Rating.GOOD)]


async def test_a_members_goal_is_set_replaced_and_dropped(store):
    assert await store.get_goal(member=ADA) is None
    await store.save_goal(Goal(ADA, date(2027, 1, 15), ("statistics", "probability")))
    await store.save_goal(Goal(BOB, date(2027, 3, 1)))
    assert await store.get_goal(member=ADA) == Goal(ADA, date(2027, 1, 15), ("statistics", "probability"))
    await store.save_goal(Goal(ADA, date(2027, 2, 1)))
    assert await store.get_goal(member=ADA) == Goal(ADA, date(2027, 2, 1))
    assert await store.drop_goal(member=ADA) and not await store.drop_goal(member=ADA)
    assert await store.get_goal(member=ADA) is None and await store.get_goal(member=BOB) == Goal(BOB, date(2027, 3, 1))
