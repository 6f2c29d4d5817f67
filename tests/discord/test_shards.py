"""The gateway in shards against the fake Discord, which sends each guild's events only on its shard's connection
(`(guild_id >> 22) % shard_count`) and refuses an unsharded IDENTIFY with 4011 when sharding is required."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.clock import FixedClock
from bot.core.errors import ConfigError
from bot.core.usecases.daily import Outcome
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.gateway import shard_of
from tests.fakes.discord.ids import snowflake

from .harness import TIMEOUT, discord_app, discord_settings, running_bot, text_of

SHARDS = 2


def study_guilds(fake: FakeDiscord, count: int) -> list[tuple[object, object, object]]:
    """`count` guilds whose ids put them on shards 0, 1, 0, 1, ...: each with #general and a moderator."""
    base = snowflake()
    made = []
    for number in range(count):
        guild_id = base - (base >> 22) % SHARDS * (1 << 22) + (number << 22)
        guild = fake.add_guild(f"Group {number}", owner=fake.owner_user, guild_id=guild_id)
        assert shard_of(guild.id, SHARDS) == number % SHARDS
        made.append(
            (guild, fake.add_text_channel(guild, "general"), fake.add_member(guild, f"boss{number}", manage_guild=True))
        )
    return made


def sharded(settings, **shards):  # type: ignore[no-untyped-def]
    return dataclasses.replace(settings, discord=dataclasses.replace(settings.discord, **shards))


async def test_two_processes_each_serve_their_shards_and_post_every_channel_once(
    tmp_path: Path, now_clock: FixedClock, bank
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5, guild_name=None) as fake:
        guilds = study_guilds(fake, 4)
        database = tmp_path / "shared.db"  # two processes' worth of bots on one database
        base = discord_settings(fake, database)
        async with (
            running_bot(fake, sharded(base, shard_count=SHARDS, shard_ids=(0,)), now_clock, bank) as first,
            running_bot(fake, sharded(base, shard_count=SHARDS, shard_ids=(1,)), now_clock, bank) as second,
        ):
            assert sorted(ident.shard for ident in fake.identifies) == [[0, 2], [1, 2]]
            # each says in its heartbeat which shards it runs, so either can tell when one is run by none
            with contextlib.closing(sqlite3.connect(database)) as connection:
                told = sorted(row[0] for row in connection.execute("SELECT shards FROM heartbeats"))
            assert told == ["0/2", "1/2"]
            by_shard = {0: first, 1: second}
            for guild, _, _ in guilds:
                carrier = by_shard[shard_of(guild.id, SHARDS)]
                assert carrier.client.get_guild(guild.id) is not None
                assert by_shard[1 - shard_of(guild.id, SHARDS)].client.get_guild(guild.id) is None

            at = now_clock.now() + timedelta(minutes=1)
            options = {"time": f"{at:%H:%M}", "timezone": "UTC", "days": "daily"}
            for guild, channel, boss in guilds:  # each command reaches the process that carries its guild
                handle = await fake.slash_command(guild, channel, boss, "qotd", options, "setup")
                await handle.wait_response(TIMEOUT)
                assert text_of(handle).startswith("Daily question set"), text_of(handle)

            now_clock.advance(minutes=2)
            posted = {}
            for shard, bot in by_shard.items():
                results = await bot.group.sweep(bot.client.platform.style)
                assert all(result.outcome is Outcome.POSTED for result in results)
                posted[shard] = sorted(int(result.post.channel.server_id) for result in results if result.post)
            assert posted == {
                shard: sorted(guild.id for guild, _, _ in guilds if shard_of(guild.id, SHARDS) == shard)
                for shard in (0, 1)
            }
            for _, channel, _ in guilds:
                questions = [m for m in fake.messages_in(channel) if m.embeds and m.author.id == fake.bot_user.id]
                assert len(questions) == 1, channel
            assert await first.group.sweep(first.client.platform.style) == []
            assert await second.group.sweep(second.client.platform.style) == []


async def test_sharding_required_is_met_by_sharding_as_discord_recommends(
    tmp_path: Path, now_clock: FixedClock, bank
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5, guild_name=None, shards_required=2, recommended_shards=2) as fake:
        guilds = study_guilds(fake, 2)
        async with running_bot(fake, discord_settings(fake, tmp_path / "auto.db"), now_clock, bank) as bot:
            assert sorted(ident.shard for ident in fake.identifies) == [[0, 2], [1, 2]]
            # one process running every shard: its heartbeat names no share of them
            with contextlib.closing(sqlite3.connect(tmp_path / "auto.db")) as connection:
                assert [row[0] for row in connection.execute("SELECT shards FROM heartbeats")] == [""]
            assert {guild.id for guild in bot.client.guilds} == {guild.id for guild, _, _ in guilds}
            assert fake.sharding_refusals == 0
            for guild, channel, boss in guilds:
                setup = await fake.slash_command(guild, channel, boss, "qotd", {"time": "09:00"}, "setup")
                await setup.wait_response(TIMEOUT)
                handle = await fake.slash_command(guild, channel, boss, "qotd", None, "now")
                await handle.wait_response(TIMEOUT)
                if handle.response_type == 5:
                    await handle.wait_original(timeout=TIMEOUT)
                assert text_of(handle).startswith("Posted today's question."), text_of(handle)


@pytest.mark.parametrize(
    ("shard_count", "recommended", "said"),
    [
        (1, 2, "Discord requires more shards than DISCORD_SHARD_COUNT=1 (close 4011): raise it"),
        # no recommendation to go by (here: Discord's says 1): an unsharded IDENTIFY, refused
        (None, 1, "Discord requires this bot to shard (close 4011): set DISCORD_SHARD_COUNT"),
    ],
)
async def test_too_few_shards_for_discord_stops_with_what_to_set(
    tmp_path: Path, now_clock: FixedClock, bank, caplog, shard_count, recommended, said
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5, shards_required=2, recommended_shards=recommended) as fake:
        settings = sharded(discord_settings(fake, tmp_path / "few.db"), shard_count=shard_count)
        with caplog.at_level(logging.ERROR):
            assert await discord_app(settings, now_clock, bank).run() == 1
        assert fake.sharding_refusals == 1
        errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
        assert any(said in line for line in errors), errors


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"DISCORD_SHARD_IDS": "0"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_COUNT": "two"}, "DISCORD_SHARD_COUNT must be a whole number"),
        ({"DISCORD_SHARD_COUNT": "0"}, "DISCORD_SHARD_COUNT must be from 1"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "0,2"}, "shard 2 does not exist with DISCORD_SHARD_COUNT=2"),
        ({"DISCORD_SHARD_COUNT": "2", "DISCORD_SHARD_IDS": "1,1"}, "names shard 1 twice"),
    ],
)
def test_shard_settings_that_cannot_work_are_named(env, said) -> None:
    with pytest.raises(ConfigError, match=said):
        load_settings(None, {"DISCORD_TOKEN": "t", **env})


def test_shard_settings_are_read_from_the_environment() -> None:
    settings = load_settings(None, {"DISCORD_TOKEN": "t", "DISCORD_SHARD_COUNT": "4", "DISCORD_SHARD_IDS": "2, 3"})
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (4, (2, 3))
    unsharded = load_settings(None, {"DISCORD_TOKEN": "t"})
    assert (unsharded.discord.shard_count, unsharded.discord.shard_ids) == (None, None)
