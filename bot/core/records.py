"""What the store keeps, as the core reads it back: plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from enum import StrEnum

from bot.core.refs import ChannelRef, MemberRef, ServerRef, ThreadRef
from bot.core.schedule import Schedule


@dataclass(frozen=True, slots=True)
class ChannelConfig:
    ref: ChannelRef
    schedule: Schedule
    name: str = ""
    seed: str = ""


class PostStatus(StrEnum):
    CLAIMED = "claimed"  # the day is reserved; the platform post may or may not have gone out
    POSTED = "posted"
    CLOSED = "closed"  # the answer window has ended and the summary is in the thread


@dataclass(frozen=True, slots=True)
class DailyPost:
    id: int
    channel: ChannelRef
    local_date: date
    question_id: str
    cycle: int
    status: PostStatus
    claimed_at: datetime
    message_id: str | None = None
    thread_id: str | None = None
    url: str | None = None
    posted_at: datetime | None = None
    closes_at: datetime | None = None

    @property
    def post_key(self) -> str:
        """A key the platform post carries, so a post made just before a crash can be found again."""
        return f"studybot-{self.channel.channel_id}-{self.local_date.isoformat()}"

    @property
    def thread(self) -> ThreadRef | None:
        return ThreadRef(self.channel, self.thread_id) if self.thread_id else None

    def is_open(self, now: datetime) -> bool:
        return self.status is PostStatus.POSTED and self.closes_at is not None and now < self.closes_at


@dataclass(frozen=True, slots=True)
class PeriodKeys:
    """The leaderboard periods an answer counts towards, fixed when it is recorded."""

    week: str
    month: str
    season: int

    @classmethod
    def of(cls, when: datetime, zone: tzinfo, season: int) -> PeriodKeys:
        """The periods of an instant in a channel's timezone: its ISO week, its month, and the server's season."""
        local = when.astimezone(zone).date()
        year, week, _ = local.isocalendar()
        return cls(week=f"{year}-W{week:02d}", month=f"{local:%Y-%m}", season=season)


@dataclass(frozen=True, slots=True)
class NewAnswer:
    post_id: int
    channel: ChannelRef  # the post's
    message_id: str
    member: MemberRef
    display_name: str
    answered_at: datetime
    streak: int
    points: int  # what it earns before its early bonus (answering, streak): the store adds the bonus of its rank
    periods: PeriodKeys


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    id: int
    post_id: int
    channel: ChannelRef
    message_id: str
    member: MemberRef
    answered_at: datetime
    rank: int
    points: int
    reaction_bonus: int
    best: bool
    deleted: bool


@dataclass(frozen=True, slots=True)
class Season:
    server: ServerRef
    number: int
    started_at: datetime


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    member: MemberRef
    display_name: str
    points: int
    answers: int


class Assessment(StrEnum):
    GOT_IT = "got-it"
    PARTLY = "partly"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class QuizSession:
    id: int
    member: MemberRef
    server: ServerRef
    question_id: str
    started_at: datetime
    hint_shown: int = 0
    revealed: bool = False
    assessment: Assessment | None = None
    submitted: str | None = None
    correct: bool | None = None


@dataclass(frozen=True, slots=True)
class MemberAnswer:
    """One daily answer of a member, for stats."""

    local_date: date
    question_id: str
    points: int
    channel: ChannelRef
