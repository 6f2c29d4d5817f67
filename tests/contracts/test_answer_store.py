"""`AnswerStore`: each answer scored once, each event whole, ranks by arrival, streaks by posted day."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.core.refs import MemberRef
from tests.contracts.conftest import CHANNEL, TODAY, answer, posted

ADA, BOB = MemberRef("test", "ada"), MemberRef("test", "bob")


def ten(rank: int) -> int:
    return 10 + {1: 5, 2: 3, 3: 1}.get(rank, 0)


async def test_a_message_scores_once_and_a_member_answers_a_question_once(store):
    post = await posted(store)
    first = await store.record_answer(answer(post, "m1", "ada"), points_for_rank=ten)
    assert first is not None and (first.rank, first.points, first.member) == (1, 15, ADA)
    assert await store.record_answer(answer(post, "m1", "ada"), points_for_rank=ten) is None  # delivered twice
    assert await store.record_answer(answer(post, "m2", "ada"), points_for_rank=ten) is None  # a second reply
    second = await store.record_answer(answer(post, "m3", "bob"), points_for_rank=ten)
    assert second is not None and (second.rank, second.points) == (2, 13)
    assert await store.answer_by_message(platform="test", message_id="m3") == second
    assert await store.existing_answer(post_id=post.id, member=ADA, message_id="m9") == first
    assert await store.existing_answer(post_id=post.id, member=BOB, message_id="m1") == first
    assert [(record.message_id, name) for record, name in await store.answers_for_post(post_id=post.id)] == [
        ("m1", "Ada"),
        ("m3", "Bob"),
    ]


async def test_an_answer_to_a_post_that_does_not_exist_is_not_stored(store):
    post = await posted(store)
    ghost = replace(answer(post, "m1", "ada"), post_id=post.id + 99)
    assert await store.record_answer(ghost, points_for_rank=ten) is None
    assert await store.answer_by_message(platform="test", message_id="m1") is None


async def test_a_deleted_answer_loses_its_points_and_never_promotes_a_later_one(store):
    post = await posted(store)
    first = await store.record_answer(answer(post, "m1", "ada"), points_for_rank=ten)
    assert first is not None
    removed = await store.delete_answer(answer_id=first.id)
    assert removed is not None and removed.deleted and removed.points == 0
    later = await store.record_answer(answer(post, "m2", "bob"), points_for_rank=ten)
    assert later is not None and later.rank == 2
    again = await store.record_answer(answer(post, "m3", "ada"), points_for_rank=ten)  # may answer anew
    assert again is not None and again.rank == 3


async def test_a_reaction_and_its_bonus_are_one_step(store):
    post = await posted(store)
    stored = await store.record_answer(answer(post, "m1", "ada"), points_for_rank=ten)
    assert stored is not None

    def bonus(reactors: int) -> int:
        return min(10, 2 * reactors)

    for n in range(3):
        count = await store.set_reaction(
            answer_id=stored.id, reactor=MemberRef("test", f"u{n}"), emoji="upvote", present=True, bonus_for=bonus
        )
        assert count == n + 1
    same = await store.set_reaction(
        answer_id=stored.id, reactor=MemberRef("test", "u0"), emoji="upvote", present=True, bonus_for=bonus
    )
    assert same == 3  # one member counts once
    after = await store.answer_by_message(platform="test", message_id="m1")
    assert after is not None and (after.reaction_bonus, after.points) == (6, 21)
    await store.set_reaction(
        answer_id=stored.id, reactor=MemberRef("test", "u1"), emoji="upvote", present=False, bonus_for=bonus
    )
    after = await store.answer_by_message(platform="test", message_id="m1")
    assert after is not None and after.points == 19


async def test_one_best_answer_per_question_and_a_second_mark_moves_it(store):
    post = await posted(store)
    first = await store.record_answer(answer(post, "m1", "ada"), points_for_rank=ten)
    second = await store.record_answer(answer(post, "m2", "bob"), points_for_rank=ten)
    assert first is not None and second is not None
    assert await store.set_best_answer(answer_id=first.id, best=True, bonus=15)
    assert await store.set_best_answer(answer_id=second.id, best=True, bonus=15)
    ada = await store.answer_by_message(platform="test", message_id="m1")
    bob = await store.answer_by_message(platform="test", message_id="m2")
    assert ada is not None and bob is not None
    assert (ada.best, ada.points, bob.best, bob.points) == (False, 15, True, 28)
    assert await store.set_best_answer(answer_id=second.id, best=False, bonus=15)
    bob = await store.answer_by_message(platform="test", message_id="m2")
    assert bob is not None and (bob.best, bob.points) == (False, 13)


async def test_answered_in_a_row_counts_back_to_the_first_day_missed(store):
    days = [TODAY - timedelta(days=n) for n in range(4, -1, -1)]  # four days ago .. today
    posts = [await posted(store, day=day, thread=f"t{n}") for n, day in enumerate(days)]
    for n in (0, 2, 3):  # ada missed the day three days ago
        await store.record_answer(answer(posts[n], f"m{n}", "ada"), points_for_rank=ten)
    assert await store.answered_in_a_row(channel=CHANNEL, member=ADA, before=TODAY, limit=100) == 2
    assert await store.answered_in_a_row(channel=CHANNEL, member=ADA, before=TODAY, limit=1) == 1
    assert await store.answered_in_a_row(channel=CHANNEL, member=BOB, before=TODAY, limit=100) == 0
