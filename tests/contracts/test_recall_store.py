"""`RecallStore`: how well members recall each topic now, read as aggregates, the same as fsrs's own retrievability."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.recall import TopicMap
from bot.core.refs import MemberRef
from bot.core.review_cards import Rating, ReviewEntry
from bot.review.fsrs_scheduler import FsrsScheduler
from tests.conftest import make_question
from tests.contracts.conftest import NOW, OTHER_CHANNEL, answer, no_bonus, posted

ADA = MemberRef("test", "ada")
BOB = MemberRef("test", "bob")
CAROL = MemberRef("test", "carol")
SCHEDULER = FsrsScheduler()
CURVE = SCHEDULER.forgetting_curve()
TOPICS = TopicMap.of(
    [
        make_question("stat-1", topic="statistics"),
        make_question("stat-2", topic="statistics"),
        make_question("prob-1", topic="probability"),
    ]
)
LATER = NOW + timedelta(days=9, hours=5)


async def review(store, member, question_id, *ratings):  # type: ignore[no-untyped-def]
    """Reviews a day apart, from ten days before NOW; the card as the real schedule replays them."""
    card = None
    for number, rating in enumerate(ratings):
        entry = ReviewEntry(f"quiz:{member.user_id}:{question_id}:{number}", rating, NOW + timedelta(days=number))
        card = await store.record_review(member=member, question_id=question_id, entry=entry, replay=SCHEDULER.replay)
    return card


def fsrs_recall(*cards):  # type: ignore[no-untyped-def]
    return sum(SCHEDULER.retrievability([card.memory for card in cards], LATER)) / len(cards)


async def test_a_members_recall_by_topic_is_the_fsrs_retrievability_of_their_cards(store):
    missed = await review(store, ADA, "stat-1", Rating.AGAIN)
    known = await review(store, ADA, "stat-2", Rating.GOOD, Rating.GOOD)
    guessed = await review(store, ADA, "prob-1", Rating.HARD)
    await review(store, ADA, "left-the-bank", Rating.EASY)
    await review(store, BOB, "prob-1", Rating.AGAIN)

    found = await store.member_recall(member=ADA, topics=TOPICS, now=LATER, curve=CURVE)

    assert [(each.topic, each.cards) for each in found] == [("probability", 1), ("statistics", 2)]
    probability, statistics = found
    assert probability.recall == pytest.approx(fsrs_recall(guessed), abs=1e-9)
    assert statistics.recall == pytest.approx(fsrs_recall(missed, known), abs=1e-9)
    assert 0 < statistics.recall < 1
    due_by_then = sorted(card.due for card in (missed, known) if card.due <= LATER)
    assert statistics.due == len(due_by_then)
    not_due = [card.due for card in (missed, known) if card.due > LATER]
    assert statistics.next_due == min(not_due, default=None)


async def test_a_member_with_no_card_has_no_recall(store):
    assert await store.member_recall(member=CAROL, topics=TOPICS, now=LATER, curve=CURVE) == []


async def test_a_channels_recall_is_over_the_cards_of_the_members_who_answered_in_it(store):
    post = await posted(store)
    await store.record_answer(answer(post, "m1", "ada"), early_bonus=no_bonus)
    await store.record_answer(answer(post, "m2", "bob"), early_bonus=no_bonus)
    elsewhere = await posted(store, channel=OTHER_CHANNEL, thread="t1")
    await store.record_answer(answer(elsewhere, "m3", "carol"), early_bonus=no_bonus)
    ada_s1 = await review(store, ADA, "stat-1", Rating.AGAIN)
    bob_s1 = await review(store, BOB, "stat-1", Rating.GOOD, Rating.EASY)
    bob_s2 = await review(store, BOB, "stat-2", Rating.GOOD)
    await review(store, CAROL, "prob-1", Rating.AGAIN)  # answered in another channel only

    found = await store.channel_recall(channel=post.channel, topics=TOPICS, now=LATER, curve=CURVE)

    assert set(found) == {"statistics"}
    assert found["statistics"] == pytest.approx(fsrs_recall(ada_s1, bob_s1, bob_s2), abs=1e-9)


async def test_a_member_whose_answer_was_deleted_no_longer_counts_for_the_channel(store):
    post = await posted(store)
    stored = await store.record_answer(answer(post, "m1", "ada"), early_bonus=no_bonus)
    await review(store, ADA, "stat-1", Rating.GOOD)
    assert set(await store.channel_recall(channel=post.channel, topics=TOPICS, now=LATER, curve=CURVE)) == {
        "statistics"
    }
    await store.delete_answer(answer_id=stored.id)
    assert await store.channel_recall(channel=post.channel, topics=TOPICS, now=LATER, curve=CURVE) == {}
