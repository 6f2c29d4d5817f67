"""`AnswerStore`: each answer scored once, each event whole, ranks by arrival, streaks by posted day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.core.ports import ReplyFacts, Store
from bot.core.records import AnswerRecord, ChannelConfig, DailyPost, NewAnswer, PeriodKeys
from bot.core.refs import MemberRef, ThreadRef
from bot.core.schedule import Schedule
from tests.contracts.conftest import CHANNEL, NOW, TODAY, answer, posted

ADA, BOB, CY = MemberRef("test", "ada"), MemberRef("test", "bob"), MemberRef("test", "cy")


async def read_facts(store: Store, post: DailyPost, read: Callable[[ReplyFacts], object]) -> object:
    """What `read` finds in the facts of a reply in the post's thread (storing nothing)."""
    assert post.thread is not None
    return (await store.record_reply(post.thread, decide=lambda facts: (read(facts),), early_bonus=early))[0]


def early(rank: int) -> int:
    return {1: 5, 2: 3, 3: 1}.get(rank, 0)


async def test_a_message_scores_once_and_a_member_answers_a_question_once(store):
    post = await posted(store)
    first = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    assert first is not None and (first.rank, first.points, first.member) == (1, 15, ADA)
    assert await store.record_answer(answer(post, "m1", "ada"), early_bonus=early) is None  # delivered twice
    assert await store.record_answer(answer(post, "m2", "ada"), early_bonus=early) is None  # a second reply
    second = await store.record_answer(answer(post, "m3", "bob"), early_bonus=early)
    assert second is not None and (second.rank, second.points) == (2, 13)
    assert await store.answer_by_message(platform="test", message_id="m3") == second
    assert await read_facts(store, post, lambda f: f.existing_answer(member=ADA, message_id="m9")) == first
    assert await read_facts(store, post, lambda f: f.existing_answer(member=BOB, message_id="m1")) == first
    assert await read_facts(store, post, lambda f: f.existing_answer(member=CY, message_id="m7")) is None
    assert [(record.message_id, name) for record, name in await store.answers_for_post(post_id=post.id)] == [
        ("m1", "Ada"),
        ("m3", "Bob"),
    ]


async def test_an_answer_to_a_post_that_does_not_exist_is_not_stored(store):
    post = await posted(store)
    ghost = replace(answer(post, "m1", "ada"), post_id=post.id + 99)
    assert await store.record_answer(ghost, early_bonus=early) is None
    assert await store.answer_by_message(platform="test", message_id="m1") is None


async def test_a_deleted_answer_loses_its_points_and_never_promotes_a_later_one(store):
    post = await posted(store)
    first = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    assert first is not None
    removed = await store.delete_answer(answer_id=first.id)
    assert removed is not None and removed.deleted and removed.points == 0
    later = await store.record_answer(answer(post, "m2", "bob"), early_bonus=early)
    assert later is not None and later.rank == 2
    again = await store.record_answer(answer(post, "m3", "ada"), early_bonus=early)  # may answer anew
    assert again is not None and again.rank == 3


async def test_a_reaction_and_its_bonus_are_one_step(store):
    post = await posted(store)
    stored = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
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
    first = await store.record_answer(answer(post, "m1", "ada"), early_bonus=early)
    second = await store.record_answer(answer(post, "m2", "bob"), early_bonus=early)
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


async def test_the_previous_streak_is_that_of_the_answer_to_the_posted_day_before(store):
    days = [TODAY - timedelta(days=n) for n in (6, 4, 3, 0)]  # posted days, with gaps between them
    posts = [await posted(store, day=day, thread=f"t{n}") for n, day in enumerate(days)]
    for n, streak in ((0, 4), (2, 5)):  # ada answered the first day and the third; not the second
        await store.record_answer(replace(answer(posts[n], f"m{n}", "ada"), streak=streak), early_bonus=early)
    gone = await store.record_answer(replace(answer(posts[2], "b2", "bob"), streak=9), early_bonus=early)
    assert gone is not None
    await store.delete_answer(answer_id=gone.id)
    assert await read_facts(store, posts[3], lambda f: f.previous_streak(member=ADA)) == 5  # days without a post
    assert await read_facts(store, posts[2], lambda f: f.previous_streak(member=ADA)) == 0  # missed the day before
    assert await read_facts(store, posts[1], lambda f: f.previous_streak(member=ADA)) == 4
    assert await read_facts(store, posts[0], lambda f: f.previous_streak(member=ADA)) == 0  # the first day
    assert await read_facts(store, posts[3], lambda f: f.previous_streak(member=BOB)) == 0  # a deleted answer


async def test_a_reply_is_judged_on_its_facts_and_stored_in_one_step(store):
    post = await posted(store)
    assert post.thread is not None
    await store.save_channel(ChannelConfig(CHANNEL, Schedule(timezone="Europe/Berlin"), name="study"))

    def decide(facts: ReplyFacts) -> NewAnswer | str:
        assert facts.post == post
        channel = facts.channel()
        assert channel is not None and channel.name == "study"
        if facts.existing_answer(member=ADA, message_id="m1") is not None:
            return "already stored"
        return replace(answer(post, "m1", "ada"), periods=PeriodKeys("2026-W48", "2026-11", facts.season(now=NOW)))

    stored = await store.record_reply(post.thread, decide=decide, early_bonus=early)
    assert isinstance(stored, AnswerRecord) and (stored.rank, stored.points) == (1, 15)
    assert await store.record_reply(post.thread, decide=decide, early_bonus=early) == "already stored"
    elsewhere = ThreadRef(CHANNEL, "not-a-question")
    assert await store.record_reply(elsewhere, decide=lambda facts: ("post", facts.post), early_bonus=early) == (
        "post",
        None,
    )
    assert (await store.current_season(server=CHANNEL.server, now=NOW)).number == 1


async def test_an_answer_ranks_by_when_it_was_sent_not_when_it_was_stored(store):
    post = await posted(store)
    late = await store.record_answer(answer(post, "m2", "bob", at=NOW + timedelta(seconds=2)), early_bonus=early)
    last = await store.record_answer(answer(post, "m3", "cy", at=NOW + timedelta(seconds=3)), early_bonus=early)
    assert late is not None and last is not None
    assert (late.rank, late.points, last.rank, last.points) == (1, 15, 2, 13)
    early_one = await store.record_answer(answer(post, "m1", "ada", at=NOW + timedelta(seconds=1)), early_bonus=early)
    assert early_one is not None and (early_one.rank, early_one.points) == (1, 15)
    ranks = [(r.message_id, r.rank, r.points) for r, _ in await store.answers_for_post(post_id=post.id)]
    assert ranks == [("m1", 1, 15), ("m2", 2, 13), ("m3", 3, 11)]
    top = await store.top_members(scope=CHANNEL.server, period="all", period_key="all", limit=5)
    assert [(s.display_name, s.points) for s in top] == [("Ada", 15), ("Bob", 13), ("Cy", 11)]


async def test_an_early_answer_read_back_late_moves_every_later_one_down_past_the_bonus_ranks_too(store):
    post = await posted(store)
    names = ("bob", "cy", "dee", "eve", "fay", "gus")
    for n, name in enumerate(names, start=2):
        await store.record_answer(answer(post, f"m{n}", name, at=NOW + timedelta(seconds=n)), early_bonus=early)
    first = await store.record_answer(answer(post, "m1", "ada", at=NOW + timedelta(seconds=1)), early_bonus=early)
    assert first is not None and (first.rank, first.points) == (1, 15)
    ranks = [(r.message_id, r.rank, r.points) for r, _ in await store.answers_for_post(post_id=post.id)]
    assert ranks == [("m1", 1, 15), ("m2", 2, 13), ("m3", 3, 11), *((f"m{n}", n, 10) for n in range(4, 8))]
    top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=10)
    assert [s.points for s in top] == [15, 13, 11, 10, 10, 10, 10]


async def test_a_deleted_answer_moved_down_keeps_off_the_leaderboard(store):
    post = await posted(store)
    gone = await store.record_answer(answer(post, "m2", "bob", at=NOW + timedelta(seconds=2)), early_bonus=early)
    assert gone is not None
    await store.delete_answer(answer_id=gone.id)
    await store.record_answer(answer(post, "m1", "ada", at=NOW + timedelta(seconds=1)), early_bonus=early)
    top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)
    assert [(s.display_name, s.points) for s in top if s.points] == [("Ada", 15)]
    bob = await store.answer_by_message(platform="test", message_id="m2")
    assert bob is not None and (bob.rank, bob.deleted, bob.points) == (2, True, 0)
