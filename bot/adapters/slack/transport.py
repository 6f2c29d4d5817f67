"""How Slack reaches the app: a Socket Mode websocket (app token) or signed HTTP requests on `/slack/events`."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.errors import SlackApiError

from bot.adapters.slack import http_guard
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
    """HTTP mode: Slack POSTs events, commands and interactivity to `/slack/events`. Every request passes
    `http_guard` (connection cap and timeouts, size, signature, replays, body shape) before bolt sees it."""

    def __init__(
        self,
        app: AsyncApp,
        port: int,
        host: str = "0.0.0.0",
        *,
        signing_secret: str = "",
        max_connections: int = http_guard.MAX_CONNECTIONS,
        header_timeout: float = http_guard.HEADER_TIMEOUT,
        body_timeout: float = http_guard.BODY_TIMEOUT,
        max_body: int = http_guard.MAX_BODY,
    ) -> None:
        self._app = app
        self._host = host
        self.port = port
        self._secret = signing_secret
        self._max_connections = max_connections
        self._header_timeout = header_timeout
        self._body_timeout = body_timeout
        self._max_body = max_body
        self.recent = http_guard.RecentSignatures()
        self.guard: http_guard.ConnectionGuard | None = None
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self.description = f"HTTP mode on port {port}"

    def web_app(self) -> web.Application:
        web_app = web.Application(client_max_size=self._max_body)
        web_app.router.add_post(EVENTS_PATH, self._handle)
        flow = self._app.oauth_flow
        if flow is not None:  # many workspaces: the install page and Slack's redirect back, for browsers
            web_app.router.add_get(flow.install_path, self._install_page)
            web_app.router.add_get(flow.redirect_uri_path, self._oauth_redirect)
        return web_app

    async def _install_page(self, request: web.Request) -> web.StreamResponse:
        assert self._app.oauth_flow is not None
        return await to_aiohttp_response(await self._app.oauth_flow.handle_installation(_browser_request(request)))

    async def _oauth_redirect(self, request: web.Request) -> web.StreamResponse:
        assert self._app.oauth_flow is not None
        return await to_aiohttp_response(await self._app.oauth_flow.handle_callback(_browser_request(request)))

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        try:
            response = await self._answer(request)
        finally:
            if self.guard is not None:
                self.guard.finished(request.transport)
        return response

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await http_guard.read_body(request, self._body_timeout)
            if self.guard is not None:
                self.guard.busy(request.transport)
            http_guard.check_signed(self._secret, request.headers, body, self.recent)
            text = http_guard.check_body(body, request.content_type)
        except http_guard.BadRequest as problem:
            response = http_guard.refusal(problem)
            if problem.status in (408, 413):
                response.force_close()
            return response
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await self._app.async_dispatch(bolt_request))

    async def start(self) -> None:
        # aiohttp keeps an idle connection for an hour by default, and reads a refused body for 10 s more
        self._runner = web.AppRunner(
            self.web_app(),
            handle_signals=False,
            access_log=None,
            keepalive_timeout=self._header_timeout,
            lingering_time=1.0,
        )
        await self._runner.setup()
        assert self._runner.server is not None
        self.guard = http_guard.ConnectionGuard(
            self._runner.server, max_connections=self._max_connections, header_timeout=self._header_timeout
        )
        try:
            self._server = await asyncio.get_running_loop().create_server(
                self.guard.protocol, self._host, self.port, backlog=min(self._max_connections, 1024)
            )
        except OSError as problem:
            await self._runner.cleanup()
            raise ConfigError(f"STUDYBOT_HTTP_PORT {self.port} cannot be used: {problem.strerror}") from None
        self.port = self._server.sockets[0].getsockname()[1]
        self.description = f"HTTP mode on port {self.port}"
        log.info("listening for Slack requests on http://%s:%d%s", self._host, self.port, EVENTS_PATH)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _browser_request(request: web.Request) -> AsyncBoltRequest:
    """A browser's GET (no body, no signature: the OAuth state and its cookie protect the flow)."""
    return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))


def check_credentials(slack: SlackSettings) -> None:
    """Every Slack credential the chosen mode needs, each missing one named."""
    if slack.many_workspaces:
        _check_oauth_credentials(slack)
        return
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


def _check_oauth_credentials(slack: SlackSettings) -> None:
    if not slack.client_id or not slack.client_secret:
        missing = "SLACK_CLIENT_ID" if not slack.client_id else "SLACK_CLIENT_SECRET"
        raise ConfigError(
            f"{missing} is not set: installing in many workspaces needs both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(Basic Information -> App Credentials); unset both to serve one workspace with SLACK_BOT_TOKEN"
        )
    if slack.socket_mode:
        raise ConfigError(
            "SLACK_CLIENT_ID and SLACK_APP_TOKEN are both set: installing in many workspaces needs HTTP mode (Slack "
            "sends the install's redirect to the bot's address); unset SLACK_APP_TOKEN"
        )
    if not slack.signing_secret:
        raise ConfigError(
            "SLACK_SIGNING_SECRET is not set: HTTP mode verifies every request with it (Basic Information -> "
            "Signing Secret)"
        )
    if slack.redirect_url and not slack.redirect_url.startswith(("https://", "http://")):
        raise ConfigError(
            f"SLACK_REDIRECT_URI '{slack.redirect_url}' is not a web address: give the app's Redirect URL, "
            "e.g. https://studybot.example.org/slack/oauth_redirect"
        )


def make_transport(slack: SlackSettings, app: AsyncApp) -> Transport:
    if slack.socket_mode:
        return SocketModeTransport(app, slack.app_token.value)
    return HttpTransport(
        app,
        slack.http_port,
        signing_secret=slack.signing_secret.value,
        max_connections=slack.http_max_connections,
        header_timeout=slack.http_header_timeout,
        body_timeout=slack.http_body_timeout,
        max_body=slack.http_max_body,
    )
