"""Work done after Slack got its acknowledgement: tracked, tried again when it fails, and drained on stop.

Slack does not deliver an event again once it was acknowledged with 200 (it retries only a delivery that got
no acknowledgement within 3 seconds, or an error), so an event whose handling fails afterwards is the bot's
to try again: `retried` does, a few times with growing pauses, and logs each failure."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_DELAYS = (0.5, 2.0, 8.0, 30.0)  # seconds before each new try: about 40 s in all, then the work is given up


@dataclass(frozen=True, slots=True)
class Handled:
    """What became of one delivery: `kind` (reply, edit, delete, reaction, command, press, submit),
    `key` (a message ts, command text or action id), `outcome` (a verdict, `duplicate-event`, ...) and, for
    events, the `event_id`."""

    kind: str
    key: str
    outcome: str
    event_id: str = ""  # for Events API deliveries


class Background:
    """Runs coroutines as tasks it keeps hold of, and keeps a short journal of what each delivery became
    (tests and debug logs read it; `wait_for` wakes on every new entry instead of polling)."""

    def __init__(self, journal_size: int = 1000, retry_delays: Sequence[float] = RETRY_DELAYS) -> None:
        self.retry_delays = tuple(retry_delays)
        self._tasks: set[asyncio.Task[None]] = set()
        self.journal: deque[Handled] = deque(maxlen=journal_size)
        self._changed = asyncio.Event()

    def spawn(self, work: Coroutine[Any, Any, None], *, name: str) -> None:
        task = asyncio.ensure_future(self._guard(work, name))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, work: Coroutine[Any, Any, None], name: str) -> None:
        try:
            await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("%s failed", name)
            self.record(Handled("error", name, "failed"))

    async def retried(self, attempt: Callable[[], Awaitable[T]], *, name: str) -> T:
        """`attempt()` until it succeeds, at most once more after each pause of `retry_delays`; the last
        failure is raised. Whatever the failure (a database error, Slack's API), the work is run whole again,
        so each attempt must be safe to repeat: the store keeps every event once."""
        tries = len(self.retry_delays) + 1
        for number, delay in enumerate(self.retry_delays, start=1):
            try:
                return await attempt()
            except asyncio.CancelledError:
                raise
            except Exception as problem:
                log.warning(
                    "%s failed (try %d of %d): %s; trying again in %g s", name, number, tries, _said(problem), delay
                )
            await asyncio.sleep(delay)
        return await attempt()

    def record(self, handled: Handled) -> None:
        log.debug("handled %s %s: %s", handled.kind, handled.key, handled.outcome)
        self.journal.append(handled)
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_for(
        self, match: Callable[[Handled], bool], *, count: int = 1, timeout: float = 5.0
    ) -> list[Handled]:
        """The first `count` journal entries matching `match`, waiting up to `timeout` seconds for them."""
        async with asyncio.timeout(timeout):
            while True:
                changed = self._changed
                found = [entry for entry in self.journal if match(entry)]
                if len(found) >= count:
                    return found[:count]
                await changed.wait()

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def drain(self, timeout: float = 10.0) -> None:
        """Let the work in hand finish (up to `timeout` seconds), then cancel what is left."""
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
        for task in pending:
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*pending, return_exceptions=True)


def _said(problem: Exception) -> str:
    return f"{type(problem).__name__}: {problem}" if str(problem) else type(problem).__name__
