"""`studybot db migrate | backup | restore` when the database is PostgreSQL: its own tools do the copying."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from bot.config import ConfigError
from bot.storage.connections import DatabaseError
from bot.storage.postgres.database import migrate, redacted

NO_PG_DUMP = (
    "pg_dump was not found, and a PostgreSQL backup is made with it: install PostgreSQL's client tools "
    "(on Debian: apt-get install postgresql-client) and run this again, or copy the history into a SQLite "
    "file with `studybot db copy`"
)


def run_migrate(url: str) -> int:
    try:
        ran = migrate(url)
    except DatabaseError as problem:
        raise ConfigError(str(problem)) from None
    print(f"{redacted(url)}: {ran} migration{'' if ran == 1 else 's'} applied, the schema is up to date")
    return 0


def run_backup(url: str, target: Path) -> int:
    """pg_dump's custom format into `target` (restore it with pg_restore). The password goes to pg_dump in its
    environment, never on its command line, where any user of the machine could read it."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise ConfigError(NO_PG_DUMP)
    parts = conninfo_to_dict(url)
    password = parts.pop("password", None)
    env = dict(os.environ, **({"PGPASSWORD": str(password)} if password else {}))
    done = subprocess.run(
        [pg_dump, "--format=custom", "--no-owner", f"--file={target}", f"--dbname={make_conninfo('', **parts)}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        target.unlink(missing_ok=True)  # no half-written backup left to be trusted later
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise ConfigError(f"pg_dump could not back up {redacted(url)}: {why}")
    print(f"backed up {redacted(url)} to {target} (restore it with pg_restore --clean --dbname=...)")
    return 0


def refuse_restore(url: str) -> int:
    raise ConfigError(
        f"{redacted(url)} is PostgreSQL: stop every bot on it, then restore a `studybot db backup` file with "
        "`pg_restore --clean --if-exists --no-owner --dbname=URL BACKUP`, or load a SQLite backup with "
        "`studybot db copy BACKUP URL` into an empty database"
    )
