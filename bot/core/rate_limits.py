"""Waiting out a platform's rate limit: the request was refused without effect, so it is simply made again."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.core.ports import RateLimited

T = TypeVar("T")


async def waiting_out_rate_limits(request: Callable[[], Awaitable[T]], *, at_most: float) -> T:
    """Make `request`; on `RateLimited`, wait the platform's Retry-After and make it again.

    Retrying neither loses nor doubles anything. Gives up (re-raising) once the waits would pass `at_most`
    seconds in all.
    """
    waited = 0.0
    while True:
        try:
            return await request()
        except RateLimited as limited:
            if waited + limited.retry_after > at_most:
                raise
            waited += limited.retry_after
            await asyncio.sleep(limited.retry_after)
