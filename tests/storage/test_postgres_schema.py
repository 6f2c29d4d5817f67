"""Both engines' schemas have the same tables and columns: a migration added to one and not the other fails here."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from bot.storage.connections import DatabaseError
from bot.storage.database import open_sync
from bot.storage.postgres import migrations as postgres_migrations
from bot.storage.postgres.database import migrate, schema_version
from tests.support.postgres import Cluster

# Bookkeeping of each engine's own migrations, not the store's data.
_OWN = {"schema_migrations", "sqlite_sequence"}


def _sqlite_columns(path: Path) -> dict[str, set[str]]:
    connection = open_sync(path)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {
            table: {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
            for table in tables
            if table not in _OWN
        }
    finally:
        connection.close()


def _postgres_columns(url: str) -> dict[str, set[str]]:
    with psycopg.connect(url) as connection:
        found = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'"
        ).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in found:
        if table not in _OWN:
            columns.setdefault(table, set()).add(column)
    return columns


def test_both_engines_have_the_same_tables_and_columns(tmp_path: Path, postgres_url: str) -> None:
    assert _postgres_columns(postgres_url) == _sqlite_columns(tmp_path / "studybot.db")


def test_a_new_postgresql_database_is_migrated_to_the_latest_version_once(
    postgres_cluster: Cluster, postgres_url: str
) -> None:
    empty = postgres_cluster.empty_database()
    assert migrate(empty) == postgres_migrations.LATEST_VERSION
    assert migrate(empty) == 0  # a second start finds nothing to do
    with psycopg.connect(empty) as connection:
        assert schema_version(connection) == postgres_migrations.LATEST_VERSION


def test_a_database_from_a_newer_studybot_is_refused_with_what_to_do(
    postgres_cluster: Cluster, postgres_url: str
) -> None:
    newer = postgres_cluster.empty_database()
    migrate(newer)
    with psycopg.connect(newer, autocommit=True) as connection:
        connection.execute(
            "INSERT INTO schema_migrations VALUES (%s, 'later')", [postgres_migrations.LATEST_VERSION + 1]
        )
    with pytest.raises(DatabaseError, match=r"newer than this studybot knows.*upgrade studybot"):
        migrate(newer)


def test_a_stored_answer_moving_down_a_rank_changes_in_place(postgres_url: str) -> None:
    # Pages filled by a bulk load: a rank move on a full page writes a new row version and an entry in every
    # index of answers; with room left on the page, the row changes in place (a HOT update).
    with psycopg.connect(postgres_url) as connection:
        connection.execute(
            "INSERT INTO channels (platform, server_id, channel_id, post_time, timezone, days, updated_at) "
            "VALUES ('test', 's', 'c', '09:00', 'UTC', 'mon', '')"
        )
        connection.execute(
            "INSERT INTO posts (channel_pk, platform, local_date, question_id, cycle, status, claimed_at) "
            "SELECT id, 'test', '2026-01-01', 'q', 1, 'posted', '' FROM channels"
        )
        connection.execute(
            "INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id, answered_at, "
            "rank, base_points, streak, week_key, month_key, season) "
            "SELECT posts.id, posts.channel_pk, 's:test:s', 'test', 'm' || n, 'u' || n, '2026-01-01 09:00:00', n, "
            "10, 1, '2026-W01', '2026-01', 1 FROM posts, generate_series(1, 1000) AS n"
        )
        connection.commit()
        connection.execute("UPDATE answers SET rank = rank + 1 WHERE rank % 50 = 0")  # one row in a few pages
        found = connection.execute(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'answers'"
        ).fetchone()
    assert found == (20, 20)
