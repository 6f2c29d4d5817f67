"""The weekly recap: due on Monday at each channel's daily time, claimed, gathered, drawn and posted once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.concurrency import at_most
from bot.core.errors import InvalidInput
from bot.core.pictures import Attachment, Picture
from bot.core.ports import (
    ChannelUnavailable,
    LeaderboardStore,
    PostsRecaps,
    RateLimited,
    RecapStore,
)
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.recap_text import recap_picture, recap_text
from bot.core.recaps import PODIUM, RecapDay, RecapPost, RecapRecord, RecapStatus, WeekRecap
from bot.core.records import ChannelConfig, PeriodKeys
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import FAN_OUT_CONCURRENCY, Outcome

log = logging.getLogger(__name__)

_SWITCH = {"on": True, "yes": True, "true": True, "off": False, "no": False, "false": False}


def parse_switch(name: str, text: str) -> bool:
    try:
        return _SWITCH[text.strip().lower()]
    except KeyError:
        raise InvalidInput(f"{name} '{text}' is not on or off: write {name}:on or {name}:off") from None


def due_week(schedule: Schedule, now: datetime, grace: timedelta) -> date | None:
    """The Monday of the week to recap at `now`: last week's, from this Monday's daily time to the end of the grace
    window after it; None at any other time."""
    today = schedule.local_date(now)
    monday = today - timedelta(days=today.weekday())
    posted_at = schedule.fire_time(monday)
    if now < posted_at or now - posted_at > grace:
        return None
    return monday - timedelta(weeks=1)


@dataclass(frozen=True, slots=True)
class RecapResult:
    outcome: Outcome
    recap: RecapRecord | None = None
    reason: str = ""


class WeeklyRecaps:
    def __init__(self, context: StudyGroupContext, draw: Callable[[Picture], Awaitable[Attachment | None]]) -> None:
        self._ctx = context
        self._recaps: RecapStore = context.store
        self._leaderboards: LeaderboardStore = context.store
        self._draw = draw
        # The week each channel's recap was last settled (posted, found or skipped) in: the sweep asks every minute
        # of the grace window, and a settled recap never changes, so it is not claimed again.
        self._settled: dict[ChannelRef, date] = {}

    def _platform(self) -> PostsRecaps | None:
        platform = self._ctx.platform
        return platform if isinstance(platform, PostsRecaps) else None

    async def switch(self, channel: ChannelRef, on: bool) -> None:
        await self._recaps.set_recap(channel=channel, on=on)

    async def describe(self, config: ChannelConfig) -> str:
        if not await self._recaps.recap_is_on(channel=config.ref):
            return "Weekly recap: off (a moderator turns it on with /qotd setup recap:on)."
        return f"Weekly recap: on, Mondays at {config.schedule.at:%H:%M} {config.schedule.timezone}."

    async def post_due(self, style: TextStyle) -> list[RecapResult]:
        """Every recap due now that is not made yet (several channels at once)."""
        platform = self._platform()
        if platform is None:
            return []
        now, grace = self._ctx.now(), self._ctx.policy.grace
        due = []
        serves = self._ctx.served()
        for config in await self._recaps.recap_channels(platform=self._ctx.platform.name):
            if not serves(config.ref):
                continue  # another process's shard: it posts this channel's recap
            week = due_week(config.schedule, now, grace)
            if week is not None and not config.schedule.paused and self._settled.get(config.ref) != week:
                due.append((config, week))

        async def post(item: tuple[ChannelConfig, date]) -> RecapResult:
            config, week = item
            try:
                return await self.post_for_week(platform, config, week, style)
            except Exception as problem:  # the sweep tries again while the recap is in its grace window
                log.exception("the recap in channel %s failed", config.ref.channel_id)
                return RecapResult(Outcome.UNAVAILABLE, reason=f"failed: {problem}")

        return await at_most(FAN_OUT_CONCURRENCY, due, post)

    async def post_for_week(
        self, platform: PostsRecaps, config: ChannelConfig, week: date, style: TextStyle
    ) -> RecapResult:
        result = await self._post_for_week(platform, config, week, style)
        if result.recap is not None and result.recap.status is not RecapStatus.CLAIMED:
            self._settled[config.ref] = week
        return result

    async def _post_for_week(
        self, platform: PostsRecaps, config: ChannelConfig, week: date, style: TextStyle
    ) -> RecapResult:
        now = self._ctx.now()
        claim = await self._recaps.claim_recap(channel=config.ref, week=week, now=now)
        recap = claim.recap
        if not claim.created:
            if recap.status is not RecapStatus.CLAIMED:
                return RecapResult(Outcome.ALREADY_POSTED, recap)
            fresh = now - recap.claimed_at < self._ctx.policy.claim_lease
            if fresh and not await self._recaps.take_over_abandoned_recap(recap_id=recap.id, now=now):
                return RecapResult(Outcome.IN_PROGRESS, recap)
            found = await self._find(platform, recap)
            if found is not None:
                return RecapResult(
                    Outcome.RECOVERED, await self._recaps.finish_recap(recap_id=recap.id, message_id=found)
                )
        week_recap = await self.gather(config, week)
        if not week_recap.questions:  # nothing was asked that week: no recap
            return RecapResult(
                Outcome.NO_QUESTIONS, await self._recaps.finish_recap(recap_id=recap.id, message_id=None)
            )
        post = RecapPost(recap_text(week_recap, style), await self._draw(recap_picture(week_recap)))
        try:
            message_id = await waiting_out_rate_limits(
                lambda: platform.post_recap(config.ref, post, post_key=recap.post_key),
                at_most=self._ctx.policy.claim_lease.total_seconds(),
            )
        except (RateLimited, ChannelUnavailable) as problem:
            await self._recaps.release_recap(recap_id=recap.id)
            log.warning("no recap in channel %s: %s", config.ref.channel_id, problem)
            return RecapResult(Outcome.UNAVAILABLE, recap, reason=str(problem))
        log.info("posted the recap of the week of %s in channel %s", week, config.ref.channel_id)
        return RecapResult(Outcome.POSTED, await self._recaps.finish_recap(recap_id=recap.id, message_id=message_id))

    async def _find(self, platform: PostsRecaps, recap: RecapRecord) -> str | None:
        try:
            return await waiting_out_rate_limits(
                lambda: platform.find_recap(recap.channel, post_key=recap.post_key),
                at_most=self._ctx.policy.claim_lease.total_seconds(),
            )
        except ChannelUnavailable:
            return None

    async def recover_abandoned(self) -> list[RecapResult]:
        """At start: each recap claimed by a process that has since ended is found on the platform and recorded,
        or given back for the sweep to post."""
        platform = self._platform()
        if platform is None:
            return []
        results = []
        for recap in await self._recaps.claimed_recaps(platform=self._ctx.platform.name):
            if not await self._recaps.take_over_abandoned_recap(recap_id=recap.id, now=self._ctx.now()):
                continue
            found = await self._find(platform, recap)
            if found is not None:
                finished = await self._recaps.finish_recap(recap_id=recap.id, message_id=found)
                results.append(RecapResult(Outcome.RECOVERED, finished))
            else:
                await self._recaps.release_recap(recap_id=recap.id)
        return results

    async def gather(self, config: ChannelConfig, week: date) -> WeekRecap:
        """The channel's week from Monday `week`: its podium (the week's leaderboard) and each day's question."""
        last = week + timedelta(days=6)
        tallies = {
            tally.local_date: tally
            for tally in await self._recaps.day_tallies(channel=config.ref, first=week, last=last)
        }
        zone = config.schedule.zone
        key = PeriodKeys.of(datetime.combine(week, time(12), tzinfo=zone), zone, 0).week
        podium = await self._leaderboards.top_members(scope=config.ref, period="week", period_key=key, limit=PODIUM)
        days = []
        for offset in range(7):
            day = week + timedelta(days=offset)
            tally = tallies.get(day)
            if tally is None:
                days.append(RecapDay(day, None))
                continue
            question = self._ctx.question(tally.question_id)
            days.append(RecapDay(day, question.title if question else tally.question_id, tally.answers, tally.best))
        return WeekRecap(week, tuple(podium), tuple(days))
