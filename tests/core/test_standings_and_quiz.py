"""Streaks, leaderboards with the asker's own rank, seasons, and quizzes kept off the leaderboard."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from bot.core.events import Reply
from bot.core.questions import Answer
from bot.core.records import Period
from bot.core.refs import Actor, ChannelRef
from bot.core.usecases.standings import streaks
from bot.grading import AnswerGrader
from tests.core.test_daily_loop import CHANNEL, LONG, member, mod, run


def test_streaks_count_consecutive_questions_and_spare_the_open_one():
    days = [date(2026, 11, d) for d in (20, 19, 18, 17, 16)]  # newest first
    assert streaks(days, {date(2026, 11, d) for d in (19, 18, 17)}) == (3, 3)  # today's still open
    assert streaks(days, {date(2026, 11, d) for d in (20, 18, 17, 16)}) == (1, 3)


def test_grading_accepts_every_form_of_the_same_number():
    answer = Answer(value=32 / 33, tolerance=0.0005, accepted=("32/33",), explanation="Bayes")
    assert all(AnswerGrader().grade(answer, text).correct for text in ("0.9697", "32/33", "96.97%", "≈ 0.97"))
    assert not any(AnswerGrader().grade(answer, text).correct for text in ("0.5", "1/2", "ninety", ""))


async def answer_days(group, clock, names_by_day):  # type: ignore[no-untyped-def]
    await run(group, mod(), "/qotd setup time:09:00 tz:UTC days:daily")
    for offset, names in enumerate(names_by_day):
        clock.set(datetime(2026, 11, 2, 9, 1, tzinfo=UTC) + timedelta(days=offset))
        result = await group.post_if_due(await group.context.store.get_channel(CHANNEL))
        for index, name in enumerate(names):
            await group.on_reply(
                Reply(
                    result.post.thread,
                    f"d{offset}-{name}",
                    member(name),
                    LONG,
                    clock.now() + timedelta(minutes=index + 1),
                )
            )


async def test_seventh_day_in_a_row_earns_the_streak_bonus(group, clock):
    await answer_days(group, clock, [["ada"]] * 7)
    stats = await group.standings.stats(CHANNEL, member("ada").ref)
    assert stats.current_streak == 7 and stats.best_streak == 7
    assert stats.points == 7 * (10 + 5) + 5  # answer + first-answer bonus each day, +5 on day 7
    assert stats.answers == 7


async def test_leaderboard_ranks_by_points_then_earlier_last_answer_and_shows_own_rank(group, clock):
    names = [f"m{i:02d}" for i in range(12)]
    await answer_days(group, clock, [names])
    board = await group.standings.leaderboard(CHANNEL, member("m11").ref, period=Period.ALL, limit=3)
    assert [(s.display_name, s.points) for s in board.standings] == [("m00", 15), ("m01", 13), ("m02", 11)]
    assert board.own is not None and board.own.rank == 12 and board.own.display_name == "m11"
    # m03..m11 tie on 10 points: the earlier answer ranks first
    full = await group.standings.leaderboard(CHANNEL, None, period=Period.WEEK, limit=12)
    assert [s.display_name for s in full.standings] == names


async def test_new_season_starts_from_zero_but_all_time_keeps_points(group, clock):
    await answer_days(group, clock, [["ada"]])
    text = (await run(group, mod(), "/qotd season")).text
    assert "Season 2" in text
    season = await run(group, Actor(member("ada"), CHANNEL), "/leaderboard period:season")
    all_time = await run(group, Actor(member("ada"), CHANNEL), "/leaderboard period:all")
    assert "No points yet" in season.text and "ada: 15 pts" in all_time.text


async def test_server_leaderboard_adds_up_channels(group, clock):
    await answer_days(group, clock, [["ada"]])
    other = ChannelRef("test", "guild-1", "chan-2")
    await run(group, Actor(mod().member, other, True), "/qotd setup time:10:00 tz:UTC days:daily")
    clock.advance(hours=1)
    post = (await group.post_if_due(await group.context.store.get_channel(other))).post
    await group.on_reply(Reply(post.thread, "x1", member("ada"), LONG, clock.now() + timedelta(minutes=5)))
    server = await run(group, Actor(member("ada"), CHANNEL), "/leaderboard scope:server period:all")
    assert "ada: 30 pts (2 answers)" in server.text


async def test_quiz_hint_reveal_grade_and_stay_off_the_leaderboard(group):
    ada = Actor(member("ada"), CHANNEL)
    card = await run(group, ada, "/quiz topic:probability difficulty:easy")
    assert "Clock Hands" in card.text and card.private
    assert [a.label for a in card.actions] == ["Hint", "Answer", "Reveal"]
    hint = await group.press(ada, card.actions[0].id, "", group_style())
    assert "hour hand" in hint.text
    wrong = await group.press(ada, card.actions[1].id, "90", group_style())
    assert "Not quite" in wrong.text and "7.5" in wrong.text
    right = await run(group, ada, "/quiz answer 15/2")
    assert right.text.startswith("✅")
    stolen = await group.press(Actor(member("bob"), CHANNEL), card.actions[2].id, "", group_style())
    assert not stolen.ok and "someone else" in stolen.text
    board = await run(group, ada, "/leaderboard period:all")
    assert "No points yet" in board.text


async def test_quiz_rejects_unknown_topic_with_the_choices(group):
    response = await run(group, Actor(member("ada"), CHANNEL), "/quiz topic:astrology")
    assert not response.ok and "probability" in response.text


def group_style():  # type: ignore[no-untyped-def]
    from bot.core.style import TextStyle

    return TextStyle()


async def test_concurrent_answers_rank_by_when_they_were_sent_not_when_they_were_stored(group, clock):
    await run(group, mod(), "/qotd setup time:09:00 tz:UTC days:daily")
    clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))
    posted = await group.post_if_due(await group.context.store.get_channel(CHANNEL))
    names = [f"m{n:02d}" for n in range(24)]
    sent = {name: clock.now() + timedelta(seconds=(n * 7) % 24) for n, name in enumerate(names)}  # arrive shuffled
    await asyncio.gather(
        *(group.on_reply(Reply(posted.post.thread, f"msg-{name}", member(name), LONG, sent[name])) for name in names)
    )
    stored = await group.context.store.answers_for_post(post_id=posted.post.id)
    by_time = sorted(stored, key=lambda pair: pair[0].answered_at)
    assert [record.rank for record, _ in by_time] == list(range(1, 25))
    assert [record.points for record, _ in by_time][:4] == [15, 13, 11, 10]
    board = await group.standings.leaderboard(CHANNEL, None, period=Period.ALL)
    assert [s.points for s in board.standings][:3] == [15, 13, 11]
