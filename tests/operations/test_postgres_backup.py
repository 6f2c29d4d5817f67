"""`studybot db migrate`, `db backup` and `db restore` when the database is PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.storage.postgres.migrations import LATEST_VERSION
from tests.support.postgres import Cluster


def test_a_postgresql_backup_is_a_pg_dump_file(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDYBOT_DATABASE", postgres_url)
    backup = tmp_path / "studybot.dump"
    assert main(["db", "backup", str(backup)]) == 0
    assert backup.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format, for pg_restore
    assert "restore it with pg_restore" in capsys.readouterr().out
    assert main(["db", "backup", str(backup)]) == 2  # never overwrites a backup
    assert "already exists" in capsys.readouterr().err


def test_without_pg_dump_it_says_what_to_install_or_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDYBOT_DATABASE", "postgresql://bot@127.0.0.1:1/studybot")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["db", "backup", str(tmp_path / "studybot.dump")]) == 2
    said = capsys.readouterr().err
    assert "pg_dump was not found" in said and "apt-get install postgresql-client" in said and "db copy" in said
    assert said.count("\n") == 1


def test_restore_into_postgresql_says_how_instead(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("STUDYBOT_DATABASE", "postgresql://bot:hunter2@127.0.0.1:1/studybot")
    assert main(["db", "restore", "backup.dump"]) == 2
    said = capsys.readouterr().err
    assert "pg_restore --clean" in said and "hunter2" not in said


def test_migrate_on_postgresql_makes_the_tables_then_finds_nothing_to_do(
    postgres_cluster: Cluster, postgres_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_cluster.empty_database()
    monkeypatch.setenv("STUDYBOT_DATABASE", url)
    assert main(["db", "migrate"]) == 0
    first = capsys.readouterr().out
    assert first.startswith(f"postgresql://studybot@127.0.0.1:{postgres_cluster.port}/")
    assert f"{LATEST_VERSION} migration{'s' * (LATEST_VERSION != 1)} applied" in first
    assert main(["db", "migrate"]) == 0
    assert ": 0 migrations applied, the schema is up to date" in capsys.readouterr().out
