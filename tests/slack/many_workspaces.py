"""Two fake workspaces behind one fake Slack, and a browser installing the bot in each through the OAuth flow."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp

from bot.adapters.slack.manifest import BOT_SCOPES
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.fakes.slack.installs import TEAM_COOKIE, FakeSlackInstalls

STATE_COOKIE = "slack-app-oauth-state"


@asynccontextmanager
async def two_workspaces(
    clock: FixedClock, *, same_ts: bool = False
) -> AsyncIterator[tuple[FakeSlackInstalls, FakeSlack, FakeSlack]]:
    """Workspaces T0TEAM0001 and T0TEAM0002, each with a #general of the SAME channel id, C0GENERAL1, and
    members of their own; one Slack address serves both. With `same_ts` every channel of either counts its
    message timestamps from the same instant, so the nth messages of two channels share a ts."""
    start = clock.now().timestamp()
    scopes = ",".join(BOT_SCOPES)
    async with (
        FakeSlack(mode="http", start_ts=start, ts_per_channel=same_ts, bot_scopes=scopes) as one,
        FakeSlack(
            mode="http",
            start_ts=start if same_ts else start + 0.5,  # timestamps that differ are the likely case on Slack
            ts_per_channel=same_ts,
            bot_scopes=scopes,
            team_id="T0TEAM0002",
            team_name="Other Group",
            team_domain="other-group",
            bot_user_id="U0BOT00002",
            bot_id="B0BOT00002",
            default_users=False,
        ) as two,
    ):
        two.owner = two.add_user("oscar", user_id="U0OSCAR002", is_owner=True, is_admin=True, display_name="Oscar")
        two.admin = two.add_user("amos", user_id="U0AMOS0002", is_admin=True, display_name="Amos")
        two.alice = two.add_user("zoe", user_id="U0ZOE00002", display_name="Zoe")
        two.bob = two.add_user("yann", user_id="U0YANN0002", display_name="Yann")
        two.general = two.add_channel("general", channel_id=one.general.id, members=list(two.users))
        async with FakeSlackInstalls(one, two) as slack:
            yield slack, one, two


def many_workspaces_settings(slack: FakeSlackInstalls, database: Path) -> Settings:
    env = {
        "STUDYBOT_PLATFORM": "slack",
        "STUDYBOT_DATABASE": str(database),
        "SLACK_CLIENT_ID": slack.client_id,
        "SLACK_CLIENT_SECRET": slack.client_secret,
        "SLACK_SIGNING_SECRET": slack.workspaces[0].signing_secret,
        "SLACK_API_URL": slack.api_url,
    }
    settings = load_settings(None, env)
    return dataclasses.replace(settings, slack=dataclasses.replace(settings.slack, http_port=0))


def serving(slack: FakeSlackInstalls, port: int) -> str:
    """Point both workspaces' deliveries and the app's Redirect URL at the running bot; its address."""
    bot_url = f"http://127.0.0.1:{port}"
    for workspace in slack.workspaces:
        workspace.app_url = f"{bot_url}/slack/events"
    slack.redirect_uri = f"{bot_url}/slack/oauth_redirect"
    return bot_url


@dataclasses.dataclass
class Visit:
    """What a browser saw on the way through the install flow."""

    install_page: str
    authorize_url: str
    state: str
    redirect: str = ""
    status: int = 0
    page: str = ""


async def open_install_page(browser: aiohttp.ClientSession, bot_url: str) -> Visit:
    async with browser.get(f"{bot_url}/slack/install") as page:
        assert page.status == 200, await page.text()
        text = await page.text()
        state = page.cookies[STATE_COOKIE].value
    link = re.search(r'<a href="([^"]+)">\s*<img alt="Add to Slack"', text)
    assert link is not None, text
    return Visit(text, html.unescape(link.group(1)), state)


async def approve(browser: aiohttp.ClientSession, visit: Visit, workspace: FakeSlack) -> Visit:
    """Signed in to `workspace`, the visitor approves the app on Slack's authorize page: Slack redirects back."""
    headers = {"Cookie": f"{TEAM_COOKIE}={workspace.team.team_id}"}
    async with browser.get(visit.authorize_url, headers=headers, allow_redirects=False) as approved:
        assert approved.status == 302, await approved.text()
        visit.redirect = approved.headers["Location"]
    return visit


async def come_back(browser: aiohttp.ClientSession, visit: Visit, *, state_cookie: str | None = None) -> Visit:
    """The browser follows Slack's redirect to the bot, with the state cookie the install page set."""
    headers = {"Cookie": f"{STATE_COOKIE}={visit.state if state_cookie is None else state_cookie}"}
    async with browser.get(visit.redirect, headers=headers, allow_redirects=False) as back:
        visit.status, visit.page = back.status, await back.text()
    return visit


async def install(browser: aiohttp.ClientSession, bot_url: str, workspace: FakeSlack) -> Visit:
    visit = await come_back(browser, await approve(browser, await open_install_page(browser, bot_url), workspace))
    assert visit.status == 200, visit.page
    return visit
