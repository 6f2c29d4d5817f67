"""Opening the database once per process: migrated, with one writer and one reader.

- **One writer** (`write`): every write of the store is a function of a plain `sqlite3` connection, run on the
  writer's own thread. Writes that arrive while a transaction is being committed wait and go into the next one
  together (group commit); each caller gets its result only once that transaction has committed. A piece of
  work may read as well as write: a reply is judged on what the work reads, in the transaction that stores it.
  `python -m benchmarks --only ingest` compares this writer with one that commits each reply in its own aiosqlite
  transaction (figures in `benchmarks/RESULTS.md`). A piece of work that fails is rolled back alone (the batch is
  run again with a savepoint per piece).
- **One reader** (`fetchone`, `fetchall`): an aiosqlite connection, so reads run off the event loop's thread
  and the loop keeps serving the platform meanwhile; in WAL mode a reader never waits for the writer. Each read
  runs and is read to the end in one step on the reader's thread.
- **Checkpoints** are SQLite's own (`wal_autocheckpoint`, 1,000 pages by default) on the writer, which runs
  them after a commit on its own thread: the WAL stays bounded and no thread of ours copies it.

Threads: the event loop's, the writer's and the reader's, and asyncio's default executor, used once to migrate
at open (`python -m benchmarks --only commands` counts them at 200 replies/s). A read or write that honestly
takes one thread is simpler to reason about than statements on the loop and commits elsewhere, and the load the
product sees (bursts of 200 replies/s) leaves room.

Nothing read is kept between calls: several processes may share one file, and every read sees what any of
them committed.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.core.errors import StorageFull
from bot.storage.connections import PRAGMAS, DatabaseError, configure, connect, transaction
from bot.storage.migrations import LATEST_VERSION, MIGRATIONS
from bot.storage.presence import Presence, is_alive

__all__ = ["Database", "DatabaseError", "open_sync", "parse_ts", "schema_version", "ts"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]

# Files of the leaderboards' second database that studybot kept beside the main one before schema version 5.
_OLD_LEADERBOARD_FILES = ("-boards", "-boards-wal", "-boards-shm")


def ts(when: datetime) -> str:
    """Store instants as sortable UTC ISO text."""
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def migrate(connection: sqlite3.Connection) -> int:
    """Apply pending migrations; return how many ran. Refuses a database from a newer studybot."""
    ran = 0
    while True:
        with transaction(connection):  # the version is re-read inside the lock: another process may have migrated
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= LATEST_VERSION:
                break
            number = version + 1
            for statement in _statements(MIGRATIONS[number - 1]):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
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


def remove_old_leaderboard_files(path: Path | str) -> None:
    """Delete the second file older versions kept the leaderboards in: they live in the database itself now."""
    removed = [part for part in _OLD_LEADERBOARD_FILES if Path(f"{path}{part}").exists()]
    for part in removed:
        Path(f"{path}{part}").unlink(missing_ok=True)
    if removed:
        log.info("removed %s: the leaderboards are kept in %s itself now", f"{path}{removed[0]}", path)


def unwritable(folder: Path) -> str | None:
    """Why files cannot be made in `folder`, or None when they can."""
    if os.access(folder, os.W_OK):
        return None
    if os.statvfs(folder).f_flag & os.ST_RDONLY:
        return f"{folder} is on a read-only filesystem"
    return f"{folder} is not writable by this user"


def usable_path(path: Path | str) -> str:
    """The database file's path once its folder exists; a path that cannot hold it is a `DatabaseError` that
    says why (a folder named as the file, a folder that cannot be made or written), before SQLite is asked."""
    target = Path(path)
    if target.is_dir():
        raise DatabaseError(
            f"the database {target} is a folder: name a file instead, such as {target / 'studybot.db'} "
            "(STUDYBOT_DATABASE or `database` in the settings)"
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise DatabaseError(
            f"cannot make the folder {target.parent} for the database ({problem.strerror}): choose a path "
            "studybot may write (STUDYBOT_DATABASE or `database` in the settings)"
        ) from None
    # SQLite writes beside the file too (its -wal and -shm), as do the locks that say a bot is running.
    why = unwritable(target.parent.resolve()) or (unwritable(target) if target.exists() else None)
    if why is not None:
        raise DatabaseError(
            f"the database {target} cannot be written: {why}. Choose a path studybot may write "
            "(STUDYBOT_DATABASE or `database` in the settings)"
        )
    return str(target)


def open_sync(path: Path | str) -> sqlite3.Connection:
    """A plain connection with studybot's settings, migrated (used by the CLI and benchmarks' baselines)."""
    try:
        connection = sqlite3.connect(usable_path(path), isolation_level=None)
    except sqlite3.Error as problem:
        raise DatabaseError(
            f"cannot open the database {path} ({problem}): check that its folder exists and studybot may write it"
        ) from None
    try:
        configure(connection)
        migrate(connection)
    except sqlite3.DatabaseError as problem:
        connection.close()
        raise DatabaseError(f"cannot open database {path}: {problem}") from problem
    remove_old_leaderboard_files(path)
    return connection


def storage_error(problem: BaseException, path: str) -> BaseException:
    """`StorageFull` for SQLite's "database or disk is full" (SQLITE_FULL, what a full disk gives), else `problem`."""
    if isinstance(problem, sqlite3.Error) and problem.sqlite_errorcode == sqlite3.SQLITE_FULL:
        full = StorageFull(
            f"the disk holding the database {path} is full, so nothing more can be stored: free some space there; "
            "studybot keeps what it can meanwhile and goes on by itself once there is room"
        )
        full.__cause__ = problem
        return full
    return problem


def _run_batch(connection: sqlite3.Connection, batch: list[Work], begin: str) -> list[tuple[bool, Any]]:
    """On the writer thread: the batch in one transaction begun by `begin`, committed.

    When a piece of work fails, the transaction is rolled back and the batch run again with each piece in its
    own savepoint, so the failing one is rolled back alone and reports its own error.
    """
    try:
        with transaction(connection, begin):
            return [(True, work(connection)) for work in batch]
    except Exception:
        if len(batch) == 1:
            raise
    results: list[tuple[bool, Any]] = []
    with transaction(connection, begin):
        for work in batch:
            connection.execute("SAVEPOINT work")
            try:
                results.append((True, work(connection)))
            except Exception as problem:
                connection.execute("ROLLBACK TO work")
                results.append((False, problem))
            connection.execute("RELEASE work")
    return results


class Database:
    """The database file, opened once per process and shared by every store and the heartbeat.

    While it is open, `presence` tells other processes this one is alive (see `bot.storage.presence`), and
    `instance` is the name heartbeats and claimed posts carry."""

    def __init__(self, reader: aiosqlite.Connection, path: str, presence: Presence) -> None:
        self.reader = reader
        self.path = path
        self.presence = presence
        self.instance = presence.instance
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-writer")
        self._writer = self._writer_thread.submit(connect, path).result()
        self._pending: list[tuple[Work, asyncio.Future[Any], str | None]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0  # how many write transactions the writer has committed (for benchmarks and logs)

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        target = usable_path(path)
        presence = await asyncio.to_thread(Presence.take, target)  # waits out a restore in progress
        try:
            # Migrate on a short-lived plain connection first: start-up only, and one code path with the CLI.
            await asyncio.to_thread(lambda: open_sync(target).close())
            reader = await aiosqlite.connect(target, isolation_level=None)
            for pragma in PRAGMAS:
                await reader.execute(pragma)
            reader.row_factory = aiosqlite.Row
            return cls(reader, target, presence)
        except sqlite3.Error as problem:
            presence.release()
            raise DatabaseError(f"cannot open database {target}: {problem}") from problem
        except BaseException:
            presence.release()
            raise

    # ------------------------------------------------------------------------------------- writes
    async def write(self, work: Callable[[sqlite3.Connection], T], *, touching: str | None = None) -> T:
        """Run `work(connection)` in the writer's next transaction and return its result once committed.

        `work` is plain `sqlite3` on the writer's connection, on the writer's thread, no awaiting; it runs with
        other callers' work in one transaction. An exception it raises rolls back its own changes only and is
        raised here. Everything one event changes belongs in one `work`, so it is stored whole or not at all.

        `touching` names all that `work` reads to decide and writes (such as one channel's posts), when that is
        little: it then waits only for other writes touching the same, where the database lets several
        processes write at once (PostgreSQL's `_begin`). Without it, `work` waits for every other write.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future, touching))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def write_statement(
        self, sql: str, params: tuple[object, ...] = (), *, touching: str | None = None
    ) -> sqlite3.Cursor:
        """One statement (no RETURNING) in the writer's next transaction; its cursor, for `rowcount` and
        `lastrowid`, once committed. `touching` as for `write`."""
        return await self.write(lambda connection: connection.execute(sql, params), touching=touching)

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending, []
            works = [work for work, _, _ in batch]
            begin = self._begin([touching for _, _, touching in batch])
            try:
                results = await loop.run_in_executor(self._writer_thread, _run_batch, self._writer, works, begin)
            except Exception as problem:  # the transaction itself failed: nobody's write is durable
                for _, future, _ in batch:
                    if not future.done():
                        future.set_exception(storage_error(problem, self.path))
                continue
            self.batches += 1
            for (_, future, _), (ok, value) in zip(batch, results, strict=True):
                if future.done():  # the caller gave up waiting; the write stands
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(storage_error(value, self.path))

    def _begin(self, touching: list[str | None]) -> str:
        """How a transaction of work touching these begins: on SQLite, one writer at a time, whatever it touches."""
        return "BEGIN IMMEDIATE"

    async def keep_presence(self) -> None:
        """Nothing to do on SQLite: the file lock holds while the process lives."""

    async def is_alive(self, instance: str) -> bool:
        """True while the process that opened the database as `instance` still runs (see `bot.storage.presence`)."""
        return is_alive(self.path, instance)

    # -------------------------------------------------------------------------------------- reads
    async def fetchone(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> sqlite3.Row | None:
        found = await self.fetchall(sql, params)
        return found[0] if found else None

    async def fetchall(self, sql: str, params: tuple[object, ...] | dict[str, object] = ()) -> list[sqlite3.Row]:
        """Run and read to the end in one step on the reader's thread. A cursor left open between two awaits
        would keep the reader's snapshot for every read sharing the connection meanwhile, and under a steady
        stream of reads they would stop seeing new writes."""
        return list(await self.reader.execute_fetchall(sql, params))

    async def close(self) -> None:
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        await self.reader.close()
        self._writer_thread.submit(self._writer.close).result()
        self._writer_thread.shutdown(wait=True)
        self.presence.release()
