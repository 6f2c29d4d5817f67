"""A bot whose PostgreSQL connections are dropped (a server restart, a failover) carries on by itself: the
write or read in flight fails, the next one connects again, and its next heartbeat shows it alive again."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import psycopg
import pytest

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule, parse_time
from bot.storage.heartbeat import Heartbeat
from bot.storage.postgres.presence import application_name
from bot.storage.store import SqliteStore

CHANNEL = ChannelRef("test", "g", "c")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _drop_connections(url: str, instance: str) -> None:
    """Ended, and their locks let go, before it returns (the timeout waits for each session to exit)."""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = %s",
            [application_name(instance)],
        )


async def test_after_its_connections_are_dropped_the_bot_reconnects_and_is_seen_alive_again(postgres_url: str) -> None:
    async with await SqliteStore.open(postgres_url) as bot, await SqliteStore.open(postgres_url) as other:
        await bot.save_channel(ChannelConfig(CHANNEL, Schedule()))
        _drop_connections(postgres_url, bot.db.instance)
        assert not await other.db.is_alive(bot.db.instance)  # to the others it looks gone, as a killed bot does

        with pytest.raises(sqlite3.OperationalError):  # the write in flight when the connection went
            await bot.save_channel(ChannelConfig(CHANNEL, Schedule(at=parse_time("10:00"))))
        await bot.save_channel(ChannelConfig(CHANNEL, Schedule(at=parse_time("11:00"))))
        with pytest.raises(sqlite3.OperationalError):  # and the read
            await bot.get_channel(CHANNEL)
        saved = await bot.get_channel(CHANNEL)
        assert saved is not None and saved.schedule.at == parse_time("11:00")

        await Heartbeat(bot.db, "slack").beat(NOW)
        assert await other.db.is_alive(bot.db.instance)
