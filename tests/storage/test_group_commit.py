"""The store's single writer: concurrent writes share a transaction, each caller answered only once it is durable."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import date

import pytest

from bot.storage.leaderboards import add_to_leaderboards
from bot.storage.store import SqliteStore
from tests.storage.test_sqlite_store import CHANNEL, NOW, new_answer, no_bonus, posted
from tests.support.claims import asking


async def test_concurrent_answers_share_commits_and_each_is_visible_once_acknowledged(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        before = store.db.batches
        seen_on_return: list[bool] = []

        async def answer(n: int) -> int:
            record = await store.record_answer(new_answer(post_id, f"m{n}", f"u{n}"), early_bonus=no_bonus)
            assert record is not None
            with sqlite3.connect(path) as other:  # another connection sees it: it was committed first
                seen_on_return.append(
                    other.execute("SELECT COUNT(*) FROM answers WHERE message_id = ?", (f"m{n}",)).fetchone()[0] == 1
                )
            return record.rank

        ranks = await asyncio.gather(*(answer(n) for n in range(50)))
        assert sorted(ranks) == list(range(1, 51))
        assert all(seen_on_return)
        assert store.db.batches - before < 10  # grouped, not one transaction per answer


async def test_a_failing_write_fails_alone_in_its_batch(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)

        def broken(connection: sqlite3.Connection) -> None:
            connection.execute("INSERT INTO members (platform, member_id, display_name) VALUES ('x', 'y', 'z')")
            raise RuntimeError("boom")

        results = await asyncio.gather(
            store.record_answer(new_answer(post_id, "m1", "a"), early_bonus=no_bonus),
            store.db.write(broken),
            store.record_answer(new_answer(post_id, "m2", "b"), early_bonus=no_bonus),
            return_exceptions=True,
        )
        assert isinstance(results[1], RuntimeError)
        assert [record.message_id for record in (results[0], results[2])] == ["m1", "m2"]
        assert await store.db.fetchone("SELECT 1 FROM members WHERE platform = 'x'") is None  # rolled back alone
        row = await store.db.fetchone("SELECT SUM(points) FROM leaderboards WHERE period = 'all' AND scope LIKE 'c:%'")
        assert row[0] == 20


async def test_a_write_error_reaches_its_caller(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.write(lambda c: c.execute("INSERT INTO posts (id) VALUES (1)"))


async def test_points_noted_by_a_failing_write_never_reach_the_leaderboard(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        kept = await store.record_answer(new_answer(post_id, "m1", "a"), early_bonus=no_bonus)
        assert kept is not None

        def broken(connection: sqlite3.Connection) -> None:
            add_to_leaderboards(connection, kept.id, points=1000, answers=1)
            raise RuntimeError("boom")

        results = await asyncio.gather(
            store.db.write(broken),
            store.record_answer(new_answer(post_id, "m2", "b", points=7), early_bonus=no_bonus),
            return_exceptions=True,
        )
        assert isinstance(results[0], RuntimeError) and results[1] is not None
        top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)
        assert [(standing.display_name, standing.points) for standing in top] == [("a", 10), ("b", 7)]


async def test_the_wal_stays_bounded_under_steady_writes(tmp_path):
    """SQLite's own checkpoints on the writer start the WAL over: it never grows with every commit."""
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        slots = asyncio.Semaphore(50)
        largest = 0

        async def answer(n: int) -> None:
            nonlocal largest
            async with slots:
                await store.record_answer(new_answer(post_id, f"m{n}", f"u{n}", points=1), early_bonus=no_bonus)
            largest = max(largest, path.with_name("s.db-wal").stat().st_size)

        await asyncio.gather(*(answer(n) for n in range(4000)))  # never a pause between commits
        total = await store.db.fetchone("SELECT COUNT(*) FROM answers")
    assert total[0] == 4000
    assert largest < 3000 * (4096 + 24), largest  # about the 1,000-page autocheckpoint, not the whole run


async def test_an_answer_to_a_post_that_is_gone_is_not_stored_and_spoils_no_other(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        results = await asyncio.gather(
            store.record_answer(new_answer(post_id + 99, "m1", "a"), early_bonus=no_bonus),
            store.record_answer(new_answer(post_id, "m2", "b"), early_bonus=no_bonus),
        )
        assert results[0] is None and results[1] is not None
        stored = await store.db.fetchall("SELECT message_id FROM answers")
        assert [row["message_id"] for row in stored] == ["m2"]


async def test_two_answers_of_one_member_in_one_batch_both_count_on_every_board(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        first_post = await posted(store)
        tomorrow = date(2026, 11, 24)
        claim = await store.claim_post(channel=CHANNEL, local_date=tomorrow, now=NOW, choose=asking("q2", 1))
        await store.confirm_post(
            post_id=claim.post.id, message_id="m9", thread_id="t9", url=None, posted_at=NOW, closes_at=NOW
        )
        before = store.db.batches
        await asyncio.gather(
            store.record_answer(new_answer(first_post, "m1", "ada"), early_bonus=no_bonus),
            store.record_answer(new_answer(claim.post.id, "m2", "ada", points=15), early_bonus=no_bonus),
        )
        assert store.db.batches - before == 1  # one transaction held both changes
        for scope in (CHANNEL, CHANNEL.server):
            for period, key in (("week", "2026-W48"), ("month", "2026-11"), ("season", "1"), ("all", "all")):
                [standing] = await store.top_members(scope=scope, period=period, period_key=key, limit=5)
                assert (standing.display_name, standing.points, standing.answers) == ("ada", 25, 2)
