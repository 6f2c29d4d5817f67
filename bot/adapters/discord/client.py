"""The discord.py client: intents, the command tree, event wiring, and the command sync done once per process.

The sync (only of changed definitions, see `sync`) happens in ``setup_hook``, which discord.py runs once after
login, so reconnects never repeat it. The
first ``on_ready`` is the app's start-up catch-up; every later one follows a re-IDENTIFY (a session Discord
invalidated, so the events missed meanwhile are never replayed) and reads back the open questions' threads.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord import events
from bot.adapters.discord.answer_buttons import on_answer_interaction
from bot.adapters.discord.commands import build_commands, on_command_error
from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.platform import DiscordPlatform
from bot.adapters.discord.quiz import on_quiz_interaction
from bot.adapters.discord.style import NO_PINGS
from bot.adapters.discord.sync import sync_if_changed
from bot.core.clock import Clock
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import ReplyResult

log = logging.getLogger(__name__)

MAX_RATE_LIMIT_WAIT = 30.0  # discord.py's smallest allowed value
IDENTIFY_PAUSE = 5.0  # seconds between two shards' IDENTIFYs, as discord.py waits by default


def intents(*, message_content: bool = True) -> discord.Intents:
    """Default intents (guilds, guild messages, reactions) plus message content unless turned off (private answers
    need none); never members or presences."""
    chosen = discord.Intents.default()
    chosen.message_content = message_content
    chosen.reactions = True
    chosen.members = False
    chosen.presences = False
    return chosen


@dataclass(frozen=True, slots=True)
class Handled:
    """One gateway event the core has seen, and what it made of it (kept briefly, for logs and tests)."""

    kind: str
    message_id: str
    result: ReplyResult


class StudyBotClient(discord.Client):
    def __init__(
        self,
        clock: Clock,
        *,
        moderator_roles: tuple[str, ...] = (),
        synced_commands: Path | None = None,
        message_content: bool = True,
        **options: Any,
    ) -> None:
        # Rate limits up to MAX_RATE_LIMIT_WAIT are waited out by discord.py; longer ones come back to the core as
        # `RateLimited`, which retries within the day's claim lease instead of holding the claim indefinitely.
        options.setdefault("max_ratelimit_timeout", MAX_RATE_LIMIT_WAIT)
        super().__init__(intents=intents(message_content=message_content), allowed_mentions=NO_PINGS, **options)
        self.clock = clock
        self.moderator_roles = moderator_roles
        self.synced_commands = synced_commands
        self.platform = DiscordPlatform(self, moderator_roles=moderator_roles)
        self.tree = app_commands.CommandTree(self)
        self.tree.error(on_command_error)
        self.ctx: AdapterContext | None = None
        self.handled: deque[Handled] = deque(maxlen=500)
        self.startup_runs = 0
        self.sessions = 0  # READYs seen: one per IDENTIFY
        self._read_backs: set[asyncio.Task[None]] = set()

    def attach(self, group: StudyGroup) -> None:
        """Wire the study group in; call once, before `start`."""
        self.ctx = AdapterContext(group, self.platform.style, self.moderator_roles)
        for command in build_commands(self.ctx):
            self.tree.add_command(command)

    # ------------------------------------------------------------------------------------ start-up
    async def setup_hook(self) -> None:
        if self.ctx is None:
            raise RuntimeError("StudyBotClient.attach(group) must be called before start")
        self.startup_runs += 1
        await sync_if_changed(self.tree, self.application_id, self.synced_commands)

    async def close(self) -> None:
        for task in list(self._read_backs):
            task.cancel()  # the store closes after the client: no read-back may outlive it
        await super().close()

    # -------------------------------------------------------------------------------------- events
    def _me(self) -> int:
        return self.user.id if self.user else 0

    async def _core(self, kind: str, message_id: int, call: Any) -> None:
        try:
            result = await call
        except Exception:
            log.exception("%s %s could not be recorded", kind, message_id)
            return
        if result is not None:
            self.handled.append(Handled(kind, str(message_id), result))

    async def on_ready(self) -> None:
        self.sessions += 1
        log.info("connected to Discord as %s in %d server(s)", self.user, len(self.guilds))
        if self.sessions > 1 and self.ctx is not None:
            task = asyncio.create_task(self._read_back(self.ctx.group), name="discord-read-back")
            self._read_backs.add(task)
            task.add_done_callback(self._read_backs.discard)

    async def _read_back(self, group: StudyGroup) -> None:
        try:
            scored = await group.read_back()
        except Exception:
            log.exception("reading back the questions' threads after a new Discord session failed")
            return
        log.info("new Discord session: %d reply(ies) made while disconnected read back and scored", scored)

    async def on_resumed(self) -> None:
        log.info("gateway session resumed")

    async def on_guild_join(self, guild: discord.Guild) -> None:
        log.info("added to server %s (%s)", guild.name, guild.id)

    async def on_guild_remove(self, guild: discord.Guild) -> None:
        log.warning(
            "removed from server %s (%s): its channels get no more questions until the bot is invited back",
            guild.name,
            guild.id,
        )

    async def on_message(self, message: discord.Message) -> None:
        assert self.ctx is not None
        await self._core("message", message.id, events.on_message(self.ctx, self._me(), message))

    async def on_raw_message_edit(self, event: discord.RawMessageUpdateEvent) -> None:
        assert self.ctx is not None
        await self._core("edit", event.message_id, events.on_raw_edit(self.ctx, self._me(), self, self.clock, event))

    async def on_raw_message_delete(self, event: discord.RawMessageDeleteEvent) -> None:
        assert self.ctx is not None
        await self._core("delete", event.message_id, events.on_raw_delete(self.ctx, event.message_id))

    async def on_raw_bulk_message_delete(self, event: discord.RawBulkMessageDeleteEvent) -> None:
        assert self.ctx is not None
        for message_id in event.message_ids:
            await self._core("delete", message_id, events.on_raw_delete(self.ctx, message_id))

    async def on_raw_reaction_add(self, event: discord.RawReactionActionEvent) -> None:
        assert self.ctx is not None
        await self._core("reaction", event.message_id, events.on_raw_reaction(self.ctx, self._me(), self, event))

    async def on_raw_reaction_remove(self, event: discord.RawReactionActionEvent) -> None:
        assert self.ctx is not None
        await self._core("reaction", event.message_id, events.on_raw_reaction(self.ctx, self._me(), self, event))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if self.ctx is not None and not await on_answer_interaction(self.ctx, interaction):
            await on_quiz_interaction(self.ctx, interaction)


class ShardedStudyBotClient(StudyBotClient, discord.AutoShardedClient):
    """The same bot on some of the gateway's shards (`shard_ids` of `shard_count`; None: all of them). Discord
    sends each shard only its servers' events. A shard that IDENTIFYs again (its session was invalidated)
    reads back the open questions' threads, as one connection does after a new session."""

    def __init__(self, clock: Clock, *, identify_pause: float = IDENTIFY_PAUSE, **options: Any) -> None:
        super().__init__(clock, **options)
        self.identify_pause = identify_pause
        self.shard_sessions: dict[int, int] = {}  # READYs seen per shard

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        if not initial:  # Discord takes one IDENTIFY per 5 seconds (per bucket of its max_concurrency)
            await asyncio.sleep(self.identify_pause)

    async def on_ready(self) -> None:
        log.info("connected to Discord as %s on shards %s of %s", self.user, self.shard_ids, self.shard_count)

    async def on_shard_ready(self, shard_id: int) -> None:
        self.sessions += 1
        self.shard_sessions[shard_id] = self.shard_sessions.get(shard_id, 0) + 1
        if self.shard_sessions[shard_id] > 1 and self.ctx is not None:
            task = asyncio.create_task(self._read_back(self.ctx.group), name=f"discord-read-back-{shard_id}")
            self._read_backs.add(task)
            task.add_done_callback(self._read_backs.discard)
