"""The Discord adapter as the app drives it: log in, take gateway events, serve until stopped, close.

`serve` returns 0 after a clean stop and 1 when Discord ends the connection for good (bad token, privileged
intent not enabled), with one log line saying what to fix; a missing token is a `ConfigError` before anything
connects. No network is neither: start-up waits for Discord to answer, and discord.py reconnects a lost gateway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import aiohttp
import discord
import discord.http

from bot.adapters.discord.client import ShardedStudyBotClient, StudyBotClient
from bot.adapters.discord.endpoints import discord_endpoints
from bot.adapters.discord.platform import DiscordPlatform
from bot.adapters.discord.quiet_reconnects import CLIENT_LOGGER, OneLineReconnects
from bot.adapters.discord.reachable import wait_until_reachable
from bot.adapters.discord.settings import DiscordSettings
from bot.adapters.discord.shards import SHARDING_REQUIRED, shard_options, sharding_required_hint
from bot.adapters.discord.style import DiscordStyle
from bot.core.clock import Clock
from bot.core.errors import ConfigError, PlatformGone
from bot.core.studygroup import StudyGroup

log = logging.getLogger(__name__)

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal "
    "(your application -> Bot -> Reset Token) into the DISCORD_TOKEN environment variable"
)
CLOSE_TIMEOUT = 10.0
RETRY_DELAYS = (1.0, 60.0)  # seconds: the first wait for an unreachable Discord, and the longest


class DiscordAdapter:
    def __init__(
        self,
        settings: DiscordSettings,
        clock: Clock,
        *,
        client_options: dict[str, Any] | None = None,
        retry_delays: tuple[float, float] = RETRY_DELAYS,
    ):
        if not settings.token.value.strip():
            raise ConfigError(MISSING_TOKEN)
        self._settings = settings
        self._clock = clock
        self._options = client_options or {}
        self._retry_delays = retry_delays
        self._endpoints = contextlib.AsyncExitStack()
        self._running: asyncio.Task[None] | None = None
        self.client: StudyBotClient | None = None
        self._quiet_reconnects = OneLineReconnects()

    @property
    def style(self) -> DiscordStyle:
        return self.client.platform.style if self.client is not None else DiscordStyle()

    async def connect(self) -> DiscordPlatform:
        await self._endpoints.enter_async_context(discord_endpoints(self._settings))
        logging.getLogger(CLIENT_LOGGER).addFilter(self._quiet_reconnects)
        self._endpoints.callback(logging.getLogger(CLIENT_LOGGER).removeFilter, self._quiet_reconnects)
        options = dict(
            moderator_roles=self._settings.moderator_roles,
            synced_commands=self._settings.synced_commands,
            message_content=self._settings.message_content,
            **self._options,
        )
        shards = await shard_options(self._settings)
        if shards is None:
            self.client = StudyBotClient(self._clock, **options)
        else:
            self.client = ShardedStudyBotClient(self._clock, **options, **shards)
        return self.client.platform

    async def start(self, group: StudyGroup) -> None:
        """Log in, sync the commands and wait until Discord has sent the servers, so posts can open threads."""
        client = self._require_client()
        client.attach(group)
        first, longest = self._retry_delays
        await wait_until_reachable(discord.http.Route.BASE, first_delay=first, max_delay=longest)
        self._running = asyncio.create_task(client.start(self._settings.token.value.strip()), name="discord-client")
        ready = asyncio.create_task(client.wait_until_ready(), name="discord-ready")
        try:
            await asyncio.wait({self._running, ready}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
        if self._running.done():
            _log_end(None if self._running.cancelled() else self._running.exception(), self._settings)
            raise PlatformGone("Discord ended the connection during start-up")

    async def serve(self, stopping: asyncio.Event) -> int:
        running = self._running
        if running is None:
            return 0
        stop = asyncio.create_task(stopping.wait(), name="discord-stop")
        try:
            await asyncio.wait({running, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stop.cancel()
        if not running.done():
            return 0  # asked to stop: close() disconnects
        if running.cancelled():
            return 0
        return _log_end(running.exception(), self._settings)

    async def close(self) -> None:
        client, running = self.client, self._running
        if client is not None and not client.is_closed():
            await client.close()
        if running is not None and not running.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(running), timeout=CLOSE_TIMEOUT)
        await self._endpoints.aclose()

    def _require_client(self) -> StudyBotClient:
        if self.client is None:
            raise RuntimeError("DiscordAdapter.connect() must come before start()")
        return self.client


def _log_end(problem: BaseException | None, settings: DiscordSettings) -> int:
    """Say in one line why the connection ended; the exit code that goes with it."""
    if problem is None:
        log.info("disconnected from Discord")
        return 0
    if isinstance(problem, discord.LoginFailure):
        log.error("Discord rejected the token (401 Unauthorized): check DISCORD_TOKEN; studybot will not retry")
    elif isinstance(problem, discord.PrivilegedIntentsRequired):
        log.error(
            "Discord refused the connection (close 4014): enable the Message Content intent for this bot in the "
            "Developer Portal (your application -> Bot -> Privileged Gateway Intents), then start again; or, when "
            "every channel takes answers privately, set message_content = false under [discord]"
        )
    elif isinstance(problem, aiohttp.ClientError | OSError | TimeoutError):
        log.error("lost the connection to Discord while logging in (%s); start studybot again", problem)
    elif isinstance(problem, discord.ConnectionClosed) and problem.code == SHARDING_REQUIRED:
        log.error(sharding_required_hint(settings))
    elif isinstance(problem, discord.ConnectionClosed):
        log.error("the Discord gateway closed the connection for good (code %s): %s", problem.code, problem.reason)
    else:
        log.error("the Discord connection failed: %s", problem, exc_info=problem)
    return 1
