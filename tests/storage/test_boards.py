"""The leaderboards' own file: folded from the score log, always rebuildable from the answers, never counted twice."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
from contextlib import closing
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.refs import MemberRef
from bot.storage import boards
from bot.storage.boards import boards_path
from bot.storage.database import DatabaseError
from bot.storage.migrations import MIGRATIONS
from bot.storage.store import SqliteStore
from tests.storage.test_sqlite_store import CHANNEL, NOW, new_answer, posted

BOARDS = [
    (scope, period, key)
    for scope in (CHANNEL, CHANNEL.server)
    for period, key in (("week", "2026-W48"), ("month", "2026-11"), ("season", "1"), ("all", "all"))
]


async def standings(store: SqliteStore) -> list[list[tuple[str, int, int]]]:
    """Every board of the test channel and its server, as (member, points, answers) in rank order."""
    return [
        [
            (standing.member.user_id, standing.points, standing.answers)
            for standing in await store.top_members(scope=scope, period=period, period_key=key, limit=100)
        ]
        for scope, period, key in BOARDS
    ]


async def every_score_row(store: SqliteStore) -> list[tuple[object, ...]]:
    await store.db.boards_caught_up()
    found = await store.db.fetchall("SELECT * FROM scores ORDER BY scope, member_id, period, period_key")
    return [tuple(row) for row in found]


async def answer(store: SqliteStore, post_id: int, n: int, points: int, member: str | None = None) -> int:
    new = replace(new_answer(post_id, f"m{n}", member or f"u{n}"), answered_at=NOW + timedelta(seconds=n))
    record = await store.record_answer(new, points_for_rank=lambda rank: points)
    assert record is not None
    return record.id


async def next_day_post(store: SqliteStore) -> int:
    claim = await store.claim_post(
        channel=CHANNEL, local_date=NOW.date() + timedelta(days=1), question_id="q2", cycle=1, now=NOW
    )
    await store.confirm_post(
        post_id=claim.post.id, message_id="p2", thread_id="t2", url=None, posted_at=NOW, closes_at=NOW
    )
    return claim.post.id


async def a_busy_day(store: SqliteStore) -> None:
    """Seven members answering on two days, some answers deleted, upvoted and marked best: every kind of change."""
    first = await posted(store)
    second = await next_day_post(store)
    ids = await asyncio.gather(
        *(answer(store, first if n < 7 else second, n, 10 + n, member=f"u{n % 7}") for n in range(14))
    )
    await store.delete_answer(answer_id=ids[3])
    await store.set_reaction_bonus(answer_id=ids[1], bonus=2)
    await store.set_best_answer(answer_id=ids[2], best=True, bonus=5)
    await store.set_best_answer(answer_id=ids[4], best=True, bonus=5)  # moves the mark from ids[2]


async def test_a_standings_read_sees_every_answer_acknowledged_before_it(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        await asyncio.gather(*(answer(store, post_id, n, 10) for n in range(40)))
        # no pause: the boards fold on their own thread, and the read waits for them
        top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=100)
        assert sum(standing.answers for standing in top) == 40
        assert sum(standing.points for standing in top) == 400


async def test_a_deleted_answer_takes_its_points_and_its_count_off_every_board(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        await answer(store, post_id, 0, 10)
        gone = await answer(store, await next_day_post(store), 7, 12, member="u0")
        before = await store.member_standing(
            scope=CHANNEL, period="all", period_key="all", member=MemberRef("test", "u0")
        )
        await store.delete_answer(answer_id=gone)
        after = await store.member_standing(
            scope=CHANNEL, period="all", period_key="all", member=MemberRef("test", "u0")
        )
    assert before is not None and (before.points, before.answers) == (22, 2)
    assert after is not None and (after.points, after.answers) == (10, 1)


async def test_boards_rebuilt_from_the_answers_are_the_boards_kept_up_to_date(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        await a_busy_day(store)
        kept_up = await every_score_row(store)
        shown = await standings(store)
    Path(boards_path(str(path))).unlink()
    async with await SqliteStore.open(path) as store:
        assert await every_score_row(store) == kept_up
        assert await standings(store) == shown
    assert any(rows for rows in shown)


async def test_a_restored_older_backup_gets_the_leaderboards_of_its_own_answers(tmp_path):
    path, backup = tmp_path / "s.db", tmp_path / "backup.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        await answer(store, post_id, 0, 10)
        with closing(sqlite3.connect(path)) as live, closing(sqlite3.connect(backup)) as copy:
            live.backup(copy)
        await answer(store, post_id, 1, 20)
        assert len((await standings(store))[0]) == 2
    shutil.copy(backup, path)  # by hand, leaving the boards file of the newer answers beside it
    async with await SqliteStore.open(path) as store:
        assert (await standings(store))[0] == [("u0", 10, 1)]
        await answer(store, post_id, 2, 5)  # and the log goes on from there
        assert (await standings(store))[0] == [("u0", 10, 1), ("u2", 5, 1)]


async def test_a_boards_file_from_another_database_is_not_used(tmp_path):
    one, other = tmp_path / "one.db", tmp_path / "other.db"
    for path, points in ((one, 10), (other, 30)):
        async with await SqliteStore.open(path) as store:
            await answer(store, await posted(store), 0, points)
    shutil.copy(boards_path(str(one)), boards_path(str(other)))
    async with await SqliteStore.open(other) as store:
        assert (await standings(store))[0] == [("u0", 30, 1)]


async def test_two_processes_on_one_database_fold_each_change_once(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as first, await SqliteStore.open(path) as second:
        post_id = await posted(first)
        await asyncio.gather(
            *(answer(first, post_id, n, 10) for n in range(0, 40, 2)),
            *(answer(second, post_id, n, 10) for n in range(1, 40, 2)),
        )
        for store in (first, second):
            top = await store.top_members(scope=CHANNEL.server, period="all", period_key="all", limit=100)
            assert sum(standing.points for standing in top) == 400


async def test_the_log_keeps_only_what_the_boards_have_not_folded(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        await asyncio.gather(*(answer(store, post_id, n, 10) for n in range(300)))
        await store.db.boards_caught_up()
        await answer(store, post_id, 300, 10)  # a commit after the fold drops what was folded
        left = await store.db.fetchone("SELECT COUNT(*) FROM score_log")
        assert left[0] <= 2


async def test_boards_that_cannot_be_folded_give_an_error_instead_of_a_wait(tmp_path, monkeypatch):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        await store.db.boards_caught_up()  # the new file's first fold is a rebuild, which needs no FOLD_LOG
        monkeypatch.setattr(boards, "FOLD_LOG", "INSERT INTO no_such_table VALUES (?1, ?2)")
        await answer(store, post_id, 0, 10)  # the answer itself is stored
        with pytest.raises(DatabaseError, match="leaderboards"):
            await asyncio.wait_for(store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5), 5)
        monkeypatch.undo()
        top = await asyncio.wait_for(store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5), 5)
        assert [(standing.member.user_id, standing.points) for standing in top] == [("u0", 10)]


async def test_a_read_that_comes_in_during_a_failing_fold_waits_for_the_next_fold(tmp_path, monkeypatch):
    fold, began, release = boards.Boards._catch_up, threading.Event(), threading.Event()

    def first_fold_fails(self: boards.Boards) -> None:
        if release.is_set():
            return fold(self)
        began.set()
        release.wait(5)
        raise sqlite3.OperationalError("disk I/O error")  # gone by the next fold

    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        await store.db.boards_caught_up()
        monkeypatch.setattr(boards.Boards, "_catch_up", first_fold_fails)
        store.db.boards.wake()
        assert await asyncio.to_thread(began.wait, 5)
        await answer(store, post_id, 0, 10)  # committed while the failing fold is under way
        read = asyncio.create_task(store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5))
        for _ in range(500):  # until the read waits on the boards
            if store.db.boards._waiting:
                break
            await asyncio.sleep(0.01)
        assert store.db.boards._waiting, "the read should be waiting for the answer to be folded"
        release.set()
        top = await asyncio.wait_for(read, 5)
        assert [(standing.member.user_id, standing.points) for standing in top] == [("u0", 10)]


async def test_a_database_from_before_the_boards_file_gets_its_leaderboards_back(tmp_path):
    new, old = tmp_path / "new.db", tmp_path / "old.db"
    async with await SqliteStore.open(new) as store:
        await a_busy_day(store)
        expected = await standings(store)
    # The same rows in a database of schema 3, whose scores lived in the database itself (and are left stale)
    with closing(sqlite3.connect(old, isolation_level=None)) as connection:
        for migration in MIGRATIONS[:3]:
            connection.executescript(migration)
        connection.execute("PRAGMA user_version = 3")
        connection.execute("ATTACH DATABASE ? AS new", (str(new),))
        for table in ("channels", "posts", "members", "answers", "seasons"):
            connection.execute(f"INSERT INTO {table} SELECT * FROM new.{table}")
        connection.execute("DETACH DATABASE new")
    async with await SqliteStore.open(old) as store:
        assert await standings(store) == expected
        assert (await store.db.fetchone("SELECT COUNT(*) FROM main.sqlite_master WHERE name = 'scores'"))[0] == 0


async def test_an_unreadable_boards_file_is_started_afresh(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        await answer(store, await posted(store), 0, 10)
    Path(boards_path(str(path))).write_bytes(b"not a database at all" * 500)
    async with await SqliteStore.open(path) as store:
        assert (await standings(store))[0] == [("u0", 10, 1)]


async def test_a_standings_read_that_would_wait_long_says_why_instead(tmp_path, monkeypatch):
    monkeypatch.setattr(boards, "CATCH_UP_WAIT_S", 0.2)
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        with closing(sqlite3.connect(boards_path(str(path)), isolation_level=None)) as other:
            other.execute("BEGIN IMMEDIATE")  # another process holds the boards file (rebuilding it, say)
            await answer(store, post_id, 0, 10)  # answers are stored meanwhile
            with pytest.raises(DatabaseError, match="try again in a minute"):
                await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)
            other.execute("ROLLBACK")
        top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)
        assert [(standing.member.user_id, standing.points) for standing in top] == [("u0", 10)]


async def test_an_idle_bot_leaves_the_boards_file_alone(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        await answer(store, await posted(store), 0, 10)
        await store.db.boards_caught_up()
        with closing(sqlite3.connect(boards_path(str(path)))) as other:
            before = other.execute("PRAGMA data_version").fetchone()[0]
            for _ in range(3):  # as every commit and the fold thread's timer do, with nothing new to fold
                store.db.boards.wake()
                await asyncio.sleep(0.05)
            assert other.execute("PRAGMA data_version").fetchone()[0] == before
