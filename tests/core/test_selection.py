"""Choosing the daily question: every eligible question once per cycle, in an order of the channel's own."""

from __future__ import annotations

from bot.core.selection import Rotation, choose_daily
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
