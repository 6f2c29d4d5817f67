"""Every store engine passes the same contract suites: add an engine by adding one `params` entry below."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.core.ports import Store
from bot.core.records import ChannelConfig, DailyPost, NewAnswer, PeriodKeys
from bot.core.refs import ChannelRef, MemberRef
from bot.core.schedule import Schedule
from bot.storage.store import SqliteStore
from tests.support.claims import asking
from tests.support.memory_store import MemoryStore

CHANNEL = ChannelRef("test", "g", "c")
OTHER_CHANNEL = ChannelRef("test", "g", "d")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
KEYS = PeriodKeys("2026-W48", "2026-11", 1)


async def _sqlite(request: pytest.FixtureRequest) -> Store:
    tmp_path: Path = request.getfixturevalue("tmp_path")
    return await SqliteStore.open(tmp_path / "contract.db")


async def _memory(request: pytest.FixtureRequest) -> Store:
    return MemoryStore()


async def _postgresql(request: pytest.FixtureRequest) -> Store:
    # A fresh database on the session's cluster; skipped (or failed, in CI) where PostgreSQL is not installed.
    return await SqliteStore.open(request.getfixturevalue("postgres_url"))


ENGINES = {"sqlite": _sqlite, "memory": _memory, "postgresql": _postgresql}


@pytest.fixture(params=sorted(ENGINES))
async def store(request: pytest.FixtureRequest) -> AsyncIterator[Store]:
    opened = await ENGINES[request.param](request)
    yield opened
    await opened.close()  # type: ignore[attr-defined]


async def posted(store: Store, channel: ChannelRef = CHANNEL, day: date = TODAY, thread: str = "t0") -> DailyPost:
    """A channel set up with the day's question posted, its thread `thread`."""
    if await store.get_channel(channel) is None:
        await store.save_channel(ChannelConfig(channel, Schedule()))
    claim = await store.claim_post(channel=channel, local_date=day, now=NOW, choose=asking(f"q-{day}", 1))
    return await store.confirm_post(
        post_id=claim.post.id, message_id=f"m-{thread}", thread_id=thread, url=None, posted_at=NOW, closes_at=NOW
    )


def no_bonus(rank: int) -> int:
    return 0


def answer(
    post: DailyPost, message_id: str, member: str, *, at: datetime = NOW, keys: PeriodKeys = KEYS, points: int = 10
) -> NewAnswer:
    return NewAnswer(
        post_id=post.id,
        channel=post.channel,
        message_id=message_id,
        member=MemberRef("test", member),
        display_name=member.title(),
        answered_at=at,
        streak=1,
        points=points,
        periods=keys,
    )
