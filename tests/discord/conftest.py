from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord

from .harness import MODERATOR_ROLE, Running, discord_settings, running_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(heartbeat_interval=0.5) as server:
        yield server


@pytest.fixture
def now_clock() -> FixedClock:
    """Real time, frozen: message timestamps (from snowflakes) and the bot's clock agree."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(fake: FakeDiscord, tmp_path: Path) -> Settings:
    return discord_settings(fake, tmp_path / "studybot.db")


@pytest.fixture
async def bot(
    fake: FakeDiscord, settings: Settings, now_clock: FixedClock, bank: Bank, people: dict
) -> AsyncIterator[Running]:
    """The bot, started after the server's members and roles exist (they arrive in GUILD_CREATE)."""
    async with running_bot(fake, settings, now_clock, bank) as running:
        yield running


@pytest.fixture
def people(fake: FakeDiscord):  # type: ignore[no-untyped-def]
    """A moderator with Manage Server, one by configured role, and three members."""
    mods = fake.add_role(fake.guild, MODERATOR_ROLE)
    return {
        "boss": fake.add_member(fake.guild, "boss", manage_guild=True),
        "mod": fake.add_member(fake.guild, "mod", roles=[mods]),
        "alice": fake.add_member(fake.guild, "alice", nick="Alice A."),
        "bob": fake.add_member(fake.guild, "bob"),
        "carol": fake.add_member(fake.guild, "carol"),
    }
