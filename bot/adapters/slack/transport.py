"""How Slack reaches the app: a Socket Mode websocket (app token) or signed HTTP requests on `/slack/events`."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.settings import SlackSettings
from bot.core.errors import ConfigError, StudybotError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
CONNECT_TIMEOUT = 30.0


class Transport(Protocol):
    description: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class SocketModeTransport:
    """Socket Mode: the app dials out to Slack; slack-sdk reconnects on `disconnect` messages and drops."""

    description = "Socket Mode"

    def __init__(self, app: AsyncApp, app_token: str, *, connect_timeout: float = CONNECT_TIMEOUT) -> None:
        self.handler = AsyncSocketModeHandler(app, app_token)
        self._app_token = app_token
        self._timeout = connect_timeout

    async def start(self) -> None:
        # slack-sdk retries a refused connection forever; ask for the first websocket URL here instead, so
        # a wrong app token stops start-up with its name
        client = self.handler.client
        try:
            opened = await client.web_client.apps_connections_open(app_token=self._app_token)
        except SlackApiError as problem:
            await self.stop()
            error = problem.response.get("error")
            raise ConfigError(
                f"SLACK_APP_TOKEN was refused by Slack ({error}): use an app-level token (xapp-...) with the "
                "connections:write scope, and turn Socket Mode on in the app's settings"
            ) from None
        client.wss_uri = opened["url"]
        try:
            await asyncio.wait_for(self.handler.connect_async(), self._timeout)
        except TimeoutError:
            await self.stop()
            raise StudybotError(f"no Socket Mode connection to Slack after {self._timeout:.0f} s") from None
        log.info("connected to Slack in Socket Mode")

    async def stop(self) -> None:
        await self.handler.close_async()


class HttpTransport:
    """HTTP mode: Slack POSTs events, commands and interactivity to `/slack/events`; bolt checks signatures."""

    def __init__(self, app: AsyncApp, port: int, host: str = "0.0.0.0") -> None:
        self._app = app
        self._host = host
        self.port = port
        self._runner: web.AppRunner | None = None
        self.description = f"HTTP mode on port {port}"

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app.web_app(path=EVENTS_PATH), handle_signals=False, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self._host, self.port).start()
        except OSError as problem:
            await self._runner.cleanup()
            raise ConfigError(f"STUDYBOT_HTTP_PORT {self.port} cannot be used: {problem.strerror}") from None
        self.port = self._runner.addresses[0][1]
        self.description = f"HTTP mode on port {self.port}"
        log.info("listening for Slack requests on http://%s:%d%s", self._host, self.port, EVENTS_PATH)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def check_credentials(slack: SlackSettings) -> None:
    """Every Slack credential the chosen mode needs, each missing one named."""
    if not slack.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: give the app's Bot User OAuth Token (xoxb-...)")
    if not slack.bot_token.value.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with xoxb-")
    if slack.socket_mode:
        if not slack.app_token.value.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (xapp-...) with the connections:write scope")
        return
    if not slack.signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode (no SLACK_APP_TOKEN) verifies every request with it. "
            "Set it (Basic Information → Signing Secret), or set SLACK_APP_TOKEN to use Socket Mode"
        )


def make_transport(slack: SlackSettings, app: AsyncApp) -> Transport:
    if slack.socket_mode:
        return SocketModeTransport(app, slack.app_token.value)
    return HttpTransport(app, slack.http_port)
