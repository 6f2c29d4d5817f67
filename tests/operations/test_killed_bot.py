"""A killed bot is known to be gone at once: a restore goes ahead, `health` says no bot runs, and the next bot
starts without taking the dead one for a second bot. A live bot still blocks a restore and shows healthy."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.health import problems


def start_console_bot(database: Path) -> subprocess.Popen[str]:
    """`studybot run` on the console, kept running by an open standard input."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "STUDYBOT_"))}
    env["STUDYBOT_DATABASE"] = str(database)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=database.parent,
        env=env,
    )


def wait_until_healthy(database: Path, bot: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while problems(database, timedelta(seconds=120), datetime.now(UTC)):
        assert bot.poll() is None, bot.stderr.read() if bot.stderr else "the bot exited"
        assert time.monotonic() < deadline, problems(database, timedelta(seconds=120), datetime.now(UTC))
        time.sleep(0.05)


@pytest.fixture
def operator(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The operator's shell: the database named by STUDYBOT_DATABASE, no settings file."""
    monkeypatch.chdir(tmp_path)
    for name in ("STUDYBOT_CONFIG", "STUDYBOT_PLATFORM", "DISCORD_TOKEN", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(tmp_path / "live.db"))
    return tmp_path / "live.db"


def test_a_running_bot_blocks_a_restore_and_once_killed_a_restore_goes_ahead_at_once(operator, capsys) -> None:
    database, backup = operator, operator.with_name("backup.db")
    bot = start_console_bot(database)
    try:
        wait_until_healthy(database, bot)
        assert main(["health"]) == 0
        assert main(["db", "backup", str(backup)]) == 0  # made while the bot runs: it carries a fresh heartbeat
        capsys.readouterr()
        assert main(["db", "restore", str(backup)]) == 2
        refused = capsys.readouterr().err
        assert f"a bot is running on {database} (console, pid {bot.pid}," in refused
        assert "stop it before restoring" in refused
        assert list(database.parent.glob("live.db.before-restore-*")) == []  # nothing was touched
    finally:
        bot.kill()  # SIGKILL: no clean stop, its heartbeat stays in the file, seconds old
        bot.wait(timeout=30)

    assert main(["health"]) == 1
    assert "unhealthy: no bot is running on this database" in capsys.readouterr().out
    assert main(["db", "restore", str(backup)]) == 0  # at once, not three minutes later
    assert f"restored {backup} into {database}" in capsys.readouterr().out
    assert main(["health"]) == 1  # the heartbeat that came back with the backup is no running bot
    assert "unhealthy: no bot is running on this database" in capsys.readouterr().out


async def test_the_bot_started_after_a_killed_one_does_not_take_it_for_a_second_bot(operator, caplog) -> None:
    from bot.adapters.console.adapter import ConsoleAdapter
    from bot.app import App
    from bot.config import Settings
    from bot.core.clock import SystemClock
    from bot.storage.store import SqliteStore

    bot = start_console_bot(operator)
    await asyncio.to_thread(wait_until_healthy, operator, bot)
    bot.kill()
    await asyncio.to_thread(bot.wait, 30)
    clock = SystemClock()

    def quiet_console(store: SqliteStore) -> ConsoleAdapter:
        return ConsoleAdapter(store.chat_log, clock, read_line=lambda: "", write=lambda text: None)

    with caplog.at_level(logging.WARNING, logger="bot"):
        assert await App(Settings(database=operator), adapter=quiet_console, clock=clock).run() == 0
    assert "another studybot" not in caplog.text
    assert list(operator.with_name("live.db.processes").iterdir()) == []  # the killed bot's lock file is gone too
