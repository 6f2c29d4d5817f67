"""Several bots writing to one PostgreSQL database at once: a claim waits only for writes to the same channel's
posts, and a write that does not say what it touches waits for every other, as SQLite's one writer does."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import psycopg
import pytest

from bot.core.ports import Pick
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.storage.postgres.presence import NAMESPACE
from bot.storage.postgres.write_locks import part_key
from bot.storage.store import SqliteStore

BUSY, FREE, NEW = (ChannelRef("test", "g", name) for name in ("busy", "free", "new"))
DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _claim(store: SqliteStore, channel: ChannelRef) -> asyncio.Task[object]:
    return asyncio.create_task(
        store.claim_post(channel=channel, local_date=DAY, now=NOW, choose=lambda cycle, used: Pick("q1", cycle))
    )


async def _still_waiting(task: asyncio.Task[object]) -> bool:
    """True when `task` has not finished after the other bot's write has had ample time to let it."""
    done, _ = await asyncio.wait({task}, timeout=0.3)
    return not done


@pytest.fixture
async def store(postgres_url: str) -> SqliteStore:
    opened = await SqliteStore.open(postgres_url)
    for channel in (BUSY, FREE):
        await opened.save_channel(ChannelConfig(channel, Schedule()))
    yield opened  # type: ignore[misc]
    await opened.close()


async def test_a_claim_waits_only_for_another_bot_claiming_the_same_channel(
    store: SqliteStore, postgres_url: str
) -> None:
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as other_bot:
        async with other_bot.transaction():  # another bot, mid-way through claiming the busy channel's day
            await other_bot.execute(f"SELECT pg_advisory_xact_lock_shared({NAMESPACE}, 0)")
            busy_posts = part_key("posts of test:g:busy")
            await other_bot.execute(f"SELECT pg_advisory_xact_lock({NAMESPACE + 1}, {busy_posts})")
            free = await asyncio.wait_for(_claim(store, FREE), timeout=10)
            busy = _claim(store, BUSY)
            assert await _still_waiting(busy)
        claimed = await asyncio.wait_for(busy, timeout=10)
    assert free is not None and free.created and free.post.channel == FREE  # type: ignore[attr-defined]
    assert claimed is not None and claimed.created and claimed.post.channel == BUSY  # type: ignore[attr-defined]


async def test_a_write_that_names_nothing_waits_for_every_other_bots_claim(
    store: SqliteStore, postgres_url: str
) -> None:
    async with await psycopg.AsyncConnection.connect(postgres_url, autocommit=True) as other_bot:
        async with other_bot.transaction():
            await other_bot.execute(f"SELECT pg_advisory_xact_lock_shared({NAMESPACE}, 0)")
            saved = asyncio.create_task(store.save_channel(ChannelConfig(NEW, Schedule())))
            assert await _still_waiting(saved)
            assert await store.get_channel(NEW) is None
        await asyncio.wait_for(saved, timeout=10)
    assert await store.get_channel(NEW) is not None


async def test_every_connection_plans_each_statement_for_its_own_values(store: SqliteStore) -> None:
    """A plan kept from when the tables were nearly empty would scan them ever slower as a first fan-out fills
    them (`bot.storage.postgres.connection.PLANNING`)."""

    def setting(connection: object) -> str:
        return str(connection.execute("SHOW plan_cache_mode").fetchone()[0])  # type: ignore[attr-defined]

    assert await store.db.write(setting) == "force_custom_plan"
    found = await store.db.fetchone("SHOW plan_cache_mode")
    assert found is not None and found[0] == "force_custom_plan"
