"""Opening the database, migrating it, and its write transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.storage.boards import Boards
from bot.storage.checkpoints import Checkpointer
from bot.storage.connections import BUSY_TIMEOUT_MS, PRAGMAS, DatabaseError, configure, connect, transaction
from bot.storage.migrations import LATEST_VERSION, MIGRATIONS

__all__ = ["Database", "DatabaseError", "open_sync", "parse_ts", "schema_version", "ts"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]


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


class WriteLockBusy(Exception):
    """Another connection holds SQLite's write lock right now."""


def _begin(connection: sqlite3.Connection, *, wait: bool) -> None:
    """Take the write lock; without `wait`, fail at once rather than block (the writer has busy_timeout 0)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as problem:
            if "locked" not in str(problem) and "busy" not in str(problem):
                raise
            if not wait:
                raise WriteLockBusy from problem
            if time.monotonic() > deadline:
                raise DatabaseError(f"the database stayed locked by another process for {BUSY_TIMEOUT_MS} ms") from None
            time.sleep(0.005)


def _do_batch(connection: sqlite3.Connection, batch: list[Work], *, wait: bool) -> list[tuple[bool, Any]]:
    """Open the write transaction and run the batch's work in it; the caller commits.

    When a piece of work fails, the transaction is rolled back and the batch run again with each piece in its
    own savepoint, so the failing one is rolled back alone and reports its own error.
    """
    _begin(connection, wait=wait)
    try:
        return [(True, work(connection)) for work in batch]
    except Exception:
        connection.execute("ROLLBACK")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    results: list[tuple[bool, Any]] = []
    _begin(connection, wait=True)
    try:
        for work in batch:
            connection.execute("SAVEPOINT work")
            try:
                results.append((True, work(connection)))
            except Exception as problem:
                connection.execute("ROLLBACK TO work")
                results.append((False, problem))
            connection.execute("RELEASE work")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return results


class Database:
    """The database file through three connections (and the checkpointer's), each with studybot's settings,
    and the leaderboards' file beside it (`boards`):

    - the **writer** (`write`): the one connection every write of the store goes through. Writes that arrive
      while a commit is in flight are grouped into the next transaction (group commit); each caller gets its
      own result only after that transaction has committed, so nothing is acknowledged before it is durable.
      The statements run on the loop's thread unless another process holds the write lock, in which case the
      batch waits for it on the writer thread; the commit (the WAL writes) always runs on the writer thread.
      After each commit the boards fold the new entries of the score log, on their own thread.
    - the **reader** (`fetchone`, `fetchall`): read on the event loop's thread, with the boards' file attached.
      In WAL mode a reader never waits for a writer, and an indexed read costs less than a hop to another
      thread. Reads of the standings first wait for the boards to catch up (`boards_caught_up`).
    - `connection` (aiosqlite) for `transaction()`, kept for callers that write step by step. It takes the
      same lock as the writer, so there is only ever one write transaction.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self.connection = connection
        self.path = path
        self._write_lock = asyncio.Lock()
        self.boards = Boards(path)
        self.reader = connect(path)
        self.reader.execute("ATTACH DATABASE ? AS boards", (self.boards.path,))
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-writer")
        self._writer = self._writer_thread.submit(connect, path).result()
        self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._writer.execute("PRAGMA busy_timeout = 0")  # see _begin: waiting happens off the loop
        self._checkpointer = Checkpointer(path)
        self._pending: list[tuple[Work, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self.batches = 0  # how many write transactions the writer has committed (for benchmarks and logs)

    @classmethod
    async def open(cls, path: Path | str) -> Database:
        target = str(path)
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        # Migrate on a short-lived plain connection first: start-up only, and one code path with the CLI.
        await asyncio.to_thread(lambda: open_sync(target).close())
        try:
            connection = await aiosqlite.connect(target, isolation_level=None)
            for pragma in (*PRAGMAS, "PRAGMA wal_autocheckpoint = 0"):
                await connection.execute(pragma)
            connection.row_factory = aiosqlite.Row
            return cls(connection, target)
        except sqlite3.Error as problem:
            raise DatabaseError(f"cannot open database {target}: {problem}") from problem

    # ------------------------------------------------------------------------------------- writes
    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work(connection)` in the writer's next transaction and return its result once committed.

        `work` is plain `sqlite3` on the writer's connection, no awaiting; it runs with other callers' work in
        one transaction. An exception it raises rolls back its own changes only and is raised here.
        """
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append((work, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def write_statement(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        """One statement (no RETURNING) in the writer's next transaction; its cursor, for `rowcount` and
        `lastrowid`, once committed."""
        return await self.write(lambda connection: connection.execute(sql, params))

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                async with self._write_lock:
                    works = [work for work, _ in batch]
                    try:
                        # The statements take microseconds, less than a hop to another thread, so they run
                        # here; the writer never waits for the lock on the loop's thread (busy_timeout 0).
                        results = _do_batch(self._writer, works, wait=False)
                    except WriteLockBusy:
                        # Another process is writing: wait for it on the writer thread, so the loop keeps
                        # serving the platform's heartbeat and events meanwhile.
                        results = await loop.run_in_executor(
                            self._writer_thread, partial(_do_batch, self._writer, works, wait=True)
                        )
                    # The commit writes the batch's pages to the WAL on the writer thread.
                    await loop.run_in_executor(self._writer_thread, self._commit)
                self.batches += 1
                self._checkpointer.written.set()
                self.boards.wake()
            except BaseException as problem:  # the commit itself failed: nobody's write is durable
                for _, future in batch:
                    if not future.done():
                        future.set_exception(problem if isinstance(problem, Exception) else DatabaseError(str(problem)))
                if not isinstance(problem, Exception):
                    raise
                continue
            for (_, future), (ok, value) in zip(batch, results, strict=True):
                if future.done():  # the caller gave up waiting; the write stands
                    continue
                if ok:
                    future.set_result(value)
                else:
                    future.set_exception(value)

    def _commit(self) -> None:
        """On the writer thread: COMMIT (or ROLLBACK of everything), then the WAL's turn."""
        try:
            self.boards.trim_log(self._writer)
            self._writer.execute("COMMIT")
        except BaseException:
            if self._writer.in_transaction:
                self._writer.execute("ROLLBACK")
            raise
        self._checkpointer.finish_checkpoint(self._writer)

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
            self._checkpointer.written.set()
            self.boards.wake()

    # -------------------------------------------------------------------------------------- reads
    async def boards_caught_up(self, *, patient: bool = False) -> None:
        """Wait until the boards hold every change of points committed so far (before reading standings)."""
        head = self.fetchone_now("SELECT coalesce(max(id), 0) FROM score_log")
        assert head is not None
        await self.boards.caught_up(int(head[0]), patient=patient)

    async def fetchone(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        return self.fetchone_now(sql, params)

    async def fetchall(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        return self.reader.execute(sql, params).fetchall()

    def fetchone_now(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        cursor = self.reader.execute(sql, params)
        try:
            return cursor.fetchone()
        finally:
            cursor.close()  # ends the read transaction, so checkpoints are never held back

    async def close(self) -> None:
        while self._flusher is not None and not self._flusher.done():
            await self._flusher
        async with self._write_lock:
            await self.connection.close()
            self._writer_thread.submit(self._writer.close).result()
            self._writer_thread.shutdown(wait=True)
            self.reader.close()
            self._checkpointer.stop()
            self.boards.close()
