"""Opening the SQLite file with the settings studybot relies on, migrating it, and write transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.core.errors import StudybotError
from bot.storage.migrations import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


class DatabaseError(StudybotError):
    """The database cannot be opened or is newer than this version of studybot."""


def ts(when: datetime) -> str:
    """Store instants as sortable UTC ISO text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
)


def configure(connection: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        connection.execute(pragma)


def migrate(connection: sqlite3.Connection) -> int:
    """Apply pending migrations; return how many ran. Refuses a database from a newer studybot."""
    ran = 0
    while True:
        connection.execute("BEGIN IMMEDIATE")  # re-read inside the lock: another process may have migrated
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version >= LATEST_VERSION:
            connection.execute("COMMIT")
            break
        number = version + 1
        try:
            for statement in _statements(MIGRATIONS[number - 1]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        log.info("database migrated to schema version %d", number)
        ran += 1
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"the database is at schema version {version}, newer than this studybot knows ({LATEST_VERSION}): "
            "upgrade studybot, or restore a backup made by this version"
        )
    return ran


def _statements(script: str) -> list[str]:
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    return [statement for statement in statements if statement]


def schema_version(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return int(connection.execute("PRAGMA user_version").fetchone()[0])


def open_sync(path: Path | str) -> sqlite3.Connection:
    """A plain connection with studybot's settings, migrated (used by the CLI and benchmarks' baselines)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        configure(connection)
        migrate(connection)
    except sqlite3.DatabaseError as problem:
        connection.close()
        raise DatabaseError(f"cannot open database {path}: {problem}") from problem
    return connection


class Database:
    """One aiosqlite connection; writes go through `transaction()`, one at a time."""

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self.connection = connection
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        target = str(path)
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        # Migrate on a short-lived plain connection first: start-up only, and one code path with the CLI.
        await asyncio.to_thread(lambda: open_sync(target).close())
        try:
            connection = await aiosqlite.connect(target, isolation_level=None)
            for pragma in PRAGMAS:
                await connection.execute(pragma)
        except sqlite3.Error as problem:
            raise DatabaseError(f"cannot open database {target}: {problem}") from problem
        connection.row_factory = aiosqlite.Row
        return cls(connection, target)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        async with self._write_lock:
            await self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                await self.connection.execute("ROLLBACK")
                raise
            await self.connection.execute("COMMIT")

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> aiosqlite.Row | None:
        async with self.connection.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[aiosqlite.Row]:
        async with self.connection.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def close(self) -> None:
        async with self._write_lock:
            await self.connection.close()
