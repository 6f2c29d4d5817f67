"""A connection to one of studybot's SQLite files, with the settings studybot relies on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from bot.core.errors import StudybotError

BUSY_TIMEOUT_MS = 10_000


class DatabaseError(StudybotError):
    """The database cannot be opened or is newer than this version of studybot."""


PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    # Hot pages of the leaderboards and indexes stay in memory: the default 2 MB cache made every
    # leaderboard upsert reach for the OS. Read through a memory map (no copy per page).
    "PRAGMA cache_size = -32768",
    "PRAGMA mmap_size = 268435456",
    "PRAGMA temp_store = MEMORY",
)


def configure(connection: sqlite3.Connection) -> None:
    for pragma in PRAGMAS:
        connection.execute(pragma)


def connect(path: str, *, page_size: int | None = None) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        if page_size is not None:  # only a new file takes it, and only before it is in WAL mode
            connection.execute(f"PRAGMA page_size = {int(page_size)}")
        configure(connection)
    except BaseException:
        connection.close()
        raise
    connection.row_factory = sqlite3.Row
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[None]:
    """COMMIT once the block ends; ROLLBACK if it (or the COMMIT) fails."""
    connection.execute(begin)
    try:
        yield
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
