"""Names and moderator status come from users.info, cached briefly, with configured moderators on top."""

from __future__ import annotations

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.people import People
from tests.fakes.slack import FakeSlack


@pytest.mark.parametrize("mode", ["socket"])
async def test_moderators_names_and_the_cache(fake: FakeSlack) -> None:
    now = [0.0]
    client = AsyncWebClient(token=fake.bot_token, base_url=fake.api_url)
    people = People(client, moderators=[fake.bob.id], ttl=60, clock=lambda: now[0])
    assert await people.is_moderator(fake.owner.id) and await people.is_moderator(fake.admin.id)
    assert await people.is_moderator(fake.bob.id)  # configured: no lookup needed
    assert not await people.is_moderator(fake.alice.id)
    alice = await people.member(fake.alice.id)
    assert alice.display_name == "Alice" and not alice.is_bot and alice.ref.platform == "slack"
    assert (await people.member(fake.other_bot.id)).is_bot
    nameless = fake.add_user("zed", display_name="", real_name="Zed Zedson")
    assert (await people.member(nameless.id)).display_name == "Zed Zedson"
    assert (await people.member("U0NOBODY01")).display_name == "U0NOBODY01"  # user_not_found: the id stands in
    calls = len(fake.calls_to("users.info"))
    fake.alice.is_admin = True
    assert not await people.is_moderator(fake.alice.id)  # cached
    now[0] = 61
    assert await people.is_moderator(fake.alice.id)  # looked up again after the cache time
    assert len(fake.calls_to("users.info")) == calls + 1
