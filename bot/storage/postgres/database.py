"""`PostgresDatabase`: the store's `Database` on PostgreSQL, selected by a `postgresql://` location.

The same shape as on SQLite (`bot.storage.database`), so every store module runs unchanged on both engines:

- **One writer**: the same group commit, the same work functions, run on the writer's thread on a psycopg
  connection wrapped to take SQLite's SQL (`bot.storage.postgres.connection`). Each transaction first takes
  advisory locks (`bot.storage.postgres.write_locks`), so a work function that reads then writes is never
  interleaved with another instance's: one writer at a time across instances, as on SQLite, except for work that
  names the little it touches, which waits only for work touching the same.
- **One reader**: a psycopg async connection in autocommit, so every read sees what any instance committed.
- **Presence**: advisory locks on a connection of its own (`bot.storage.postgres.presence`).

Why psycopg 3 and not asyncpg: the store's writes are plain DB-API work functions run on a writer thread, and
psycopg's synchronous connection runs them as they are; asyncpg has no synchronous API, so every query would
have been written a second time.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import psycopg

from bot.storage.connections import DatabaseError
from bot.storage.database import Database
from bot.storage.postgres import presence, write_locks
from bot.storage.postgres.connection import PLANNING, Row, connect, rows_by_name, sqlite_error
from bot.storage.postgres.dialect import translate
from bot.storage.postgres.migrations import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)"
# One migrating instance at a time: the others wait, then find nothing left to do.
_MIGRATION_LOCK = f"SELECT pg_advisory_xact_lock({presence.NAMESPACE}, -1)"


def is_postgres(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password, to name the database in messages and logs."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:  # unreadable: say only which engine, since a password may be anywhere in it
        return "postgresql://(a URL that cannot be read)"
    host, name = info.get("host") or "localhost", info.get("dbname") or ""
    return f"postgresql://{info.get('user') or ''}@{host}:{info.get('port') or 5432}/{name}".replace("//@", "//")


def schema_version(connection: psycopg.Connection[Any]) -> int:
    found = connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
    return int(found[0]) if found else 0


def migrate(url: str) -> int:
    """Apply pending migrations; return how many ran. Refuses a database from a newer studybot, or one that cannot
    be reached, with a `DatabaseError` that names it without its password."""
    try:
        return _migrate(url)
    except psycopg.Error as problem:
        raise DatabaseError(f"cannot open the database {redacted(url)}: {_first_line(problem)}") from None


def _migrate(url: str) -> int:
    ran = 0
    with psycopg.connect(url, autocommit=True) as connection, connection.transaction():
        connection.execute(_MIGRATION_LOCK)
        connection.execute(_VERSION_TABLE)
        version = schema_version(connection)
        for number in range(version + 1, LATEST_VERSION + 1):
            connection.execute(MIGRATIONS[number - 1].encode())
            connection.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (%s, now()::text)", [number])
            log.info("database migrated to schema version %d", number)
            ran += 1
    if version > LATEST_VERSION:
        raise DatabaseError(
            f"the database {redacted(url)} is at schema version {version}, newer than this studybot knows "
            f"({LATEST_VERSION}): upgrade studybot, or restore a backup made by this version"
        )
    return ran


class PostgresDatabase(Database):
    """The PostgreSQL database, opened once per process and shared by every store and the heartbeat."""

    def __init__(self, reader: psycopg.AsyncConnection[Row], url: str, hold: presence.PostgresPresence) -> None:
        self.pg_reader = reader
        self.path = redacted(url)
        self.url = url
        self.pg_presence = hold
        self.instance = hold.instance
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-writer")
        # The store's work functions are typed for `sqlite3.Connection`; the wrapper answers the part they use.
        options = {"application_name": presence.application_name(hold.instance), **presence.KEEPALIVE}
        self._writer = cast(sqlite3.Connection, self._writer_thread.submit(connect, url, **options).result())
        self._pending = []
        self._flusher = None
        self.batches = 0

    @classmethod
    async def open(cls, path: Any) -> PostgresDatabase:
        url = str(path)
        try:
            hold = await asyncio.to_thread(presence.PostgresPresence.take, url)
        except psycopg.Error as problem:
            raise DatabaseError(f"cannot open the database {redacted(url)}: {_first_line(problem)}") from None
        try:
            await asyncio.to_thread(migrate, url)
            return cls(await _connect_reader(url, hold.instance), url, hold)
        except (psycopg.Error, sqlite3.Error) as problem:
            hold.release()
            raise DatabaseError(f"cannot open the database {redacted(url)}: {_first_line(problem)}") from None
        except BaseException:
            hold.release()
            raise

    def _begin(self, touching: list[str | None]) -> str:
        return write_locks.begin(touching)

    async def is_alive(self, instance: str) -> bool:
        """True while the instance that opened the database under this name still has it open."""
        params = presence.lock_held(instance)
        found = None if params is None else await self.fetchone(presence.HELD, params)
        return bool(found and found[0])

    async def keep_presence(self) -> None:
        """Take this instance's presence lock again if the server dropped its connection (called with every
        heartbeat), so the other instances see it alive again."""
        await asyncio.to_thread(self.pg_presence.keep)

    async def fetchall(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[Any]:
        statement, values = translate(sql, cast(Sequence[object] | Mapping[str, object], params))
        try:
            if self.pg_reader.broken or self.pg_reader.closed:  # the server dropped it: this read connects again
                self.pg_reader = await _connect_reader(self.url, self.instance)
            cursor = await self.pg_reader.execute(statement.encode(), values)
            return await cursor.fetchall() if cursor.description else []
        except psycopg.Error as problem:
            raise sqlite_error(problem) from problem

    async def close(self) -> None:
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        await self.pg_reader.close()
        self._writer_thread.submit(self._writer.close).result()
        self._writer_thread.shutdown(wait=True)
        self.pg_presence.release()


async def _connect_reader(url: str, instance: str) -> psycopg.AsyncConnection[Row]:
    reader = await psycopg.AsyncConnection.connect(
        url,
        autocommit=True,
        row_factory=rows_by_name,
        application_name=presence.application_name(instance),
        **presence.KEEPALIVE,
    )
    await reader.execute(PLANNING)
    return reader


def _first_line(problem: BaseException) -> str:
    return (str(problem).strip().splitlines() or [type(problem).__name__])[0]
