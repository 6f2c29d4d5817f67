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
from bot.storage.heartbeat import Beat, running_bots
from bot.storage.migrations import LATEST_VERSION
from bot.storage.postgres.database import redacted
from bot.storage.postgres.health import version_and_running_bots
from bot.storage.postgres.migrations import LATEST_VERSION as POSTGRES_LATEST


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
    return _verdict(version, LATEST_VERSION, running_bots(database), max_age, now)


def _verdict(version: int, latest: int, running: list[Beat], max_age: timedelta, now: datetime) -> list[str]:
    found = []
    if version < latest:
        found.append(f"database schema is version {version}, expected {latest}: run studybot db migrate")
    elif version > latest:
        # the words `studybot db migrate` (and the bot at start) use: migrating cannot go backwards
        found.append(
            f"the database is at schema version {version}, newer than this studybot knows ({latest}): "
            "upgrade studybot, or restore a backup made by this version"
        )
    if not running:
        found.append("no bot is running on this database: start it with studybot run")
    elif now - running[0].at > max_age:
        age, limit = int((now - running[0].at).total_seconds()), int(max_age.total_seconds())
        found.append(
            f"a bot is running (pid {running[0].pid}) but its last heartbeat is {age} s old (limit {limit} s): "
            "it may be stuck"
        )
    return found


def postgres_problems(url: str, max_age: timedelta, now: datetime) -> list[str]:
    try:
        version, running = version_and_running_bots(url)
    except sqlite3.Error as problem:
        return [f"database {redacted(url)} cannot be read: {str(problem).splitlines()[0]}"]
    return _verdict(version, POSTGRES_LATEST, running, max_age, now)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    check_age, now = timedelta(seconds=args.max_age), datetime.now(UTC)
    if settings.database_url:
        found = postgres_problems(settings.database_url.value, check_age, now)
        name = redacted(settings.database_url.value)
    else:
        found, name = problems(Path(settings.database), check_age, now), str(settings.database)
    for problem in found:
        print(f"unhealthy: {problem}")
    if not found:
        print(f"healthy: {name} is current, and a bot is running on it with a fresh heartbeat")
    return 1 if found else 0
