"""The Slack ids stored before a Slack message was named by its workspace and channel are rewritten at upgrade,
on both engines, and nothing else is touched: bare ts become `team/channel/ts`, other platforms' ids and private
answers not revealed yet stay as they were."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg

from bot.storage import migrations as sqlite_migrations
from bot.storage.postgres import migrations as postgres_migrations
from bot.storage.postgres.database import migrate
from bot.storage.store import SqliteStore
from tests.support.postgres import Cluster

# Two workspaces with the same channel id, and a Discord channel, as the previous version kept them.
# The schema versions before the one that rewrites the Slack ids: SQLite's 14th migration, PostgreSQL's 3rd.
SQLITE_BEFORE, POSTGRES_BEFORE = 13, 2

OLD_ROWS = """
INSERT INTO channels (id, platform, server_id, channel_id, post_time, timezone, days, updated_at) VALUES
    (1, 'slack', 'T0TEAM0001', 'C0GENERAL1', '09:00', 'UTC', '', '2026-11-01'),
    (2, 'slack', 'T0TEAM0002', 'C0GENERAL1', '09:00', 'UTC', '', '2026-11-01'),
    (3, 'discord', '900', '901', '09:00', 'UTC', '', '2026-11-01');
INSERT INTO posts (id, channel_pk, platform, local_date, question_id, cycle, status, claimed_at, message_id,
                   thread_id, posted_at, closes_at) VALUES
    (1, 1, 'slack', '2026-11-23', 'q1', 1, 'posted', '2026-11-23', '1700000000.000100', '1700000000.000100',
     '2026-11-23', '2026-11-24'),
    (2, 2, 'slack', '2026-11-23', 'q1', 1, 'posted', '2026-11-23', '1700000000.500100', '1700000000.500100',
     '2026-11-23', '2026-11-24'),
    (3, 1, 'slack', '2026-11-24', 'q2', 1, 'claimed', '2026-11-24', NULL, NULL, NULL, NULL),
    (4, 3, 'discord', '2026-11-23', 'q1', 1, 'posted', '2026-11-23', '111', '222', '2026-11-23', '2026-11-24');
INSERT INTO answers (id, post_id, channel_pk, server_scope, platform, message_id, member_id, answered_at, rank,
                     base_points, streak, week_key, month_key, season) VALUES
    (1, 1, 1, 's:slack:T0TEAM0001', 'slack', '1700000000.000200', 'U0ALICE', '2026-11-23T10', 1, 15, 1,
     '2026-W48', '2026-11', 1),
    (2, 1, 1, 's:slack:T0TEAM0001', 'slack', 'private-1-U0BOB', 'U0BOB', '2026-11-23T11', 2, 13, 1,
     '2026-W48', '2026-11', 1),
    (3, 2, 2, 's:slack:T0TEAM0002', 'slack', '1700000000.500300', 'U0ZOE', '2026-11-23T10', 1, 15, 1,
     '2026-W48', '2026-11', 1),
    (4, 4, 3, 's:discord:900', 'discord', '333', 'ada', '2026-11-23T10', 1, 15, 1, '2026-W48', '2026-11', 1);
INSERT INTO private_answers (answer_id, text, edited_at, revealed_message_id) VALUES
    (2, 'not revealed yet', '2026-11-23T11', NULL),
    (3, 'revealed in its thread', '2026-11-23T10', '1700000000.500300');
INSERT INTO recaps (id, channel_pk, platform, week, status, claimed_at, message_id) VALUES
    (1, 1, 'slack', '2026-11-16', 'posted', '2026-11-23', '1700000000.000900'),
    (2, 3, 'discord', '2026-11-16', 'posted', '2026-11-23', '444');
"""

ONE, TWO = "T0TEAM0001/C0GENERAL1/", "T0TEAM0002/C0GENERAL1/"
EXPECTED = {
    "posts": [
        (1, ONE + "1700000000.000100", ONE + "1700000000.000100"),
        (2, TWO + "1700000000.500100", TWO + "1700000000.500100"),
        (3, None, None),
        (4, "111", "222"),
    ],
    "answers": [(1, ONE + "1700000000.000200"), (2, "private-1-U0BOB"), (3, TWO + "1700000000.500300"), (4, "333")],
    "private_answers": [(2, None), (3, TWO + "1700000000.500300")],
    "recaps": [(1, ONE + "1700000000.000900"), (2, "444")],
}
QUERIES = {
    "posts": "SELECT id, message_id, thread_id FROM posts ORDER BY id",
    "answers": "SELECT id, message_id FROM answers ORDER BY id",
    "private_answers": "SELECT answer_id, revealed_message_id FROM private_answers ORDER BY answer_id",
    "recaps": "SELECT id, message_id FROM recaps ORDER BY id",
}


def _ids(connection: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {table: [tuple(row) for row in connection.execute(query)] for table, query in QUERIES.items()}


async def test_an_upgraded_sqlite_database_finds_its_slack_posts_and_answers_by_their_new_ids(tmp_path: Path):
    path = tmp_path / "old.db"
    previous = SQLITE_BEFORE
    with closing(sqlite3.connect(path)) as connection:
        for script in sqlite_migrations.MIGRATIONS[:previous]:
            connection.executescript(script)
        connection.execute(f"PRAGMA user_version = {previous}")
        connection.executescript(OLD_ROWS)
        connection.commit()

    async with await SqliteStore.open(path) as store:
        post = await store.find_post_by_thread(platform="slack", thread_id=TWO + "1700000000.500100")
        assert post is not None and post.id == 2 and post.channel.server_id == "T0TEAM0002"
        assert await store.find_post_by_thread(platform="slack", thread_id="1700000000.500100") is None
        answer = await store.answer_by_message(platform="slack", message_id=ONE + "1700000000.000200")
        assert answer is not None and answer.member.user_id == "U0ALICE"

    with closing(sqlite3.connect(path)) as connection:
        assert _ids(connection) == EXPECTED
        connection.executescript(sqlite_migrations.MIGRATIONS[SQLITE_BEFORE])  # run again, it changes nothing
        assert _ids(connection) == EXPECTED


def test_an_upgraded_postgresql_database_has_the_same_new_slack_ids(postgres_cluster: Cluster, postgres_url: str):
    url = postgres_cluster.empty_database()
    previous = POSTGRES_BEFORE
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for number, script in enumerate(postgres_migrations.MIGRATIONS[:previous], start=1):
            connection.execute(script.encode())
            connection.execute("INSERT INTO schema_migrations VALUES (%s, 'before')", [number])
        connection.execute(OLD_ROWS.encode())
    assert migrate(url) == postgres_migrations.LATEST_VERSION - POSTGRES_BEFORE
    with psycopg.connect(url) as connection:
        assert _ids(connection) == EXPECTED
