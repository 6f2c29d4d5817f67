"""A database from before the leaderboards moved back into it (schema 4) upgrades with its totals intact."""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.core.refs import ChannelRef, MemberRef
from bot.storage.migrations import LATEST_VERSION, MIGRATIONS
from bot.storage.store import SqliteStore

CHANNEL = ChannelRef("test", "g", "c")
BOARDS_FILES = ("-boards", "-boards-wal", "-boards-shm")


def schema_4_with_answers(path: Path) -> None:
    """What studybot 4 left: its migrations only, two days of answers (one deleted, one with bonuses)."""
    with closing(sqlite3.connect(path)) as connection:
        for number, script in enumerate(MIGRATIONS[:4], start=1):
            connection.executescript(script)
            connection.execute(f"PRAGMA user_version = {number}")
        connection.executescript(
            """
            INSERT INTO channels (id, platform, server_id, channel_id, post_time, timezone, days, updated_at)
                VALUES (1, 'test', 'g', 'c', '09:00', 'UTC', '', '2026-11-01');
            INSERT INTO posts (id, channel_pk, platform, local_date, question_id, cycle, status, claimed_at)
                VALUES (1, 1, 'test', '2026-11-22', 'q1', 1, 'closed', '2026-11-22'),
                       (2, 1, 'test', '2026-11-23', 'q2', 1, 'posted', '2026-11-23');
            INSERT INTO members VALUES ('test', 'ada', 'Ada'), ('test', 'bob', 'Bob');
            INSERT INTO answers (post_id, channel_pk, server_scope, platform, message_id, member_id, answered_at,
                                 rank, base_points, reaction_bonus, best_bonus, streak, week_key, month_key, season,
                                 deleted)
            VALUES
                (1, 1, 's:test:g', 'test', 'm1', 'ada', '2026-11-22T10', 1, 15, 4, 15, 1, '2026-W47', '2026-11', 1, 0),
                (1, 1, 's:test:g', 'test', 'm2', 'bob', '2026-11-22T11', 2, 13, 0, 0, 1, '2026-W47', '2026-11', 1, 0),
                (2, 1, 's:test:g', 'test', 'm3', 'ada', '2026-11-23T10', 1, 15, 0, 0, 2, '2026-W48', '2026-11', 1, 0),
                (2, 1, 's:test:g', 'test', 'm4', 'bob', '2026-11-23T11', 2, 13, 0, 0, 2, '2026-W48', '2026-11', 1, 1);
            INSERT INTO score_log (answer_id, points, answers) VALUES (1, 34, 1);
            """
        )
        connection.commit()
    for part in BOARDS_FILES:
        Path(f"{path}{part}").write_bytes(b"the old leaderboards file")


async def test_an_upgraded_database_keeps_every_total_and_loses_the_boards_file(tmp_path, caplog):
    path = tmp_path / "old.db"
    schema_4_with_answers(path)
    with caplog.at_level(logging.INFO, logger="bot.storage.database"):
        async with await SqliteStore.open(path) as store:
            assert (await store.db.fetchone("PRAGMA user_version"))[0] == LATEST_VERSION
            everyone = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=10)
            server = await store.top_members(scope=CHANNEL.server, period="month", period_key="2026-11", limit=10)
            week = await store.top_members(scope=CHANNEL, period="week", period_key="2026-W48", limit=10)
            bob = await store.member_standing(
                scope=CHANNEL, period="all", period_key="all", member=MemberRef("test", "bob")
            )
    assert [(s.display_name, s.points, s.answers) for s in everyone] == [("Ada", 49, 2), ("Bob", 13, 1)]
    assert [(s.display_name, s.points) for s in server] == [("Ada", 49), ("Bob", 13)]
    assert [(s.display_name, s.points) for s in week] == [("Ada", 15)]  # Bob's answer that week was deleted
    assert bob is not None and bob.rank == 2
    assert not any(Path(f"{path}{part}").exists() for part in BOARDS_FILES)
    assert [r.message for r in caplog.records if "removed" in r.message] == [
        f"removed {path}-boards: the leaderboards are kept in {path} itself now"
    ]
