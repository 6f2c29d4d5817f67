"""A channel's schedule as moderators set it: setup, skip, pause, resume, status."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.core.errors import InvalidInput
from bot.core.focus import Focus, parse_focus
from bot.core.ports import ChannelStore, PostStore
from bot.core.questions import Difficulty
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule, parse_days, parse_time, parse_timezone
from bot.core.usecases.context import StudyGroupContext

LOOK_AHEAD_POSTS = 14  # how many scheduled posts ahead `next_post` looks for one that will be made

ScheduleListener = Callable[[ChannelConfig], None]


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    config: ChannelConfig | None
    next_post: str | None
    today_url: str | None
    today_title: str | None


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in (piece.strip().lower() for piece in text.replace(";", ",").split(",")) if part)


class Channels:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._channels: ChannelStore = context.store
        self._posts: PostStore = context.store
        self._listeners: list[ScheduleListener] = []

    def on_change(self, listener: ScheduleListener) -> None:
        """Call `listener` whenever a channel's schedule changes (the scheduler re-plans its job)."""
        self._listeners.append(listener)

    async def get(self, channel: ChannelRef) -> ChannelConfig | None:
        return await self._channels.get_channel(channel)

    def build_schedule(self, base: Schedule, options: Mapping[str, str]) -> Schedule:
        """Apply `time`, `timezone`, `days`, `topics`, `difficulty` and `focus` options, validating each."""
        changes: dict[str, object] = {}
        if "time" in options:
            changes["at"] = parse_time(options["time"])
        if "timezone" in options:
            changes["timezone"] = parse_timezone(options["timezone"]).key
        if "days" in options:
            changes["days"] = parse_days(options["days"])
        if "topics" in options:
            changes["topics"] = self.validate_topics(options["topics"])
        if "difficulty" in options:
            changes["difficulties"] = self.validate_difficulties(options["difficulty"])
        if "focus" in options:
            changes["focus"] = self.validate_focus(options["focus"])
        schedule = base.with_changes(**changes)
        if not self._ctx.bank.filter(topics=schedule.topics or None, difficulties=schedule.difficulties or None):
            raise InvalidInput("no question in the bank matches those topics and difficulties together")
        return schedule

    def validate_topics(self, text: str) -> tuple[str, ...]:
        wanted = _split(text)
        if wanted in ((), ("all",), ("any",)):
            return ()
        known = sorted(self._ctx.bank.topics())
        unknown = [topic for topic in wanted if topic not in known]
        if unknown:
            raise InvalidInput(f"unknown topic {', '.join(unknown)}; choose from {', '.join(known)} (or all)")
        return wanted

    def validate_focus(self, text: str) -> Focus:
        focus = parse_focus(text)
        if focus is Focus.WEAKEST and self._ctx.scheduler is None:
            raise InvalidInput("focus:weakest needs reviews, and reviews are not set up on this bot")
        return focus

    @staticmethod
    def validate_difficulties(text: str) -> tuple[str, ...]:
        wanted = _split(text)
        if wanted in ((), ("all",), ("any",)):
            return ()
        allowed = [level.value for level in Difficulty]
        unknown = [level for level in wanted if level not in allowed]
        if unknown:
            raise InvalidInput(f"unknown difficulty {', '.join(unknown)}; choose from {', '.join(allowed)}")
        return wanted

    async def setup(self, channel: ChannelRef, options: Mapping[str, str], *, name: str = "") -> ChannelConfig:
        current = await self._channels.get_channel(channel)
        base = current.schedule if current else self._ctx.policy.default_schedule
        schedule = self.build_schedule(base, options).with_changes(paused=False)
        config = ChannelConfig(
            ref=channel,
            schedule=schedule,
            name=name or (current.name if current else ""),
            seed=current.seed if current else f"{self._ctx.policy.seed}:{channel.channel_id}",
        )
        await self._save(config)
        return config

    async def _save(self, config: ChannelConfig) -> None:
        await self._channels.save_channel(config)
        for listener in self._listeners:
            listener(config)

    async def _require(self, channel: ChannelRef) -> ChannelConfig:
        config = await self._channels.get_channel(channel)
        if config is None:
            raise InvalidInput("this channel has no daily question yet: a moderator runs /qotd setup first")
        return config

    async def set_paused(self, channel: ChannelRef, paused: bool) -> ChannelConfig:
        config = await self._require(channel)
        updated = ChannelConfig(config.ref, config.schedule.with_changes(paused=paused), config.name, config.seed)
        await self._save(updated)
        return updated

    async def skip_next(self, channel: ChannelRef) -> date:
        """Skip the next scheduled post that has not been made yet; returns its local date."""
        config = await self._require(channel)
        schedule, now = config.schedule, self._ctx.now()
        skipped = set(schedule.skip_dates)
        if schedule.next_due(now) is None:
            raise InvalidInput("this schedule never posts, so there is nothing to skip")
        due = await self.next_post(config)
        if due is None:
            raise InvalidInput("the next two weeks are already skipped")
        day = due[0]
        today = schedule.local_date(now)
        kept = frozenset(d for d in skipped if d >= today) | {day}
        await self._save(ChannelConfig(config.ref, schedule.with_changes(skip_dates=kept), config.name, config.seed))
        return day

    async def next_post(self, config: ChannelConfig) -> tuple[date, datetime] | None:
        """The next scheduled post that will really be made: not skipped, and not made already (a day
        whose question went out early with /qotd now is not posted again). None if none in two weeks."""
        probe = self._ctx.now()
        for _ in range(LOOK_AHEAD_POSTS):
            due = config.schedule.next_due(probe)
            if due is None:
                return None
            day, fire_time = due
            skipped = day in config.schedule.skip_dates
            if not skipped and await self._posts.get_post(channel=config.ref, local_date=day) is None:
                return due
            probe = fire_time
        return None

    async def status(self, channel: ChannelRef) -> ChannelStatus:
        config = await self._channels.get_channel(channel)
        if config is None:
            return ChannelStatus(None, None, None, None)
        now = self._ctx.now()
        due = await self.next_post(config)
        next_post = None
        if due is not None and not config.schedule.paused:
            next_post = due[1].strftime("%a %d %b %H:%M %Z")
        today = await self._posts.get_post(channel=channel, local_date=config.schedule.local_date(now))
        question = self._ctx.question(today.question_id) if today else None
        return ChannelStatus(config, next_post, today.url if today else None, question.title if question else None)
