"""A bot on PostgreSQL as an operator runs it: `studybot run`'s whole stack, `studybot health`, and logs that
never show the database's password."""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime, timedelta

import pytest

from bot.adapters.console.adapter import ConsoleAdapter
from bot.app import App
from bot.cli.common import configure_logging
from bot.cli.health import postgres_problems
from bot.config import Settings, load_settings
from bot.core.clock import FixedClock
from bot.core.secret import Secret
from bot.storage.heartbeat import Heartbeat
from bot.storage.store import SqliteStore

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


async def test_the_bot_runs_on_postgresql_and_a_second_bot_there_is_told_of_the_first(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FixedClock(NOW)
    settings = Settings(database_url=Secret(postgres_url))
    said: list[str] = []
    lines = iter(["/qotd setup time:09:00", "/qotd status", ""])

    def console(store: SqliteStore) -> ConsoleAdapter:
        return ConsoleAdapter(store.chat_log, clock, read_line=lambda: next(lines), write=said.append)

    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await App(settings, adapter=console, clock=clock).run() == 0
    assert "another studybot" not in caplog.text
    async with await SqliteStore.open(postgres_url) as store:  # what the console set up is in PostgreSQL
        assert [config.schedule.at.hour for config in await store.list_channels()] == [9]

    async with await SqliteStore.open(postgres_url) as other:  # another bot on the same database
        await Heartbeat(other.db, "discord").beat(NOW - timedelta(seconds=40))
        lines = iter([""])
        with caplog.at_level(logging.WARNING, logger="bot"):
            assert await App(settings, adapter=console, clock=clock).run() == 0
        assert "another studybot (discord, pid" in caplog.text and "40 s ago" in caplog.text


async def test_health_on_postgresql_tells_a_running_bot_from_a_stuck_or_stopped_one(postgres_url: str) -> None:
    fresh = timedelta(seconds=120)
    assert postgres_problems(postgres_url, fresh, NOW) == [
        "no bot is running on this database: start it with studybot run"
    ]
    async with await SqliteStore.open(postgres_url) as store:
        await Heartbeat(store.db, "slack").beat(NOW - timedelta(minutes=10))
        assert postgres_problems(postgres_url, fresh, NOW) == [
            f"a bot is running (pid {os.getpid()}) but its last heartbeat is 600 s old (limit 120 s): it may be stuck"
        ]
        assert postgres_problems(postgres_url, timedelta(hours=1), NOW) == []
    # its heartbeat row stays, but its sessions have ended: no bot runs, however fresh the time
    assert postgres_problems(postgres_url, timedelta(hours=1), NOW) == [
        "no bot is running on this database: start it with studybot run"
    ]
    unreachable = postgres_problems("postgresql://bot:hunter2@127.0.0.1:1/studybot", fresh, NOW)
    assert len(unreachable) == 1 and "cannot be read" in unreachable[0] and "hunter2" not in unreachable[0]


def test_the_database_password_never_reaches_the_log(capsys: pytest.CaptureFixture[str]) -> None:
    settings = load_settings(None, env={"STUDYBOT_DATABASE": "postgresql://bot:s3cret-pw@db:5432/studybot"})
    configure_logging(settings, fmt="text")
    try:
        logging.getLogger("bot.test").error("could not connect to %s", settings.database_url.value)
        assert "s3cret-pw" not in capsys.readouterr().err
    finally:
        configure_logging(Settings(), fmt="text")
