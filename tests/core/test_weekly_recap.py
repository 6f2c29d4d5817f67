"""The weekly recap through the core: off until a moderator turns it on, posted once on Monday at the daily time,
with last week's podium, answers per day, the question with most answers and the best answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.core.commands import parse_command
from bot.core.records import NewAnswer, PeriodKeys
from bot.core.refs import Actor, ChannelRef, Member, MemberRef
from bot.core.style import TextStyle
from tests.support.claims import asking

CHANNEL = ChannelRef("test", "guild-1", "chan-1")
STYLE = TextStyle()
LAST_MONDAY = date(2026, 11, 16)
MONDAY_09_01 = datetime(2026, 11, 23, 9, 1, tzinfo=UTC)


def mod() -> Actor:
    return Actor(Member(MemberRef("test", "id-mod"), "mod"), CHANNEL, is_moderator=True)


async def run(group, line, actor=None):  # type: ignore[no-untyped-def]
    return await group.handle(actor or mod(), parse_command(line), STYLE)


async def ask(store, day: date, question_id: str):  # type: ignore[no-untyped-def]
    """The day's question posted (and closed) in the channel."""
    at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
    claim = await store.claim_post(channel=CHANNEL, local_date=day, now=at, choose=asking(question_id))
    post = await store.confirm_post(
        post_id=claim.post.id, message_id=f"m{day}", thread_id=f"t{day}", url=None, posted_at=at, closes_at=at
    )
    await store.mark_closed(post_id=post.id)
    return post


async def answered(store, post, name: str, points: int, *, best: bool = False) -> None:  # type: ignore[no-untyped-def]
    at = datetime.combine(post.local_date, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
    year, week, _ = post.local_date.isocalendar()
    stored = await store.record_answer(
        NewAnswer(
            post.id,
            CHANNEL,
            f"{post.id}-{name}",
            MemberRef("test", name),
            name,
            at,
            1,
            points,
            PeriodKeys(f"{year}-W{week:02d}", f"{post.local_date:%Y-%m}", 1),
        ),
        early_bonus=lambda rank: 0,
    )
    if best:
        await store.set_best_answer(answer_id=stored.id, best=True, bonus=15)


async def last_week(store) -> None:  # type: ignore[no-untyped-def]
    monday = await ask(store, LAST_MONDAY, "p-value")
    wednesday = await ask(store, LAST_MONDAY + timedelta(days=2), "bias-variance")
    await answered(store, monday, "Ada", 10, best=True)
    await answered(store, monday, "Bob @everyone", 10)
    for name in ("Ada", "Bob @everyone", "Cyd", "Dee"):
        await answered(store, wednesday, name, 10)


async def test_the_recap_is_off_until_a_moderator_turns_it_on(group, platform, clock):
    assert (await run(group, "/qotd setup time:09:00 tz:UTC days:daily")).ok
    await last_week(group.context.store)
    clock.set(MONDAY_09_01)
    await group.sweep(STYLE)
    assert platform.recaps == []
    assert "Weekly recap: off (a moderator turns it on with /qotd setup recap:on)." in (await run(group, "/qotd")).text

    member = Actor(Member(MemberRef("test", "id-bob"), "bob"), CHANNEL)
    refused = await run(group, "/qotd setup recap:on", member)
    assert not refused.ok and refused.text == "Only moderators can run /qotd setup."
    turned_on = await run(group, "/qotd setup recap:on")
    assert turned_on.text.endswith("Weekly recap: on, Mondays at 09:00 UTC.")
    await group.sweep(STYLE)
    assert len(platform.recaps) == 1


async def test_a_value_that_is_not_on_or_off_changes_nothing(group, platform, clock):
    refused = await run(group, "/qotd setup time:10:00 recap:maybe")
    assert not refused.ok and refused.text == "Recap 'maybe' is not on or off: write recap:on or recap:off"
    assert await group.context.store.get_channel(CHANNEL) is None


async def test_monday_at_the_daily_time_last_week_is_recapped_once(group, platform, clock):
    assert (await run(group, "/qotd setup time:09:00 tz:UTC days:daily recap:on")).ok
    await last_week(group.context.store)
    clock.set(MONDAY_09_01 - timedelta(minutes=2))  # before the daily time
    await group.sweep(STYLE)
    assert platform.recaps == []
    clock.set(MONDAY_09_01)
    await group.sweep(STYLE)
    await group.sweep(STYLE)
    [(channel, recap, key)] = platform.recaps
    assert channel == CHANNEL and key == "studybot-recap-chan-1-2026-11-16"
    assert recap.text.splitlines() == [
        "Weekly recap · Mon 16 Nov – Sun 22 Nov",
        "Podium: 🥇 Ada 35 pts · 🥈 Bob @\u200beveryone 20 pts · 🥉 Cyd 10 pts",
        "Answers by day: Mon 2 · Tue – · Wed 4 · Thu – · Fri – · Sat – · Sun – (–: no question)",
        "Most answers: “Bias Variance” (Wed, 4 answers)",
        "Best answers ✅: Mon “P Value”: Ada",
    ]
    assert recap.picture is None  # no renderer: the text says it all


async def test_a_recap_not_made_within_the_grace_window_is_not_made_up_later(group, platform, clock):
    assert (await run(group, "/qotd setup time:09:00 tz:UTC days:daily recap:on")).ok
    await last_week(group.context.store)
    clock.set(MONDAY_09_01 + group.context.policy.grace)
    await group.sweep(STYLE)
    assert platform.recaps == []


async def test_a_week_without_answers_gets_a_short_recap_and_one_without_questions_none(group, platform, clock):
    assert (await run(group, "/qotd setup time:09:00 tz:UTC days:tue recap:on")).ok
    await ask(group.context.store, LAST_MONDAY + timedelta(days=1), "p-value")
    clock.set(MONDAY_09_01)
    await group.sweep(STYLE)
    [(_, recap, _)] = platform.recaps
    assert recap.text.splitlines() == [
        "Weekly recap · Mon 16 Nov – Sun 22 Nov",
        "Answers by day: Mon – · Tue 0 · Wed – · Thu – · Fri – · Sat – · Sun – (–: no question)",
        "Nobody answered last week. A new week starts today: answer its first question to open the podium.",
    ]
    clock.set(MONDAY_09_01 + timedelta(weeks=1))  # no question was posted in the week since
    await group.sweep(STYLE)
    await group.sweep(STYLE)
    assert len(platform.recaps) == 1


async def test_a_paused_channel_gets_no_recap_and_a_channel_that_refuses_gets_it_on_the_next_sweep(
    group, platform, clock
):
    assert (await run(group, "/qotd setup time:09:00 tz:UTC days:daily recap:on")).ok
    await last_week(group.context.store)
    assert (await run(group, "/qotd pause")).ok
    clock.set(MONDAY_09_01)
    await group.sweep(STYLE)
    assert platform.recaps == []
    assert (await run(group, "/qotd resume")).ok
    platform.unavailable.add(CHANNEL.channel_id)
    await group.sweep(STYLE)
    assert platform.recaps == []
    platform.unavailable.clear()
    await group.sweep(STYLE)
    assert len(platform.recaps) == 1


def test_the_recap_is_due_from_mondays_daily_time_in_the_channels_timezone_until_the_grace_window_ends():
    from bot.core.schedule import Schedule
    from bot.core.usecases.recaps import due_week

    new_york = Schedule(at=datetime.min.time().replace(hour=9), timezone="America/New_York", days=("tue",))
    grace = timedelta(hours=4)
    monday_9am = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York (EST)
    assert due_week(new_york, monday_9am - timedelta(minutes=1), grace) is None
    assert due_week(new_york, monday_9am, grace) == LAST_MONDAY  # a Monday without a question still gets it
    assert due_week(new_york, monday_9am + grace, grace) == LAST_MONDAY
    assert due_week(new_york, monday_9am + grace + timedelta(minutes=1), grace) is None
    assert due_week(new_york, monday_9am + timedelta(days=1), grace) is None  # Tuesday
