"""The slack-bolt `AsyncApp`: every listener studybot needs, on a Web API client it built itself."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.background import Background
from bot.adapters.slack.blocks import INPUT_CALLBACK
from bot.adapters.slack.commands import COMMANDS, CommandHandler
from bot.adapters.slack.events import EventHandler
from bot.adapters.slack.interactions import ACTION_PATTERN, InteractionHandler
from bot.adapters.slack.people import People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.shortcuts import MARK_SHORTCUTS, ShortcutHandler
from bot.core.studygroup import StudyGroup

EVENTS = ("message", "reaction_added", "reaction_removed")


class _QuietTokenWarning(logging.Filter):
    """bolt warns that SLACK_BOT_TOKEN "will be unused" when a client is given: it is used, by that client."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


_QUIET_TOKEN_WARNING = _QuietTokenWarning()


@dataclass
class Listeners:
    events: EventHandler
    commands: CommandHandler
    interactions: InteractionHandler
    background: Background


def build_app(
    client: AsyncWebClient, signing_secret: str, group: StudyGroup, platform: SlackPlatform, people: People
) -> tuple[AsyncApp, Listeners]:
    """The bolt app. It verifies request signatures (HTTP mode), ignores the bot's own events, and acks every
    request before the work starts (`process_before_response=False`)."""
    logging.getLogger("slack_bolt.AsyncApp").addFilter(_QUIET_TOKEN_WARNING)
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret,
        process_before_response=False,
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
    )
    background = Background()
    listeners = Listeners(
        EventHandler(group, platform, people, background),
        CommandHandler(group, platform, people, background),
        InteractionHandler(group, platform, people, background),
        background,
    )

    async def on_event(body: dict[str, Any]) -> None:  # bolt acks events itself, before this runs
        event = body.get("event") or {}
        background.spawn(listeners.events.on_event(body), name=f"{event.get('type')} event {body.get('event_id')}")

    for event in EVENTS:
        app.event(event)(on_event)
    for name in COMMANDS:
        app.command(f"/{name}")(listeners.commands.on_command)
    app.action(ACTION_PATTERN)(listeners.interactions.on_action)
    app.view(INPUT_CALLBACK)(listeners.interactions.on_submit)
    shortcuts = ShortcutHandler(group, platform, people, background)
    for callback_id in MARK_SHORTCUTS:
        app.shortcut(callback_id)(shortcuts.on_shortcut)
    return app, listeners
