"""`LeaderboardStore`: seasons, and leaderboards that count every answer the moment it is stored."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.core.records import PeriodKeys, Standing
from bot.core.refs import MemberRef, ServerRef
from tests.contracts.conftest import CHANNEL, NOW, OTHER_CHANNEL, answer, no_bonus, posted


def board(standings: Sequence[Standing]) -> list[tuple[int, str, int, int]]:
    return [(s.rank, s.display_name, s.points, s.answers) for s in standings]


async def test_a_season_starts_at_one_and_a_new_one_is_current_at_once(store):
    server = CHANNEL.server
    first = await store.current_season(server=server, now=NOW)
    assert (first.number, first.started_at) == (1, NOW)
    started = await store.start_season(server=server, now=NOW + timedelta(days=1))
    assert started.number == 2
    assert (await store.current_season(server=server, now=NOW)).number == 2
    assert (await store.current_season(server=ServerRef("test", "elsewhere"), now=NOW)).number == 1


async def test_leaderboards_rank_by_points_then_earlier_last_answer(store):
    post = await posted(store)
    await store.record_answer(answer(post, "m1", "bob", at=NOW + timedelta(minutes=2)), early_bonus=no_bonus)
    await store.record_answer(answer(post, "m2", "ada", at=NOW + timedelta(minutes=1)), early_bonus=no_bonus)
    await store.record_answer(answer(post, "m3", "cy", at=NOW, points=12), early_bonus=no_bonus)
    for scope in (CHANNEL, CHANNEL.server):
        top = await store.top_members(scope=scope, period="all", period_key="all", limit=10)
        assert board(top) == [(1, "Cy", 12, 1), (2, "Ada", 10, 1), (3, "Bob", 10, 1)]
    assert board(await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=2)) == [
        (1, "Cy", 12, 1),
        (2, "Ada", 10, 1),
    ]


async def test_own_rank_among_members_tied_on_points_follows_the_tie_break(store):
    post = await posted(store)
    # the same points: the earlier last answer ranks first, then the member id when the times are equal too
    for name, minutes in (("dee", 3), ("bob", 1), ("cy", 1), ("ada", 2)):
        at = NOW + timedelta(minutes=minutes)
        await store.record_answer(answer(post, f"m-{name}", name, at=at), early_bonus=no_bonus)
    for scope in (CHANNEL, CHANNEL.server):
        ranks = {}
        for name in ("ada", "bob", "cy", "dee"):
            own = await store.member_standing(
                scope=scope, period="all", period_key="all", member=MemberRef("test", name)
            )
            assert own is not None
            ranks[name] = own.rank
        assert ranks == {"bob": 1, "cy": 2, "ada": 3, "dee": 4}
        top = await store.top_members(scope=scope, period="all", period_key="all", limit=10)
        assert [s.display_name for s in top] == ["Bob", "Cy", "Ada", "Dee"]


async def test_own_rank_is_given_outside_the_top_and_not_without_points(store):
    post = await posted(store)
    for n in range(5):
        await store.record_answer(answer(post, f"m{n}", f"u{n}", points=20 - n), early_bonus=no_bonus)
    own = await store.member_standing(scope=CHANNEL, period="all", period_key="all", member=MemberRef("test", "u4"))
    assert own is not None and (own.rank, own.points, own.answers) == (5, 16, 1)
    nobody = MemberRef("test", "nobody")
    assert await store.member_standing(scope=CHANNEL, period="all", period_key="all", member=nobody) is None


async def test_every_change_of_points_shows_at_once_on_every_period_and_scope(store):
    post = await posted(store)
    other = await posted(store, channel=OTHER_CHANNEL, thread="t-other")
    stored = await store.record_answer(answer(post, "m1", "ada"), early_bonus=no_bonus)
    await store.record_answer(answer(other, "m2", "ada", points=5), early_bonus=no_bonus)
    assert stored is not None
    periods = (("week", "2026-W48"), ("month", "2026-11"), ("season", "1"), ("all", "all"))
    for period, key in periods:
        assert board(await store.top_members(scope=CHANNEL, period=period, period_key=key, limit=5)) == [
            (1, "Ada", 10, 1)
        ]
        assert board(await store.top_members(scope=CHANNEL.server, period=period, period_key=key, limit=5)) == [
            (1, "Ada", 15, 2)
        ]
    assert await store.top_members(scope=CHANNEL, period="week", period_key="2026-W47", limit=5) == []
    await store.set_best_answer(answer_id=stored.id, best=True, bonus=15)
    assert board(await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)) == [(1, "Ada", 25, 1)]
    await store.delete_answer(answer_id=stored.id)
    assert await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5) == []  # points only
    assert board(await store.top_members(scope=CHANNEL.server, period="all", period_key="all", limit=5)) == [
        (1, "Ada", 5, 1)
    ]


async def test_a_new_seasons_board_holds_only_its_own_answers(store):
    first = await posted(store)
    second = await posted(store, day=first.local_date + timedelta(days=1), thread="t1")
    await store.record_answer(answer(first, "m1", "ada"), early_bonus=no_bonus)
    await store.record_answer(
        answer(second, "m2", "bob", keys=PeriodKeys("2026-W48", "2026-11", 2), points=7), early_bonus=no_bonus
    )
    season_2 = await store.top_members(scope=CHANNEL, period="season", period_key="2", limit=5)
    assert board(season_2) == [(1, "Bob", 7, 1)]


async def test_a_members_answers_are_listed_by_day_across_the_server(store):
    first = await posted(store)
    other = await posted(store, channel=OTHER_CHANNEL, day=first.local_date - timedelta(days=1), thread="t-o")
    await store.record_answer(answer(first, "m1", "ada"), early_bonus=no_bonus)
    await store.record_answer(answer(other, "m2", "ada", points=7), early_bonus=no_bonus)
    found = await store.member_answers(scope=CHANNEL, member=MemberRef("test", "ada"))
    assert [(a.local_date, a.points, a.channel) for a in found] == [
        (other.local_date, 7, OTHER_CHANNEL),
        (first.local_date, 10, CHANNEL),
    ]


async def test_a_members_answers_carry_their_bonuses_and_leave_deleted_ones_out(store):
    first = await posted(store)
    second = await posted(store, day=first.local_date + timedelta(days=1), thread="t-2")
    kept = await store.record_answer(answer(first, "m1", "ada"), early_bonus=no_bonus)
    gone = await store.record_answer(answer(second, "m2", "ada"), early_bonus=no_bonus)
    await store.set_best_answer(answer_id=kept.id, best=True, bonus=15)
    await store.set_reaction(
        answer_id=kept.id, reactor=MemberRef("test", "bob"), emoji="👍", present=True, bonus_for=lambda count: 2
    )
    await store.delete_answer(answer_id=gone.id)
    found = await store.member_answers(scope=CHANNEL.server, member=MemberRef("test", "ada"))
    assert [(a.local_date, a.points, a.channel) for a in found] == [(first.local_date, 27, CHANNEL)]
