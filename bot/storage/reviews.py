"""Review cards and their reviews: a card's memory is recomputed from its whole history at every review."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from bot.core.refs import MemberRef
from bot.core.review_cards import CardState, Memory, Rating, ReviewCard, ReviewEntry
from bot.storage.database import Database, parse_ts, ts

_HISTORY = (
    "SELECT review_key, rating, reviewed_at FROM review_log "
    "WHERE platform = ? AND member_id = ? AND question_id = ? ORDER BY reviewed_at, id"
)
_CARD = "SELECT * FROM review_cards WHERE platform = ? AND member_id = ? AND question_id = ?"


class SqliteReviews:
    """The core's `ReviewStore` on the database."""

    db: Database

    async def record_review(
        self,
        *,
        member: MemberRef,
        question_id: str,
        entry: ReviewEntry,
        replay: Callable[[list[ReviewEntry]], Memory],
    ) -> ReviewCard:
        """Stored and replayed in the writer's next transaction, so two reviews of one card cannot both read
        the history without the other."""
        return await self.db.write(lambda connection: _record(connection, member, question_id, entry, replay))

    async def review_cards(self, *, member: MemberRef) -> list[ReviewCard]:
        found = await self.db.fetchall(
            "SELECT * FROM review_cards WHERE platform = ? AND member_id = ? ORDER BY due, question_id",
            (member.platform, member.user_id),
        )
        return [_card(row) for row in found]

    async def review_history(self, *, member: MemberRef, question_id: str) -> list[ReviewEntry]:
        found = await self.db.fetchall(_HISTORY, (member.platform, member.user_id, question_id))
        return [_entry(row) for row in found]


def _record(
    connection: sqlite3.Connection,
    member: MemberRef,
    question_id: str,
    entry: ReviewEntry,
    replay: Callable[[list[ReviewEntry]], Memory],
) -> ReviewCard:
    who = (member.platform, member.user_id)
    connection.execute(
        """
        INSERT INTO review_log (platform, member_id, question_id, review_key, rating, reviewed_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, member_id, review_key)
        DO UPDATE SET rating = excluded.rating, reviewed_at = excluded.reviewed_at
        """,
        (*who, question_id, entry.key, int(entry.rating), ts(entry.reviewed_at)),
    )
    history = [_entry(row) for row in connection.execute(_HISTORY, (*who, question_id))]
    memory = replay(history)
    connection.execute(
        """
        INSERT OR REPLACE INTO review_cards
            (platform, member_id, question_id, state, step, stability, difficulty, due, last_review, reviews)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            *who,
            question_id,
            int(memory.state),
            memory.step,
            memory.stability,
            memory.difficulty,
            ts(memory.due),
            ts(memory.last_review) if memory.last_review else None,
            len(history),
        ),
    )
    return _card(connection.execute(_CARD, (*who, question_id)).fetchone())


def _entry(row: sqlite3.Row) -> ReviewEntry:
    reviewed_at = parse_ts(row["reviewed_at"])
    assert reviewed_at is not None
    return ReviewEntry(row["review_key"], Rating(row["rating"]), reviewed_at)


def _card(row: sqlite3.Row) -> ReviewCard:
    due = parse_ts(row["due"])
    assert due is not None
    memory = Memory(
        state=CardState(row["state"]),
        step=row["step"],
        stability=row["stability"],
        difficulty=row["difficulty"],
        due=due,
        last_review=parse_ts(row["last_review"]),
    )
    return ReviewCard(MemberRef(row["platform"], row["member_id"]), row["question_id"], memory, row["reviews"])
