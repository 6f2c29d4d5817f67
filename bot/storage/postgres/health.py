"""What `studybot health` reads of a PostgreSQL database: its schema version and the bots running on it,
without creating or migrating anything. A bot is running while its presence lock is held, whatever its
heartbeat's time says (see `bot.storage.postgres.presence`)."""

from __future__ import annotations

import sqlite3
from typing import cast

from bot.storage.heartbeat import Beat, beat_from_row
from bot.storage.postgres import presence
from bot.storage.postgres.connection import connect

_HEARTBEATS = "SELECT instance, platform, pid, beat_at FROM heartbeats ORDER BY beat_at DESC"


def version_and_running_bots(url: str) -> tuple[int, list[Beat]]:
    """The schema version (0 before the first start) and the running bots' heartbeats, newest first."""
    connection = connect(url, application_name="studybot health")
    try:
        tables = connection.execute("SELECT to_regclass('schema_migrations'), to_regclass('heartbeats')").fetchone()
        if tables is None or tables[0] is None:
            return 0, []
        found = connection.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()
        version = int(found[0]) if found else 0
        rows = connection.execute(_HEARTBEATS).fetchall() if tables[1] else []
        beats = [beat_from_row(cast(sqlite3.Row, row)) for row in rows]  # read by name, as sqlite3.Row is
        running = []
        for beat in beats:
            params = presence.lock_held(beat.instance)
            held = params is not None and connection.execute(presence.HELD, params).fetchone()
            if held and held[0]:
                running.append(beat)
        return version, running
    finally:
        connection.close()
