"""The running bot's heartbeat, written to the database so `studybot health` can tell it is alive.

A heartbeat row names its process's instance: a row whose process has ended (see `bot.storage.presence`)
is a dead bot's, however recent its time, and a row of a live process whose time is old is a stuck bot's.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.storage.database import Database, parse_ts, ts
from bot.storage.presence import is_alive


@dataclass(frozen=True, slots=True)
class Beat:
    instance: str
    platform: str
    pid: int
    at: datetime
    shards: str = ""  # the Discord shards the bot runs, `0,1/4`; empty: all of them, or not Discord


class Heartbeat:
    def __init__(self, db: Database, platform: str, shards: str = "") -> None:
        self._db = db
        self.platform = platform
        self.shards = shards
        self.instance = db.instance

    async def beat(self, now: datetime) -> None:
        await self._db.keep_presence()
        await self._db.write_statement(
            "INSERT INTO heartbeats (instance, platform, pid, started_at, beat_at, shards) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (instance) DO UPDATE SET beat_at = excluded.beat_at",
            (self.instance, self.platform, os.getpid(), ts(now), ts(now), self.shards),
        )

    async def others(self) -> tuple[list[Beat], list[Beat]]:
        """Other bots' heartbeats, newest first: (those of running bots, those of bots that have ended)."""
        found = await self._db.fetchall(
            "SELECT instance, platform, pid, beat_at, shards FROM heartbeats WHERE instance != ? ORDER BY beat_at DESC",
            (self.instance,),
        )
        beats = [beat_from_row(row) for row in found]
        running = [beat for beat in beats if await self._db.is_alive(beat.instance)]
        return running, [beat for beat in beats if beat not in running]

    async def forget(self, beats: list[Beat]) -> None:
        """Remove the rows of bots that ended without a clean stop."""
        for beat in beats:
            await self._db.write_statement("DELETE FROM heartbeats WHERE instance = ?", (beat.instance,))

    async def stop(self) -> None:
        await self._db.write_statement("DELETE FROM heartbeats WHERE instance = ?", (self.instance,))


def running_bots(path: Path | str) -> list[Beat]:
    """The heartbeats of the bots running on the file, newest first, read without creating or migrating
    anything."""
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        try:
            found = connection.execute(
                "SELECT instance, platform, pid, beat_at FROM heartbeats ORDER BY beat_at DESC"
            ).fetchall()
        except sqlite3.OperationalError:
            return []
    return [beat for beat in map(beat_from_row, found) if is_alive(path, beat.instance)]


def beat_from_row(row: sqlite3.Row) -> Beat:
    at = parse_ts(row["beat_at"])
    assert at is not None
    try:
        shards = str(row["shards"])
    except (IndexError, KeyError):  # a read that does not ask for them (health, which may find an older schema)
        shards = ""
    return Beat(str(row["instance"]), str(row["platform"]), int(row["pid"]), at, shards)
