"""One bot installed in two workspaces through Slack's OAuth v2 flow (slack-bolt's own), against the fake Slack:
the install page, Slack's redirect with a code, the installation kept in the bot's database, then each workspace
served with its own token, none seeing another's questions, answers or leaderboards, and an uninstall or a
revoked token ending the bot's posts there."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.adapters.slack.adapter import SlackAdapter
from bot.app import App
from bot.config import load_settings
from bot.core.clock import FixedClock
from bot.core.errors import ConfigError
from bot.core.usecases.daily import Outcome
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import T, command, question_posts, stored_id
from tests.slack.many_workspaces import (
    approve,
    come_back,
    install,
    many_workspaces_settings,
    open_install_page,
    serving,
    two_workspaces,
)

ANSWER_ONE = "Covariance keeps the units of both variables; correlation divides by both standard deviations."
ANSWER_TWO = "Correlation is covariance normalised to [-1, 1], so it is unit-free & comparable across pairs."


def posted_with(workspace: FakeSlack) -> set[str]:
    """The tokens the bot posted messages with in `workspace`."""
    return {call.token or "" for call in workspace.calls_to("chat.postMessage") if call.ok}


async def outcome_in(bot: App, ts: str) -> str:
    assert isinstance(bot.adapter, SlackAdapter)
    found = await bot.adapter.background.wait_for(lambda h: h.kind == "reply" and h.key == ts, timeout=T)
    return found[0].outcome


async def test_two_workspaces_install_through_oauth_and_never_see_each_other(tmp_path, clock: FixedClock, bank):
    async with two_workspaces(clock) as (slack, one, two):
        settings = many_workspaces_settings(slack, tmp_path / "many.db")
        async with App(settings, clock=clock, bank=bank, schedule=False) as bot, aiohttp.ClientSession() as browser:
            assert isinstance(bot.adapter, SlackAdapter) and bot.adapter.http_port
            bot_url = serving(slack, bot.adapter.http_port)

            visit = await install(browser, bot_url, one)
            assert "Thank you!" in visit.page
            assert f"client_id={slack.client_id}" in visit.authorize_url and "chat:write" in visit.authorize_url
            await install(browser, bot_url, two)
            assert [exchange["team"]["id"] for exchange in slack.exchanges] == ["T0TEAM0001", "T0TEAM0002"]
            assert bot.store is not None
            for workspace in (one, two):
                kept = await bot.store.find_install(
                    platform="slack", kind="bot", enterprise_id="", team_id=workspace.team.team_id
                )
                assert kept is not None and workspace.bot_token in kept.data

            # the same channel id in both workspaces, set up by each one's admin for 09:00 UTC
            for workspace in (one, two):
                setup = await command(workspace, workspace.admin, workspace.general, "/qotd setup time:09:00 tz:UTC")
                assert setup.body["text"].startswith("Daily question set"), setup.body
            clock.set(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC))
            results = await bot.group.sweep(bot.adapter.style)
            assert sorted(result.outcome for result in results) == [Outcome.POSTED, Outcome.POSTED]
            [question_one] = question_posts(one, one.general)
            [question_two] = question_posts(two, two.general)
            assert posted_with(one) == {one.bot_token} and posted_with(two) == {two.bot_token}
            assert question_one.user == one.team.bot_user_id and question_two.user == two.team.bot_user_id

            # an answer in each workspace scores there only
            ts_one = await one.user_message(one.general, one.alice, ANSWER_ONE, thread_ts=question_one.ts)
            assert await outcome_in(bot, ts_one) == "scored"
            ts_two = await two.user_message(two.general, two.alice, ANSWER_TWO, thread_ts=question_two.ts)
            assert await outcome_in(bot, ts_two) == "scored"
            board_one = await command(one, one.bob, one.general, "/leaderboard period:all")
            board_two = await command(two, two.bob, two.general, "/leaderboard period:all")
            assert "Alice" in board_one.body["text"] and "Zoe" not in board_one.body["text"]
            assert "Zoe" in board_two.body["text"] and "Alice" not in board_two.body["text"]
            status_two = await command(two, two.bob, two.general, "/qotd status")
            assert two.permalink(two.general.id, question_two.ts) in str(status_two.body)
            assert one.permalink(one.general.id, question_one.ts) not in str(status_two.body)
            assert slack.refused == []  # every call carried a token Slack had issued


async def test_an_uninstall_or_a_revoked_token_stops_the_posts_there_and_keeps_the_history(
    tmp_path, clock: FixedClock, bank
):
    async with two_workspaces(clock) as (slack, one, two):
        settings = many_workspaces_settings(slack, tmp_path / "many.db")
        async with App(settings, clock=clock, bank=bank, schedule=False) as bot, aiohttp.ClientSession() as browser:
            assert isinstance(bot.adapter, SlackAdapter) and bot.adapter.http_port and bot.store is not None
            bot_url = serving(slack, bot.adapter.http_port)
            for workspace in (one, two):
                await install(browser, bot_url, workspace)
                await command(workspace, workspace.admin, workspace.general, "/qotd setup time:09:00 tz:UTC")
            clock.set(datetime(2026, 11, 23, 9, 0, 5, tzinfo=UTC))
            await bot.group.sweep(bot.adapter.style)
            [question_two] = question_posts(two, two.general)
            ts_two = await two.user_message(two.general, two.alice, ANSWER_TWO, thread_ts=question_two.ts)
            assert await outcome_in(bot, ts_two) == "scored"

            await slack.uninstall(two)
            await _until_forgotten(bot, "T0TEAM0002")
            await slack.revoke_bot_token(one)
            await _until_forgotten(bot, "T0TEAM0001")

            clock.set(datetime(2026, 11, 24, 9, 0, 5, tzinfo=UTC))  # the next day
            results = await bot.group.sweep(bot.adapter.style)
            assert [result.outcome for result in results] == [Outcome.UNAVAILABLE, Outcome.UNAVAILABLE]
            assert "not installed in Slack workspace" in results[0].reason
            assert len(question_posts(one, one.general)) == 1 and len(question_posts(two, two.general)) == 1
            revoked = [call for w in (one, two) for call in w.calls if call.error == "token_revoked"]
            assert revoked == []  # no call was even tried with a token Slack had revoked

            # the workspace's history stays: its channel, its post and its member's answer
            channels = await bot.store.list_channels(platform="slack")
            assert {channel.ref.server_id for channel in channels} == {"T0TEAM0001", "T0TEAM0002"}
            answer = await bot.store.answer_by_message(platform="slack", message_id=stored_id(two, two.general, ts_two))
            assert answer is not None and answer.member.user_id == two.alice.id

            # installing again serves the workspace again, with the new token
            await install(browser, bot_url, two)
            clock.set(datetime(2026, 11, 25, 9, 0, 5, tzinfo=UTC))
            outcomes = sorted(result.outcome for result in await bot.group.sweep(bot.adapter.style))
            assert outcomes == [Outcome.POSTED, Outcome.UNAVAILABLE]
            assert len(question_posts(two, two.general)) == 2


async def _until_forgotten(bot: App, team_id: str) -> None:
    assert bot.store is not None
    for _ in range(200):
        if await bot.store.find_install(platform="slack", kind="bot", enterprise_id="", team_id=team_id) is None:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the bot token of {team_id} was not deleted")


async def test_a_forged_or_reused_state_is_refused_and_nothing_is_installed(tmp_path, clock: FixedClock, bank):
    async with two_workspaces(clock) as (slack, one, _):
        settings = many_workspaces_settings(slack, tmp_path / "many.db")
        async with App(settings, clock=clock, bank=bank, schedule=False) as bot, aiohttp.ClientSession() as browser:
            assert isinstance(bot.adapter, SlackAdapter) and bot.adapter.http_port and bot.store is not None
            bot_url = serving(slack, bot.adapter.http_port)

            # a state the bot never issued, with a cookie to match it: refused before any code is exchanged
            visit = await approve(browser, await open_install_page(browser, bot_url), one)
            forged = dataclasses.replace(visit, redirect=visit.redirect.replace(visit.state, "forged"), state="forged")
            refused = await come_back(browser, forged)
            assert refused.status == 401 and "invalid_state" in refused.page
            # the right state without the cookie the install page set (another browser): refused too
            elsewhere = await come_back(browser, visit, state_cookie="")
            assert elsewhere.status == 400 and "invalid_browser" in elsewhere.page
            assert slack.exchanges == []
            assert (
                await bot.store.find_install(platform="slack", kind="bot", enterprise_id="", team_id="T0TEAM0001")
                is None
            )

            # the real one works once; the same redirect again is refused
            assert (await come_back(browser, visit)).status == 200
            again = await come_back(browser, visit)
            assert again.status == 401 and "invalid_state" in again.page
            assert len(slack.exchanges) == 1


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET is not set"),
        ({"SLACK_CLIENT_SECRET": "s"}, "SLACK_CLIENT_ID is not set"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_APP_TOKEN": "xapp-1"}, "unset SLACK_APP_TOKEN"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "SLACK_SIGNING_SECRET is not set"),
        (
            {
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "s",
                "SLACK_SIGNING_SECRET": "x",
                "SLACK_REDIRECT_URI": "bot",
            },
            "SLACK_REDIRECT_URI 'bot' is not a web address",
        ),
    ],
)
def test_many_workspaces_settings_that_cannot_work_are_named(env, said, tmp_path):
    settings = load_settings(None, {"STUDYBOT_PLATFORM": "slack", "STUDYBOT_DATABASE": str(tmp_path / "x.db"), **env})
    with pytest.raises(ConfigError, match=said):
        SlackAdapter(settings.slack)


async def test_an_install_begun_on_one_instance_finishes_on_another(tmp_path, clock: FixedClock, bank):
    """Two instances behind one address on one database: the state issued by one is good at the other, and the
    installation the other stored serves the workspace from both."""
    async with two_workspaces(clock) as (slack, one, _):
        settings = many_workspaces_settings(slack, tmp_path / "shared.db")
        async with (
            App(settings, clock=clock, bank=bank, schedule=False) as first,
            App(settings, clock=clock, bank=bank, schedule=False) as second,
            aiohttp.ClientSession() as browser,
        ):
            assert isinstance(first.adapter, SlackAdapter) and first.adapter.http_port
            assert isinstance(second.adapter, SlackAdapter) and second.adapter.http_port
            first_url = f"http://127.0.0.1:{first.adapter.http_port}"
            second_url = serving(slack, second.adapter.http_port)  # Slack redirects to (and delivers at) the second
            visit = await approve(browser, await open_install_page(browser, first_url), one)
            assert visit.redirect.startswith(second_url)
            assert (await come_back(browser, visit)).status == 200

            one.app_url = f"{first_url}/slack/events"  # the balancer sends the next request to the first
            setup = await command(one, one.admin, one.general, "/qotd setup time:09:00 tz:UTC")
            assert setup.body["text"].startswith("Daily question set"), setup.body
