"""A thin wrapper over APScheduler's AsyncIOScheduler.

Channels that share a time, weekdays and timezone share one cron job (DST handled by the trigger); when it
fires, their posts are made many at once with bounded concurrency. Every minute a
sweeper makes any due post that is still missing (inside the grace window) and closes expired questions;
both go through the same idempotent use case, so a post is never made twice. Every minute too, the review
reminders whose time has come are sent (each claimed in the store first, so never twice).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle
from bot.core.usecases.daily import Outcome, PostResult

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=1)


def cron_trigger(config: ChannelConfig) -> CronTrigger:
    schedule = config.schedule
    return CronTrigger(
        day_of_week=",".join(schedule.days),
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        timezone=schedule.zone,
    )


def slot_id(config: ChannelConfig) -> str:
    """Channels that post at the same local time, weekdays and timezone share one job (a slot)."""
    schedule = config.schedule
    return f"daily:{','.join(schedule.days)}:{schedule.at:%H:%M}:{schedule.timezone}"


class DailyScheduler:
    """One cron job per *slot* (time, weekdays, timezone), not per channel: when 10,000 channels share a
    minute, one job fires and fans out to them with bounded concurrency (`DailyQuestions.post_due`).
    Start-up plans a handful of jobs instead of one per channel."""

    def __init__(self, group: StudyGroup, style: TextStyle) -> None:
        self._group = group
        self._style = style
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        self._slots: dict[str, dict[ChannelRef, None]] = {}  # slot -> its channels, in planning order
        self._slot_of: dict[ChannelRef, str] = {}
        group.channels.on_change(self.plan)

    async def load(self, configs: Sequence[ChannelConfig] | None = None) -> int:
        """Plan every channel stored for this platform (or `configs`, just read); returns how many."""
        if configs is None:
            configs = await self._group.context.store.list_channels(platform=self._group.context.platform.name)
        for config in configs:
            self._plan(config)
        log.info("%d channels scheduled in %d jobs", len(configs), len(self._slots))
        return len(configs)

    async def start(self, configs: Sequence[ChannelConfig] | None = None) -> None:
        """Plan every channel stored for this platform (or `configs`, just read), then start firing."""
        await self.load(configs)
        grace = int(self._group.context.policy.grace.total_seconds())
        for job, name in ((self._sweep, "sweep"), (self.send_reminders, "reminders")):
            self._scheduler.add_job(
                job,
                IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()),
                id=name,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=grace or None,
            )
        self._scheduler.start()

    def plan(self, config: ChannelConfig) -> None:
        self._plan(config)
        log.info("channel %s scheduled: %s", config.ref.channel_id, config.schedule.describe())

    def _plan(self, config: ChannelConfig) -> None:
        slot, ref = slot_id(config), config.ref
        old = self._slot_of.get(ref)
        if old == slot:
            return
        if old is not None:
            members = self._slots[old]
            members.pop(ref, None)
            if not members:
                del self._slots[old]
                if self._scheduler.get_job(old) is not None:
                    self._scheduler.remove_job(old)
        self._slot_of[ref] = slot
        if slot in self._slots:
            self._slots[slot][ref] = None
            return
        self._slots[slot] = {ref: None}
        grace = int(self._group.context.policy.grace.total_seconds())
        self._scheduler.add_job(
            self.post_slot,
            cron_trigger(config),
            args=[slot],
            id=slot,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace or None,
        )

    def next_run(self, channel: ChannelRef) -> object:
        slot = self._slot_of.get(channel)
        job = self._scheduler.get_job(slot) if slot else None
        return job.next_run_time if job else None

    def slot_of(self, channel: ChannelRef) -> str | None:
        return self._slot_of.get(channel)

    async def post_slot(self, slot: str) -> list[PostResult]:
        """The slot's minute has come (its cron job): post in each of its channels, many at once."""
        store = self._group.context.store
        configs = await store.get_channels(list(self._slots.get(slot, ())))
        results = await self._group.daily.post_due(configs)
        posted = sum(result.outcome in (Outcome.POSTED, Outcome.RECOVERED) for result in results)
        log.info("slot %s: posted in %d of %d channels", slot, posted, len(configs))
        return results

    async def _sweep(self) -> None:
        """Every minute: make any due post still missing (many channels at once), then close expired ones."""
        try:
            await self._group.sweep(self._style)
        except Exception:
            log.exception("sweep failed")

    def next_reminders_run(self) -> object:
        job = self._scheduler.get_job("reminders")
        return job.next_run_time if job else None

    async def send_reminders(self) -> None:
        """Every minute: the review reminders due, many at once (a run longer than a minute delays the next)."""
        try:
            sent = await self._group.reminders.send_due()
        except Exception:
            log.exception("sending review reminders failed")
            return
        if sent:
            log.info("review reminders: %s", ", ".join(f"{count} {outcome}" for outcome, count in sorted(sent.items())))

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
