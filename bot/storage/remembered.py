"""Rows the store has read and will be asked for again on every reply: a channel's settings and row id, a
thread's post, a server's season, a member's display name.

They change only through this process's own store, which forgets an entry whenever it writes that row, so
what is remembered is never stale. (Each bot process serves one platform, and every key here includes it.)
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Remembered(Generic[K, V]):
    """A dictionary that starts over once it holds `limit` entries, so a huge install can't grow it forever."""

    def __init__(self, limit: int = 50_000) -> None:
        self._limit = limit
        self._entries: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._entries.get(key)

    def put(self, key: K, value: V) -> V:
        if len(self._entries) >= self._limit:
            self._entries.clear()
        self._entries[key] = value
        return value

    def forget(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
