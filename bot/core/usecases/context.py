"""What every use case needs: the bank, the store, the platform, the grader, the clock, the rules and the review
schedule."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.core.bank import Bank
from bot.core.clock import Clock, SystemClock
from bot.core.pictures import PictureRenderer
from bot.core.ports import Grader, Platform, ReviewScheduler, ServesSomeChannels, Store
from bot.core.questions import Question
from bot.core.records import PeriodKeys
from bot.core.refs import ChannelRef
from bot.core.rules import ScoringRules
from bot.core.schedule import Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Policy:
    """Operational settings that are not scoring rules."""

    grace: timedelta = timedelta(hours=4)
    claim_lease: timedelta = timedelta(minutes=2)
    default_schedule: Schedule = field(default_factory=Schedule)
    leaderboard_size: int = 10
    seed: str = "studybot"


@dataclass(slots=True)
class StudyGroupContext:
    """`store` is the object that implements every store port (one per process, opened once); each use case
    keeps from it only the ports it uses (`ChannelStore`, `PostStore`, ...)."""

    bank: Bank
    store: Store
    platform: Platform
    grader: Grader
    rules: ScoringRules = field(default_factory=ScoringRules)
    policy: Policy = field(default_factory=Policy)
    clock: Clock = field(default_factory=SystemClock)
    pictures: PictureRenderer | None = None  # None: text only
    # spaced repetition; without one nothing is scheduled for review and /review says it is not set up
    scheduler: ReviewScheduler | None = None

    def served(self) -> Callable[[ChannelRef], bool]:
        """Which channels this process makes the posts of: every one, unless the platform carries only some
        servers' (one process's share of Discord's shards). Ask once per batch of channels: the protocol check
        costs more than the answer."""
        platform = self.platform
        return platform.serves if isinstance(platform, ServesSomeChannels) else _every_channel

    def now(self) -> datetime:
        return self.clock.now()

    def question(self, question_id: str) -> Question | None:
        return self.bank.get(question_id)

    async def periods(self, channel: ChannelRef, when: datetime, schedule: Schedule) -> PeriodKeys:
        season = await self.store.current_season(server=channel.server, now=when)
        return PeriodKeys.of(when, schedule.zone, season.number)


def _every_channel(channel: ChannelRef) -> bool:
    return True
