"""While another process holds SQLite's write lock, the bot's event loop keeps running and the write lands."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.storage.store import SqliteStore


async def test_a_locked_database_does_not_stall_the_loop(tmp_path):
    path = tmp_path / "locked.db"
    async with await SqliteStore.open(path) as store:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")  # another process writing
        released = threading.Event()

        def release_later() -> None:
            time.sleep(0.5)
            other.execute("COMMIT")
            released.set()

        threading.Thread(target=release_later, daemon=True).start()
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while not released.is_set():
                ticks += 1
                await asyncio.sleep(0.01)

        ticker = asyncio.create_task(tick())
        await store.save_channel(ChannelConfig(ChannelRef("test", "g", "c"), Schedule()))
        await ticker
        other.close()
        assert released.is_set()
        # 50 ticks in 0.5 s when the loop runs freely, about 1 when the write blocks it; a busy machine is in between
        assert ticks >= 5, "the loop stalled while waiting for the write lock"
        assert await store.get_channel(ChannelRef("test", "g", "c")) is not None
