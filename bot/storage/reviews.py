"""Review cards and their reviews: a card's memory is recomputed from its whole history at every review."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Collection
from datetime import date, datetime

from bot.core.refs import MemberRef
from bot.core.review_cards import CardState, Goal, Memory, Rating, ReviewCard, ReviewEntry
from bot.storage import rows
from bot.storage.database import Database, parse_ts, ts

_HISTORY = (
    "SELECT review_key, rating, reviewed_at FROM review_log "
    "WHERE platform = ? AND member_id = ? AND question_id = ? ORDER BY reviewed_at, id"
)
# Columns by position: a member's whole deck is read for readiness, and names cost more than the work itself.
_CARDS = "SELECT question_id, state, step, stability, difficulty, due, last_review, reviews FROM review_cards"
_CARD = f"{_CARDS} WHERE platform = ? AND member_id = ? AND question_id = ?"
_STATES = {int(state): state for state in CardState}
# A member's cards of some questions; the ids come as one JSON array, so a bank of any size is one parameter.
_WHICH = "platform = ? AND member_id = ? AND question_id IN (SELECT value FROM json_each(?))"


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

    async def review_cards(
        self, *, member: MemberRef, question_ids: Collection[str], limit: int | None = None
    ) -> list[ReviewCard]:
        sql, params = f"{_CARDS} WHERE {_WHICH} ORDER BY due, question_id", _which(member, question_ids)
        found = await self.db.fetchall(*((sql, params) if limit is None else (f"{sql} LIMIT ?", (*params, limit))))
        return [_card(member, row) for row in found]

    async def due_reviews(
        self, *, member: MemberRef, now: datetime, question_ids: Collection[str], limit: int
    ) -> tuple[int, list[ReviewCard]]:
        which = (*_which(member, question_ids), ts(now))
        counted = await self.db.fetchone(f"SELECT count(*) FROM review_cards WHERE {_WHICH} AND due <= ?", which)
        found = await self.db.fetchall(
            f"{_CARDS} WHERE {_WHICH} AND due <= ? ORDER BY due, question_id LIMIT ?", (*which, limit)
        )
        return (counted[0] if counted else 0), [_card(member, row) for row in found]

    async def next_review(
        self, *, member: MemberRef, after: datetime, question_ids: Collection[str]
    ) -> ReviewCard | None:
        row = await self.db.fetchone(
            f"{_CARDS} WHERE {_WHICH} AND due > ? ORDER BY due, question_id LIMIT 1",
            (*_which(member, question_ids), ts(after)),
        )
        return _card(member, row) if row else None

    async def review_history(self, *, member: MemberRef, question_id: str) -> list[ReviewEntry]:
        found = await self.db.fetchall(_HISTORY, (member.platform, member.user_id, question_id))
        return [_entry(row) for row in found]

    async def save_goal(self, goal: Goal) -> None:
        await self.db.write_statement(
            "INSERT INTO review_goals (platform, member_id, ready_by, topics) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (platform, member_id) DO UPDATE SET ready_by = excluded.ready_by, topics = excluded.topics",
            (goal.member.platform, goal.member.user_id, goal.ready_by.isoformat(), rows.join(goal.topics)),
        )

    async def get_goal(self, *, member: MemberRef) -> Goal | None:
        row = await self.db.fetchone(
            "SELECT ready_by, topics FROM review_goals WHERE platform = ? AND member_id = ?",
            (member.platform, member.user_id),
        )
        return Goal(member, date.fromisoformat(row[0]), rows.split(row[1])) if row else None

    async def drop_goal(self, *, member: MemberRef) -> bool:
        dropped = await self.db.write_statement(
            "DELETE FROM review_goals WHERE platform = ? AND member_id = ?", (member.platform, member.user_id)
        )
        return dropped.rowcount == 1


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
        INSERT INTO review_cards
            (platform, member_id, question_id, state, step, stability, difficulty, due, last_review, reviews)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (platform, member_id, question_id) DO UPDATE SET
            state = excluded.state, step = excluded.step, stability = excluded.stability,
            difficulty = excluded.difficulty, due = excluded.due, last_review = excluded.last_review,
            reviews = excluded.reviews
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
    return _card(member, connection.execute(_CARD, (*who, question_id)).fetchone())


def _which(member: MemberRef, question_ids: Collection[str]) -> tuple[str, str, str]:
    ids = _encoded(question_ids) if isinstance(question_ids, frozenset) else _encode(question_ids)
    return member.platform, member.user_id, ids


def _encode(question_ids: Collection[str]) -> str:
    return json.dumps(sorted(question_ids))


# The core asks with the same few frozensets (the bank's questions, a topic's) again and again.
_encoded = functools.lru_cache(maxsize=64)(_encode)


def _entry(row: sqlite3.Row) -> ReviewEntry:
    reviewed_at = parse_ts(row["reviewed_at"])
    assert reviewed_at is not None
    return ReviewEntry(row["review_key"], Rating(row["rating"]), reviewed_at)


def _card(member: MemberRef, row: sqlite3.Row) -> ReviewCard:
    question_id, state, step, stability, difficulty, due, last_review, reviews = row
    memory = Memory(
        _STATES[state],
        step,
        stability,
        difficulty,
        datetime.fromisoformat(due),
        datetime.fromisoformat(last_review) if last_review else None,
    )
    return ReviewCard(member, question_id, memory, reviews)
