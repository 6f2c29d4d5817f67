"""The peer the ingest benchmark measures against: the same use case and schema, but every write commits in its
own aiosqlite transaction, one after another, as a bot without group commit would."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import TypeVar

import aiosqlite

from bot.storage.database import Database
from bot.storage.presence import Presence

T = TypeVar("T")


class PerWriteTransactions(Database):
    """BEGIN, the write's statements, COMMIT, on the aiosqlite connection's own thread, one write at a time."""

    def __init__(self, reader: aiosqlite.Connection, path: str, presence: Presence) -> None:
        super().__init__(reader, path, presence)
        self._one_at_a_time = asyncio.Lock()

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        async with self._one_at_a_time:
            await self.reader.execute("BEGIN IMMEDIATE")
            try:
                # aiosqlite has no public call for "run this function on your thread": its _execute is that call.
                result: T = await self.reader._execute(work, self.reader._conn)
            except BaseException:
                await self.reader.execute("ROLLBACK")
                raise
            await self.reader.execute("COMMIT")
            self.batches += 1
            return result
