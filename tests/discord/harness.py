"""Running the real Discord adapter (`run_discord`) against the fake Discord, and talking to it as members do."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.adapters.discord.client import Handled, StudyBotClient
from bot.adapters.discord.runner import run_discord
from bot.app import Runtime
from bot.config import DiscordSettings, Secret, Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict
from bot.lifecycle import Lifecycle
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
        ),
    )


@dataclass
class Running:
    fake: FakeDiscord
    client: StudyBotClient
    runtime: Runtime
    life: Lifecycle
    task: asyncio.Task[int]
    clock: FixedClock
    seen: int = field(default=0)

    @property
    def group(self) -> StudyGroup:
        return self.runtime.group

    async def stop(self) -> int:
        self.life.stop()
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
            if m.embeds and m.author.id == self.fake.bot_user.id and not m.ephemeral
        ]


def text_of(handle: InteractionHandle) -> str:
    """What the member sees: the callback message (or the deferred one, once filled in)."""
    response = handle.response or {}
    if response.get("type") == 5:
        return handle.original.content if handle.original else ""
    data = response.get("data") or {}
    if data.get("embeds"):
        return str(data["embeds"][0].get("title", ""))
    return str(data.get("content") or "")


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, settings: Settings, clock: FixedClock, bank: Bank) -> AsyncIterator[Running]:
    """`run_discord` as `studybot run` runs it, until its start-up work is done and the gateway is ready."""
    box: dict[str, Any] = {}

    def started(client: StudyBotClient, runtime: Runtime, life: Lifecycle) -> None:
        box.update(client=client, runtime=runtime, life=life)

    task = asyncio.create_task(
        run_discord(settings, clock=clock, bank=bank, started=started, client_options={"guild_ready_timeout": 0.05})
    )

    def up() -> bool:
        client = box.get("client")
        return task.done() or (client is not None and client.started.is_set() and client.is_ready())

    await fake.wait_for(up, TIMEOUT, what="the bot to start")
    if task.done():
        raise AssertionError(f"run_discord ended early with {task.result()}")
    running = Running(fake, box["client"], box["runtime"], box["life"], task, clock)
    try:
        yield running
    finally:
        if not task.done():
            running.life.stop()
        await asyncio.wait_for(task, TIMEOUT)
