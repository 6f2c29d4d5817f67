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

# Whether the member answered each of the channel's posted days before a date, newest first.
_ANSWERED_DAYS = (
    "SELECT EXISTS (SELECT 1 FROM answers WHERE answers.post_id = posts.id AND answers.member_id = ? "
    "AND answers.deleted = 0) FROM posts JOIN channels ON channels.id = posts.channel_pk "
    "WHERE channels.platform = ? AND channels.server_id = ? AND channels.channel_id = ? "
    "AND posts.status != 'claimed' AND posts.local_date < ? ORDER BY posts.local_date DESC "
    "LIMIT ? OFFSET ?"
)
_STREAK_CHUNK = 30


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

    def answered_in_a_row(self, *, member: MemberRef, limit: int) -> int:
        # A few weeks at a time, newest posted day first: the first day without an answer ends the reading, so a
        # reply costs about as many look-ups as its streak.
        post = self._the_post()
        channel, before = post.channel, post.local_date.isoformat()
        in_a_row = 0
        while in_a_row < limit:
            chunk = min(_STREAK_CHUNK, limit - in_a_row)
            found = self._connection.execute(
                _ANSWERED_DAYS,
                (member.user_id, channel.platform, channel.server_id, channel.channel_id, before, chunk, in_a_row),
            ).fetchall()
            for (answered,) in found:
                if not answered:
                    return in_a_row
                in_a_row += 1
            if len(found) < chunk:
                break
        return in_a_row
