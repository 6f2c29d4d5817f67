"""Processes sharing a sharded Discord bot on one database: a shard that none of them runs is said, once, by the
running bots, and so is its coming back."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.clock import SystemClock
from bot.lifecycle import Lifecycle
from bot.shard_share import ShardShare, shard_problem
from bot.storage.store import SqliteStore

MISSING = "Discord shards 2, 3 of 4 are run by no bot on this database"
BACK = "every Discord shard of 4 is run by a bot again"


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(10):
        while not condition():
            await asyncio.sleep(0.02)


async def test_shards_no_bot_runs_are_said_once_and_so_is_their_return(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.lifecycle")
    path = tmp_path / "studybot.db"
    first, second = await SqliteStore.open(path), await SqliteStore.open(path)
    try:
        async with Lifecycle(first.db, "discord", SystemClock(), every=0.05, shards=ShardShare((0, 1), 4)):
            await _until(lambda: MISSING in caplog.text)
            await asyncio.sleep(0.2)  # several more heartbeats: nothing new to say
            assert caplog.text.count(MISSING) == 1
            async with Lifecycle(second.db, "discord", SystemClock(), every=60, shards=ShardShare((2, 3), 4)):
                await _until(lambda: BACK in caplog.text)
                assert caplog.text.count(MISSING) == 1
            await _until(lambda: caplog.text.count(MISSING) == 2)  # the second process stopped
    finally:
        await first.close()
        await second.close()
    warned = [record for record in caplog.records if MISSING in record.getMessage()]
    assert all(record.levelno == logging.WARNING for record in warned)
    assert "DISCORD_SHARD_IDS" in warned[0].getMessage()


@pytest.mark.parametrize(
    ("others", "said"),
    [
        ([ShardShare((1, 2), 4)], "Discord shard 3 of 4 is run by no bot on this database"),
        ([ShardShare((1, 2, 3), 4)], None),
        ([None], None),  # another bot runs every shard
        ([ShardShare((1,), 2)], "different numbers of shards (2, 4): give every process the same DISCORD_SHARD_COUNT"),
    ],
)
def test_what_is_said_of_the_shards_the_bots_run_between_them(
    others: list[ShardShare | None], said: str | None
) -> None:
    problem = shard_problem(ShardShare((0,), 4), others)
    assert problem == said if said is None else problem is not None and said in problem
