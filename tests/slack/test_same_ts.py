"""Slack's message ts is unique only within its channel: two channels of one workspace, and two workspaces with
the same channel id, get daily posts and replies with the same ts, and each is kept and scored in its own channel."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp

from bot.adapters.slack.adapter import SlackAdapter
from bot.app import App
from bot.core.clock import FixedClock
from bot.core.records import AnswerRecord
from bot.core.usecases.daily import Outcome
from tests.fakes.slack import FakeSlack
from tests.fakes.slack.fake import Delivery
from tests.slack.helpers import T, command, question_posts, stored_id
from tests.slack.many_workspaces import install, many_workspaces_settings, serving, two_workspaces

ANSWER = "Covariance keeps the units of both variables; correlation divides by both standard deviations."


async def outcome_of(bot: App, delivery: Delivery) -> str:
    assert isinstance(bot.adapter, SlackAdapter)
    [found] = await bot.adapter.background.wait_for(lambda h: h.event_id == delivery.event_id, timeout=T)
    return found.outcome


async def stored_answers(bot: App, places: list[tuple[FakeSlack, Any, Any]], ts: str) -> list[AnswerRecord]:
    """The answer the bot keeps for the message `ts` in each of `places`."""
    assert bot.store is not None
    found = []
    for workspace, channel, _ in places:
        answer = await bot.store.answer_by_message(platform="slack", message_id=stored_id(workspace, channel, ts))
        assert answer is not None
        found.append(answer)
    return found


async def test_posts_replies_reactions_edits_and_deletions_with_the_same_ts_count_in_their_own_channel_only(
    tmp_path, clock: FixedClock, bank
):
    async with two_workspaces(clock, same_ts=True) as (slack, one, two):
        study = one.add_channel("study")
        places = [(one, one.general, one.alice), (one, study, one.bob), (two, two.general, two.alice)]
        settings = many_workspaces_settings(slack, tmp_path / "many.db")
        async with App(settings, clock=clock, bank=bank, schedule=False) as bot, aiohttp.ClientSession() as browser:
            assert isinstance(bot.adapter, SlackAdapter) and bot.adapter.http_port and bot.store is not None
            bot_url = serving(slack, bot.adapter.http_port)
            for workspace in (one, two):
                await install(browser, bot_url, workspace)
            for workspace, channel, _ in places:
                await command(workspace, workspace.admin, channel, "/qotd setup time:09:00 tz:UTC")
            clock.set(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC))
            results = await bot.group.sweep(bot.adapter.style)
            assert [result.outcome for result in results] == [Outcome.POSTED] * 3
            questions = [question_posts(workspace, channel)[0] for workspace, channel, _ in places]
            assert len({question.ts for question in questions}) == 1  # Slack gave all three the same ts

            replies = []
            for (workspace, channel, member), question in zip(places, questions, strict=True):
                replies.append(await workspace.user_message(channel, member, ANSWER, thread_ts=question.ts))
            assert len(set(replies)) == 1  # and the first reply in each thread the same ts again
            handled = await bot.adapter.background.wait_for(
                lambda h: h.kind == "reply" and h.key == replies[0], count=3, timeout=T
            )
            assert [entry.outcome for entry in handled] == ["scored"] * 3

            upvote = await one.user_react(one.general, replies[0], one.bob, "+1")
            assert await outcome_of(bot, upvote) == "scored"
            answers = await stored_answers(bot, places, replies[0])
            assert [answer.member.user_id for answer in answers] == [member.id for _, _, member in places]
            points = [answer.points for answer in answers]
            assert points[0] > points[1] == points[2]  # the upvote counted in #general of the first workspace only

            boards = [
                (await command(workspace, workspace.owner, channel, "/leaderboard period:all scope:channel")).body[
                    "text"
                ]
                for workspace, channel, _ in places
            ]
            assert "Alice" in boards[0] and "Bob" not in boards[0] and "Zoe" not in boards[0]
            assert "Bob" in boards[1] and "Alice" not in boards[1]
            assert "Zoe" in boards[2] and "Alice" not in boards[2] and "Bob" not in boards[2]

            # an edit in one thread and a deletion in another take only their own channel's answer out
            assert await outcome_of(bot, await two.user_edit(two.general, replies[0], "ok")) == "removed"
            assert await outcome_of(bot, await one.user_delete(study, replies[0])) == "removed"
            answers = await stored_answers(bot, places, replies[0])
            assert [answer.deleted for answer in answers] == [False, True, True]
            assert answers[0].points == points[0]
