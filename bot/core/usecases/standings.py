"""Leaderboards, member stats and seasons."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.errors import InvalidInput
from bot.core.ports import ChannelStore, LeaderboardStore, PostStore
from bot.core.records import Period, Season, Standing
from bot.core.refs import ChannelRef, MemberRef, ServerRef
from bot.core.schedule import Schedule
from bot.core.usecases.context import StudyGroupContext


@dataclass(frozen=True, slots=True)
class Leaderboard:
    title: str
    standings: tuple[Standing, ...]
    own: Standing | None


@dataclass(frozen=True, slots=True)
class MemberStats:
    member: MemberRef
    points: int
    season_points: int
    answers: int
    current_streak: int
    best_streak: int
    topics: tuple[tuple[str, int], ...]
    rank: int | None
    answered_days: frozenset[date] = frozenset()  # in the whole server, in each channel's local dates
    today: date | None = None


def parse_period(text: str | None) -> Period:
    value = (text or "season").strip().lower()
    aliases = {"all-time": "all", "alltime": "all", "ever": "all", "weekly": "week", "monthly": "month"}
    try:
        return Period(aliases.get(value, value))
    except ValueError:
        raise InvalidInput(f"period '{text}' is not one of week, month, season, all") from None


def streaks(posted: list[date], answered: set[date]) -> tuple[int, int]:
    """(current, best) runs of consecutive posted days answered; `posted` is newest first.

    The newest question does not break the current streak while it may still be answered.
    """
    best = run = 0
    for day in reversed(posted):
        run = run + 1 if day in answered else 0
        best = max(best, run)
    current = 0
    for index, day in enumerate(posted):
        if day in answered:
            current += 1
        elif not (index == 0 and current == 0):
            break
    return current, best


class Standings:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._channels: ChannelStore = context.store
        self._posts: PostStore = context.store
        self._leaderboards: LeaderboardStore = context.store

    async def _schedule(self, channel: ChannelRef) -> Schedule:
        config = await self._channels.get_channel(channel)
        return config.schedule if config else self._ctx.policy.default_schedule

    async def period_key(self, channel: ChannelRef, period: Period, now: datetime) -> str:
        if period is Period.ALL:
            return "all"
        keys = await self._ctx.periods(channel, now, await self._schedule(channel))
        return {Period.WEEK: keys.week, Period.MONTH: keys.month, Period.SEASON: str(keys.season)}[period]

    async def leaderboard(
        self,
        channel: ChannelRef,
        asker: MemberRef | None,
        *,
        period: Period,
        server_wide: bool = False,
        limit: int | None = None,
    ) -> Leaderboard:
        scope: ChannelRef | ServerRef = channel.server if server_wide else channel
        key = await self.period_key(channel, period, self._ctx.now())
        size = limit or self._ctx.policy.leaderboard_size
        top = await self._leaderboards.top_members(scope=scope, period=period.value, period_key=key, limit=size)
        own = None
        if asker is not None:
            own = await self._leaderboards.member_standing(
                scope=scope, period=period.value, period_key=key, member=asker
            )
        where = "this server" if server_wide else "this channel"
        label = {Period.WEEK: "this week", Period.MONTH: "this month", Period.ALL: "all time"}.get(
            period, f"season {key}"
        )
        return Leaderboard(f"Leaderboard · {where} · {label}", tuple(top), own)

    async def stats(self, channel: ChannelRef, member: MemberRef) -> MemberStats:
        answers = await self._leaderboards.member_answers(scope=channel.server, member=member)
        in_channel = {answer.local_date for answer in answers if answer.channel == channel}
        today = (await self._schedule(channel)).local_date(self._ctx.now())
        posted = await self._posts.posted_dates(channel=channel, until=today, limit=2000)
        current, best = streaks(posted, in_channel)
        topics: Counter[str] = Counter()
        for answer in answers:
            question = self._ctx.question(answer.question_id)
            topics[question.topic if question else "retired"] += 1
        season_key = await self.period_key(channel, Period.SEASON, self._ctx.now())
        season = await self._leaderboards.member_standing(
            scope=channel.server, period="season", period_key=season_key, member=member
        )
        return MemberStats(
            member=member,
            # The server's all-time board adds up these same answers; its rank is not shown, and counting it was
            # a second rank count over the whole server board.
            points=sum(answer.points for answer in answers),
            season_points=season.points if season else 0,
            answers=len(answers),
            current_streak=current,
            best_streak=best,
            topics=tuple(topics.most_common()),
            rank=season.rank if season else None,
            answered_days=frozenset(answer.local_date for answer in answers),
            today=today,
        )

    async def new_season(self, server: ServerRef) -> Season:
        return await self._leaderboards.start_season(server=server, now=self._ctx.now())
