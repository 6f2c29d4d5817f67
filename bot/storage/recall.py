"""Recall by topic: one aggregate read of the review cards, the forgetting curve evaluated by SQLite on each card."""

from __future__ import annotations

import json
import weakref
from datetime import datetime

from bot.core.recall import ForgettingCurve, TopicMap, TopicRecall
from bot.core.refs import ChannelRef, MemberRef
from bot.storage.database import Database, ts

# The pool's topics as a table, from one JSON object parameter ({question id: topic}).
_TOPICS = "WITH topics (question_id, topic) AS MATERIALIZED (SELECT key, value FROM json_each(:topics))"
# fsrs counts whole days since the last review; here from whole seconds, which differs only within the second
# either side of a day boundary.
_REVIEWED_S = "CAST(strftime('%s', c.last_review) AS INTEGER)"  # PostgreSQL's dialect reads it as an epoch
_DAYS = f"CASE WHEN :now_s > {_REVIEWED_S} THEN (:now_s - {_REVIEWED_S}) / 86400 ELSE 0 END"
_RECALL = (
    f"CASE WHEN c.stability > 0 AND c.last_review IS NOT NULL THEN pow(1 + :factor * ({_DAYS}) / c.stability, :decay) "
    "ELSE 0 END"
)
# A member's cards: a look-up per question of the pool, by the cards' primary key.
_MEMBER = f"""
    {_TOPICS}
    SELECT topics.topic, count(*), avg({_RECALL}), sum(CASE WHEN c.due <= :now THEN 1 ELSE 0 END),
        min(CASE WHEN c.due > :now THEN c.due END)
    FROM topics
    JOIN review_cards AS c ON c.platform = :platform AND c.member_id = :member AND c.question_id = topics.question_id
    GROUP BY topics.topic
    ORDER BY topics.topic
"""
# A channel's members are the rows of its all-time leaderboard with an answer standing; each one's cards by the
# primary key's prefix, then the topic by an index SQLite builds on the pool (CROSS JOIN keeps this order: from the
# pool first, it would look up every question for every member).
_CHANNEL = f"""
    {_TOPICS}
    SELECT topics.topic, avg({_RECALL})
    FROM leaderboards AS board
    CROSS JOIN review_cards AS c ON c.platform = board.platform AND c.member_id = board.member_id
    CROSS JOIN topics ON topics.question_id = c.question_id
    WHERE board.scope = (
            SELECT 'c:' || id FROM channels
            WHERE platform = :platform AND server_id = :server_id AND channel_id = :channel_id
        )
        AND board.period = 'all' AND board.period_key = 'all' AND board.answers > 0
    GROUP BY topics.topic
"""

_ENCODED: weakref.WeakKeyDictionary[TopicMap, str] = weakref.WeakKeyDictionary()


def _encoded(topics: TopicMap) -> str:
    """The map as a query parameter, encoded once per map (a bank's is some 100 kB)."""
    text = _ENCODED.get(topics)
    if text is None:
        text = _ENCODED[topics] = json.dumps(dict(topics.topic_of))
    return text


def _curve(topics: TopicMap, now: datetime, curve: ForgettingCurve) -> dict[str, object]:
    return {
        "topics": _encoded(topics),
        "now": ts(now),
        "now_s": int(now.timestamp()),
        "factor": curve.factor,
        "decay": curve.decay,
    }


class SqliteRecall:
    """The core's `RecallStore` on the database."""

    db: Database

    async def member_recall(
        self, *, member: MemberRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> list[TopicRecall]:
        found = await self.db.fetchall(
            _MEMBER, {**_curve(topics, now, curve), "platform": member.platform, "member": member.user_id}
        )
        return [
            TopicRecall(topic, cards, recall, due, datetime.fromisoformat(soonest) if soonest else None)
            for topic, cards, recall, due, soonest in found
        ]

    async def channel_recall(
        self, *, channel: ChannelRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> dict[str, float]:
        found = await self.db.fetchall(
            _CHANNEL,
            {
                **_curve(topics, now, curve),
                "platform": channel.platform,
                "server_id": channel.server_id,
                "channel_id": channel.channel_id,
            },
        )
        return {topic: recall for topic, recall in found}
