"""`SqliteStore`: every store port of the core on one SQLite database, opened once per process."""

from __future__ import annotations

from pathlib import Path

from bot.storage.answers import SqliteAnswers
from bot.storage.channels import SqliteChannels
from bot.storage.chatlog import SqliteChatLog
from bot.storage.database import Database
from bot.storage.installs import SqliteInstalls
from bot.storage.leaderboards import SqliteLeaderboards
from bot.storage.postgres.database import PostgresDatabase, is_postgres
from bot.storage.posts import SqlitePosts
from bot.storage.private_answers import SqlitePrivateAnswers
from bot.storage.quizzes import SqliteQuizzes
from bot.storage.reactions import SqliteReactions
from bot.storage.recall import SqliteRecall
from bot.storage.recaps import SqliteRecaps
from bot.storage.reminders import SqliteReminders
from bot.storage.reviews import SqliteReviews
from bot.storage.self_checks import SqliteSelfChecks


class SqliteStore(
    SqliteChannels,
    SqlitePosts,
    SqliteAnswers,
    SqliteReactions,
    SqliteLeaderboards,
    SqliteQuizzes,
    SqliteReviews,
    SqliteRecall,
    SqliteInstalls,
    SqliteRecaps,
    SqliteReminders,
    SqlitePrivateAnswers,
    SqliteSelfChecks,
):
    """One object for every port (`ChannelStore`, `PostStore`, `AnswerStore`, `ReactionStore`, `LeaderboardStore`,
    `QuizStore`, `ReviewStore`, `RecallStore`, `InstallStore`, `RecapStore`, `ReminderStore`, `PrivateAnswerStore`,
    `SelfCheckStore`); hand each use case the ports it needs. It keeps nothing it has read: every call reads the file.

    `chat_log` is the console's messages on the same database, and `db` the database itself
    (for the heartbeat), so a process opens the file once.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.chat_log = SqliteChatLog(db)

    @classmethod
    async def open(cls, path: Path | str) -> SqliteStore:
        """The store on the SQLite file at `path`, or on PostgreSQL when it is a `postgresql://` URL."""
        if is_postgres(path):
            return cls(await PostgresDatabase.open(path))
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
