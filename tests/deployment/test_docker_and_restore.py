"""Deployment an operator trusts: compose validates, the Dockerfile names real things, restores are safe."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import build_parser, main
from bot.storage.database import open_sync
from bot.storage.presence import Presence

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = shutil.which("docker-compose")
needs_compose = pytest.mark.skipif(
    COMPOSE is None and os.environ.get("CI") != "true", reason="docker-compose (Debian package) is not installed"
)


def compose_config(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert COMPOSE, "docker-compose must be installed (see .ci/run)"
    return subprocess.run([COMPOSE, *args, "config", "-q"], cwd=folder, capture_output=True, text=True, timeout=60)


@needs_compose
def test_compose_file_is_valid_for_every_profile(tmp_path):
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    for profile in ("discord", "slack", "slack-http", "postgres"):
        result = compose_config(tmp_path, "--profile", profile)
        assert result.returncode == 0, result.stderr
    broken = (tmp_path / "docker-compose.yml").read_text().replace("restart: unless-stopped", "restart: [oops")
    (tmp_path / "docker-compose.yml").write_text(broken)
    assert compose_config(tmp_path).returncode != 0  # the check can fail


def test_env_example_lists_every_variable_the_bot_reads():
    names = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    read = set(re.findall(r'"((?:STUDYBOT|DISCORD|SLACK)_[A-Z_]+)"', (ROOT / "bot" / "config.py").read_text()))
    assert read <= names, f"missing from .env.example: {sorted(read - names)}"


def test_dockerfile_copies_existing_paths_and_runs_real_commands():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for line in re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    assert "USER studybot" in dockerfile and "--require-hashes -r requirements.lock" in dockerfile
    parser = build_parser()
    for command in (["run"], ["health"]):
        parsed = parser.parse_args(command)
        assert callable(parsed.handler)
    assert 'CMD ["studybot", "health"]' in dockerfile and 'CMD ["run"]' in dockerfile


def test_lock_pins_every_runtime_dependency_with_hashes():
    import tomllib

    lock = (ROOT / "requirements.lock").read_text().lower()
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in dependencies:
        name = re.split(r"[<>=!~\[ ]", requirement)[0].lower().replace(".", "-").replace("_", "-")
        assert re.search(rf"^{re.escape(name)}==\S+ \\\n\s+--hash=sha256:", lock, re.MULTILINE), name


def make_database(path: Path, note: str) -> None:
    open_sync(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("INSERT INTO members VALUES ('console', ?, ?)", (note, note))


def test_restore_refuses_a_database_in_use_and_keeps_the_current_one(tmp_path, monkeypatch, capsys):
    live, backup = tmp_path / "live.db", tmp_path / "backup.db"
    make_database(live, "current")
    make_database(backup, "from-backup")
    monkeypatch.setenv("STUDYBOT_DATABASE", str(live))
    monkeypatch.delenv("STUDYBOT_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    running = Presence.take(live)  # a bot has the file open, as `studybot run` does
    now = datetime.now(UTC).isoformat()
    with sqlite3.connect(live) as connection:
        connection.execute(
            "INSERT INTO heartbeats (instance, platform, pid, started_at, beat_at) VALUES (?, 'discord', 1, ?, ?)",
            (running.instance, now, now),
        )
    assert main(["db", "restore", str(backup)]) == 2
    assert "a bot is running on" in (said := capsys.readouterr().err) and "(discord, pid 1," in said
    assert "stop it before restoring" in said
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT member_id FROM members").fetchall() == [("current",)]
    running.release()
    boards = tmp_path / "live.db-boards"
    boards.write_bytes(b"the leaderboards of the current answers")
    assert main(["db", "restore", str(backup)]) == 0
    assert not boards.exists()  # the old leaderboards file goes: they live in the database now
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT member_id FROM members").fetchall() == [("from-backup",)]
    kept = list(tmp_path.glob("live.db.before-restore-*"))
    assert len(kept) == 1
    with sqlite3.connect(kept[0]) as connection:
        assert connection.execute("SELECT member_id FROM members").fetchall() == [("current",)]


def test_restore_rejects_a_file_that_is_not_a_backup(tmp_path, monkeypatch, capsys):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all" * 100)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(tmp_path / "live.db"))
    monkeypatch.chdir(tmp_path)
    assert main(["db", "restore", str(junk)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err
    assert not (tmp_path / "live.db").exists()


async def test_a_bot_started_during_a_restore_waits_for_it_rather_than_open_a_file_being_replaced(tmp_path):
    import asyncio

    from bot.storage.presence import sole_access
    from bot.storage.store import SqliteStore

    live = tmp_path / "live.db"
    make_database(live, "current")
    with sole_access(live):  # what `studybot db restore` holds while it copies the backup in
        opening = asyncio.create_task(SqliteStore.open(live))
        await asyncio.sleep(0.3)
        assert not opening.done()
    store = await asyncio.wait_for(opening, timeout=10)
    try:
        assert [tuple(row) for row in await store.db.fetchall("SELECT member_id FROM members")] == [("current",)]
    finally:
        await store.close()
