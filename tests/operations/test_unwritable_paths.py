"""A database or a backup where nothing may be written is one line naming the problem and the fix, a non-zero
exit, and nothing stored changed.

A read-only filesystem is made for real: the folder is bind-mounted read-only onto itself inside a private
user and mount namespace (`unshare --user --map-root-user --mount`), which works as root and as any user
where user namespaces are allowed, and touches no mount outside the one command. A folder the user may not
write (mode 0555) is tested only when not root, since root may write there anyway.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage.database import open_sync


def _namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    return subprocess.run([unshare, "-rm", "true"], capture_output=True, timeout=30).returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_work(), reason="unshare -rm (user namespaces) is not available")
not_root = pytest.mark.skipif(os.geteuid() == 0, reason="root may write a 0555 folder")


def studybot(args: list[str], database: Path, *, read_only: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`studybot ARGS` with STUDYBOT_DATABASE set, with `read_only` (a folder) on a read-only mount if given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "STUDYBOT_"))}
    env["STUDYBOT_DATABASE"] = str(database)
    command = [sys.executable, "-m", "bot", *args]
    if read_only is not None:
        folder = shlex.quote(str(read_only))
        script = f"mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} && exec {shlex.join(command)}"
        command = ["unshare", "-rm", "sh", "-c", script]
    return subprocess.run(command, input="", capture_output=True, text=True, timeout=60, cwd=database.parent, env=env)


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def assert_one_clear_line(result: subprocess.CompletedProcess[str], said: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "Traceback" not in result.stderr, result.stderr


@needs_namespaces
def test_a_database_on_a_read_only_filesystem_stops_the_bot_with_one_line(tmp_path) -> None:
    folder = tmp_path / "readonly"
    folder.mkdir()
    database = folder / "studybot.db"
    open_sync(database).close()  # a database made earlier, on a disk since mounted read-only
    before = snapshot(folder)
    result = studybot(["run"], database, read_only=folder)
    assert_one_clear_line(result, f"the database {database} cannot be written: {folder} is on a read-only filesystem")
    assert "Choose a path studybot may write (STUDYBOT_DATABASE" in result.stderr
    assert snapshot(folder) == before


@not_root
def test_a_database_in_a_folder_the_user_may_not_write_stops_the_bot_with_one_line(tmp_path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = studybot(["run"], folder / "studybot.db")
        assert_one_clear_line(result, f"{folder} is not writable by this user")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@needs_namespaces
def test_a_backup_to_a_read_only_filesystem_is_one_line_and_leaves_nothing_behind(tmp_path) -> None:
    database = tmp_path / "studybot.db"
    open_sync(database).close()
    shelf = tmp_path / "backups"
    shelf.mkdir()
    before = snapshot(tmp_path)
    result = studybot(["db", "backup", str(shelf / "nightly.db")], database, read_only=shelf)
    assert_one_clear_line(
        result, f"cannot write the backup {shelf / 'nightly.db'}: {shelf} is on a read-only filesystem"
    )
    assert snapshot(tmp_path) == before


def test_a_backup_under_a_file_is_one_line_and_leaves_nothing_behind(tmp_path) -> None:
    database = tmp_path / "studybot.db"
    open_sync(database).close()
    (tmp_path / "notes.txt").write_text("not a folder\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = studybot(["db", "backup", str(tmp_path / "notes.txt" / "nightly.db")], database)
    assert_one_clear_line(result, f"cannot make the folder {tmp_path / 'notes.txt'} for the backup")
    assert snapshot(tmp_path) == before
