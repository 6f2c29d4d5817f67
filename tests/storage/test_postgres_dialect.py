"""The store's SQLite-shaped statements run as written on PostgreSQL: placeholders of every SQLite kind, quoted
text left alone, and SQLite's own functions given PostgreSQL's equivalents."""

from __future__ import annotations

import json

from bot.storage.postgres.connection import connect


def test_sqlite_statements_run_unchanged_on_postgresql(postgres_url: str) -> None:
    connection = connect(postgres_url)
    try:
        assert connection.execute("SELECT ? || ?", ("a", "b")).fetchone()[0] == "ab"
        assert connection.execute("SELECT ?2 || ?1 || ?2", ("a", "b")).fetchone()[0] == "bab"
        named = connection.execute("SELECT :x || :y AS joined", {"x": "1", "y": "2"}).fetchone()
        assert named["joined"] == "12"
        # A literal keeps its % and its ?, and a cast its ::, whether or not the statement has parameters.
        assert connection.execute("SELECT '100% sure?' || ?", ("!",)).fetchone()[0] == "100% sure?!"
        assert connection.execute("SELECT '100% sure?'").fetchone()[0] == "100% sure?"
        assert connection.execute("SELECT CAST(? AS integer)::text", (7,)).fetchone()[0] == "7"
        values = connection.execute("SELECT value FROM json_each(?) ORDER BY value", (json.dumps(["b", "a"]),))
        assert [row["value"] for row in values] == ["a", "b"]
        assert connection.execute("SELECT ?", (True,)).fetchone()[0] == 1  # stored as SQLite stores a flag
    finally:
        connection.close()
