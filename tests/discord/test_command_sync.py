"""Slash commands are synced only when their definitions changed, and a sync Discord refuses never stops the bot."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord

from .harness import discord_settings, running_bot

COMMANDS = {"qotd", "quiz", "leaderboard", "review", "goal", "stats", "resources", "bank"}


def _sync_problems(caplog) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("bot") and r.levelno >= logging.WARNING and "slash commands" in r.getMessage()
    ]


async def test_a_restart_with_the_same_commands_does_not_sync_them_again(
    fake: FakeDiscord, settings: Settings, now_clock: FixedClock, bank: Bank, people
) -> None:
    for _ in range(3):
        async with running_bot(fake, settings, now_clock, bank) as bot:
            assert (await bot.answer_text(people["alice"], "stats")).startswith("**Stats for")
    assert len(fake.command_syncs) == 1 and set(fake.commands()) == COMMANDS


async def test_a_long_rate_limit_on_the_sync_leaves_the_bot_serving_the_commands_discord_has(
    fake: FakeDiscord, tmp_path: Path, now_clock: FixedClock, bank: Bank, people, caplog
) -> None:
    async with running_bot(fake, discord_settings(fake, tmp_path / "first.db"), now_clock, bank):
        pass  # Discord now has the commands
    fake.rate_limit("/commands", times=10, retry_after=3600, method="PUT")
    with caplog.at_level(logging.INFO, logger="bot"):
        async with running_bot(fake, discord_settings(fake, tmp_path / "second.db"), now_clock, bank) as bot:
            assert (await bot.answer_text(people["alice"], "stats")).startswith("**Stats for")
    [problem] = _sync_problems(caplog)
    assert "rate limited" in problem and "serving with the commands Discord already has" in problem
    assert len(fake.command_syncs) == 1
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("bot"))


async def test_the_daily_command_creation_cap_does_not_stop_the_bot_and_the_next_start_tries_again(
    tmp_path: Path, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5, daily_command_creates=3) as fake:
        settings = discord_settings(fake, tmp_path / "db.sqlite")
        with caplog.at_level(logging.INFO, logger="bot"):
            async with running_bot(fake, settings, now_clock, bank):
                pass
            [problem] = _sync_problems(caplog)
            assert "rate limited" in problem and fake.commands() == {}
            fake.daily_command_creates = 200  # a new day
            async with running_bot(fake, settings, now_clock, bank):
                assert set(fake.commands()) == COMMANDS
