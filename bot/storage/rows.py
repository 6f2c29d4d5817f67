"""Turning rows into the core's records, and the core's values into columns."""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.core.focus import Focus
from bot.core.records import AnswerRecord, Assessment, ChannelConfig, DailyPost, PostStatus, QuizSession
from bot.core.refs import ChannelRef, MemberRef, ServerRef
from bot.core.schedule import Schedule, parse_time
from bot.storage.database import parse_ts


def server_scope(server: ServerRef) -> str:
    return f"s:{server.platform}:{server.server_id}"


def join(values: object) -> str:
    return ",".join(str(value) for value in values)  # type: ignore[attr-defined]


def split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def channel_ref(row: sqlite3.Row | Mapping[str, Any]) -> ChannelRef:
    return ChannelRef(row["platform"], row["server_id"], row["channel_id"])


def channel_config(row: sqlite3.Row, schedule: Schedule | None = None) -> ChannelConfig:
    return ChannelConfig(
        ref=channel_ref(row),
        schedule=_schedule(row) if schedule is None else schedule,
        name=row["name"],
        seed=row["seed"],
    )


def channel_configs(found: list[sqlite3.Row]) -> list[ChannelConfig]:
    """Many channels at once: channels whose schedule columns are equal share one `Schedule` (it is immutable),
    so reading 10,000 channels with a few dozen distinct schedules parses each schedule once."""
    if not found:
        return []
    columns = found[0].keys()
    settings_of = operator.itemgetter(*(n for n, column in enumerate(columns) if column not in _NOT_SCHEDULE))
    schedules: dict[tuple[Any, ...], Schedule] = {}
    configs = []
    for row in found:
        key = settings_of(row)
        schedule = schedules.get(key)
        if schedule is None:
            schedule = schedules[key] = _schedule(row)
        configs.append(channel_config(row, schedule))
    return configs


# Columns that say which channel a row is, not when it posts; every other column is part of the shared key, so a
# setting added later can never be shared by mistake between channels that differ in it.
_NOT_SCHEDULE = frozenset({"id", "platform", "server_id", "channel_id", "name", "seed", "updated_at"})


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        at=parse_time(row["post_time"]),
        timezone=row["timezone"],
        days=split(row["days"]),
        topics=split(row["topics"]),
        difficulties=split(row["difficulties"]),
        paused=bool(row["paused"]),
        skip_dates=frozenset(date.fromisoformat(day) for day in split(row["skip_dates"])),
        focus=Focus(row["focus"]),
    )


POST_COLUMNS = (
    "posts.id, posts.local_date, posts.question_id, posts.cycle, posts.status, posts.claimed_at, "
    "posts.message_id, posts.thread_id, posts.url, posts.posted_at, posts.closes_at, "
    "channels.platform, channels.server_id, channels.channel_id"
)
POSTS_JOINED = f"SELECT {POST_COLUMNS} FROM posts JOIN channels ON channels.id = posts.channel_pk"


def daily_post(row: sqlite3.Row) -> DailyPost:
    claimed_at = parse_ts(row["claimed_at"])
    assert claimed_at is not None
    return DailyPost(
        id=row["id"],
        channel=channel_ref(row),
        local_date=date.fromisoformat(row["local_date"]),
        question_id=row["question_id"],
        cycle=row["cycle"],
        status=PostStatus(row["status"]),
        claimed_at=claimed_at,
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        url=row["url"],
        posted_at=parse_ts(row["posted_at"]),
        closes_at=parse_ts(row["closes_at"]),
    )


ANSWER_COLUMNS = (
    "answers.id, answers.post_id, answers.message_id, answers.member_id, answers.answered_at, answers.rank, "
    "answers.base_points, answers.reaction_bonus, answers.best_bonus, answers.deleted, answers.platform, "
    "channels.server_id, channels.channel_id"
)
ANSWERS_JOINED = f"SELECT {ANSWER_COLUMNS} FROM answers JOIN channels ON channels.id = answers.channel_pk"


def answer_points(row: sqlite3.Row | Mapping[str, Any]) -> int:
    return 0 if row["deleted"] else row["base_points"] + row["reaction_bonus"] + row["best_bonus"]


def answer_record(row: sqlite3.Row | Mapping[str, Any]) -> AnswerRecord:
    answered_at = parse_ts(row["answered_at"])
    assert answered_at is not None
    return AnswerRecord(
        id=row["id"],
        post_id=row["post_id"],
        channel=channel_ref(row),
        message_id=row["message_id"],
        member=MemberRef(row["platform"], row["member_id"]),
        answered_at=answered_at,
        rank=row["rank"],
        points=answer_points(row),
        reaction_bonus=row["reaction_bonus"],
        best=bool(row["best_bonus"]),
        deleted=bool(row["deleted"]),
    )


def quiz_session(row: sqlite3.Row) -> QuizSession:
    started_at = parse_ts(row["started_at"])
    assert started_at is not None
    _, platform, server_id = row["server_scope"].split(":", 2)
    return QuizSession(
        id=row["id"],
        member=MemberRef(row["platform"], row["member_id"]),
        server=ServerRef(platform, server_id),
        question_id=row["question_id"],
        started_at=started_at,
        hint_shown=row["hint_shown"],
        revealed=bool(row["revealed"]),
        assessment=Assessment(row["assessment"]) if row["assessment"] else None,
        submitted=row["submitted"],
        correct=None if row["correct"] is None else bool(row["correct"]),
    )
