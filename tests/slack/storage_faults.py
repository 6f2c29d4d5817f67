"""Faults injected into the real database the bot writes to: its writer connection, not our own code."""

from __future__ import annotations

import sqlite3

from bot.storage.store import SqliteStore


async def fail_next_insert(store: SqliteStore, table: str, *, times: int = 1) -> list[str]:
    """The next `times` inserts into `table` fail as a failing disk would; returns the failures seen so far.

    A temporary trigger on the writer's connection calls a function that raises, so the bot's write is rolled
    back by SQLite itself, the way a real I/O error is."""
    failures: list[str] = []

    def maybe_fail() -> int:
        if len(failures) < times:
            failures.append(table)
            raise sqlite3.OperationalError("disk I/O error")
        return 0

    def install(connection: sqlite3.Connection) -> None:
        connection.create_function(f"fail_{table}", 0, maybe_fail)
        connection.execute(
            f"CREATE TEMP TRIGGER fail_{table} BEFORE INSERT ON main.{table} BEGIN SELECT fail_{table}(); END"
        )

    await store.db.write(install)
    return failures
