"""`studybot health`: exit 0 only when the database opens, is migrated, and a bot is running on it whose
heartbeat is recent. "Running" is told by the lock its process holds (see `bot.storage.presence`), so a
killed bot's heartbeat, or one that came back with a restored backup, does not count however fresh it is."""

from __future__ import annotations

import argparse
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.cli.common import settings_from
from bot.storage.heartbeat import running_bots
from bot.storage.migrations import LATEST_VERSION


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("health", help="check the running bot (for Docker's HEALTHCHECK)", description=__doc__)
    parser.add_argument("--max-age", type=int, default=120, help="seconds a heartbeat stays fresh (default 120)")
    parser.set_defaults(handler=run)


def problems(database: Path, max_age: timedelta, now: datetime) -> list[str]:
    if not database.is_file():
        return [f"no database at {database}: the bot has not started, or STUDYBOT_DATABASE points elsewhere"]
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as problem:
        return [f"database {database} cannot be read: {problem}"]
    found = []
    if version < LATEST_VERSION:
        found.append(f"database schema is version {version}, expected {LATEST_VERSION}: run studybot db migrate")
    elif version > LATEST_VERSION:
        # the words `studybot db migrate` (and the bot at start) use: migrating cannot go backwards
        found.append(
            f"the database is at schema version {version}, newer than this studybot knows ({LATEST_VERSION}): "
            "upgrade studybot, or restore a backup made by this version"
        )
    running = running_bots(database)
    if not running:
        found.append("no bot is running on this database: start it with studybot run")
    elif now - running[0].at > max_age:
        age, limit = int((now - running[0].at).total_seconds()), int(max_age.total_seconds())
        found.append(
            f"a bot is running (pid {running[0].pid}) but its last heartbeat is {age} s old (limit {limit} s): "
            "it may be stuck"
        )
    return found


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    found = problems(Path(settings.database), timedelta(seconds=args.max_age), datetime.now(UTC))
    for problem in found:
        print(f"unhealthy: {problem}")
    if not found:
        print(f"healthy: {settings.database} is current, and a bot is running on it with a fresh heartbeat")
    return 1 if found else 0
