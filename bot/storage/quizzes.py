"""Quiz sessions: kept apart from the daily answers so they never reach a leaderboard."""

from __future__ import annotations

from datetime import datetime

from bot.core.records import Assessment, QuizSession
from bot.core.refs import MemberRef, ServerRef
from bot.storage import rows
from bot.storage.database import Database, ts


class SqliteQuizzes:
    """The core's `QuizStore` on the database."""

    db: Database

    async def start_quiz(self, *, member: MemberRef, server: ServerRef, question_id: str, now: datetime) -> QuizSession:
        inserted = await self.db.write(
            lambda connection: connection.execute(
                "INSERT INTO quiz_sessions (platform, member_id, server_scope, question_id, started_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (member.platform, member.user_id, rows.server_scope(server), question_id, ts(now), ts(now)),
            ).fetchall()
        )
        session = await self.get_quiz(session_id=int(inserted[0][0]))
        assert session is not None
        return session

    async def get_quiz(self, *, session_id: int) -> QuizSession | None:
        row = await self.db.fetchone("SELECT * FROM quiz_sessions WHERE id = ?", (session_id,))
        return rows.quiz_session(row) if row else None

    async def latest_quiz(self, *, member: MemberRef) -> QuizSession | None:
        row = await self.db.fetchone(
            "SELECT * FROM quiz_sessions WHERE platform = ? AND member_id = ? ORDER BY id DESC LIMIT 1",
            (member.platform, member.user_id),
        )
        return rows.quiz_session(row) if row else None

    async def update_quiz(
        self,
        *,
        session_id: int,
        hint_shown: int | None = None,
        revealed: bool | None = None,
        assessment: Assessment | None = None,
        submitted: str | None = None,
        correct: bool | None = None,
        now: datetime,
    ) -> QuizSession:
        changes = {
            "hint_shown": hint_shown,
            "revealed": revealed,
            "assessment": assessment,
            "submitted": submitted,
            "correct": correct,
        }
        columns = {name: value for name, value in changes.items() if value is not None}
        columns["updated_at"] = ts(now)
        assignments = ", ".join(f"{name} = ?" for name in columns)
        values = (*(str(v) if isinstance(v, Assessment) else v for v in columns.values()), session_id)
        await self.db.write_statement(f"UPDATE quiz_sessions SET {assignments} WHERE id = ?", values)
        session = await self.get_quiz(session_id=session_id)
        assert session is not None
        return session

    async def quizzed_question_ids(self, *, member: MemberRef) -> set[str]:
        found = await self.db.fetchall(
            "SELECT DISTINCT question_id FROM quiz_sessions WHERE platform = ? AND member_id = ?",
            (member.platform, member.user_id),
        )
        return {row["question_id"] for row in found}
