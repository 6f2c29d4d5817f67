"""Doing the same awaitable work for many items, a bounded number at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def at_most(limit: int, items: Sequence[T], work: Callable[[T], Awaitable[R]]) -> list[R]:
    """`work(item)` for every item, at most `limit` at once, enough to hide a platform's round trips and few
    enough to meet its rate limits with a handful of waiting requests. Results are in the order of `items`;
    an exception in `work` propagates (catch what one item may raise inside `work`)."""
    results: dict[int, R] = {}
    queue = iter(enumerate(items))

    async def worker() -> None:
        for index, item in queue:  # the workers share one iterator: each item is taken once
            results[index] = await work(item)

    await asyncio.gather(*(worker() for _ in range(max(1, min(limit, len(items))))))
    return [results[index] for index in range(len(items))]
