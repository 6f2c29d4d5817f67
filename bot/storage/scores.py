"""The per-member score aggregates behind every leaderboard, kept in step with the answers.

A scored answer counts on 8 boards: its channel's and its server's, each for its week, month, season and all
time. Rather than upserting those 8 rows per answer, each change to an answer's points notes one row in a
temporary table of the writer's connection, and just before the transaction commits, `fold_score_changes`
upserts the whole batch's changes into `scores` in one set-based statement. It runs on the writer thread, where
SQLite works without holding Python's GIL, so the event loop goes on meanwhile; and it is part of the same
transaction as the answers it sums, so a committed answer always has its points on the boards.
"""

from __future__ import annotations

import sqlite3

CREATE_CHANGES = """
    CREATE TEMP TABLE IF NOT EXISTS score_changes (
        answer_id INTEGER NOT NULL,
        points INTEGER NOT NULL,
        answers INTEGER NOT NULL
    )
"""

_NOTE_CHANGE = "INSERT INTO temp.score_changes (answer_id, points, answers) VALUES (?, ?, ?)"

_SCORE_COLUMNS = "scope, period, period_key, platform, member_id, points, answers, last_answer_at"
_ADD_TO_SCORE = """
    ON CONFLICT (scope, member_id, period, period_key) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + excluded.answers,
        last_answer_at = max(last_answer_at, excluded.last_answer_at)
"""

# Eight score rows per change: its answer gives the channel, server and period keys. Two changes to the same row
# in one batch are simply applied one after the other by the upsert; summing them first (GROUP BY) cost more.
_FOLD_CHANGES = f"""
    INSERT INTO scores ({_SCORE_COLUMNS})
    SELECT
        CASE scope.column1 WHEN 'channel' THEN 'c:' || answers.channel_pk ELSE answers.server_scope END,
        period.column1,
        CASE period.column1
            WHEN 'week' THEN answers.week_key
            WHEN 'month' THEN answers.month_key
            WHEN 'season' THEN CAST(answers.season AS TEXT)
            ELSE 'all'
        END,
        answers.platform,
        answers.member_id,
        change.points,
        change.answers,
        answers.answered_at
    FROM temp.score_changes AS change
    JOIN answers ON answers.id = change.answer_id
    CROSS JOIN (VALUES ('channel'), ('server')) AS scope
    CROSS JOIN (VALUES ('week'), ('month'), ('season'), ('all')) AS period
    WHERE change.points != 0 OR change.answers != 0
    {_ADD_TO_SCORE}
"""

# The same change for a single row, for tools that build aggregates row by row (the benchmarks' baseline).
UPSERT_SCORE = f"INSERT INTO scores ({_SCORE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) {_ADD_TO_SCORE}"


def create_changes_table(connection: sqlite3.Connection) -> None:
    connection.execute(CREATE_CHANGES)


def note_score_change(connection: sqlite3.Connection, answer_id: int, *, points: int, answers: int) -> None:
    """Add `points` and `answers` to every board the answer counts on, when the transaction commits."""
    if points or answers:
        connection.execute(_NOTE_CHANGE, (answer_id, points, answers))


def fold_score_changes(connection: sqlite3.Connection) -> None:
    """Apply the transaction's noted changes to `scores`; runs on the writer thread right before COMMIT."""
    connection.execute(_FOLD_CHANGES)
    connection.execute("DELETE FROM temp.score_changes")
