"""A throwaway PostgreSQL cluster on loopback for the tests: made once per session, a fresh database per test.

The cluster lives in a temporary folder, listens on a free port of 127.0.0.1 with its socket in that folder, and
runs without fsync (nothing in it outlives the session). The benchmarks start theirs `durable`: fsync on, and
commits that do not wait for the disk (`synchronous_commit = off`), the class of SQLite's WAL with
synchronous=NORMAL: a crash may lose the last commits, never the database. The server refuses to run as root,
so under root it runs as the `postgres` user the Debian package makes (else `nobody`). The tests share one
migrated database, emptied (TRUNCATE) before each test that asks for it: a tenth of the time of a new database
per test.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg

from bot.storage.postgres.database import migrate

HOW_TO_RUN = (
    "PostgreSQL tests skipped: no PostgreSQL server binaries found; install them (`apt-get install -y postgresql` "
    "on Debian) or set STUDYBOT_TEST_PG_BIN to the folder holding initdb and pg_ctl"
)
_TEMPLATE = "studybot_template"
_SHARED = "studybot_tests"


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: STUDYBOT_TEST_PG_BIN when set (and then only it), else the newest
    Debian install, or PATH."""
    chosen = os.environ.get("STUDYBOT_TEST_PG_BIN")
    if chosen:
        return Path(chosen) if (Path(chosen) / "initdb").exists() and (Path(chosen) / "pg_ctl").exists() else None
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]), reverse=True)
    found = shutil.which("initdb")
    candidates += [str(Path(found).parent)] if found else []
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user(folder: Path) -> list[str]:
    """The prefix that runs the server's commands as a user it accepts, owning `folder`."""
    if os.geteuid() != 0:
        return []
    user = "postgres"
    try:
        pwd.getpwnam(user)
    except KeyError:
        user = "nobody"
    shutil.chown(folder, user)
    return ["runuser", "-u", user, "--"]


class Cluster:
    def __init__(self, binaries: Path, *, durable: bool = False) -> None:
        self._bin = binaries
        self._durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="studybot-pg-"))
        os.chmod(self.folder, 0o755)
        self._prefix = _as_server_user(self.folder)
        self.port = _free_port()
        self._data = self.folder / "data"
        self._names = itertools.count(1)
        self._shared_made = False

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self._prefix, *command], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(
                f"{command[0]} failed: {done.stderr.strip() or done.stdout.strip()}\n"
                + (log.read_text() if log.exists() else "")
            )

    def start(self) -> None:
        self._run(
            str(self._bin / "initdb"), "-D", str(self._data), "-U", "studybot", "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        durability = "" if self._durable else "-c fsync=off -c full_page_writes=off "
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 {durability}"
            "-c synchronous_commit=off -c max_connections=200"
        )
        self._run(str(self._bin / "pg_ctl"), "-D", str(self._data), "-o", options, "-l",
                  str(self.folder / "server.log"), "-w", "start")  # fmt: skip
        self._create(_TEMPLATE)
        migrate(self.url(_TEMPLATE))

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://studybot@127.0.0.1:{self.port}/{database}"

    def _create(self, name: str, template: str = "template0") -> None:
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY'.encode())

    def fresh_database(self) -> str:
        """The tests' database, migrated and with every table emptied; its URL."""
        url = self.url(_SHARED)
        if not self._shared_made:
            self._create(_SHARED, _TEMPLATE)
            self._shared_made = True
            return url
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("SET lock_timeout = '10s'")  # a test that left a transaction open fails, not hangs
            found = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename != 'schema_migrations'"
            ).fetchall()
            tables = ", ".join(f'"{row[0]}"' for row in found)
            connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE".encode())
        return url

    def new_database(self, name: str, like: str = _TEMPLATE) -> str:
        """A new database, a copy of `like` (by default migrated, with no rows); its URL. Nothing may be connected
        to `like` meanwhile."""
        self._create(name, like)
        return self.url(name)

    def empty_database(self) -> str:
        """A new database with no tables at all; its URL."""
        name = f"empty_{next(self._names)}"
        self._create(name)
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run(str(self._bin / "pg_ctl"), "-D", str(self._data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


@contextlib.contextmanager
def cluster(*, durable: bool = False) -> Iterator[Cluster | None]:
    """A running cluster for the session, or None where there are no PostgreSQL binaries."""
    binaries = server_binaries()
    if binaries is None:
        yield None
        return
    running = Cluster(binaries, durable=durable)
    try:
        running.start()
        yield running
    finally:
        running.stop()
