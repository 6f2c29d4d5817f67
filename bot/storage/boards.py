"""The leaderboards' file: score aggregates and their ranking, folded from the answers' log on a thread of its own.

Keeping an answer's 8 board rows and their ranking up to date was most of the work of storing it, and SQLite
has one writer per file. So the boards live in a second file beside the database (`<database>-boards`), with a
connection and a thread of their own: the answers' writer only appends to `score_log`, and this thread folds
the entries it has not folded yet into `scores`, many at a time, while the next answers are being written.

The file holds nothing the answers cannot give again. When it is missing, of another version, folded from
another database, or ahead of the log (an older backup was restored), it is rebuilt from the answers. A read of
the standings first waits until every entry committed before it is folded (`caught_up`), so a member who has
just answered sees their points. Folding is safe with several processes on one database: each fold takes the
file's write lock and starts after the entry the file itself records.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
from pathlib import Path

from bot.storage.checkpoints import Checkpointer
from bot.storage.connections import DatabaseError, connect, transaction
from bot.storage.scores import BOARDS_SCHEMA, BOARDS_VERSION, FOLD_LOG, RANKING_INDEX, REBUILD_FROM_ANSWERS

log = logging.getLogger(__name__)

FOLD_AT_LEAST_EVERY_S = 0.5
# A read of the standings waits this long for the boards to catch up, then says why it cannot answer yet.
CATCH_UP_WAIT_S = 10.0
# Each fold moves rows and index entries all over the file, and every page it touches is written to the WAL
# and copied back: with pages of 1 KB instead of 4 KB there is a quarter as much to copy (ingest +15%).
PAGE_SIZE = 1024

# A read waiting for the boards: the last log entry it needs folded, and where to tell it.
_Waiter = tuple[int, asyncio.AbstractEventLoop, asyncio.Future[None]]


def boards_path(database_path: str) -> str:
    return f"{database_path}-boards"


def remove_boards_file(path: str) -> None:
    """Delete a boards file with its WAL and shared memory; the next start rebuilds it from the answers."""
    for part in (path, f"{path}-wal", f"{path}-shm"):
        Path(part).unlink(missing_ok=True)


class Boards:
    def __init__(self, database_path: str) -> None:
        self.path = boards_path(database_path)
        self._connection = _open_or_replace(self.path)
        self._connection.execute("ATTACH DATABASE ? AS source", (database_path,))
        self._checkpointer = Checkpointer(self.path)
        self.folded_upto = -1  # the last log entry folded; -1 until the thread has caught up once
        self._trimmed_below = 0
        self._waiting: list[_Waiter] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studybot-boards", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """New log entries were committed."""
        self._wake.set()

    async def caught_up(self, head: int, *, patient: bool = False) -> None:
        """Return once every log entry up to `head` is folded into the boards; unless `patient`, give up with
        an error after `CATCH_UP_WAIT_S` (a rebuild takes longer than a member should wait for an answer)."""
        if self.folded_upto >= head:
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if self.folded_upto >= head:
                return
            self._waiting.append((head, loop, future))
        self._wake.set()
        try:
            await asyncio.wait_for(future, None if patient else CATCH_UP_WAIT_S)
        except TimeoutError:
            raise DatabaseError(
                "the leaderboards are still being brought up to date (after an upgrade or a restore they are rebuilt "
                "from the answers): try again in a minute"
            ) from None

    def trim_log(self, connection: sqlite3.Connection) -> None:
        """On the answers' writer, in its transaction: drop the log entries already folded.

        The last folded entry stays, so the log's next id is never one the boards have already folded."""
        upto = self.folded_upto
        if upto > self._trimmed_below:
            connection.execute("DELETE FROM score_log WHERE id < ?", (upto,))
            self._trimmed_below = upto

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join()
        self._checkpointer.stop()

    # --------------------------------------------------------------------------- the boards' thread
    def _run(self) -> None:
        try:
            while True:
                self._wake.wait(FOLD_AT_LEAST_EVERY_S)
                self._wake.clear()
                stopping = self._stop.is_set()
                with self._lock:
                    waiting_before = len(self._waiting)
                try:
                    self._catch_up()
                except Exception as problem:  # tried again at the next read or commit
                    log.warning("the leaderboards could not be brought up to date", exc_info=True)
                    self._fail_waiting(waiting_before, problem)
                else:
                    self._answer_waiting()
                if stopping:
                    return
                self._checkpointer.finish_checkpoint(self._connection)
        finally:
            self._connection.close()

    def _catch_up(self) -> None:
        connection = self._connection
        with transaction(connection, "BEGIN"):
            # Write first, so the file's write lock is held before its position is read: a second process
            # folding the same log waits here, then starts where this one ended. (Writing the same value
            # back dirties no page, so a fold with nothing to do writes nothing.)
            connection.execute("UPDATE folded SET upto = upto")
            source, upto = connection.execute("SELECT source, upto FROM folded").fetchone()
            identity = connection.execute("SELECT token FROM source.identity").fetchone()[0]
            head = connection.execute("SELECT coalesce(max(id), 0) FROM source.score_log").fetchone()[0]
            if source != identity or upto > head:
                _rebuild(connection)
            elif head > upto:
                connection.execute(FOLD_LOG, (upto, head))
            changed = (source, upto) != (identity, head)
            if changed:
                connection.execute("UPDATE folded SET source = ?, upto = ?", (identity, head))
        if changed:
            self._checkpointer.written.set()
        self.folded_upto = head

    def _answer_waiting(self) -> None:
        with self._lock:
            ready = [waiter for waiter in self._waiting if waiter[0] <= self.folded_upto]
            self._waiting = [waiter for waiter in self._waiting if waiter[0] > self.folded_upto]
        self._settle_all(ready, None)

    def _fail_waiting(self, waiting_before: int, failure: Exception) -> None:
        """Fail the reads that were waiting when the failed fold began. A read that came in during it waits
        for the next fold instead, which it has woken: whatever it was waiting for may have been fixed."""
        with self._lock:
            # Only this thread removes waiters and reads only append, so those first ones are still first.
            ready, self._waiting = self._waiting[:waiting_before], self._waiting[waiting_before:]
        self._settle_all(ready, failure)

    @staticmethod
    def _settle_all(ready: list[_Waiter], failure: Exception | None) -> None:
        for _, loop, future in ready:
            with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_settle, future, failure)


def _rebuild(connection: sqlite3.Connection) -> None:
    """Every board from the answers, in the caller's transaction; the ranking is indexed once at the end."""
    log.info("rebuilding the leaderboards from the answers")
    started = time.monotonic()
    connection.execute("DROP INDEX scores_ranked")
    connection.execute("DELETE FROM scores")
    for statement in REBUILD_FROM_ANSWERS:
        connection.execute(statement)
    connection.execute(RANKING_INDEX)
    log.info("leaderboards rebuilt in %.1f s", time.monotonic() - started)


def _settle(future: asyncio.Future[None], failure: Exception | None) -> None:
    if future.done():
        return
    if failure is None:
        future.set_result(None)
    else:
        future.set_exception(_unavailable(failure))


def _unavailable(failure: Exception) -> DatabaseError:
    return DatabaseError(f"the leaderboards could not be brought up to date: {failure}")


def _open_or_replace(path: str) -> sqlite3.Connection:
    """The boards file with this version's schema; one that is not a database any more is started afresh."""
    try:
        return _open(path)
    except sqlite3.DatabaseError as problem:
        log.warning("the leaderboards file %s is unreadable (%s): it is rebuilt from the answers", path, problem)
    remove_boards_file(path)
    try:
        return _open(path)
    except sqlite3.Error as problem:
        raise DatabaseError(f"cannot create the leaderboards file {path}: {problem}") from None


def _open(path: str) -> sqlite3.Connection:
    connection = connect(path, page_size=PAGE_SIZE)
    try:
        connection.execute("PRAGMA wal_autocheckpoint = 0")
        _create_schema(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def _create_schema(connection: sqlite3.Connection) -> None:
    """Give the file this version's schema; one of another version is emptied, to be rebuilt."""
    with transaction(connection):
        if connection.execute("PRAGMA user_version").fetchone()[0] != BOARDS_VERSION:
            tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            for (name,) in tables:
                connection.execute(f'DROP TABLE "{name}"')
            for statement in BOARDS_SCHEMA:
                connection.execute(statement)
            connection.execute("INSERT INTO folded (source, upto) VALUES ('', -1)")
            connection.execute(f"PRAGMA user_version = {BOARDS_VERSION}")
