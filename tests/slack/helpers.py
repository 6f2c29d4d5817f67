"""Driving the real Slack adapter against the fake Slack: settings, a running bot, and what users do."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.adapters.slack.adapter import SlackAdapter
from bot.adapters.slack.background import Background, Handled
from bot.adapters.slack.platform import SlackPlatform
from bot.app import App
from bot.config import Settings, load_settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.studygroup import StudyGroup
from bot.core.usecases.daily import PostResult
from bot.storage.store import SqliteStore
from tests.fakes.slack import FakeSlack, ResponseUrlPost
from tests.fakes.slack import payloads as fake_payloads
from tests.fakes.slack.fake import Delivery

T = 5.0  # the longest any single wait may take


def slack_settings(fake: FakeSlack, database: Path, **slack_changes: Any) -> Settings:
    """Settings as an operator gives them (the environment), pointing at the fake; HTTP mode on a free port."""
    env = {
        "STUDYBOT_PLATFORM": "slack",
        "STUDYBOT_DATABASE": str(database),
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_API_URL": fake.api_url,
    }
    if fake.mode == "socket":
        env["SLACK_APP_TOKEN"] = fake.app_token
    else:
        env["SLACK_SIGNING_SECRET"] = fake.signing_secret
    settings = load_settings(None, env)
    slack = dataclasses.replace(settings.slack, **slack_changes)
    if fake.mode == "http":
        slack = dataclasses.replace(slack, http_port=0)  # the OS picks a free port; the service reports it
    return dataclasses.replace(settings, slack=slack)


@dataclasses.dataclass
class SlackService:
    """A running Slack bot as the tests see it: the app and its Slack adapter."""

    app: App
    adapter: SlackAdapter

    @property
    def group(self) -> StudyGroup:
        return self.app.group

    @property
    def store(self) -> SqliteStore:
        assert self.app.store is not None
        return self.app.store

    @property
    def platform(self) -> SlackPlatform:
        assert self.adapter.platform is not None
        return self.adapter.platform

    @property
    def background(self) -> Background:
        return self.adapter.background

    @property
    def http_port(self) -> int | None:
        return self.adapter.http_port

    async def sweep(self) -> list[PostResult]:
        """What the scheduler's minute sweep does: every due post, then closing expired questions."""
        return await self.group.sweep(self.platform.style)


def slack_app(settings: Settings, clock: FixedClock, bank: Bank, **options: Any) -> App:
    """The app as `studybot run` builds it, minus the cron schedule: tests call the sweep themselves."""
    return App(settings, clock=clock, bank=bank, schedule=False, **options)


@asynccontextmanager
async def running(
    fake: FakeSlack, settings: Settings, clock: FixedClock, bank: Bank, **options: Any
) -> AsyncIterator[SlackService]:
    async with slack_app(settings, clock, bank, **options) as app:
        assert isinstance(app.adapter, SlackAdapter)
        service = SlackService(app, app.adapter)
        if service.http_port:
            fake.app_url = f"http://127.0.0.1:{service.http_port}/slack/events"
        yield service


async def handled(service: SlackService, kind: str, key: str, *, count: int = 1) -> list[Handled]:
    return await service.background.wait_for(lambda h: h.kind == kind and h.key == key, count=count, timeout=T)


async def outcome(service: SlackService, kind: str, key: str) -> str:
    return (await handled(service, kind, key))[0].outcome


async def outcome_of(service: SlackService, delivery: Delivery, *, nth: int = 1) -> str:
    """What the bot made of the `nth` arrival of an event (a retry arrives again with the same event_id)."""
    found = await service.background.wait_for(lambda h: h.event_id == delivery.event_id, count=nth, timeout=T)
    return found[nth - 1].outcome


async def command(fake: FakeSlack, user: Any, channel: Any, line: str) -> ResponseUrlPost:
    """Run `/name text` as `user` and return the bot's answer (posted to the command's response_url)."""
    name, _, text = line.partition(" ")
    delivery = await fake.slash_command(user, channel, name, text)
    return await answer_to(fake, delivery)


async def answer_to(fake: FakeSlack, delivery: Delivery) -> ResponseUrlPost:
    return await fake.wait_until(
        lambda: next((p for p in fake.response_posts if p.response_url == delivery.response_url), None),
        T,
        what=f"an answer to {delivery.kind}",
    )


def buttons(post: ResponseUrlPost | dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The buttons of a message, by label."""
    body = post.body if isinstance(post, ResponseUrlPost) else post
    return {
        element["text"]["text"]: element
        for block in body.get("blocks") or []
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def click_ephemeral(fake: FakeSlack, user: Any, channel: Any, post: ResponseUrlPost, label: str) -> Delivery:
    """A click on a button of an ephemeral message (the fake stores only channel messages, so the
    `block_actions` payload is built here with the fake's own builders)."""
    button = buttons(post)[label]
    u, ch = fake.user(user), fake.channel(channel)
    trigger_id = fake._issue_trigger(u.id)
    response_url = fake._issue_response_url({"channel_id": ch.id})
    message = {"type": "message", "ts": fake.ids.ts(), "text": post.body.get("text", ""), "blocks": post.body["blocks"]}
    action = {
        "action_id": button["action_id"],
        "block_id": "studybot_actions",
        "text": button["text"],
        "value": button.get("value", ""),
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }
    payload = fake_payloads.block_actions(fake.team, u, ch, message, action, trigger_id, response_url)
    payload["container"]["is_ephemeral"] = True
    return await fake._deliver(
        "interactive",
        payload,
        value=trigger_id or uuid.uuid4().hex,
        kind="block_actions",
        extra={"trigger_id": trigger_id, "response_url": response_url},
    )


async def acknowledgement(fake: FakeSlack, delivery: Delivery) -> Any:
    """What the bot answered in its acknowledgement (the HTTP response body, or the Socket Mode ack's payload):
    for a modal submission, e.g. `{"response_action": "errors", ...}`."""
    if delivery.mode == "http":
        return delivery.json
    return (await fake.wait_for_ack(delivery.envelope_id, T)).payload


async def ack_delay(fake: FakeSlack, delivery: Delivery, started: float) -> float:
    """Seconds from sending to the bot's acknowledgement (the HTTP response, or the Socket Mode ack)."""
    if delivery.mode == "http":
        assert delivery.status == 200, delivery.body
        return time.monotonic() - started
    ack = await fake.wait_for_ack(delivery.envelope_id, T)
    return ack.at - started


def stored_id(fake: FakeSlack, channel: Any, ts: str) -> str:
    """How the bot keeps the message `ts` of `channel`: a ts means nothing without its workspace and channel."""
    return f"{fake.team.team_id}/{channel.id}/{ts}"


def question_posts(fake: FakeSlack, channel: Any) -> list[Any]:
    return [m for m in fake.messages_in(channel) if (m.metadata or {}).get("event_type") == "studybot_daily"]


async def todays_question(fake: FakeSlack) -> Any:
    """A moderator sets #general up for a daily question and posts today's at once: its post."""
    await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily")
    await command(fake, fake.admin, fake.general, "/qotd now")
    [question] = question_posts(fake, fake.general)
    return question


async def settle(service: SlackService) -> None:
    """Let background work already started finish (for asserting that nothing more happens)."""
    await asyncio.wait_for(service.background.drain(timeout=T), T)
