"""Which processes have the database open, told by file locks the kernel drops when a process ends, even on
SIGKILL, so a crashed bot is known to be gone at once (a timestamp would look fresh for minutes).

Beside `studybot.db`:

- `studybot.db.lock`: every process with the database open holds a shared lock on it. `db restore` takes it
  exclusively: it restores only while nobody has the file open, and nobody opens the file mid-restore.
- `studybot.db.processes/<instance>`: each of those processes holds an exclusive lock on a file of its own.
  Heartbeats and claimed posts name their instance; the instance is alive exactly while its file is locked.

`flock` locks belong to an open file, not to a process, so two databases opened in one process are two
instances, as they are for SQLite. The locks hold across containers that share the volume (one kernel).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from bot.storage.connections import DatabaseError

RESTORE_WAIT = 10.0  # seconds a process waits to open the database while a restore replaces it


class InUse(DatabaseError):
    """Another process has the database open."""


def lock_file(database: Path | str) -> Path:
    return Path(f"{database}.lock")


def processes_folder(database: Path | str) -> Path:
    return Path(f"{database}.processes")


class Presence:
    """This process's hold on the database: `Presence.take(path)` when opening it, `release()` when closed."""

    def __init__(self, database: Path | str, shared: int, own: int, instance: str) -> None:
        self.database = str(database)
        self.instance = instance
        self._shared = shared
        self._own = own

    @classmethod
    def take(cls, database: Path | str, *, wait: float = RESTORE_WAIT) -> Presence:
        shared = _open_lock(lock_file(database))
        try:
            _wait_for_shared(shared, database, wait)
            own, instance = _own_file(database)
        except BaseException:
            os.close(shared)
            raise
        return cls(database, shared, own, instance)

    def release(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            (processes_folder(self.database) / self.instance).unlink()
        os.close(self._own)
        os.close(self._shared)


def is_alive(database: Path | str, instance: str) -> bool:
    """True while the process that opened the database as `instance` still runs."""
    if not instance or "/" in instance or instance.startswith("."):
        return False
    try:
        descriptor = os.open(processes_folder(database) / instance, os.O_RDONLY)
    except OSError:
        return False  # a clean stop removes its file
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def forget_ended(database: Path | str) -> None:
    """Remove the files of processes that ended without a clean stop."""
    folder = processes_folder(database)
    with contextlib.suppress(FileNotFoundError):
        for entry in folder.iterdir():
            if not entry.name.startswith(".") and not is_alive(database, entry.name):
                entry.unlink(missing_ok=True)


@contextlib.contextmanager
def sole_access(database: Path | str) -> Iterator[None]:
    """Hold the database so that no process has it open or opens it meanwhile; `InUse` if one has it open."""
    descriptor = _open_lock(lock_file(database))
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InUse(f"another process has {database} open") from None
        forget_ended(database)
        yield
    finally:
        os.close(descriptor)


def _open_lock(path: Path) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as problem:
        raise DatabaseError(
            f"cannot make the lock file {path} beside the database ({problem.strerror}): choose a folder "
            "studybot may write (STUDYBOT_DATABASE or `database` in the settings)"
        ) from None


def _wait_for_shared(descriptor: int, database: Path | str, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DatabaseError(
                    f"`studybot db restore` is replacing {database}: start again once it has finished"
                ) from None
            time.sleep(0.05)


def _own_file(database: Path | str) -> tuple[int, str]:
    """This process's locked file. It is locked under a hidden name and then renamed, so no other process
    ever finds it unlocked and takes this process for one that has ended."""
    folder = processes_folder(database)
    instance = uuid.uuid4().hex
    try:
        folder.mkdir(exist_ok=True)
        hidden = folder / f".{instance}"
        descriptor = os.open(hidden, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as problem:
        raise DatabaseError(
            f"cannot make {folder} beside the database ({problem.strerror}): choose a folder studybot may write "
            "(STUDYBOT_DATABASE or `database` in the settings)"
        ) from None
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    os.write(descriptor, f"{os.getpid()}\n".encode())
    os.rename(hidden, folder / instance)
    return descriptor, instance
