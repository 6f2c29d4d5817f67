"""`studybot run --platform discord`: connect, serve until SIGTERM/SIGINT, and exit with a meaningful code.

Exit codes: 0 after a clean stop; 1 when Discord refuses the bot (bad token, privileged intent not enabled) or the
connection fails for good. A missing token raises `ConfigError` before anything connects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

import discord

from bot.adapters.discord.client import StudyBotClient
from bot.adapters.discord.endpoints import discord_endpoints
from bot.app import Runtime, load_checked_bank, open_runtime
from bot.config import ConfigError, Settings
from bot.core.bank import Bank
from bot.core.clock import Clock, SystemClock
from bot.lifecycle import Lifecycle

log = logging.getLogger(__name__)

Started = Callable[[StudyBotClient, Runtime, Lifecycle], None]

MISSING_TOKEN = (
    "DISCORD_TOKEN is not set: copy the bot token from the Discord Developer Portal "
    "(your application -> Bot -> Reset Token) into the DISCORD_TOKEN environment variable"
)


async def run_discord(
    settings: Settings,
    *,
    clock: Clock | None = None,
    bank: Bank | None = None,
    started: Started | None = None,
    client_options: dict[str, Any] | None = None,
) -> int:
    """Run the bot on Discord until asked to stop. `started` sees the live objects (tests use it)."""
    token = settings.discord.token.value.strip()
    if not token:
        raise ConfigError(MISSING_TOKEN)
    bank = load_checked_bank(settings) if bank is None else bank
    clock = clock or SystemClock()
    async with discord_endpoints(settings.discord):
        client = StudyBotClient(clock, moderator_roles=settings.discord.moderator_roles, **(client_options or {}))
        async with (
            open_runtime(settings, client.platform, clock=clock, bank=bank) as runtime,
            Lifecycle(runtime.store.db, client.platform.name, clock) as life,
        ):
            client.attach(runtime.group)
            if started is not None:
                started(client, runtime, life)
            return await serve(client, token, life.stopping)


async def serve(client: discord.Client, token: str, stopping: asyncio.Event) -> int:
    """Run `client` until `stopping` is set (exit 0) or Discord ends it (exit 1, with one clear log line)."""
    running = asyncio.create_task(client.start(token), name="discord-client")
    stop = asyncio.create_task(stopping.wait(), name="discord-stop")
    try:
        await asyncio.wait({running, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
        if not client.is_closed():
            await client.close()
        if not running.done():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(asyncio.shield(running), timeout=10)
    if running.cancelled():
        return 0
    return _exit_code(running.exception())


def _exit_code(problem: BaseException | None) -> int:
    if problem is None:
        log.info("disconnected from Discord")
        return 0
    if isinstance(problem, discord.LoginFailure):
        log.error("Discord rejected the token (401 Unauthorized): check DISCORD_TOKEN; studybot will not retry")
    elif isinstance(problem, discord.PrivilegedIntentsRequired):
        log.error(
            "Discord refused the connection (close 4014): enable the Message Content intent for this bot in the "
            "Developer Portal (your application -> Bot -> Privileged Gateway Intents), then start again"
        )
    elif isinstance(problem, discord.ConnectionClosed):
        log.error("the Discord gateway closed the connection for good (code %s): %s", problem.code, problem.reason)
    else:
        log.error("the Discord connection failed: %s", problem, exc_info=problem)
    return 1
