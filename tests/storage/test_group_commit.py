"""The store's single writer: concurrent writes share a transaction, each caller answered only once it is durable."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from bot.storage.store import SqliteStore
from tests.storage.test_sqlite_store import new_answer, posted


async def test_concurrent_answers_share_commits_and_each_is_visible_once_acknowledged(tmp_path):
    path = tmp_path / "s.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        before = store.db.batches
        seen_on_return: list[bool] = []

        async def answer(n: int) -> int:
            record = await store.record_answer(new_answer(post_id, f"m{n}", f"u{n}"), points_for_rank=lambda r: 10)
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
            store.record_answer(new_answer(post_id, "m1", "a"), points_for_rank=lambda r: 10),
            store.db.write(broken),
            store.record_answer(new_answer(post_id, "m2", "b"), points_for_rank=lambda r: 10),
            return_exceptions=True,
        )
        assert isinstance(results[1], RuntimeError)
        assert [record.message_id for record in (results[0], results[2])] == ["m1", "m2"]
        assert await store.db.fetchone("SELECT 1 FROM members WHERE platform = 'x'") is None  # rolled back alone
        row = await store.db.fetchone("SELECT SUM(points) FROM scores WHERE period = 'all' AND scope LIKE 'c:%'")
        assert row[0] == 20


async def test_a_write_error_reaches_its_caller(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        with pytest.raises(sqlite3.IntegrityError):
            await store.db.write(lambda c: c.execute("INSERT INTO posts (id) VALUES (1)"))
