"""What an operator relies on: a clean stop on SIGTERM, an honest health check, logs without secrets."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.health import problems
from bot.logs import JsonLines, RedactSecrets
from bot.storage.migrations import LATEST_VERSION

ANSWER = "A long enough answer that explains the idea in a sentence or two, number {n}."


def console_env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "STUDYBOT_"))}
    env["STUDYBOT_DATABASE"] = str(database)
    return env


def test_sigterm_mid_burst_keeps_every_acknowledged_reply(tmp_path):
    database = tmp_path / "burst.db"
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=console_env(database),
        bufsize=1,
    )
    assert bot.stdin and bot.stdout
    bot.stdin.write("/qotd setup time:09:00 days:daily\n/qotd now\n")
    for n in range(4000):
        bot.stdin.write(f"@member{n}\n> {ANSWER.format(n=n)}\n")
    bot.stdin.flush()
    acknowledged = 0
    deadline = time.monotonic() + 60
    while acknowledged < 40 and time.monotonic() < deadline:
        if "(scored" in bot.stdout.readline():
            acknowledged += 1
    bot.send_signal(signal.SIGTERM)
    rest, errors = bot.communicate(timeout=60)
    acknowledged += rest.count("(scored")
    assert bot.returncode == 0, errors
    assert 40 <= acknowledged < 4000, "the stop should land mid-burst"
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = connection.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        beats = connection.execute("SELECT COUNT(*) FROM heartbeats").fetchone()[0]
    assert stored >= acknowledged
    assert beats == 0  # a clean stop takes its heartbeat with it


async def test_health_names_each_failure(tmp_path):
    from bot.storage.heartbeat import Heartbeat
    from bot.storage.store import SqliteStore

    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    missing = problems(tmp_path / "none.db", timedelta(seconds=120), now)
    assert missing and "no database" in missing[0]

    database = tmp_path / "h.db"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 0")
        connection.execute("CREATE TABLE t (x)")
    stale = problems(database, timedelta(seconds=120), now)
    assert any("run studybot db migrate" in line for line in stale)
    assert any("no bot is running on this database" in line for line in stale)

    async with await SqliteStore.open(database) as store:  # a bot that runs but has stopped beating
        await Heartbeat(store.db, "console").beat(now - timedelta(minutes=10))
        assert problems(database, timedelta(seconds=120), now) == [
            f"a bot is running (pid {os.getpid()}) but its last heartbeat is 600 s old (limit 120 s): it may be stuck"
        ]
        assert problems(database, timedelta(hours=1), now) == []
    # its row is still there, but its process has let go of the database: no bot runs, however fresh the time
    assert problems(database, timedelta(hours=1), now) == [
        "no bot is running on this database: start it with studybot run"
    ]
    assert LATEST_VERSION >= 1


def test_secrets_never_reach_the_log_in_either_format(capsys):
    secret = "xoxb-very-secret-token-123"
    record = logging.LogRecord("bot", logging.ERROR, __file__, 1, "calling with %s", (secret,), None)
    try:
        raise RuntimeError(f"auth failed for {secret}")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    RedactSecrets([secret]).filter(record)
    line = JsonLines().format(record)
    assert secret not in line and "***" in line
    assert json.loads(line)["message"] == "calling with ***"


def test_console_logs_no_token_even_when_one_is_set(tmp_path):
    env = console_env(tmp_path / "t.db")
    env["DISCORD_TOKEN"] = "MTIz.secret-discord-token.abc"
    env["STUDYBOT_PLATFORM"] = "console"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--log-format", "json"],
        input="/qotd status\n",
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0
    assert "secret-discord-token" not in result.stdout + result.stderr


async def test_each_post_and_skipped_channel_is_one_json_line_naming_channel_and_reason(group, platform, clock, caplog):
    from datetime import datetime

    from bot.core.refs import Actor, ChannelRef
    from tests.core.test_daily_loop import CHANNEL, STYLE, mod, run

    await run(group, mod(), "/qotd setup time:09:00 tz:UTC")
    other = ChannelRef("test", "guild-1", "chan-2")
    await run(group, Actor(mod().member, other, True), "/qotd setup time:09:00 tz:UTC")
    platform.unavailable.add(other.channel_id)
    clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))
    with caplog.at_level(logging.INFO, logger="bot.core.usecases.daily"):
        await group.sweep(STYLE)
    lines = [json.loads(JsonLines().format(record)) for record in caplog.records]
    posted = [line for line in lines if line["message"].startswith("posted")]
    skipped = [line for line in lines if line["message"].startswith("skipped")]
    assert [line["channel"] for line in posted] == [CHANNEL.channel_id]
    assert [(line["channel"], line["reason"]) for line in skipped] == [("chan-2", "Missing Access")]


def test_health_and_migrate_say_the_same_about_a_newer_database(tmp_path, monkeypatch, capsys):
    from bot.cli import main
    from bot.storage.database import open_sync
    from bot.storage.migrations import LATEST_VERSION

    database = tmp_path / "newer.db"
    open_sync(database).close()
    with sqlite3.connect(database) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(database))
    assert main(["health"]) == 1
    health = capsys.readouterr().out
    assert main(["db", "migrate"]) == 2
    migrate = capsys.readouterr().err
    advice = (
        f"the database is at schema version {LATEST_VERSION + 1}, newer than this studybot knows ({LATEST_VERSION}): "
        "upgrade studybot, or restore a backup made by this version"
    )
    assert advice in health and advice in migrate
    assert "db migrate" not in health


async def test_a_second_bot_on_the_same_database_is_told_another_one_is_running(tmp_path, caplog) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.adapters.console.adapter import ConsoleAdapter
    from bot.app import App
    from bot.config import Settings
    from bot.core.clock import FixedClock
    from bot.storage.heartbeat import Heartbeat
    from bot.storage.store import SqliteStore

    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    clock = FixedClock(now)
    settings = Settings(database=tmp_path / "shared.db")

    def quiet_console(store: SqliteStore) -> ConsoleAdapter:
        return ConsoleAdapter(store.chat_log, clock, read_line=lambda: "", write=lambda text: None)

    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await App(settings, adapter=quiet_console, clock=clock).run() == 0
    assert "another studybot" not in caplog.text  # alone on the file: nothing to say

    async with await SqliteStore.open(settings.database) as other:  # another bot, running in this process
        await Heartbeat(other.db, "discord").beat(now - timedelta(seconds=40))
        with caplog.at_level(logging.WARNING, logger="bot"):
            assert await App(settings, adapter=quiet_console, clock=clock).run() == 0
        assert "another studybot (discord, pid" in caplog.text and "40 s ago" in caplog.text

    caplog.clear()  # that bot has stopped (without removing its heartbeat): nobody else is running now
    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await App(settings, adapter=quiet_console, clock=clock).run() == 0
    assert "another studybot" not in caplog.text


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("folder", "is a folder: name a file instead, such as"),
        ("under-a-file/studybot.db", "cannot make the folder"),
    ],
)
def test_a_database_path_that_cannot_hold_the_file_is_one_clear_line(
    tmp_path, monkeypatch, capsys, where: str, said: str
) -> None:
    from bot.cli import main

    (tmp_path / "folder").mkdir()
    (tmp_path / "under-a-file").write_text("not a folder\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYBOT_CONFIG", raising=False)
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "STUDYBOT_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(tmp_path / where))
    monkeypatch.setattr("bot.cli.run.configure_logging", lambda *args, **kwargs: None)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
    assert (tmp_path / "under-a-file").read_text(encoding="utf-8") == "not a folder\n"
    assert list((tmp_path / "folder").iterdir()) == []
