"""Waiting for Discord to be reachable before logging in: no network is a state to wait out, not a reason to exit.

discord.py retries a lost gateway by itself, but a login that cannot reach Discord ends `Client.start` for good,
so the adapter asks ``GET {api}/gateway`` (unauthenticated, cheap) until Discord answers, with backoff.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 10.0


async def _answers(session: aiohttp.ClientSession, url: str) -> str | None:
    """None when Discord answered; otherwise why not, in a few words."""
    try:
        async with session.get(url) as response:
            if response.status >= 500:
                return f"Discord answered {response.status}"
            return None
    except (aiohttp.ClientError, OSError, TimeoutError) as problem:
        return str(problem) or type(problem).__name__


async def wait_until_reachable(api_base: str, *, first_delay: float, max_delay: float) -> None:
    """Return once Discord answers; until then retry, doubling the wait up to `max_delay`, saying so once."""
    url = api_base.rstrip("/") + "/gateway"
    delay, attempts = first_delay, 0
    timeout = aiohttp.ClientTimeout(total=PROBE_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        while (problem := await _answers(session, url)) is not None:
            attempts += 1
            if attempts == 1:
                log.warning(
                    "cannot reach Discord (GET %s: %s): check the network; retrying, at least once every %g s",
                    url,
                    problem,
                    max_delay,
                )
            else:
                log.debug("Discord still unreachable (%s); next try in %.1f s", problem, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, max_delay)
    if attempts:
        log.info("reached Discord after %d failed attempt(s); logging in", attempts)
