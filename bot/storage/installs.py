"""App installations per workspace and the states of install flows under way (the core's `InstallStore`)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.ports import AppInstall
from bot.storage.database import Database, parse_ts, ts


class SqliteInstalls:
    """The core's `InstallStore` on the database: every process on it sees every installation at once."""

    db: Database

    async def save_install(self, install: AppInstall) -> None:
        await self.db.write_statement(
            "INSERT INTO app_installs (platform, kind, enterprise_id, team_id, user_id, installed_at, data) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (platform, kind, enterprise_id, team_id, user_id) "
            "DO UPDATE SET installed_at = excluded.installed_at, data = excluded.data",
            (
                install.platform,
                install.kind,
                install.enterprise_id,
                install.team_id,
                install.user_id,
                ts(install.installed_at),
                install.data,
            ),
        )

    async def find_install(
        self, *, platform: str, kind: str, enterprise_id: str, team_id: str, user_id: str | None = None
    ) -> AppInstall | None:
        sql = "SELECT * FROM app_installs WHERE platform = ? AND kind = ? AND enterprise_id = ? AND team_id = ?"
        params: tuple[object, ...] = (platform, kind, enterprise_id, team_id)
        if user_id is not None:
            sql, params = sql + " AND user_id = ?", (*params, user_id)
        row = await self.db.fetchone(sql + " ORDER BY installed_at DESC LIMIT 1", params)
        return _install(row) if row else None

    async def delete_installs(
        self, *, platform: str, enterprise_id: str, team_id: str, kind: str | None = None, user_id: str | None = None
    ) -> int:
        sql = "DELETE FROM app_installs WHERE platform = ? AND enterprise_id = ? AND team_id = ?"
        params: tuple[object, ...] = (platform, enterprise_id, team_id)
        if kind is not None:
            sql, params = sql + " AND kind = ?", (*params, kind)
        if user_id is not None:
            sql, params = sql + " AND user_id = ?", (*params, user_id)
        return (await self.db.write_statement(sql, params)).rowcount

    async def issue_install_state(self, *, platform: str, state: str, expires_at: datetime) -> None:
        await self.db.write_statement(
            "INSERT INTO install_states (platform, state, expires_at) VALUES (?, ?, ?)",
            (platform, state, ts(expires_at)),
        )

    async def consume_install_state(self, *, platform: str, state: str, now: datetime) -> bool:
        def consume(connection: sqlite3.Connection) -> bool:
            connection.execute("DELETE FROM install_states WHERE expires_at <= ?", (ts(now),))  # the abandoned
            used = connection.execute("DELETE FROM install_states WHERE platform = ? AND state = ?", (platform, state))
            return used.rowcount == 1

        return await self.db.write(consume)


def _install(row: sqlite3.Row) -> AppInstall:
    installed_at = parse_ts(row["installed_at"])
    assert installed_at is not None
    return AppInstall(
        platform=row["platform"],
        kind=row["kind"],
        enterprise_id=row["enterprise_id"],
        team_id=row["team_id"],
        user_id=row["user_id"],
        installed_at=installed_at,
        data=row["data"],
    )
