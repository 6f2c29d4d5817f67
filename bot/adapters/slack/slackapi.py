"""The Web API client studybot builds itself (base URL from settings, 429s waited out) and its error mapping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.settings import SlackSettings
from bot.core.errors import ConfigError, StudybotError
from bot.core.ports import ChannelUnavailable

DEFAULT_API_URL = "https://slack.com/api/"
RATE_LIMIT_RETRIES = 5
# Errors that mean "the bot cannot use this channel": the core reports the channel and moves on.
CHANNEL_ERRORS = {
    "not_in_channel": "the bot is not a member: invite it with /invite @studybot",
    "channel_not_found": "the channel does not exist or is private and the bot is not in it",
    "is_archived": "the channel is archived",
}


def make_client(slack: SlackSettings, *, token: str | None = None) -> AsyncWebClient:
    """A client with `token` (a workspace's, when the app is installed in many), else SLACK_BOT_TOKEN."""
    return AsyncWebClient(
        token=slack.bot_token.value if token is None else token,
        base_url=slack.api_url or DEFAULT_API_URL,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def channel_problem(problem: SlackApiError) -> ChannelUnavailable | None:
    """The `ChannelUnavailable` a Slack error stands for, or None if it is some other failure."""
    error = str(problem.response.get("error", ""))
    if error in CHANNEL_ERRORS:
        return ChannelUnavailable(f"{error} ({CHANNEL_ERRORS[error]})")
    return None


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the bot is in its workspace (from `auth.test`)."""

    team_id: str
    user_id: str
    bot_id: str


async def who_am_i(client: AsyncWebClient) -> Identity:
    try:
        me = await client.auth_test()
    except SlackApiError as problem:
        error = problem.response.get("error")
        if error in ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "not_allowed_token_type"):
            raise ConfigError(
                f"SLACK_BOT_TOKEN was refused by Slack ({error}): use the app's Bot User OAuth Token (xoxb-...)"
            ) from None
        raise StudybotError(f"Slack auth.test failed: {error}") from None
    except (aiohttp.ClientError, OSError, TimeoutError) as problem:
        raise StudybotError(f"cannot reach the Slack Web API at {client.base_url}: {problem}") from None
    return Identity(team_id=str(me["team_id"]), user_id=str(me["user_id"]), bot_id=str(me.get("bot_id") or ""))


def ts_time(ts: str) -> datetime:
    """A message `ts` (`"1700000000.000100"`) as an aware UTC datetime."""
    return datetime.fromtimestamp(float(ts), UTC)
