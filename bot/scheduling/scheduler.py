"""A thin wrapper over APScheduler's AsyncIOScheduler.

Each channel gets a cron job at its time, weekdays and timezone (DST handled by the trigger). Every minute a
sweeper makes any due post that is still missing (inside the grace window) and closes expired questions;
both go through the same idempotent use case, so a post is never made twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.studygroup import StudyGroup
from bot.core.style import TextStyle

log = logging.getLogger(__name__)

SWEEP_EVERY = timedelta(minutes=1)


def job_id(channel: ChannelRef) -> str:
    return f"daily:{channel.platform}:{channel.server_id}:{channel.channel_id}"


def cron_trigger(config: ChannelConfig) -> CronTrigger:
    schedule = config.schedule
    return CronTrigger(
        day_of_week=",".join(schedule.days),
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        timezone=schedule.zone,
    )


class DailyScheduler:
    def __init__(self, group: StudyGroup, style: TextStyle) -> None:
        self._group = group
        self._style = style
        self._scheduler = AsyncIOScheduler(timezone="UTC")
        group.channels.on_change(self.plan)

    async def start(self) -> None:
        """Plan every channel stored for this platform, then start firing."""
        store = self._group.context.store
        for config in await store.list_channels(platform=self._group.context.platform.name):
            self.plan(config)
        grace = int(self._group.context.policy.grace.total_seconds())
        self._scheduler.add_job(
            self._sweep,
            IntervalTrigger(seconds=SWEEP_EVERY.total_seconds()),
            id="sweep",
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace or None,
        )
        self._scheduler.start()

    def plan(self, config: ChannelConfig) -> None:
        grace = int(self._group.context.policy.grace.total_seconds())
        self._scheduler.add_job(
            self._post,
            cron_trigger(config),
            args=[config.ref],
            id=job_id(config.ref),
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=grace or None,
        )
        log.info("channel %s scheduled: %s", config.ref.channel_id, config.schedule.describe())

    def next_run(self, channel: ChannelRef) -> object:
        job = self._scheduler.get_job(job_id(channel))
        return job.next_run_time if job else None

    async def _post(self, channel: ChannelRef) -> None:
        config = await self._group.context.store.get_channel(channel)
        if config is None:
            return
        try:
            result = await self._group.post_if_due(config)
        except Exception:
            log.exception("scheduled post in channel %s failed", channel.channel_id)
            return
        log.info("scheduled post in channel %s: %s %s", channel.channel_id, result.outcome, result.reason)

    async def _sweep(self) -> None:
        try:
            await self._group.sweep(self._style)
        except Exception:
            log.exception("sweep failed")

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
