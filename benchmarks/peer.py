"""The peers the ingest benchmark measures against: the same use case and schema, but every write commits in its
own aiosqlite transaction, one after another, as a bot without group commit would.

- `PerWriteTransactions`: with studybot's own settings (WAL, synchronous=NORMAL, a 32 MB cache, mmap): the
  stronger peer, which the `ingest_vs_peer` target is judged against.
- `PerWriteTransactionsNoWal`: as a bot that takes SQLite's and aiosqlite's defaults would run (a rollback
  journal, journal_mode=DELETE, synchronous=FULL, the default cache): every commit waits for the disk twice.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import aiosqlite

from bot.storage.database import Database, open_sync, usable_path
from bot.storage.presence import Presence

T = TypeVar("T")


class PerWriteTransactions(Database):
    """BEGIN, the write's statements, COMMIT, on the aiosqlite connection's own thread, one write at a time."""

    def __init__(self, reader: aiosqlite.Connection, path: str, presence: Presence) -> None:
        super().__init__(reader, path, presence)
        self._one_at_a_time = asyncio.Lock()

    async def write(self, work: Callable[[sqlite3.Connection], T], *, touching: str | None = None) -> T:
        # `touching` lets the store's writer run writes of different channels side by side; here each waits anyway
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


class PerWriteTransactionsNoWal(PerWriteTransactions):
    """The same peer on a rollback journal with aiosqlite's defaults: no writer thread, no pragmas of ours."""

    def __init__(self, reader: aiosqlite.Connection, path: str, presence: Presence) -> None:
        # No writer connection (it would set WAL): only what the store reads of a Database.
        self.reader = reader
        self.path = path
        self.presence = presence
        self.instance = presence.instance
        self.batches = 0
        self._one_at_a_time = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        target = usable_path(path)
        presence = await asyncio.to_thread(Presence.take, target)
        migrated = open_sync(target)  # the real schema; then back to SQLite's default journal
        migrated.execute("PRAGMA journal_mode = DELETE")
        migrated.close()
        reader = await aiosqlite.connect(target, isolation_level=None)
        await reader.execute("PRAGMA synchronous = FULL")
        reader.row_factory = aiosqlite.Row
        return cls(reader, target, presence)

    async def journal_mode(self) -> str:
        row = await self.fetchone("PRAGMA journal_mode")
        return str(row[0]) if row else "?"

    async def close(self) -> None:
        await self.reader.close()
        self.presence.release()
