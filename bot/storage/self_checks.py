"""Members' self-checks of their daily answers: the key points they covered and their own rating."""

from __future__ import annotations

from datetime import datetime

from bot.core.private import SelfCheck
from bot.core.records import Assessment
from bot.storage import rows
from bot.storage.database import Database, ts


def _check(row: object) -> SelfCheck:
    covered = frozenset(int(index) for index in rows.split(row["covered"]))  # type: ignore[index]
    rating = row["rating"]  # type: ignore[index]
    return SelfCheck(answer_id=row["answer_id"], covered=covered, rating=Assessment(rating) if rating else None)  # type: ignore[index]


class SqliteSelfChecks:
    """The core's `SelfCheckStore` on the database."""

    db: Database

    async def save_self_check(self, check: SelfCheck, *, now: datetime) -> None:
        await self.db.write_statement(
            "INSERT INTO self_checks (answer_id, covered, rating, checked_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (answer_id) DO UPDATE SET covered = excluded.covered, rating = excluded.rating, "
            "checked_at = excluded.checked_at",
            (
                check.answer_id,
                rows.join(sorted(check.covered)),
                check.rating.value if check.rating else None,
                ts(now),
            ),
        )

    async def self_check(self, *, answer_id: int) -> SelfCheck | None:
        row = await self.db.fetchone("SELECT * FROM self_checks WHERE answer_id = ?", (answer_id,))
        return _check(row) if row else None

    async def self_checks(self, *, post_id: int) -> list[SelfCheck]:
        found = await self.db.fetchall(
            "SELECT self_checks.* FROM self_checks JOIN answers ON answers.id = self_checks.answer_id "
            "WHERE answers.post_id = ? AND answers.deleted = 0 ORDER BY answers.answered_at",
            (post_id,),
        )
        return [_check(row) for row in found]
