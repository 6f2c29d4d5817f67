"""Where discord.py connects: the REST base and the gateway, from settings (production and tests alike).

discord.py keeps both in class attributes: ``discord.http.Route.BASE`` (REST) and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` (a plain, unsharded ``Client`` connects there and never asks
``/gateway/bot``). ``DISCORD_API_BASE_URL`` sets the first; ``DISCORD_GATEWAY_URL`` the second; when only the API base
is set, ``GET {base}/gateway`` (unauthenticated) says where the gateway is. Nothing set: Discord's own.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import aiohttp
import discord.gateway
import discord.http
import yarl

from bot.adapters.discord.settings import DiscordSettings
from bot.core.errors import ConfigError

log = logging.getLogger(__name__)


async def discover_gateway(api_base_url: str, *, timeout: float = 10.0) -> str:
    """The gateway url that ``GET {api_base_url}/gateway`` names."""
    url = api_base_url.rstrip("/") + "/gateway"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(url) as response,
        ):
            response.raise_for_status()
            body = await response.json(content_type=None)
            return str(body["url"])
    except (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError) as problem:
        raise ConfigError(
            f"DISCORD_API_BASE_URL: could not learn the gateway from GET {url} ({problem or type(problem).__name__}); "
            "check the url or set DISCORD_GATEWAY_URL too"
        ) from None


@contextlib.asynccontextmanager
async def discord_endpoints(settings: DiscordSettings) -> AsyncIterator[None]:
    """Point discord.py at the configured endpoints for the duration, then put the previous ones back."""
    old_base, old_gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    gateway = settings.gateway_url
    if settings.api_base_url:
        discord.http.Route.BASE = settings.api_base_url.rstrip("/")
        if not gateway:
            gateway = await discover_gateway(settings.api_base_url)
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    if settings.api_base_url or gateway:
        log.info("discord endpoints: api %s, gateway %s", discord.http.Route.BASE, gateway)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway
