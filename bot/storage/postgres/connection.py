"""A psycopg connection that the store's SQLite-shaped work functions can use as they use `sqlite3`'s.

Work functions call `execute(sql, params)` and read rows by column name or position; this wrapper gives them
that on PostgreSQL, translating each statement (`bot.storage.postgres.dialect`) and each error into the
`sqlite3` error a caller already handles (a broken constraint is an `IntegrityError` on both engines).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psycopg
from psycopg.rows import RowMaker

from bot.storage.postgres.dialect import translate


class Row(tuple[Any, ...]):
    """A result row read by position or by column name, as `sqlite3.Row` is."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names in order (a repeated name once)."""
        return list(self._names)


# psycopg prepares a statement run five times on a connection, and PostgreSQL may then keep one generic plan for
# it, made from the tables' statistics at the time. On a database still filling (a new deployment's first fan-out
# claims thousands of posts within a minute, before autovacuum has analysed anything) that plan scans a table it
# took for empty, and each run gets slower as the table grows. Planning each run for its own values keeps the
# indexes in use; psycopg's preparing still saves parsing.
PLANNING = "SET plan_cache_mode = force_custom_plan"


def rows_by_name(cursor: psycopg.Cursor[Any] | psycopg.AsyncCursor[Any]) -> RowMaker[Row]:
    names: dict[str, int] = {}
    for index, column in enumerate(cursor.description or ()):
        names.setdefault(column.name, index)  # a name given twice reads the first, as in sqlite3.Row
    return lambda values: Row(values, names)


def sqlite_error(problem: psycopg.Error) -> sqlite3.Error:
    """The `sqlite3` error the same failure gives on SQLite, with PostgreSQL's message."""
    kind: type[sqlite3.Error]
    if isinstance(problem, psycopg.errors.IntegrityError):
        kind = sqlite3.IntegrityError
    elif isinstance(problem, psycopg.OperationalError):
        kind = sqlite3.OperationalError
    else:
        kind = sqlite3.DatabaseError
    error = kind(str(problem).strip())
    # Read by `bot.storage.database.storage_error`: a full disk is a full disk on either engine.
    error.sqlite_errorcode = sqlite3.SQLITE_FULL if isinstance(problem, psycopg.errors.DiskFull) else 0
    error.__cause__ = problem
    return error


class Cursor:
    def __init__(self, cursor: psycopg.Cursor[Row]) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> Cursor:
        statement, values = translate(sql, params)
        try:
            self._cursor.execute(statement.encode(), values)
        except psycopg.Error as problem:
            raise sqlite_error(problem) from problem
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> Cursor:
        """One statement for many rows, sent together (psycopg pipelines them): a bulk copy is not a round trip
        per row."""
        if not rows:
            return self
        statement, _ = translate(sql, rows[0])
        values = [translate(sql, params)[1] for params in rows]
        try:
            self._cursor.executemany(statement.encode(), values)  # type: ignore[arg-type]
        except psycopg.Error as problem:
            raise sqlite_error(problem) from problem
        return self

    def fetchmany(self, size: int) -> list[Row]:
        return self._cursor.fetchmany(size) if self._cursor.description else []

    def fetchone(self) -> Row | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Row]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> None:
        return None  # PostgreSQL has none: statements that need the new id say RETURNING id

    def close(self) -> None:
        self._cursor.close()


class Connection:
    """The writer's connection (autocommit: the writer says BEGIN and COMMIT itself, as on SQLite).

    A connection the server dropped (a restart, a failover, an operator's pg_terminate_backend) fails the
    transaction it was in; the next statement connects again, so the bot carries on by itself."""

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        self._url, self._options = url, options
        self.raw = self._connect()

    def _connect(self) -> psycopg.Connection[Row]:
        try:
            connection = psycopg.connect(self._url, autocommit=True, row_factory=rows_by_name, **self._options)
            connection.execute(PLANNING)
            return connection
        except psycopg.Error as problem:
            raise sqlite_error(problem) from problem

    def cursor(self) -> Cursor:
        if self.raw.broken or self.raw.closed:
            self.raw = self._connect()
        return Cursor(self.raw.cursor())

    def execute(self, sql: str, params: Sequence[object] | Mapping[str, object] = ()) -> Cursor:
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[object]]) -> Cursor:
        return self.cursor().executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        status = psycopg.pq.TransactionStatus
        return self.raw.info.transaction_status in (status.ACTIVE, status.INTRANS, status.INERROR)

    def close(self) -> None:
        self.raw.close()


def connect(url: str, **options: Any) -> Connection:
    return Connection(url, options)
