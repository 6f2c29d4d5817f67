"""`studybot run --platform slack`: the Slack study group until SIGTERM or SIGINT."""

from __future__ import annotations

import logging

from bot.adapters.slack.service import open_slack
from bot.config import Settings
from bot.core.clock import SystemClock
from bot.lifecycle import Lifecycle

log = logging.getLogger(__name__)


async def run_slack(settings: Settings) -> int:
    clock = SystemClock()
    async with (
        open_slack(settings, clock=clock) as service,
        Lifecycle(service.runtime.store.db, service.platform.name, clock) as life,
    ):
        log.info(
            "studybot is on Slack (%s), workspace %s", service.transport.description, service.platform.identity.team_id
        )
        await life.stopping.wait()
    log.info("studybot stopped")
    return 0
