"""`studybot db migrate | backup PATH | restore PATH`: the one SQLite file an operator keeps safe."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path
from typing import Any

from bot.cli.common import settings_from
from bot.config import ConfigError
from bot.storage.database import open_sync, schema_version
from bot.storage.migrations import LATEST_VERSION


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("db", help="migrate or back up the database", description=__doc__)
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    migrate = actions.add_parser("migrate", help="apply pending schema migrations")
    migrate.set_defaults(handler=run_migrate)
    backup = actions.add_parser("backup", help="copy the database safely while the bot runs")
    backup.add_argument("path", type=Path)
    backup.set_defaults(handler=run_backup)


def run_migrate(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    connection = open_sync(settings.database)
    connection.close()
    print(f"{settings.database}: schema version {schema_version(settings.database)} (latest {LATEST_VERSION})")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if not Path(settings.database).is_file():
        raise ConfigError(f"there is no database at {settings.database} to back up")
    target: Path = args.path
    if target.exists():
        raise ConfigError(f"{target} already exists; choose a new file name so no backup is overwritten")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = open_sync(settings.database)
    try:
        with sqlite3.connect(target) as destination:
            source.backup(destination)  # SQLite's online backup: consistent even while the bot writes
    finally:
        source.close()
    print(f"backed up {settings.database} to {target}")
    return 0
