from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.slack.manifest import BOT_SCOPES
from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack


@pytest.fixture(params=["socket", "http"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
async def fake(mode: str, clock: FixedClock) -> AsyncIterator[FakeSlack]:
    """A fake workspace whose message timestamps start at the test clock's time, with the scopes the manifest
    asks for. Whatever the test, the bot acknowledged every delivery within Slack's 3 seconds and made no call
    its scopes or Block Kit's limits would refuse."""
    async with FakeSlack(mode=mode, start_ts=clock.now().timestamp(), bot_scopes=",".join(BOT_SCOPES)) as slack:
        yield slack
        assert slack.errors == []
        assert slack.late_acks == []
        refused = [(c.method, c.response) for c in slack.calls if c.error in ("missing_scope", "invalid_blocks")]
        assert refused == []
        assert [reason for _, reason in slack.refused_response_posts if reason == "invalid_blocks"] == []
