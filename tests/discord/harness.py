"""Running the real Discord adapter (through `App`, as `studybot run` does) against the fake Discord, and talking to
it as members do."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.client import Handled, StudyBotClient
from bot.adapters.discord.settings import synced_commands_file
from bot.app import App
from bot.config import DiscordSettings, Secret, Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict
from tests.fakes.discord import FakeDiscord, InteractionHandle, Message

TIMEOUT = 5.0
MODERATOR_ROLE = "Study Mods"


def discord_settings(fake: FakeDiscord, database: Path, *, gateway: bool = True) -> Settings:
    """As an operator would configure it; `gateway=False` leaves the gateway to GET {base}/gateway."""
    return Settings(
        platform="discord",
        database=database,
        discord=DiscordSettings(
            token=Secret(fake.token),
            api_base_url=fake.api_base_url,
            gateway_url=fake.gateway_url if gateway else None,
            moderator_roles=(MODERATOR_ROLE,),
            synced_commands=synced_commands_file(database),
        ),
    )


@dataclass
class Running:
    fake: FakeDiscord
    client: StudyBotClient
    app: App
    task: asyncio.Task[int]
    clock: FixedClock
    seen: int = field(default=0)

    @property
    def group(self) -> StudyGroup:
        return self.app.group

    async def stop(self) -> int:
        self.app.stop()
        return await asyncio.wait_for(self.task, TIMEOUT)

    # ---------------------------------------------------------------------------------- members
    async def command(
        self,
        user: Any,
        name: str,
        options: dict[str, Any] | None = None,
        sub: str | None = None,
        *,
        channel: Any = None,
    ) -> InteractionHandle:
        handle = await self.fake.slash_command(self.fake.guild, channel or self.fake.channel, user, name, options, sub)
        await handle.wait_response(TIMEOUT)
        return handle

    async def answer_text(self, user: Any, name: str, options: dict[str, Any] | None = None) -> str:
        """What the member reads once the reply is complete: a deferred one ("thinking...") filled in."""
        handle = await self.command(user, name, options)
        if handle.response_type == 5:
            await handle.wait_original(timeout=TIMEOUT)
        return text_of(handle)

    async def handled(self, kind: str, message_id: int, *, count: int = 1) -> Handled:
        """The core's verdict on the `count`-th delivery of an event about `message_id`."""

        def check() -> Handled | None:
            hits = [h for h in self.client.handled if h.kind == kind and h.message_id == str(message_id)]
            return hits[count - 1] if len(hits) >= count else None

        return await self.fake.wait_for(check, TIMEOUT, what=f"{kind} {message_id} handled")

    async def say(self, where: Any, user: Any, text: str) -> tuple[int, Verdict]:
        message_id = await self.fake.user_message(where, user, text)
        return message_id, (await self.handled("message", message_id)).result.verdict

    def question_posts(self, channel: Any = None) -> list[Message]:
        return [
            m
            for m in self.fake.messages_in(channel or self.fake.channel, include_ephemeral=True)
            if m.embeds and m.embeds[0].get("title") and m.author.id == self.fake.bot_user.id and not m.ephemeral
        ]


def text_of(handle: InteractionHandle) -> str:
    """What the member sees: the callback message (or the deferred one, once filled in)."""
    response = handle.response or {}
    if response.get("type") == 5:
        return handle.original.content if handle.original else ""
    data = response.get("data") or {}
    if data.get("content"):
        return str(data["content"])
    if data.get("embeds"):
        return str(data["embeds"][0].get("title", ""))
    return ""


def discord_app(settings: Settings, clock: FixedClock, bank: Bank) -> App:
    """The app as `studybot run` builds it, with the fake's short waits for servers and between shards' IDENTIFYs."""
    options = {"guild_ready_timeout": 0.05, "identify_pause": 0.0}
    adapter = DiscordAdapter(settings.discord, clock, client_options=options)
    return App(settings, adapter=lambda store: adapter, clock=clock, bank=bank)


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, settings: Settings, clock: FixedClock, bank: Bank) -> AsyncIterator[Running]:
    """The bot as `studybot run` runs it, until its start-up work is done and the gateway is ready."""
    app = discord_app(settings, clock, bank)
    task = asyncio.create_task(app.run())

    def up() -> bool:
        return task.done() or app.ready.is_set()

    await fake.wait_for(up, TIMEOUT, what="the bot to start")
    if task.done():
        raise AssertionError(f"the bot ended early with {task.result()}")
    adapter = app.adapter
    assert isinstance(adapter, DiscordAdapter) and adapter.client is not None
    running = Running(fake, adapter.client, app, task, clock)
    try:
        yield running
    finally:
        if not task.done():
            app.stop()
        await asyncio.wait_for(task, TIMEOUT)
