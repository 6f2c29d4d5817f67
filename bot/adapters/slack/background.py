"""Work done after Slack got its acknowledgement: tracked, logged when it fails, and drained on stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


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

    def __init__(self, journal_size: int = 1000) -> None:
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
