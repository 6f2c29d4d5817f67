from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack


@pytest.fixture(params=["socket", "http"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def fake(mode: str, clock: FixedClock) -> AsyncIterator[FakeSlack]:
    """A fake workspace whose message timestamps start at the test clock's time."""
    async with FakeSlack(mode=mode, start_ts=clock.now().timestamp()) as slack:
        yield slack
        assert slack.errors == []
