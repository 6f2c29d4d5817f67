"""Versioned schema migrations. The database's `PRAGMA user_version` says which have run.

Append new steps; never edit one that has shipped. Each step's tables and columns need the same step in
`bot/storage/postgres/migrations.py`: `tests/storage/test_postgres_schema.py` fails until both engines agree.
"""

from __future__ import annotations

# A Slack message's ts is unique only within its channel, so the Slack adapter names each message by its
# workspace, channel and ts (`T0123/C0123ABC/1700000000.123456`): the Slack ids stored before are rewritten so; an
# id that has its channel already, and a private answer not revealed yet, are left as they are. The same UPDATEs
# on both engines (PostgreSQL's migration 3).
SLACK_IDS_WITH_THEIR_CHANNEL = """
    UPDATE posts SET message_id =
        (SELECT c.server_id || '/' || c.channel_id || '/' FROM channels AS c WHERE c.id = posts.channel_pk)
        || message_id
    WHERE platform = 'slack' AND message_id NOT LIKE '%/%';
    UPDATE posts SET thread_id =
        (SELECT c.server_id || '/' || c.channel_id || '/' FROM channels AS c WHERE c.id = posts.channel_pk)
        || thread_id
    WHERE platform = 'slack' AND thread_id NOT LIKE '%/%';
    UPDATE answers SET message_id =
        (SELECT c.server_id || '/' || c.channel_id || '/' FROM channels AS c WHERE c.id = answers.channel_pk)
        || message_id
    WHERE platform = 'slack' AND message_id NOT LIKE '%/%' AND message_id NOT LIKE 'private-%';
    UPDATE private_answers SET revealed_message_id =
        (SELECT c.server_id || '/' || c.channel_id || '/'
         FROM answers AS a JOIN channels AS c ON c.id = a.channel_pk WHERE a.id = private_answers.answer_id)
        || revealed_message_id
    WHERE revealed_message_id NOT LIKE '%/%'
        AND answer_id IN (SELECT id FROM answers WHERE platform = 'slack');
    UPDATE recaps SET message_id =
        (SELECT c.server_id || '/' || c.channel_id || '/' FROM channels AS c WHERE c.id = recaps.channel_pk)
        || message_id
    WHERE platform = 'slack' AND message_id NOT LIKE '%/%';
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema
    """
    CREATE TABLE channels (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        server_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        post_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        days TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '',
        difficulties TEXT NOT NULL DEFAULT '',
        paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
        skip_dates TEXT NOT NULL DEFAULT '',
        seed TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        UNIQUE (platform, server_id, channel_id)
    );

    CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        channel_pk INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        platform TEXT NOT NULL,
        local_date TEXT NOT NULL,
        question_id TEXT NOT NULL,
        cycle INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'closed')),
        claimed_at TEXT NOT NULL,
        message_id TEXT,
        thread_id TEXT,
        url TEXT,
        posted_at TEXT,
        closes_at TEXT,
        UNIQUE (channel_pk, local_date),
        UNIQUE (platform, message_id),
        UNIQUE (platform, thread_id)
    );
    CREATE INDEX posts_by_cycle ON posts (channel_pk, cycle);
    CREATE INDEX posts_by_status ON posts (status, platform);

    CREATE TABLE members (
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        PRIMARY KEY (platform, member_id)
    ) WITHOUT ROWID;

    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
        channel_pk INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        server_scope TEXT NOT NULL,
        platform TEXT NOT NULL,
        message_id TEXT NOT NULL,
        member_id TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        rank INTEGER NOT NULL,
        base_points INTEGER NOT NULL,
        reaction_bonus INTEGER NOT NULL DEFAULT 0,
        best_bonus INTEGER NOT NULL DEFAULT 0,
        streak INTEGER NOT NULL,
        week_key TEXT NOT NULL,
        month_key TEXT NOT NULL,
        season INTEGER NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
        UNIQUE (platform, message_id)
    );
    CREATE UNIQUE INDEX answers_one_per_member ON answers (post_id, member_id) WHERE deleted = 0;
    CREATE INDEX answers_by_member ON answers (platform, member_id, server_scope);

    CREATE TABLE reactions (
        answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
        member_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (answer_id, kind, member_id)
    ) WITHOUT ROWID;

    -- Points per member, maintained on every change, so a leaderboard is one indexed range read.
    CREATE TABLE scores (
        scope TEXT NOT NULL,
        period TEXT NOT NULL,
        period_key TEXT NOT NULL,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        answers INTEGER NOT NULL DEFAULT 0,
        last_answer_at TEXT NOT NULL,
        PRIMARY KEY (scope, period, period_key, member_id)
    ) WITHOUT ROWID;
    CREATE INDEX scores_ranked ON scores (scope, period, period_key, points DESC, last_answer_at, member_id);

    CREATE TABLE seasons (
        server_scope TEXT NOT NULL,
        number INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        PRIMARY KEY (server_scope, number)
    ) WITHOUT ROWID;

    CREATE TABLE quiz_sessions (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        server_scope TEXT NOT NULL,
        question_id TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hint_shown INTEGER NOT NULL DEFAULT 0,
        revealed INTEGER NOT NULL DEFAULT 0,
        assessment TEXT CHECK (assessment IN ('got-it', 'partly', 'missed')),
        submitted TEXT,
        correct INTEGER
    );
    CREATE INDEX quiz_by_member ON quiz_sessions (platform, member_id, id);

    -- The console adapter's own channel history, so its message ids stay unique across runs.
    CREATE TABLE console_messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        thread_id TEXT,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        is_bot INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        post_key TEXT UNIQUE,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX console_by_thread ON console_messages (thread_id);

    CREATE TABLE heartbeats (
        instance TEXT PRIMARY KEY,
        platform TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        beat_at TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # 2: an answer's rank counts the answers of its post: an index for that count, so scoring an answer
    # does not scan the table
    """
    CREATE INDEX answers_by_post ON answers (post_id);
    """,
    # 3: a member's score rows of one scope (week, month, season, all) side by side in the table, so scoring an
    # answer writes 2 table pages instead of 8
    """
    CREATE TABLE scores_by_member (
        scope TEXT NOT NULL,
        period TEXT NOT NULL,
        period_key TEXT NOT NULL,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        answers INTEGER NOT NULL DEFAULT 0,
        last_answer_at TEXT NOT NULL,
        PRIMARY KEY (scope, member_id, period, period_key)
    ) WITHOUT ROWID;
    INSERT INTO scores_by_member SELECT scope, period, period_key, platform, member_id, points, answers,
        last_answer_at FROM scores;
    DROP TABLE scores;
    ALTER TABLE scores_by_member RENAME TO scores;
    CREATE INDEX scores_ranked ON scores (scope, period, period_key, points DESC, last_answer_at, member_id);
    """,
    # 4: the score aggregates move to a file of their own (bot/storage/boards.py), rebuilt there from the
    # answers and kept up to date from a log of changes each answer's transaction appends to
    """
    CREATE TABLE score_log (
        id INTEGER PRIMARY KEY,
        answer_id INTEGER NOT NULL,
        points INTEGER NOT NULL,
        answers INTEGER NOT NULL
    );
    -- Tells the boards file which database it was folded from.
    CREATE TABLE identity (token TEXT NOT NULL);
    INSERT INTO identity (token) VALUES (lower(hex(randomblob(16))));
    DROP TABLE scores;
    """,
    # 5: the leaderboards come back into the database and are kept in the same transaction as the answers,
    # so they are never behind them; rebuilt here from the answers. The old boards file is removed at open.
    """
    CREATE TABLE leaderboards (
        scope TEXT NOT NULL,
        period TEXT NOT NULL,
        period_key TEXT NOT NULL,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        points INTEGER NOT NULL DEFAULT 0,
        answers INTEGER NOT NULL DEFAULT 0,
        last_answer_at TEXT NOT NULL,
        PRIMARY KEY (scope, member_id, period, period_key)
    ) WITHOUT ROWID;
    INSERT INTO leaderboards (scope, period, period_key, platform, member_id, points, answers, last_answer_at)
    SELECT
        CASE scope.column1 WHEN 'channel' THEN 'c:' || answers.channel_pk ELSE answers.server_scope END,
        period.column1,
        CASE period.column1
            WHEN 'week' THEN answers.week_key
            WHEN 'month' THEN answers.month_key
            WHEN 'season' THEN CAST(answers.season AS TEXT)
            ELSE 'all'
        END,
        answers.platform, answers.member_id,
        SUM(CASE WHEN answers.deleted THEN 0
            ELSE answers.base_points + answers.reaction_bonus + answers.best_bonus END),
        SUM(1 - answers.deleted),
        MAX(answers.answered_at)
    FROM answers
    CROSS JOIN (VALUES ('channel'), ('server')) AS scope
    CROSS JOIN (VALUES ('week'), ('month'), ('season'), ('all')) AS period
    GROUP BY 1, 5, 2, 3, 4
    ORDER BY 1, 5, 2, 3;
    CREATE INDEX leaderboards_ranked
        ON leaderboards (scope, period, period_key, points DESC, last_answer_at, member_id);
    DROP TABLE score_log;
    DROP TABLE identity;
    """,
    # 6: a claimed post names the process that claimed it (its instance, bot/storage/presence.py), so a claim
    # left by a process that has ended is taken over at once rather than after its lease; older claims have none
    """
    ALTER TABLE posts ADD COLUMN claimed_by TEXT;
    """,
    # 7: spaced repetition: each member's card per question they met (its memory as the scheduler last computed
    # it from the card's reviews) and every review, so a card can always be recomputed from its history
    """
    CREATE TABLE review_cards (
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
        step INTEGER,
        stability REAL,
        difficulty REAL,
        due TEXT NOT NULL,
        last_review TEXT,
        reviews INTEGER NOT NULL,
        PRIMARY KEY (platform, member_id, question_id)
    ) WITHOUT ROWID;
    CREATE INDEX review_cards_by_due ON review_cards (platform, member_id, due);
    CREATE TABLE review_log (
        id INTEGER PRIMARY KEY,
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        question_id TEXT NOT NULL,
        review_key TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at TEXT NOT NULL,
        UNIQUE (platform, member_id, review_key)
    );
    CREATE INDEX review_log_by_card ON review_log (platform, member_id, question_id, reviewed_at);
    """,
    # 8: a member's study goal: the day to be ready by, and the topics (empty: the whole bank)
    """
    CREATE TABLE review_goals (
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        ready_by TEXT NOT NULL,
        topics TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (platform, member_id)
    ) WITHOUT ROWID;
    """,
    # 9: installations of the app in many workspaces (a Slack app installed through its OAuth flow: each
    # workspace's bot token and who installed it), and the one-time states of install flows under way
    """
    CREATE TABLE app_installs (
        platform TEXT NOT NULL,
        kind TEXT NOT NULL,
        enterprise_id TEXT NOT NULL,
        team_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        installed_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (platform, kind, enterprise_id, team_id, user_id)
    ) WITHOUT ROWID;
    CREATE INDEX app_installs_latest ON app_installs (platform, kind, enterprise_id, team_id, installed_at);
    CREATE TABLE install_states (
        platform TEXT NOT NULL,
        state TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (platform, state)
    ) WITHOUT ROWID;
    """,
    # 10: the weekly recap: a channel's setting (off by default), and each recap claimed before it is posted (one
    # per channel and week, named by its Monday), naming the process that claimed it, as daily posts do
    """
    ALTER TABLE channels ADD COLUMN recap INTEGER NOT NULL DEFAULT 0 CHECK (recap IN (0, 1));
    CREATE TABLE recaps (
        id INTEGER PRIMARY KEY,
        channel_pk INTEGER NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
        platform TEXT NOT NULL,
        week TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'skipped')),
        claimed_at TEXT NOT NULL,
        claimed_by TEXT,
        message_id TEXT,
        UNIQUE (channel_pk, week)
    );
    CREATE INDEX recaps_by_status ON recaps (status, platform);
    """,
    # 11: a channel's focus: 'weakest' weights the daily pick towards the topics its members recall worst
    """
    ALTER TABLE channels ADD COLUMN focus TEXT NOT NULL DEFAULT 'off' CHECK (focus IN ('off', 'weakest'));
    """,
    # 12: review reminders a member opted into: their local time and timezone, the channel where they set it up, and
    # the instant it comes next (UTC), by which the minute's due reminders are found
    """
    CREATE TABLE review_reminders (
        platform TEXT NOT NULL,
        member_id TEXT NOT NULL,
        local_time TEXT NOT NULL,
        timezone TEXT NOT NULL,
        server_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        display_name TEXT NOT NULL,
        next_at TEXT NOT NULL,
        last_day TEXT,
        PRIMARY KEY (platform, member_id)
    ) WITHOUT ROWID;
    CREATE INDEX review_reminders_by_next ON review_reminders (platform, next_at);
    """,
    # 13: answers that teach: each channel's answer mode, private answers' text and where each was revealed, the
    # reveal of a post, holds that take an answer out of scoring for a while (too short, off topic, needs more),
    # and each member's self-check of an answer (the key points covered, and how they rate it)
    """
    CREATE TABLE answer_modes (
        platform TEXT NOT NULL,
        server_id TEXT NOT NULL,
        channel_id TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('thread', 'private')),
        PRIMARY KEY (platform, server_id, channel_id)
    ) WITHOUT ROWID;
    CREATE TABLE private_answers (
        answer_id INTEGER PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        edited_at TEXT NOT NULL,
        revealed_message_id TEXT
    );
    CREATE TABLE reveals (
        post_id INTEGER PRIMARY KEY REFERENCES posts (id) ON DELETE CASCADE,
        revealed_at TEXT NOT NULL
    );
    CREATE TABLE answer_holds (
        answer_id INTEGER PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
        reason TEXT NOT NULL CHECK (reason IN ('too-short', 'off-topic', 'needs-more'))
    );
    CREATE TABLE self_checks (
        answer_id INTEGER PRIMARY KEY REFERENCES answers (id) ON DELETE CASCADE,
        covered TEXT NOT NULL DEFAULT '',
        rating TEXT CHECK (rating IN ('got-it', 'partly', 'missed')),
        checked_at TEXT NOT NULL
    );
    """,
    # 14: Slack ids rewritten to name their workspace and channel (above)
    SLACK_IDS_WITH_THEIR_CHANNEL,
    # 15: the Discord shards each running bot runs (`0,1/4`; empty: all of them, or not Discord), so the bots on a
    # database can tell when some shard is run by none of them
    """
    ALTER TABLE heartbeats ADD COLUMN shards TEXT NOT NULL DEFAULT '';
    """,
)

LATEST_VERSION = len(MIGRATIONS)
