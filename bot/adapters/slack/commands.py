"""Slash commands: ack at once, then parse `key:value` text, ask the core, and answer (ephemeral unless public)."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.background import Background, Handled
from bot.adapters.slack.people import People
from bot.adapters.slack.pictures import share_picture
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.replies import respond_with
from bot.adapters.slack.style import SlackStyle, unescape
from bot.core import catalogue
from bot.core.commands import Command, parse_command
from bot.core.errors import InvalidInput
from bot.core.messages import Response, error
from bot.core.refs import Actor
from bot.core.studygroup import StudyGroup

log = logging.getLogger(__name__)

COMMANDS = tuple(spec.name for spec in catalogue.slash_commands())  # each registered as a Slack slash command
_CHANNEL_LINK = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$")
_CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{6,}$")


def resolve_channel_option(command: Command, platform: SlackPlatform) -> Command:
    """`channel:<#C123|study>` (how Slack escapes a picked #channel) becomes the command's target channel."""
    raw = command.options.get("channel")
    if not raw:
        return command
    link = _CHANNEL_LINK.match(raw.strip())
    if link:
        channel_id, name = link.group(1), link.group(2) or ""
    elif _CHANNEL_ID.match(raw.strip()):
        channel_id, name = raw.strip(), ""
    else:
        raise InvalidInput(f"I can't tell which channel '{raw}' is: type channel:# and pick the channel from the list")
    options = {**command.options, "channel": name or channel_id}
    return dataclasses.replace(command, options=options, target_channel=platform.channel(channel_id))


async def actor_for(platform: SlackPlatform, people: People, user_id: str, channel_id: str) -> Actor:
    return Actor(await people.member(user_id), platform.channel(channel_id), await people.is_moderator(user_id))


class CommandHandler:
    def __init__(self, group: StudyGroup, platform: SlackPlatform, people: People, background: Background) -> None:
        self._group = group
        self._platform = platform
        self._people = people
        self._background = background
        self.style = SlackStyle()
        self.quiet_style = SlackStyle(quiet=True)

    async def on_command(self, ack: Any, command: dict[str, Any], respond: Any) -> None:
        """The bolt listener: acknowledge within Slack's 3 seconds first, do the work afterwards."""
        await ack()
        label = f"{command.get('command', '')} {command.get('text', '')}".strip()
        self._background.spawn(self._run(command, respond, label), name=label)

    async def _run(self, command: dict[str, Any], respond: Any, label: str) -> None:
        try:
            response = await self.answer(command)
        except Exception:
            log.exception("%s failed", label)
            response = error("Something went wrong with that command; the bot's log has the details.")
        await respond_with(respond, response)
        if response.attachment is not None:
            await share_picture(
                self._platform.client,
                response.attachment,
                channel_id=str(command["channel_id"]),
                user_id=str(command["user_id"]),
                private=response.private,
            )
        self._background.record(Handled("command", label, "ok" if response.ok else "refused"))

    async def answer(self, command: dict[str, Any]) -> Response:
        name = str(command.get("command", "")).lstrip("/")
        text = unescape(str(command.get("text", "")))
        try:
            parsed = resolve_channel_option(parse_command(f"/{name} {text}"), self._platform)
        except InvalidInput as problem:
            return error(str(problem)[:1].upper() + str(problem)[1:])
        actor = await actor_for(self._platform, self._people, str(command["user_id"]), str(command["channel_id"]))
        style = self.quiet_style if parsed.public else self.style  # the channel sees it: name, don't ping
        response = await self._group.handle(actor, parsed, style)
        if parsed.name == "qotd" and parsed.sub == "setup" and response.ok:
            response = await self._with_invite_hint(response, parsed.target_channel or actor.channel)
        return response

    async def _with_invite_hint(self, response: Response, channel: Any) -> Response:
        """After a setup, say so when the bot is not in the channel yet (its posts would fail)."""
        try:
            info = await self._platform.client.conversations_info(channel=channel.channel_id)
        except SlackApiError as problem:
            log.info("conversations.info %s: %s", channel.channel_id, problem.response.get("error"))
            member = False
        else:
            member = bool(info["channel"].get("is_member"))
        if member:
            return response
        hint = f"\nI'm not in <#{channel.channel_id}> yet: invite me with /invite @studybot so I can post there."
        return dataclasses.replace(response, text=response.text + hint)
