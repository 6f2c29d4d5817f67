"""The per-member score aggregates behind every leaderboard, and the log of changes they are folded from.

A scored answer counts on 8 boards: its channel's and its server's, each for its week, month, season and all
time. Keeping those 8 rows and their ranking in the answer's own transaction made them most of the work of
storing an answer. So each change to an answer's points appends one row to `score_log` instead (the cheapest
write SQLite has: at the end of a table with no index of its own), and the boards file (`boards.py`) folds the
log into `scores` on its own connection and thread. The log keeps only the answer's id and the change: the
answer's channel, server, member and period keys never change once it is stored.
"""

from __future__ import annotations

import sqlite3

# The schema of the boards file. It holds nothing that cannot be worked out again from the answers, so a
# change to it is a new BOARDS_VERSION: a file of another version is rebuilt, never migrated.
BOARDS_VERSION = 1
_SCORES_TABLE = """
    CREATE TABLE scores (
        scope TEXT NOT NULL,
        period TEXT NOT NULL,
        period_key TEXT NOT NULL,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        answers INTEGER NOT NULL DEFAULT 0,
        last_answer_at TEXT NOT NULL,
        PRIMARY KEY (scope, member_id, period, period_key)
    ) WITHOUT ROWID
"""
RANKING_INDEX = (
    "CREATE INDEX scores_ranked ON scores (scope, period, period_key, points DESC, last_answer_at, member_id)"
)
# Which database's log the file has folded, and up to which entry.
_FOLDED_TABLE = "CREATE TABLE folded (source TEXT NOT NULL, upto INTEGER NOT NULL)"
BOARDS_SCHEMA = (_SCORES_TABLE, RANKING_INDEX, _FOLDED_TABLE)

_NOTE_CHANGE = "INSERT INTO score_log (answer_id, points, answers) VALUES (?, ?, ?)"

_SCORE_COLUMNS = "scope, period, period_key, platform, member_id, points, answers, last_answer_at"
_ADD_TO_SCORE = """
    ON CONFLICT (scope, member_id, period, period_key) DO UPDATE SET
        points = points + excluded.points,
        answers = answers + excluded.answers,
        last_answer_at = max(last_answer_at, excluded.last_answer_at)
"""

# The 8 boards of an answer, as (scope, period, period_key) columns of a join with its row.
_BOARDS_OF_ANSWER = """
    CASE scope.column1 WHEN 'channel' THEN 'c:' || answers.channel_pk ELSE answers.server_scope END,
    period.column1,
    CASE period.column1
        WHEN 'week' THEN answers.week_key
        WHEN 'month' THEN answers.month_key
        WHEN 'season' THEN CAST(answers.season AS TEXT)
        ELSE 'all'
    END
"""
_EIGHT_BOARDS = """
    CROSS JOIN (VALUES ('channel'), ('server')) AS scope
    CROSS JOIN (VALUES ('week'), ('month'), ('season'), ('all')) AS period
"""

# The log entries after ?1 up to ?2, 8 rows each. Two changes to the same row are applied one after the other by
# the upsert; summing them first (GROUP BY) cost more.
FOLD_LOG = f"""
    INSERT INTO scores ({_SCORE_COLUMNS})
    SELECT {_BOARDS_OF_ANSWER}, answers.platform, answers.member_id, change.points, change.answers,
        answers.answered_at
    FROM source.score_log AS change
    JOIN source.answers AS answers ON answers.id = change.answer_id
    {_EIGHT_BOARDS}
    WHERE change.id > ?1 AND change.id <= ?2
    {_ADD_TO_SCORE}
"""

# Every board from the answers themselves: the same rows the log's changes add up to. A deleted answer leaves
# its member a row (no points, no answer) and its time in last_answer_at, as its log entries do. The answers
# are summed per member, channel, week, month and season first: two smaller sorts cost less than one of 8 rows
# per answer (1,000,000 answers: 18 s against 27 s).
REBUILD_FROM_ANSWERS = (
    """
    CREATE TEMP TABLE answer_totals AS
    SELECT channel_pk, server_scope, platform, member_id, week_key, month_key, season,
        SUM(CASE WHEN deleted THEN 0 ELSE base_points + reaction_bonus + best_bonus END) AS points,
        SUM(1 - deleted) AS answers,
        MAX(answered_at) AS answered_at
    FROM source.answers
    GROUP BY channel_pk, member_id, week_key, month_key, season, server_scope, platform
    """,
    f"""
    INSERT INTO scores ({_SCORE_COLUMNS})
    SELECT {_BOARDS_OF_ANSWER}, answers.platform, answers.member_id,
        SUM(answers.points), SUM(answers.answers), MAX(answers.answered_at)
    FROM temp.answer_totals AS answers
    {_EIGHT_BOARDS}
    GROUP BY 1, 5, 2, 3, 4
    ORDER BY 1, 5, 2, 3  -- the table's own order: each row is appended, not inserted in the middle
    """,
    "DROP TABLE temp.answer_totals",
)

# The same change for a single row, for tools that build aggregates row by row (the benchmarks' baseline).
UPSERT_SCORE = f"INSERT INTO scores ({_SCORE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) {_ADD_TO_SCORE}"


def note_score_change(connection: sqlite3.Connection, answer_id: int, *, points: int, answers: int) -> None:
    """Add `points` and `answers` to every board the answer counts on, once its transaction has committed."""
    if points or answers:
        connection.execute(_NOTE_CHANGE, (answer_id, points, answers))
