"""The running bot's heartbeat, written to the database so `studybot health` can tell it is alive."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from bot.storage.database import Database, parse_ts, ts


class Heartbeat:
    def __init__(self, db: Database, platform: str) -> None:
        self._db = db
        self.platform = platform
        self.instance = uuid.uuid4().hex

    async def beat(self, now: datetime) -> None:
        await self._db.write_statement(
            "INSERT INTO heartbeats (instance, platform, pid, started_at, beat_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (instance) DO UPDATE SET beat_at = excluded.beat_at",
            (self.instance, self.platform, os.getpid(), ts(now), ts(now)),
        )

    async def others_since(self, since: datetime) -> list[tuple[str, int, datetime]]:
        """Other bots' heartbeats written since `since`: (platform, pid, when), newest first."""
        found = await self._db.fetchall(
            "SELECT platform, pid, beat_at FROM heartbeats WHERE instance != ? AND beat_at >= ? ORDER BY beat_at DESC",
            (self.instance, ts(since)),
        )
        return [(str(row["platform"]), int(row["pid"]), parse_ts(row["beat_at"]) or since) for row in found]

    async def stop(self) -> None:
        await self._db.write_statement("DELETE FROM heartbeats WHERE instance = ?", (self.instance,))


def latest_beat(path: Path | str) -> datetime | None:
    """The most recent heartbeat in the file, read without creating or migrating anything."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        try:
            row = connection.execute("SELECT max(beat_at) FROM heartbeats").fetchone()
        except sqlite3.OperationalError:
            return None
    return parse_ts(row[0]) if row else None
