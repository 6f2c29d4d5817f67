"""Channels and their settings: one row per platform channel, read fresh on every call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.storage import rows
from bot.storage.database import Database

# Refs per read of many channels: three parameters each, far below SQLite's limit of 32,766.
_REFS_PER_READ = 500

CHANNEL_BY_IDS = "SELECT * FROM channels WHERE platform = ? AND server_id = ? AND channel_id = ?"


class SqliteChannels:
    """The core's `ChannelStore` on the database."""

    db: Database

    async def save_channel(self, config: ChannelConfig) -> None:
        schedule, ref = config.schedule, config.ref
        await self.db.write_statement(
            """
            INSERT INTO channels (platform, server_id, channel_id, name, post_time, timezone, days, topics,
                                  difficulties, paused, skip_dates, seed, focus, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (platform, server_id, channel_id) DO UPDATE SET
                name = excluded.name, post_time = excluded.post_time, timezone = excluded.timezone,
                days = excluded.days, topics = excluded.topics, difficulties = excluded.difficulties,
                paused = excluded.paused, skip_dates = excluded.skip_dates, seed = excluded.seed,
                focus = excluded.focus, updated_at = excluded.updated_at
            """,
            (
                ref.platform,
                ref.server_id,
                ref.channel_id,
                config.name,
                f"{schedule.at:%H:%M}",
                schedule.timezone,
                rows.join(schedule.days),
                rows.join(schedule.topics),
                rows.join(schedule.difficulties),
                int(schedule.paused),
                rows.join(sorted(day.isoformat() for day in schedule.skip_dates)),
                config.seed,
                schedule.focus.value,
                datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            ),
        )

    async def get_channel(self, ref: ChannelRef) -> ChannelConfig | None:
        row = await self.db.fetchone(CHANNEL_BY_IDS, (ref.platform, ref.server_id, ref.channel_id))
        return rows.channel_config(row) if row else None

    async def get_channels(self, refs: Sequence[ChannelRef]) -> list[ChannelConfig]:
        found: dict[ChannelRef, ChannelConfig] = {}
        for start in range(0, len(refs), _REFS_PER_READ):
            chunk = refs[start : start + _REFS_PER_READ]
            matches = " OR ".join(["(platform = ? AND server_id = ? AND channel_id = ?)"] * len(chunk))
            params = [part for ref in chunk for part in (ref.platform, ref.server_id, ref.channel_id)]
            for row in await self.db.fetchall(f"SELECT * FROM channels WHERE {matches}", tuple(params)):
                config = rows.channel_config(row)
                found[config.ref] = config
        return [found[ref] for ref in refs if ref in found]

    async def list_channels(self, *, platform: str | None = None) -> list[ChannelConfig]:
        if platform is None:
            found = await self.db.fetchall("SELECT * FROM channels ORDER BY id")
        else:
            found = await self.db.fetchall("SELECT * FROM channels WHERE platform = ? ORDER BY id", (platform,))
        return rows.channel_configs(found)
