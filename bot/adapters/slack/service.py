"""A running Slack study group, built from settings: client, platform, core, bolt app, transport, scheduler."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.background import Background
from bot.adapters.slack.bolt_app import Listeners, build_app
from bot.adapters.slack.people import People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.slackapi import make_client, who_am_i
from bot.adapters.slack.transport import HttpTransport, Transport, check_credentials, make_transport
from bot.app import Runtime, load_checked_bank, open_runtime
from bot.config import Settings
from bot.core.bank import Bank
from bot.core.clock import Clock
from bot.core.studygroup import StudyGroup
from bot.core.usecases.daily import PostResult
from bot.scheduling.scheduler import DailyScheduler

log = logging.getLogger(__name__)


@dataclass
class SlackService:
    runtime: Runtime
    platform: SlackPlatform
    people: People
    app: AsyncApp
    listeners: Listeners
    transport: Transport
    scheduler: DailyScheduler | None

    @property
    def group(self) -> StudyGroup:
        return self.runtime.group

    @property
    def background(self) -> Background:
        return self.listeners.background

    @property
    def http_port(self) -> int | None:
        return self.transport.port if isinstance(self.transport, HttpTransport) else None

    async def sweep(self) -> list[PostResult]:
        """What the scheduler's minute sweep does: every due post, then closing expired questions."""
        return await self.group.sweep(self.platform.style)


@asynccontextmanager
async def open_slack(
    settings: Settings, *, clock: Clock | None = None, bank: Bank | None = None, schedule: bool = True
) -> AsyncIterator[SlackService]:
    """Connect, catch up (posts due and replies made while away), start the schedule; on exit, stop taking
    requests, let the work in hand finish, and close the database."""
    slack = settings.slack
    check_credentials(slack)
    bank = load_checked_bank(settings) if bank is None else bank
    client = make_client(slack)
    identity = await who_am_i(client)
    people = People(client, moderators=slack.moderators)
    platform = SlackPlatform(client, identity, people)
    async with open_runtime(settings, platform, clock=clock, bank=bank) as runtime:
        app, listeners = build_app(client, slack.signing_secret.value, runtime.group, platform, people)
        transport = make_transport(slack, app)
        await transport.start()  # first: replies that arrive during the catch-up are not missed
        scheduler = None
        try:
            posted, read_back = await runtime.group.catch_up(platform.style)
            log.info("Slack catch-up: %d question(s) posted, %d reply(ies) read back", len(posted), read_back)
            if schedule:
                scheduler = DailyScheduler(runtime.group, platform.style)
                await scheduler.start()
            yield SlackService(runtime, platform, people, app, listeners, transport, scheduler)
        finally:
            if scheduler is not None:
                scheduler.shutdown()
            await transport.stop()
            await listeners.background.drain()
