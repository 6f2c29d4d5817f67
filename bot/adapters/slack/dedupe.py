"""Slack delivers an event again when its first delivery got no acknowledgement within 3 seconds (or an
error status): remember recent `event_id`s so each is handled once."""

from __future__ import annotations

from collections import OrderedDict

RECENT_EVENTS = 5000


class RecentEvents:
    """A bounded set of recently handled event ids. A retry (same `event_id`) is seen once; an event the bot
    gave up on is forgotten (`forget`), so a later delivery of it is handled. Ids are kept no matter the retry
    headers."""

    def __init__(self, limit: int = RECENT_EVENTS) -> None:
        self._limit = limit
        self._ids: OrderedDict[str, None] = OrderedDict()

    def first_time(self, event_id: str | None) -> bool:
        """True the first time `event_id` is offered (always True for a delivery without an id)."""
        if not event_id:
            return True
        if event_id in self._ids:
            self._ids.move_to_end(event_id)
            return False
        self._ids[event_id] = None
        while len(self._ids) > self._limit:
            self._ids.popitem(last=False)
        return True

    def forget(self, event_id: str | None) -> None:
        if event_id:
            self._ids.pop(event_id, None)

    def __len__(self) -> int:
        return len(self._ids)
