"""`SqliteStore`: the core's `Store` on one SQLite file."""

from __future__ import annotations

from pathlib import Path

from bot.storage.answers import AnswersAndReactions
from bot.storage.database import Database
from bot.storage.posts import ChannelsAndPosts
from bot.storage.quizzes import QuizSessions
from bot.storage.remembered import Remembered
from bot.storage.standings import StandingsAndSeasons


class SqliteStore(ChannelsAndPosts, AnswersAndReactions, StandingsAndSeasons, QuizSessions):
    def __init__(self, db: Database) -> None:
        self.db = db
        self._channels = Remembered()
        self._channel_pks = Remembered()
        self._posts_by_thread = Remembered()
        self._seasons = Remembered()
        self._member_names = Remembered()

    @classmethod
    async def open(cls, path: Path | str) -> SqliteStore:
        return cls(await Database.open(path))

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()
