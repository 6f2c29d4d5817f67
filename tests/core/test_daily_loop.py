"""The daily loop through the core on a real SQLite file: post, answer, react, rank."""

from __future__ import annotations

from datetime import timedelta

from bot.core.commands import parse_command
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.records import Period
from bot.core.refs import Actor, ChannelRef, Member, MemberRef
from bot.core.style import TextStyle
from bot.core.usecases.answers import Verdict

CHANNEL = ChannelRef("test", "guild-1", "chan-1")
STYLE = TextStyle()
LONG = "Covariance is unscaled; correlation divides by both standard deviations."


def member(name: str, *, bot: bool = False) -> Member:
    return Member(MemberRef("test", f"id-{name}"), name, is_bot=bot)


def mod() -> Actor:
    return Actor(member("mod"), CHANNEL, is_moderator=True)


async def run(group, actor, line):  # type: ignore[no-untyped-def]
    return await group.handle(actor, parse_command(line), STYLE)


async def setup_and_post(group, clock):  # type: ignore[no-untyped-def]
    response = await run(group, mod(), "/qotd setup time:09:00 tz:Europe/Berlin")
    assert response.ok, response.text
    clock.set(clock.now().replace(hour=8, minute=1))  # 09:01 in Berlin
    return await group.post_if_due(await group.context.store.get_channel(CHANNEL))


async def test_scheduled_post_is_made_once_and_scores_answers(group, platform, clock):
    result = await setup_and_post(group, clock)
    assert result.outcome == "posted"
    again = await group.post_if_due(await group.context.store.get_channel(CHANNEL))
    assert again.outcome == "already-posted"
    assert len(platform.posts) == 1
    thread = result.post.thread

    def reply(name: str, text: str, message_id: str, minutes: int = 5) -> Reply:
        return Reply(thread, message_id, member(name), text, clock.now() + timedelta(minutes=minutes))

    assert (await group.on_reply(reply("ada", LONG, "m1"))).verdict is Verdict.SCORED
    assert (await group.on_reply(reply("ada", LONG, "m1"))).verdict is Verdict.DUPLICATE
    assert (await group.on_reply(reply("bob", "too short", "m2"))).verdict is Verdict.TOO_SHORT
    assert (await group.on_reply(reply("bob", LONG, "m3"))).verdict is Verdict.SCORED
    assert (await group.on_reply(reply("ada", LONG + " more", "m4"))).verdict is Verdict.ALREADY_ANSWERED
    assert (await group.on_reply(reply("cyd", LONG, "m5"))).verdict is Verdict.SCORED
    bot_reply = Reply(thread, "m6", member("helper", bot=True), LONG, clock.now())
    assert (await group.on_reply(bot_reply)).verdict is Verdict.BOT

    # bob's and cyd's upvotes on ada's answer, ada's own upvote ignored, a moderator marks cyd's best
    for who in ("bob", "cyd", "ada"):
        await group.on_reaction(ReactionChanged("test", "m1", member(who), "👍", added=True))
    await group.on_reaction(ReactionChanged("test", "m5", member("bob"), "✅", added=True))  # not a moderator
    await group.on_reaction(ReactionChanged("test", "m5", member("mod"), "✅", added=True, reactor_is_moderator=True))
    await group.on_edit(ReplyEdited("test", "m3", member("bob"), "edited text", clock.now(), thread))
    await group.on_delete(ReplyDeleted("test", "m3"))

    board = await group.standings.leaderboard(CHANNEL, MemberRef("test", "id-bob"), period=Period.ALL)
    points = {entry.display_name: entry.points for entry in board.standings}
    # ada: 10 + 5 (first) + 2*2 upvotes = 19; cyd: 10 + 1 (third) + 15 best = 26; bob deleted his answer
    assert points == {"cyd": 26, "ada": 19}
    assert board.own is None


async def test_now_twice_links_the_existing_post(group, platform):
    await run(group, mod(), "/qotd setup time:09:00")
    first = await run(group, mod(), "/qotd now")
    second = await run(group, mod(), "/qotd now")
    assert first.text.startswith("Posted today's question")
    assert second.text.startswith("Today's question is already posted") and second.link == first.link
    assert len(platform.posts) == 1


async def test_member_cannot_run_moderator_commands(group):
    response = await run(group, Actor(member("eve"), CHANNEL), "/qotd setup time:10:00")
    assert not response.ok and "moderators" in response.text


async def test_bad_setup_input_gets_clear_errors(group):
    bad_tz = await run(group, mod(), "/qotd setup timezone:Mars/Olympus")
    assert "IANA" in bad_tz.text
    bad_topic = await run(group, mod(), "/qotd setup topics:astrology")
    assert "Unknown topic astrology" in bad_topic.text and "statistics" in bad_topic.text
    bad_days = await run(group, mod(), "/qotd setup days:funday")
    assert "not a weekday" in bad_days.text
    assert await group.context.store.get_channel(CHANNEL) is None


async def test_after_48_hours_the_thread_gets_the_key_points_and_who_answered_once(group, platform, clock):
    result = await setup_and_post(group, clock)
    thread = result.post.thread
    await group.on_reply(Reply(thread, "a1", member("ada"), LONG, clock.now() + timedelta(minutes=1)))
    await group.on_reply(Reply(thread, "b1", member("bob"), LONG, clock.now() + timedelta(minutes=2)))
    late = Reply(thread, "c1", member("cyd"), LONG, clock.now() + timedelta(hours=49))
    clock.advance(hours=47)
    assert await group.daily.close_expired(STYLE) == []
    clock.advance(hours=2)
    assert (await group.on_reply(late)).verdict is Verdict.CLOSED
    closed = await group.daily.close_expired(STYLE)
    assert [post.id for post in closed] == [result.post.id]
    assert await group.daily.close_expired(STYLE) == []  # closed once
    [(where, text)] = platform.thread_messages
    assert where == thread
    question = group.context.question(result.post.question_id)
    assert f"Answers are closed for “{question.title}”." in text
    assert "2 answered: ada, bob." in text
    assert "1. ada: 15 pts" in text and "2. bob: 13 pts" in text
    assert all(point in text for point in question.key_points)
