"""A stored database built for SQLite, bulk-loaded into PostgreSQL: every table's rows by COPY (the leaderboards
left out), then the leaderboards built by the store's own `REBUILD_LEADERBOARDS` through the connection that
takes SQLite's SQL, as on SQLite. Minutes of inserts through the use case become seconds."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg

from bot.storage.leaderboards import REBUILD_LEADERBOARDS
from bot.storage.postgres.connection import connect

_SKIPPED = {"leaderboards", "heartbeats", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}
# Parents before children (the foreign keys).
_FIRST = ("channels", "posts", "members", "answers")


def load(source: Path, url: str) -> dict[str, int]:
    """Copy `source` into the migrated, empty database at `url`; the rows copied per table."""
    plain = sqlite3.connect(source)
    names = {row[0] for row in plain.execute("SELECT name FROM sqlite_master WHERE type = 'table'")} - _SKIPPED
    ordered = [name for name in _FIRST if name in names] + sorted(names - set(_FIRST))
    copied: dict[str, int] = {}
    with psycopg.connect(url) as target:
        for table in ordered:
            columns = [row[1] for row in plain.execute(f"PRAGMA table_info({table})")]
            count = 0
            with target.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN".encode()) as copy:
                for row in plain.execute(f"SELECT {', '.join(columns)} FROM {table}"):
                    copy.write_row(row)
                    count += 1
            copied[table] = count
            if "id" in columns and count:
                target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), MAX(id)) FROM {table}".encode())
    plain.close()
    store_connection = connect(url)
    store_connection.execute("BEGIN")
    for statement in REBUILD_LEADERBOARDS:
        store_connection.execute(statement)
    store_connection.execute("COMMIT")
    store_connection.execute("VACUUM ANALYZE")
    store_connection.close()
    with psycopg.connect(url, autocommit=True) as target:
        _all_visible(target)
    return copied


# The tables whose pages are not all marked visible to every transaction.
_NOT_ALL_VISIBLE = (
    "SELECT relname FROM pg_class "
    "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relallvisible < relpages"
)


def _all_visible(target: psycopg.Connection[Any]) -> None:
    """Vacuum again the tables the first VACUUM left unmarked, so that a rank count is an index-only scan, not a
    heap fetch per entry counted. The first VACUUM, run while the autovacuum the COPY had started was still at
    work, once marked none of the leaderboards' pages: a server board's rank count took 35 ms (15,000 heap
    fetches) instead of a few."""
    for _ in range(3):
        tables = [row[0] for row in target.execute(_NOT_ALL_VISIBLE)]
        if not tables:
            return
        target.execute(f"VACUUM ANALYZE {', '.join(tables)}".encode())
