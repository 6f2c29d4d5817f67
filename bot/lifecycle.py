"""A running bot's lifecycle: heartbeat while it runs, and a clean stop on SIGTERM or SIGINT. A process running
some of a Discord bot's shards also says, with its heartbeats, when a shard is run by no bot at all."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from types import TracebackType

from bot.core.clock import Clock
from bot.core.errors import StorageFull
from bot.shard_share import ShardShare, shard_problem
from bot.storage.database import Database
from bot.storage.heartbeat import Heartbeat
from bot.storage.postgres.database import is_postgres
from bot.storage.presence import forget_ended

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 30.0


class Lifecycle:
    """`async with Lifecycle(...) as life:` then run until `life.stopping` is set."""

    def __init__(
        self,
        db: Database,
        platform: str,
        clock: Clock,
        *,
        every: float = HEARTBEAT_EVERY,
        shards: ShardShare | None = None,
    ) -> None:
        self.stopping = asyncio.Event()
        self._heartbeat = Heartbeat(db, platform, shards.text() if shards else "")
        self._shards = shards
        self._shard_problem: str | None = None
        self._db_path = db.path
        self._clock = clock
        self._every = every
        self._task: asyncio.Task[None] | None = None
        self._disk_full = False

    async def __aenter__(self) -> Lifecycle:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self.stop, signum)
        now = self._clock.now()
        running, ended = await self._heartbeat.others()
        for other in running:
            log.warning(
                "another studybot (%s, pid %d) is running on this database (heartbeat %d s ago): both take "
                "events and post on the schedule. Every post and answer is still stored once, but stop one of "
                "them unless two are meant to share the database",
                other.platform,
                other.pid,
                max(0, int((now - other.at).total_seconds())),
            )
        await self._heartbeat.forget(ended)  # bots that were killed: gone, however fresh their heartbeat
        if not is_postgres(self._db_path):  # PostgreSQL's presence locks go with their sessions: nothing is left
            await asyncio.to_thread(forget_ended, self._db_path)
        await self._beat()
        self._task = asyncio.create_task(self._beat_forever(), name="heartbeat")
        return self

    def stop(self, signum: int | None = None) -> None:
        if not self.stopping.is_set():
            log.info("stopping%s: finishing the work in hand", f" on {signal.Signals(signum).name}" if signum else "")
        self.stopping.set()

    async def _beat_forever(self) -> None:
        while not self.stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stopping.wait(), timeout=self._every)
            if not self.stopping.is_set():
                try:
                    await self._beat()
                except Exception:
                    log.warning("could not write the heartbeat", exc_info=True)
                try:
                    await self._check_shards()
                except Exception:
                    log.warning("could not read which Discord shards the other bots run", exc_info=True)

    async def _check_shards(self) -> None:
        """Said when it changes, from the second heartbeat on: the other processes may be starting too."""
        if self._shards is None:
            return
        running, _ = await self._heartbeat.others()
        problem = shard_problem(
            self._shards, (ShardShare.read(beat.shards) for beat in running if beat.platform == "discord")
        )
        if problem == self._shard_problem:
            return
        if problem is not None:
            log.warning("%s", problem)
        else:
            log.info("every Discord shard of %d is run by a bot again", self._shards.count)
        self._shard_problem = problem

    async def _beat(self) -> None:
        try:
            await self._heartbeat.beat(self._clock.now())
        except StorageFull as problem:  # said once: it would fail every 30 s until there is room
            if not self._disk_full:
                log.warning("could not write the heartbeat: %s", problem)
            self._disk_full = True
        else:
            self._disk_full = False

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stopping.set()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        if self._task is not None:
            await self._task
        with contextlib.suppress(Exception):
            await self._heartbeat.stop()
