"""What the core's rules read about a reply, read on the writer's connection inside the transaction that stores
its answer (`SqliteAnswers.record_reply`): a reply is looked up, judged and stored in one step of one thread."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from bot.core.records import AnswerRecord, ChannelConfig, DailyPost
from bot.core.refs import MemberRef
from bot.storage import rows
from bot.storage.channels import CHANNEL_BY_IDS
from bot.storage.database import ts
from bot.storage.leaderboards import CURRENT_SEASON, FIRST_SEASON
from bot.storage.posts import POST_BY_THREAD

# One read on two indexes: the message's own answer first, else the member's live answer to the post.
_EXISTING_ANSWER = (
    f"{rows.ANSWERS_JOINED} WHERE (answers.platform = ?1 AND answers.message_id = ?2) "
    "OR (answers.post_id = ?3 AND answers.member_id = ?4 AND answers.deleted = 0) "
    "ORDER BY answers.message_id = ?2 DESC LIMIT 1"
)

# The streak of the member's live answer to the posted day of the post's channel right before a date, if any.
_PREVIOUS_STREAK = (
    "SELECT (SELECT streak FROM answers WHERE answers.post_id = earlier.id AND answers.member_id = ? "
    "AND answers.deleted = 0) FROM (SELECT id FROM posts WHERE channel_pk = (SELECT channel_pk FROM posts "
    "WHERE id = ?) AND status != 'claimed' AND local_date < ? ORDER BY local_date DESC LIMIT 1) AS earlier"
)


class SqliteReplyFacts:
    """The core's `ReplyFacts` for a reply in the thread `thread_id`, on the writer's connection."""

    def __init__(self, connection: sqlite3.Connection, *, platform: str, thread_id: str) -> None:
        self._connection = connection
        row = connection.execute(POST_BY_THREAD, (platform, thread_id)).fetchone()
        self._post = rows.daily_post(row) if row else None

    @property
    def post(self) -> DailyPost | None:
        return self._post

    def _the_post(self) -> DailyPost:
        if self._post is None:
            raise LookupError("the reply is not in a daily question's thread")
        return self._post

    def existing_answer(self, *, member: MemberRef, message_id: str) -> AnswerRecord | None:
        params = (member.platform, message_id, self._the_post().id, member.user_id)
        row = self._connection.execute(_EXISTING_ANSWER, params).fetchone()
        return rows.answer_record(row) if row else None

    def channel(self) -> ChannelConfig | None:
        ref = self._the_post().channel
        row = self._connection.execute(CHANNEL_BY_IDS, (ref.platform, ref.server_id, ref.channel_id)).fetchone()
        return rows.channel_config(row) if row else None

    def season(self, *, now: datetime) -> int:
        scope = rows.server_scope(self._the_post().channel.server)
        row = self._connection.execute(CURRENT_SEASON, (scope,)).fetchone()
        if row is None:
            self._connection.execute(FIRST_SEASON, (scope, ts(now)))
            return 1
        return int(row["number"])

    def previous_streak(self, *, member: MemberRef) -> int:
        post = self._the_post()
        row = self._connection.execute(
            _PREVIOUS_STREAK, (member.user_id, post.id, post.local_date.isoformat())
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0
