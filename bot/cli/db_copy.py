"""`studybot db copy SOURCE TARGET`: a group's whole history from one database to another, either engine.

SOURCE and TARGET are each a SQLite file or a `postgresql://` URL. The target is migrated, must hold no
history yet, and is written in one transaction: a copy that fails leaves it as empty as it was. Once written,
every table's row count and every leaderboard's totals are read back on both sides and must agree.
Heartbeats are not copied: they belong to the bots running on the source.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.config import ConfigError
from bot.storage.connections import DatabaseError, transaction
from bot.storage.database import open_sync
from bot.storage.postgres.connection import connect as connect_postgres
from bot.storage.postgres.database import is_postgres, migrate, redacted

# Parents before children (the foreign keys); the other tables follow in name order.
_FIRST = ("channels", "posts", "members", "answers", "reactions")
_NOT_COPIED = {"heartbeats", "schema_migrations", "sqlite_sequence"}
_CHUNK = 5_000
_TOTALS = (
    "SELECT scope, period, period_key, SUM(points), SUM(answers) FROM leaderboards GROUP BY scope, period, period_key"
)


def add_parser(actions: Any) -> None:
    copy = actions.add_parser(
        "copy",
        help="copy every group's history to another database (SQLite file or postgresql:// URL)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    copy.add_argument("source", help="the SQLite file or postgresql:// URL to copy from")
    copy.add_argument("target", help="the SQLite file or postgresql:// URL to copy to; it must hold no history")
    copy.set_defaults(handler=run_copy)


def name(location: str) -> str:
    return redacted(location) if is_postgres(location) else location


@contextlib.contextmanager
def opened(location: str, *, create: bool) -> Iterator[Any]:
    """A migrated connection to either engine, taking SQLite's SQL."""
    try:
        if is_postgres(location):
            migrate(location)
            connection: Any = connect_postgres(location)
        else:
            if not create and not Path(location).is_file():
                raise ConfigError(f"there is no database at {location} to copy")
            connection = open_sync(location)
            connection.row_factory = sqlite3.Row
    except DatabaseError as problem:
        raise ConfigError(str(problem)) from None
    except sqlite3.Error as problem:
        raise ConfigError(f"cannot open {name(location)}: {problem}") from None
    try:
        yield connection
    finally:
        connection.close()


def tables(connection: Any, location: str) -> list[str]:
    if is_postgres(location):
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    found = {row[0] for row in connection.execute(sql).fetchall()} - _NOT_COPIED
    return [table for table in _FIRST if table in found] + sorted(found - set(_FIRST))


def counts(connection: Any, names: list[str]) -> dict[str, int]:
    return {table: int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]) for table in names}


def totals(connection: Any) -> dict[tuple[str, str, str], tuple[int, int]]:
    return {(row[0], row[1], row[2]): (int(row[3]), int(row[4])) for row in connection.execute(_TOTALS).fetchall()}


def _copy_table(source: Any, target: Any, table: str) -> None:
    cursor = source.execute(f"SELECT * FROM {table}")
    while batch := cursor.fetchmany(_CHUNK):
        columns = list(batch[0].keys())
        target.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(row) for row in batch],
        )


def _advance_ids(target: Any, location: str, names: list[str]) -> None:
    """On PostgreSQL, each copied table's id sequence continues after the ids copied into it."""
    if not is_postgres(location):
        return
    found = target.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'"
    ).fetchall()
    for table in sorted({row[0] for row in found} & set(names)):
        target.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table} HAVING MAX(id) IS NOT NULL"
        )


def copy(source_location: str, target_location: str) -> dict[str, int]:
    """Copy and check; the rows copied per table."""
    if name(source_location) == name(target_location):
        raise ConfigError("the source and the target are the same database: name another target")
    with opened(source_location, create=False) as source, opened(target_location, create=True) as target:
        names = tables(source, source_location)
        missing = sorted(set(names) - set(tables(target, target_location)))
        if missing:
            raise ConfigError(f"{name(target_location)} has no table {missing[0]}: upgrade studybot where it runs")
        held = {table: rows for table, rows in counts(target, names).items() if rows}
        if held:
            table, rows = next(iter(held.items()))
            raise ConfigError(
                f"{name(target_location)} already holds history ({rows} rows in {table}): copy only into an empty "
                "database, so nothing there is mixed with or overwritten by the copy"
            )
        snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ" if is_postgres(source_location) else "BEGIN"
        with transaction(source, snapshot), transaction(target):  # one snapshot read; one transaction written
            for table in names:
                _copy_table(source, target, table)
            _advance_ids(target, target_location, names)
            copied, written = counts(source, names), counts(target, names)
            if copied != written:
                differ = next(table for table in names if copied[table] != written[table])
                raise ConfigError(
                    f"the copy of {differ} has {written[differ]} rows, the source {copied[differ]}: nothing was kept"
                )
            if totals(source) != totals(target):
                raise ConfigError("the copied leaderboards' totals differ from the source's: nothing was kept")
    return copied


def run_copy(args: argparse.Namespace) -> int:
    try:
        copied = copy(args.source, args.target)
    except sqlite3.Error as problem:
        raise ConfigError(f"the copy failed and nothing was kept: {problem}") from None
    answers = copied.get("answers", 0)
    print(
        f"copied {name(args.source)} to {name(args.target)}: {sum(copied.values())} rows in {len(copied)} tables "
        f"({copied.get('channels', 0)} channels, {copied.get('posts', 0)} posts, {answers} answers); row counts "
        "and leaderboard totals agree on both sides"
    )
    return 0
