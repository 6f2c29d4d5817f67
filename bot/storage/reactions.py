"""Who reacted to an answer, as stored: read back after downtime to see which reactions went away."""

from __future__ import annotations

from bot.core.refs import MemberRef
from bot.storage.database import Database


class SqliteReactions:
    """The core's `ReactionStore` on the database."""

    db: Database

    async def reactors(self, *, answer_id: int, emoji: str) -> list[MemberRef]:
        found = await self.db.fetchall(
            "SELECT answers.platform, reactions.member_id FROM reactions "
            "JOIN answers ON answers.id = reactions.answer_id "
            "WHERE reactions.answer_id = ? AND reactions.kind = ? ORDER BY reactions.member_id",
            (answer_id, emoji),
        )
        return [MemberRef(str(row[0]), str(row[1])) for row in found]
