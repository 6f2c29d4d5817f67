"""Opening the SQLite file with the settings studybot relies on, migrating it, and write transactions."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from bot.core.errors import StudybotError
from bot.storage.migrations import LATEST_VERSION, MIGRATIONS

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[sqlite3.Connection], Any]

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
    # Hot pages of the score aggregates and indexes stay in memory: the default 2 MB cache made every
    # score upsert reach for the OS. Read through a memory map (no copy per page).
    "PRAGMA cache_size = -32768",
    "PRAGMA mmap_size = 268435456",
    "PRAGMA temp_store = MEMORY",
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


def _connect(path: str) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    configure(connection)
    connection.row_factory = sqlite3.Row
    return connection


CHECKPOINT_EVERY_S = 0.5
# Past this many frames (about 128 MB) the writer finishes the checkpoint itself, so the WAL starts over. Each
# finish holds writes up for a few to tens of milliseconds: 32,768 against 8,192 took ingest p99 from 68 to 57 ms.
WAL_RESTART_FRAMES = 32768
CAUGHT_UP_S = 0.01


class _Checkpointer:
    """Copies the WAL back into the database file from its own thread, off the write path.

    With SQLite's automatic checkpoints, the commit that crosses 1,000 WAL pages copies them and syncs the
    file, stalling every write queued behind it. Here the writer never checkpoints (`wal_autocheckpoint = 0`)
    and this thread runs a PASSIVE checkpoint (it never blocks readers or the writer) twice a second after
    writes. SQLite also checkpoints when the last connection closes.

    A checkpoint running beside a busy writer never catches up with it, and SQLite only starts the WAL over
    when a write transaction begins with every frame copied back; without that the WAL grows for as long as
    writes keep coming (gigabytes in an hour of steady replies, each commit slower than the last). So when
    the WAL is longer than `WAL_RESTART_FRAMES`, this thread sets `wal_is_long` and the writer, between two
    of its transactions, copies the few frames still left (`finish_checkpoint`).
    """

    def __init__(self, path: str) -> None:
        self._connection = _connect(path)
        self._stop = threading.Event()
        self.written = threading.Event()
        self.wal_is_long = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studybot-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(CHECKPOINT_EVERY_S):
            if not self.written.is_set():
                continue
            self.written.clear()
            try:
                if self._checkpoint() > WAL_RESTART_FRAMES:
                    # Catch up with the writer first (each pass copies what came during the one before, so
                    # they get shorter), leaving it only a few milliseconds' worth of frames to copy.
                    for _ in range(10):
                        started = time.monotonic()
                        self._checkpoint()
                        if time.monotonic() - started < CAUGHT_UP_S or self._stop.is_set():
                            break
                    self.wal_is_long.set()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed", exc_info=True)
        self._connection.close()

    def _checkpoint(self) -> int:
        """A PASSIVE checkpoint; returns how many frames the WAL holds."""
        _, frames, _ = self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(frames)

    def finish_checkpoint(self, writer: sqlite3.Connection) -> None:
        """On the writer's thread, between transactions: no frame is added while this copies the rest."""
        if self.wal_is_long.is_set():
            self.wal_is_long.clear()
            try:
                writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


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
    """The SQLite file through three connections (and the checkpointer's), each with studybot's settings:

    - the **writer** (`write`): the one connection every write of the store goes through. Writes that arrive
      while a commit is in flight are grouped into the next transaction (group commit); each caller gets its
      own result only after that transaction has committed, so nothing is acknowledged before it is durable.
      The statements run on the loop's thread unless another process holds the write lock, in which case the
      batch waits for it on the writer thread; the commit (the WAL writes) always runs on the writer thread,
      after the steps registered with `before_each_commit` (the store sums its score changes there).
    - the **reader** (`fetchone`, `fetchall`): read on the event loop's thread. In WAL mode a reader never
      waits for the writer, and an indexed read costs less than a hop to another thread.
    - `connection` (aiosqlite) for `transaction()`, kept for callers that write step by step. It takes the
      same lock as the writer, so there is only ever one write transaction.
    """

    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self.connection = connection
        self.path = path
        self._write_lock = asyncio.Lock()
        self.reader = _connect(path)
        self._writer_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="studybot-writer")
        self._writer = self._writer_thread.submit(_connect, path).result()
        self._writer.execute("PRAGMA wal_autocheckpoint = 0")
        self._writer.execute("PRAGMA busy_timeout = 0")  # see _begin: waiting happens off the loop
        self._checkpointer = _Checkpointer(path)
        self._before_commit: list[Work] = []
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
    def before_each_commit(self, step: Work, *, setup: Work | None = None) -> None:
        """Run `step(connection)` at the end of every write transaction of `write`, right before it commits.

        It runs on the writer thread, where SQLite's work does not hold the event loop up; a step that raises
        rolls the whole transaction back. `setup` runs once on the writer's connection first (to create a
        temporary table the step reads, say).
        """
        if setup is not None:
            self._writer_thread.submit(setup, self._writer).result()
        self._before_commit.append(step)

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
        """On the writer thread: the before-commit steps, COMMIT (or ROLLBACK of everything), then the WAL's turn."""
        try:
            for step in self._before_commit:
                step(self._writer)
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

    # -------------------------------------------------------------------------------------- reads
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
