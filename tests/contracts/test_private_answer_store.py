"""`PrivateAnswerStore` and `SelfCheckStore`: modes, kept texts and their reveal, holds in step with the
leaderboards, and self-checks."""

from __future__ import annotations

from datetime import timedelta

from bot.core.private import AnswerMode, Hold, SelfCheck
from bot.core.records import Assessment
from bot.core.refs import MemberRef
from tests.contracts.conftest import CHANNEL, NOW, OTHER_CHANNEL, answer, posted


def early(rank: int) -> int:
    return {1: 5, 2: 3, 3: 1}.get(rank, 0)


async def points_of(store, member: str) -> int:
    standing = await store.member_standing(
        scope=CHANNEL, period="all", period_key="all", member=MemberRef("test", member)
    )
    return standing.points if standing else 0


async def test_a_channel_answers_in_the_thread_until_set_private(store):
    assert await store.answer_mode(channel=CHANNEL) is AnswerMode.THREAD
    await store.set_answer_mode(channel=CHANNEL, mode=AnswerMode.PRIVATE)
    assert await store.answer_mode(channel=CHANNEL) is AnswerMode.PRIVATE
    assert await store.answer_mode(channel=OTHER_CHANNEL) is AnswerMode.THREAD
    await store.set_answer_mode(channel=CHANNEL, mode=AnswerMode.THREAD)
    assert await store.answer_mode(channel=CHANNEL) is AnswerMode.THREAD


async def test_kept_answers_come_in_the_order_sent_and_reveal_once_to_their_message(store):
    post = await posted(store)
    late = await store.record_answer(answer(post, "private-b", "bob", at=NOW + timedelta(minutes=5)), early_bonus=early)
    first = await store.record_answer(answer(post, "private-a", "ada"), early_bonus=early)
    assert late is not None and first is not None
    await store.keep_answer_text(answer_id=late.id, text="bob's first words", now=NOW)
    await store.keep_answer_text(answer_id=first.id, text="ada's words", now=NOW)
    await store.keep_answer_text(answer_id=late.id, text="bob's better words", now=NOW)
    kept = await store.kept_answers(post_id=post.id)
    assert [(k.name, k.text, k.revealed_message_id) for k in kept] == [
        ("Ada", "ada's words", None),
        ("Bob", "bob's better words", None),
    ]
    assert await store.answer_text(answer_id=first.id) == "ada's words"
    assert not await store.is_revealed(post_id=post.id)
    assert await store.claim_reveal(post_id=post.id, now=NOW)
    assert not await store.claim_reveal(post_id=post.id, now=NOW)
    assert await store.is_revealed(post_id=post.id)
    assert await store.revealed_at(answer_id=first.id) is None
    await store.move_to_revealed(answer_id=first.id, message_id="shown-1")
    assert await store.revealed_at(answer_id=first.id) == NOW
    assert await store.revealed_at(answer_id=late.id) is None  # not shown yet
    moved = await store.answer_by_message(platform="test", message_id="shown-1")
    assert moved is not None and moved.id == first.id
    assert await store.answer_by_message(platform="test", message_id="private-a") is None
    assert [k.revealed_message_id for k in await store.kept_answers(post_id=post.id)] == ["shown-1", None]


async def test_a_held_answer_leaves_the_leaderboard_and_comes_back_whole(store):
    post = await posted(store)
    stored = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    assert stored is not None and await points_of(store, "ada") == 15
    held = await store.hold(answer_id=stored.id, reason=Hold.TOO_SHORT)
    assert held is not None and held.deleted and await points_of(store, "ada") == 0
    assert await store.hold_of(answer_id=stored.id) is Hold.TOO_SHORT
    back = await store.release(answer_id=stored.id)
    assert back is not None and not back.deleted and back.points == 15 and await points_of(store, "ada") == 15
    assert await store.hold_of(answer_id=stored.id) is None


async def test_needs_more_keeps_the_answer_without_its_bonuses(store):
    post = await posted(store)
    stored = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    assert stored is not None
    await store.set_best_answer(answer_id=stored.id, best=True, bonus=15)
    assert await points_of(store, "ada") == 30
    held = await store.hold(answer_id=stored.id, reason=Hold.NEEDS_MORE)
    assert held is not None and not held.deleted and not held.best and await points_of(store, "ada") == 15


async def test_an_answer_is_not_restored_over_a_newer_live_answer(store):
    post = await posted(store)
    old = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    assert old is not None
    await store.hold(answer_id=old.id, reason=Hold.TOO_SHORT)
    newer = await store.record_answer(answer(post, "m2", "ada", at=NOW + timedelta(minutes=1)), early_bonus=early)
    assert newer is not None
    assert await store.release(answer_id=old.id) is None
    assert await store.hold_of(answer_id=old.id) is Hold.TOO_SHORT


async def test_self_checks_are_kept_per_answer(store):
    post = await posted(store)
    ada = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    bob = await store.record_answer(answer(post, "m2", "bob"), early_bonus=early)
    assert ada is not None and bob is not None
    assert await store.self_check(answer_id=ada.id) is None
    await store.save_self_check(SelfCheck(ada.id, frozenset({0, 2})), now=NOW)
    await store.save_self_check(SelfCheck(ada.id, frozenset({0}), Assessment.PARTLY), now=NOW)
    await store.save_self_check(SelfCheck(bob.id, frozenset(), Assessment.MISSED), now=NOW)
    assert await store.self_check(answer_id=ada.id) == SelfCheck(ada.id, frozenset({0}), Assessment.PARTLY)
    assert await store.self_checks(post_id=post.id) == [
        SelfCheck(ada.id, frozenset({0}), Assessment.PARTLY),
        SelfCheck(bob.id, frozenset(), Assessment.MISSED),
    ]
