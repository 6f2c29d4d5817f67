"""The gateway in shards: which shard carries a server, how many shards Discord recommends, and the client class.

Discord sends each server's events on one shard only, shard `(server_id >> 22) % shard_count`; a process that
runs some of the shards serves those servers, and makes only their channels' daily posts. Past 2,500 servers
Discord refuses an unsharded connection (close 4011)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import discord
import discord.http

from bot.adapters.discord.settings import DiscordSettings

log = logging.getLogger(__name__)

RECOMMENDATION_TIMEOUT = 10.0  # seconds for GET /gateway/bot at start-up; no answer: one connection
SHARDING_REQUIRED = 4011


def shard_for(server_id: int, shard_count: int) -> int:
    return (server_id >> 22) % shard_count


def carries(client: discord.Client, server_id: str) -> bool:
    """True when the client's shards carry the server's events (always, unsharded or running every shard)."""
    shard_ids = getattr(client, "shard_ids", None)
    count = client.shard_count
    if not shard_ids or not count or not server_id.isdigit():
        return True
    return shard_for(int(server_id), count) in shard_ids


async def recommended_shards(token: str, *, timeout: float = RECOMMENDATION_TIMEOUT) -> int:
    """How many shards Discord recommends for the bot (`GET /gateway/bot`), 1 when it does not say."""
    url = discord.http.Route.BASE.rstrip("/") + "/gateway/bot"
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session,
            session.get(url, headers={"Authorization": f"Bot {token}"}) as response,
        ):
            if response.status != 200:
                return 1  # a refused token is reported by the login that follows
            return max(1, int((await response.json(content_type=None))["shards"]))
    except (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError) as problem:
        log.debug("no shard recommendation from %s: %s", url, problem)
        return 1


async def shard_options(settings: DiscordSettings) -> dict[str, Any] | None:
    """The sharded client's options (`shard_count`, `shard_ids`), or None for one unsharded connection."""
    if settings.shard_count is not None:
        ids = list(settings.shard_ids) if settings.shard_ids is not None else None
        return {"shard_count": settings.shard_count, "shard_ids": ids}
    recommended = await recommended_shards(settings.token.value.strip())
    if recommended > 1:
        log.info("Discord recommends %d shards: running all of them in this process", recommended)
        return {"shard_count": recommended, "shard_ids": None}
    return None


def sharding_required_hint(settings: DiscordSettings) -> str:
    if settings.shard_count is not None:
        return (
            f"Discord requires more shards than DISCORD_SHARD_COUNT={settings.shard_count} (close 4011): raise it "
            "(GET /gateway/bot says how many), or unset it and DISCORD_SHARD_IDS to shard automatically"
        )
    return (
        "Discord requires this bot to shard (close 4011): set DISCORD_SHARD_COUNT (and DISCORD_SHARD_IDS for this "
        "process's share), or leave DISCORD_SHARD_COUNT unset so studybot shards as Discord recommends"
    )
