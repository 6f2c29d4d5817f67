"""The composition root: settings in, a running study group out. Everything is built, started and closed here.

    async with App(settings) as app:      # open the database, connect, catch up, schedule
        code = await app.serve()          # until SIGTERM/SIGINT, the end of input, or the platform ends it
    # closed in reverse: schedule, heartbeat, kept-event retries, adapter (work in hand finishes), one last try
    # to store what was kept while the disk was full, database

`App.run()` does all of that and returns the process's exit code. The database is opened once per process;
every adapter gets only its own settings section and the core's study group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from types import TracebackType
from typing import Any

from bot.banks.loading import load_bank
from bot.config import Settings
from bot.core.adapter import Adapter
from bot.core.bank import Bank
from bot.core.bank_problems import BankError
from bot.core.clock import Clock, SystemClock
from bot.core.errors import ConfigError, PlatformGone
from bot.core.grading import Grade
from bot.core.pictures import PictureRenderer
from bot.core.ports import Grader, Platform
from bot.core.questions import Answer
from bot.core.records import ChannelConfig
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.lifecycle import Lifecycle
from bot.pictures.renderer import PillowRenderer
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.scheduling.scheduler import DailyScheduler
from bot.shard_share import ShardShare
from bot.storage.store import SqliteStore

log = logging.getLogger(__name__)

AdapterFactory = Callable[[SqliteStore], Adapter]

RETRY_KEPT_EVERY = 5.0  # seconds between tries to store what was kept while the disk was full


async def _unless_stopped(work: Coroutine[Any, Any, None], stopping: asyncio.Event) -> bool:
    """Run `work` to the end, or cancel it when `stopping` is set first; True when it ran to the end."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        return False
    task.result()
    return True


class GraderOnFirstUse:
    """The core's `Grader`, loaded (with sympy, about half a second) when the first quiz answer is graded, on the
    thread that grades it, rather than at every start-up."""

    def __init__(self) -> None:
        self._grader: Grader | None = None
        self._loading = threading.Lock()

    def grade(self, answer: Answer, submitted: str) -> Grade:
        with self._loading:
            if self._grader is None:
                from bot.grading import AnswerGrader

                self._grader = AnswerGrader()
        return self._grader.grade(answer, submitted)


def load_checked_bank(settings: Settings) -> Bank:
    """The built-in bank plus the configured ones; an invalid bank stops start-up with its report."""
    try:
        bank = load_bank(settings.extra_banks)
    except BankError as problem:
        raise ConfigError(f"the question bank is invalid, so studybot will not start:\n{problem}") from None
    known = {str(topic) for topic in bank.topics()}
    unknown = [topic for topic in settings.policy.default_schedule.topics if topic not in known]
    if unknown:
        raise ConfigError(
            f"[schedule] topics: unknown topic {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return bank


def study_group(
    settings: Settings,
    bank: Bank,
    store: SqliteStore,
    platform: Platform,
    clock: Clock,
    pictures: PictureRenderer | None = None,
) -> StudyGroup:
    context = StudyGroupContext(
        bank=bank,
        store=store,
        platform=platform,
        grader=GraderOnFirstUse(),
        rules=settings.rules,
        policy=settings.policy,
        clock=clock,
        pictures=pictures,
        scheduler=FsrsScheduler(),
    )
    return StudyGroup(context)


def _shard_share(settings: Settings) -> ShardShare | None:
    """The Discord shards this process runs, when it runs some of them only."""
    discord = settings.discord
    if settings.platform != "discord" or discord.shard_ids is None or discord.shard_count is None:
        return None
    return ShardShare(discord.shard_ids, discord.shard_count)


def platform_adapter(settings: Settings, clock: Clock) -> AdapterFactory:
    """The adapter for the configured platform (imported only when chosen: the console needs no discord.py).

    Discord's and Slack's are made at once, so a missing credential stops the bot before the database is touched.
    """
    if settings.platform == "discord":
        from bot.adapters.discord.adapter import DiscordAdapter

        discord = DiscordAdapter(settings.discord, clock)
        return lambda store: discord
    if settings.platform == "slack":
        from bot.adapters.slack.adapter import SlackAdapter

        slack = SlackAdapter(settings.slack)
        return lambda store: slack.keeping_installs_in(store)
    if settings.platform == "console":
        from bot.adapters.console.adapter import ConsoleAdapter
        from bot.adapters.console.pictures import PictureFiles, pictures_folder

        pictures = PictureFiles(pictures_folder(settings.database))
        return lambda store: ConsoleAdapter(store.chat_log, clock, pictures=pictures)
    raise ConfigError(f"unknown platform {settings.platform}")


class App:
    """One running bot. `schedule=False` leaves out the cron schedule (tests run the sweep themselves);
    `retry_every` is how often what was kept while the disk was full is tried again."""

    def __init__(
        self,
        settings: Settings,
        *,
        adapter: AdapterFactory | None = None,
        clock: Clock | None = None,
        bank: Bank | None = None,
        schedule: bool = True,
        retry_every: float = RETRY_KEPT_EVERY,
    ) -> None:
        self.settings = settings
        self.clock = clock or SystemClock()
        self._make_adapter = adapter
        self._bank = bank
        self._schedule = schedule
        self._retry_every = retry_every
        self._closing = contextlib.AsyncExitStack()
        self._lifecycle: Lifecycle | None = None
        self.ready = asyncio.Event()  # set once scheduled and caught up
        self.store: SqliteStore | None = None
        self.adapter: Adapter | None = None
        self._group: StudyGroup | None = None

    @property
    def group(self) -> StudyGroup:
        if self._group is None:
            raise RuntimeError("the app has not started")
        return self._group

    async def run(self) -> int:
        """Start, serve until stopped, close: the exit code of `studybot run` (1 when the platform refused us)."""
        try:
            async with self:
                code = await self.serve()
        except PlatformGone:
            return 1
        log.info("studybot stopped")
        return code

    async def __aenter__(self) -> App:
        try:
            await self._start()
        except BaseException:
            await self._closing.aclose()
            raise
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self._closing.aclose()

    async def serve(self) -> int:
        assert self.adapter is not None and self._lifecycle is not None
        return await self.adapter.serve(self._lifecycle.stopping)

    def stop(self) -> None:
        """Ask the running bot to stop, as SIGTERM does."""
        if self._lifecycle is not None:
            self._lifecycle.stop()

    async def _start(self) -> None:
        closing = self._closing
        bank = self._bank if self._bank is not None else load_checked_bank(self.settings)
        make_adapter = self._make_adapter or platform_adapter(self.settings, self.clock)
        self.store = store = await SqliteStore.open(self.settings.store_location)
        closing.push_async_callback(store.close)
        closing.push_async_callback(self._store_kept_at_close)  # once the adapter's work in hand has finished
        pictures = PillowRenderer()
        closing.callback(pictures.close)  # after the adapter's: its work in hand may still draw a card
        self.adapter = adapter = make_adapter(store)
        closing.push_async_callback(adapter.close)
        platform = await adapter.connect()
        self._group = group = study_group(self.settings, bank, store, platform, self.clock, pictures)
        await closing.enter_async_context(_retrying_kept(group, self._retry_every))
        self._lifecycle = await closing.enter_async_context(
            Lifecycle(store.db, platform.name, self.clock, shards=_shard_share(self.settings))
        )
        if not await _unless_stopped(adapter.start(group), self._lifecycle.stopping):
            return  # asked to stop while still connecting (Discord unreachable, say): serve() ends at once
        log.info("studybot ready: %d questions, database %s, platform %s", len(bank), store.db.path, platform.name)
        # Read once for both: at 10,000 channels a second read would be a tenth of the start.
        configs = await store.list_channels(platform=platform.name)
        if self._schedule:  # first, so slots due meanwhile are not held up by a long catch-up
            scheduler = DailyScheduler(group, adapter.style)
            closing.callback(scheduler.shutdown)
            await scheduler.start(configs)
        await self._catch_up(group, adapter, configs)
        self.ready.set()
        pictures.warm_up()  # once ready, so drawing the first cards never slows the start

    async def _store_kept_at_close(self) -> None:
        if self._group is None or not self._group.kept:
            return
        stored = await self._group.retry_kept()
        if self._group.kept:
            log.warning(
                "closing while the disk is still full: %d kept answer(s), edit(s) or reaction(s) were not stored "
                "and are lost (%d stored)",
                len(self._group.kept),
                stored,
            )

    @staticmethod
    async def _catch_up(group: StudyGroup, adapter: Adapter, configs: Sequence[ChannelConfig]) -> None:
        """Posts due and replies made while the bot was away; a failure here leaves due posts to the sweep."""
        try:
            posted, read_back = await group.catch_up(adapter.style, configs)
        except Exception:
            log.exception("catching up after the start failed; the schedule's sweep will retry due posts")
            return
        log.info("caught up: %d due post(s) made, %d reply(ies) read back and scored", len(posted), read_back)


@contextlib.asynccontextmanager
async def _retrying_kept(group: StudyGroup, every: float) -> AsyncIterator[None]:
    """Every `every` seconds, try to store what was kept while the disk was full (the next member event tries too).

    Stopped by an event, not cancelled: a try cut off mid-write could leave a stored event still kept.
    """
    stop = asyncio.Event()

    async def retry_forever() -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            if group.kept and not stop.is_set():
                try:
                    await group.retry_kept()
                except Exception:
                    log.exception("storing the events kept while the disk was full failed; trying again later")

    task = asyncio.create_task(retry_forever(), name="retry-kept")
    try:
        yield
    finally:
        stop.set()
        await task
