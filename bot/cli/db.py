"""`studybot db migrate | backup PATH | restore PATH | copy SOURCE TARGET`: the database an operator keeps safe."""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli import db_copy, db_postgres
from bot.cli.common import settings_from
from bot.config import ConfigError
from bot.storage.database import open_sync, schema_version, unwritable, usable_path
from bot.storage.heartbeat import running_bots
from bot.storage.migrations import LATEST_VERSION
from bot.storage.presence import InUse, sole_access


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("db", help="migrate or back up the database", description=__doc__)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    migrate = actions.add_parser("migrate", help="apply pending schema migrations")
    migrate.set_defaults(handler=run_migrate)
    backup = actions.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=run_backup)
    restore = actions.add_parser("restore", help="replace the database with a backup (the bot must be stopped)")
    restore.add_argument("path", type=Path)
    restore.set_defaults(handler=run_restore)
    db_copy.add_parser(actions)


def run_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.database_url:
        return db_postgres.run_migrate(settings.database_url.value)
    connection = open_sync(settings.database)
    connection.close()
    print(f"{settings.database}: schema version {schema_version(settings.database)} (latest {LATEST_VERSION})")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.database_url and not Path(args.path).exists():
        return db_postgres.run_backup(settings.database_url.value, args.path)
    if not settings.database_url and not Path(settings.database).is_file():
        raise ConfigError(f"there is no database at {settings.database} to back up")
    target: Path = args.path
    if target.exists():
        raise ConfigError(f"{target} already exists; choose a new file name so no backup is overwritten")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise ConfigError(
            f"cannot make the folder {target.parent} for the backup ({problem.strerror}): choose a folder you may write"
        ) from None
    why = unwritable(target.parent.resolve())
    if why is not None:
        raise ConfigError(f"cannot write the backup {target}: {why}. Choose a folder you may write")
    source = open_sync(settings.database)
    try:
        with contextlib.closing(sqlite3.connect(target)) as destination:
            source.backup(destination)  # SQLite's online backup: consistent even while the bot writes
    except sqlite3.Error as problem:
        target.unlink(missing_ok=True)  # no half-written backup left to be trusted later
        raise ConfigError(f"cannot write the backup {target} ({problem}): choose a folder you may write") from None
    finally:
        source.close()
    print(f"backed up {settings.database} to {target}")
    return 0


def _copy(source: Path, target: Path) -> None:
    with (
        contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as origin,
        contextlib.closing(sqlite3.connect(target)) as destination,
    ):
        origin.backup(destination)


def _in_use(database: Path) -> ConfigError:
    bots = running_bots(database) if database.is_file() else []
    if not bots:
        return ConfigError(f"another studybot process has {database} open: stop it before restoring")
    bot = bots[0]
    return ConfigError(
        f"a bot is running on {database} ({bot.platform}, pid {bot.pid}, heartbeat {bot.at:%H:%M:%S} UTC): "
        "stop it before restoring"
    )


def run_restore(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.database_url:
        return db_postgres.refuse_restore(settings.database_url.value)
    database, backup = Path(usable_path(settings.database)), Path(args.path)
    if not backup.is_file():
        raise ConfigError(f"there is no backup at {backup}")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{backup}?mode=ro", uri=True)) as connection:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
            version = connection.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as problem:
        raise ConfigError(f"{backup} is not a SQLite database: {problem}") from None
    if verdict != "ok" or not 1 <= version <= LATEST_VERSION:
        raise ConfigError(f"{backup} is not a usable studybot backup (integrity: {verdict}, schema {version})")
    try:
        # Held until the restore is done: a bot started meanwhile waits for it rather than open a file being replaced.
        with sole_access(database):
            if database.is_file():
                kept = database.with_name(f"{database.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}")
                _copy(database, kept)
                print(f"kept the current database as {kept}")
            _copy(backup, database)
            restored = open_sync(database)  # bring an older backup's schema up to date
            try:
                # the heartbeats of the bots that ran when the backup was made: none of them runs on this file
                restored.execute("DELETE FROM heartbeats")
            finally:
                restored.close()
    except InUse:
        raise _in_use(database) from None
    print(f"restored {backup} into {database}")
    return 0
