"""Choosing the daily question: every eligible question once per cycle, in an order of the channel's own."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.selection import Rotation, TopicRotations, choose_daily, choose_weighted
from tests.conftest import make_question


def pool(size: int) -> Rotation:
    return Rotation.of([make_question(f"q-{n:05d}") for n in range(size)])


def a_cycle(rotation: Rotation, seed: str) -> list[str]:
    used: list[str] = []
    while (choice := choose_daily(rotation, used=used, cycle=1, seed=seed)) is not None and choice.cycle == 1:
        used.append(choice.question.id)
    return used


def test_a_cycle_asks_every_question_once_and_then_starts_a_new_order():
    rotation = pool(257)
    first = a_cycle(rotation, "group-a")
    assert sorted(first) == sorted(q.id for q in rotation.questions)
    after = choose_daily(rotation, used=first, cycle=1, seed="group-a")
    assert after is not None and after.cycle == 2


def test_channels_with_other_seeds_see_other_orders_and_one_seed_always_the_same():
    rotation = pool(257)
    assert a_cycle(rotation, "group-a") == a_cycle(rotation, "group-a")
    assert a_cycle(rotation, "group-a")[:10] != a_cycle(rotation, "group-b")[:10]
    firsts = {choose_daily(rotation, used=(), cycle=1, seed=f"s{n}").question.id for n in range(50)}  # type: ignore[union-attr]
    assert len(firsts) > 30  # spread over the pool, not a few favourites


def test_a_question_added_to_the_bank_mid_cycle_repeats_nothing():
    small = pool(40)
    used = a_cycle(small, "g")[:25]
    grown = Rotation.of([*small.questions, *(make_question(f"new-{n}") for n in range(10))])
    rest = []
    while (choice := choose_daily(grown, used=[*used, *rest], cycle=1, seed="g")) is not None and choice.cycle == 1:
        rest.append(choice.question.id)
    assert not set(rest) & set(used) and len(used) + len(rest) == 50


def test_an_empty_pool_chooses_nothing():
    assert choose_daily(Rotation.of([]), used=(), cycle=1, seed="g") is None


def topic_pools() -> TopicRotations:
    statistics = [make_question(f"stat-{n:03d}", topic="statistics") for n in range(20)]
    return TopicRotations.of(statistics + [make_question(f"prob-{n:03d}", topic="probability") for n in range(20)])


WEIGHTS = {"statistics": 1.0, "probability": 0.2}
START = date(2027, 1, 1)


def weighted_cycle(pools: TopicRotations, seed: str) -> list[str]:
    used: list[str] = []
    for day in range(len(pools.topic_of)):
        choice = choose_weighted(pools, used=used, cycle=1, seed=seed, day=START + timedelta(days=day), weights=WEIGHTS)
        assert choice is not None and choice.cycle == 1
        used.append(choice.question.id)
    return used


def test_a_weighted_cycle_asks_every_question_once_and_the_heavier_topic_sooner():
    pools = topic_pools()
    cycles = [weighted_cycle(pools, f"group-{number}") for number in range(50)]
    assert all(sorted(cycle) == sorted(pools.topic_of) for cycle in cycles)
    # in the first half of a cycle: 10 of 20 evenly; about 15 drawn in proportion to weight times questions left
    firsts = [sum(question_id.startswith("stat") for question_id in cycle[:20]) for cycle in cycles]
    assert 14 <= sum(firsts) / len(firsts) <= 16.5
    after = choose_weighted(pools, used=cycles[0], cycle=1, seed="group-0", day=START, weights=WEIGHTS)
    assert after is not None and after.cycle == 2


def test_a_weighted_choice_is_the_same_for_the_same_seed_day_and_questions_used():
    pools = topic_pools()
    picks = {choose_weighted(pools, used={"stat-000"}, cycle=3, seed="g", day=START, weights=WEIGHTS) for _ in "abc"}
    assert len(picks) == 1
    assert weighted_cycle(pools, "g") == weighted_cycle(pools, "g") != weighted_cycle(pools, "h")
