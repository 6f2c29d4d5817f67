"""A full disk under a test's database, and room again.

Where the tests may mount a file system (as root), the database lives on a small tmpfs of its own and `fill`
writes a ballast file until the kernel says ENOSPC: the disk really is full. Elsewhere `fill` lowers SQLite's
`PRAGMA max_page_count` on the bot's writer to the file's size, and SQLite raises the very SQLITE_FULL
("database or disk is full") a full disk gives; `make_room` deletes the ballast, or raises the limit again.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.storage.database import Database

TMPFS_SIZE = "16m"
_CHUNKS = (1 << 20, 4096, 1)


class FullDisk:
    def __init__(self, folder: Path, *, mounted: bool) -> None:
        self.folder = folder
        self.mounted = mounted  # a real file system of its own, filled to the last byte
        self.database = folder / "studybot.db"
        self._ballast = folder / "ballast"

    async def fill(self, db: Database) -> None:
        if not self.mounted:
            await db.write(lambda connection: connection.execute("PRAGMA max_page_count = 1").fetchone())
            return
        with self._ballast.open("ab", buffering=0) as ballast:
            for size in _CHUNKS:
                try:
                    while True:
                        ballast.write(b"\0" * size)
                except OSError as problem:
                    if problem.errno != errno.ENOSPC:
                        raise
        assert shutil.disk_usage(self.folder).free == 0

    async def make_room(self, db: Database) -> None:
        if not self.mounted:
            await db.write(lambda connection: connection.execute("PRAGMA max_page_count = 1073741823").fetchone())
            return
        self._ballast.unlink()


def _mount_tmpfs(folder: Path) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    return mounted.returncode == 0


@contextmanager
def full_disk(tmp_path: Path, kind: str = "best") -> Iterator[FullDisk]:
    """A folder for the database whose disk a test can fill (close the database before this ends): `kind`
    "tmpfs" (skipped where it cannot be mounted), "page-limit", or "best", the first of them that works here."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = kind != "page-limit" and _mount_tmpfs(folder)
    if kind == "tmpfs" and not mounted:
        pytest.skip("a tmpfs cannot be mounted here (not root, or no mount)")
    try:
        yield FullDisk(folder, mounted=mounted)
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)
