"""Member events the store refused because the disk is full: kept in memory in the order they came, and stored,
each once, as soon as there is room again.

A kept event is retried whole (every event is one transaction, and the store knows a message it already has),
so retrying one that failed stores it exactly once. While anything is kept, a new event waits behind it: answers
are ranked by the order they are stored, and a later answer must not overtake an earlier one.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core.errors import StorageFull

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_KEPT = 10_000  # events in memory at most (about 40 MB of the longest answers); later ones are refused

# Set while an event runs under `store_in_order`: a nested event (the console's own message, then the reply it
# carries) goes straight to the store, so the outer one is kept whole if the disk refuses any part of it.
_inside: ContextVar[bool] = ContextVar("inside_kept_event", default=False)


@dataclass(frozen=True, slots=True)
class Attempt(Generic[T]):
    """What became of an event: its `result` when it ran now, else `kept` (it runs once there is room) or
    `refused` (the disk is full and `MAX_KEPT` events already wait)."""

    result: T | None = None
    kept: bool = False
    refused: bool = False


class KeptEvents:
    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self._queue: deque[tuple[str, Callable[[], Awaitable[object]]]] = deque()
        self._retrying = asyncio.Lock()
        self._full = False  # the disk refused a write, and nothing since told us there is room again
        self._refused = 0

    def __len__(self) -> int:
        return len(self._queue)

    async def store_in_order(self, what: str, event: Callable[[], Awaitable[T]]) -> Attempt[T]:
        """Run `event` (one member event, `what` names it for the log) behind any kept ones; if the disk is full,
        keep it to be run again later."""
        if _inside.get():
            return Attempt(await event())
        if self._queue and not self._retrying.locked():
            await self.retry()
        if not self._queue:
            token = _inside.set(True)
            try:
                result = await event()
            except StorageFull as problem:
                self.disk_full(problem)
            else:
                self._full = False  # it may not have written anything: say nothing, but log the next refusal again
                return Attempt(result)
            finally:
                _inside.reset(token)
        if len(self._queue) >= self.limit:
            if not self._refused:
                log.warning(
                    "%d events are kept in memory while the disk is full; later ones are not kept until it has room",
                    self.limit,
                )
            self._refused += 1
            return Attempt(refused=True)
        self._queue.append((what, event))
        return Attempt(kept=True)

    def disk_full(self, problem: StorageFull) -> None:
        """Note a write the disk refused: the first since there was room is logged, once."""
        if not self._full:
            log.warning("%s (answers, edits and reactions are kept in memory until then)", problem)
        self._full = True

    async def retry(self) -> int:
        """Store the kept events in order, stopping at the first the disk still refuses; how many were stored."""
        stored = 0
        async with self._retrying:
            token = _inside.set(True)
            try:
                while self._queue:
                    what, event = self._queue[0]
                    try:
                        await event()
                    except StorageFull:
                        return stored
                    except Exception:  # not the disk: retrying cannot help, and it must not block the rest
                        log.exception("a kept %s could not be stored and is dropped", what)
                    self._queue.popleft()
                    stored += 1
            finally:
                _inside.reset(token)
            if stored or self._refused:
                refused = f"; {self._refused} event(s) past the limit were not kept" if self._refused else ""
                log.warning("the disk has room again: %d kept event(s) stored%s", stored, refused)
            self._full, self._refused = False, 0
        return stored
