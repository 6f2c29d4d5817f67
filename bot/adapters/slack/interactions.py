"""Buttons (their action ids are core `QuizAction`s) and the modal a button opens when it needs a line of text."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from typing import Any

from bot.adapters.slack.background import Background, Handled
from bot.adapters.slack.blocks import INPUT_BLOCK, INPUT_ELEMENT, input_modal
from bot.adapters.slack.commands import actor_for
from bot.adapters.slack.people import PLATFORM, People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.replies import respond_with, tell_privately
from bot.adapters.slack.style import SlackStyle
from bot.core.actions import PATTERN
from bot.core.answer_actions import PREFIX as ANSWER_PREFIX
from bot.core.answer_actions import AnswerAction
from bot.core.refs import MemberRef
from bot.core.studygroup import StudyGroup

log = logging.getLogger(__name__)

# every quiz button and every button around a daily answer; `StudyGroup.press` parses the id
ACTION_PATTERN = re.compile(f"{PATTERN.pattern}|^{re.escape(ANSWER_PREFIX)}")
RESPONSE_URL_SECONDS = 30 * 60  # Slack takes posts to an interaction's response_url for 30 minutes
TOO_LATE = (
    "More than 30 minutes have passed since you clicked Answer, so Slack no longer lets me reply to it. "
    "Copy your answer, close this, and click Answer on the quiz again."
)


def _channel_id(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")


class InteractionHandler:
    def __init__(self, group: StudyGroup, platform: SlackPlatform, people: People, background: Background) -> None:
        self._group = group
        self._platform = platform
        self._people = people
        self._background = background
        self.style = SlackStyle()

    async def on_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        action_id = str(action.get("action_id", ""))
        value = str(action.get("value", ""))
        if value.startswith("input:"):
            # the trigger_id expires 3 seconds after the click: open the modal right away (a private answer's
            # draft is one read of the database)
            answering = AnswerAction.claims(action_id)
            member = MemberRef(PLATFORM, str((body.get("user") or {}).get("id") or ""))
            view = input_modal(
                action_id,
                value[len("input:") :],
                channel_id=_channel_id(body),
                response_url=body.get("response_url"),
                clicked_at=self._group.context.now().timestamp(),
                initial=await self._group.desk.draft(member, action_id) if answering else "",
                paragraph=answering,
            )
            await self._platform.client.views_open(trigger_id=body["trigger_id"], view=view)
            self._background.record(Handled("press", action_id, "modal"))
            return
        self._background.spawn(self._press(body, action_id, respond), name=f"button {action_id}")

    async def _press(self, body: dict[str, Any], action_id: str, respond: Any) -> None:
        actor = await actor_for(self._platform, self._people, str(body["user"]["id"]), _channel_id(body))
        response = await self._group.press(actor, action_id, "", self.style)
        await respond_with(respond, response)
        self._background.record(Handled("press", action_id, "ok" if response.ok else "refused"))

    async def on_submit(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        values = (view.get("state") or {}).get("values") or {}
        text = str(((values.get(INPUT_BLOCK) or {}).get(INPUT_ELEMENT) or {}).get("value") or "").strip()
        if not text:
            await ack(response_action="errors", errors={INPUT_BLOCK: "Write your answer first."})
            return
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except json.JSONDecodeError:
            meta = {}
        if self._too_late(meta):
            # the answer could reach nobody (the click's response_url has expired): say so in the modal
            await ack(response_action="errors", errors={INPUT_BLOCK: TOO_LATE})
            self._background.record(Handled("submit", str(meta.get("action", "")), "too-late"))
            return
        await ack()
        self._background.spawn(self._submit(str(body["user"]["id"]), meta, text), name="modal submission")

    def _too_late(self, meta: dict[str, Any]) -> bool:
        clicked = meta.get("clicked")
        if not isinstance(clicked, int | float):
            return False
        return self._group.context.now().timestamp() - clicked > RESPONSE_URL_SECONDS

    async def _submit(self, user_id: str, meta: dict[str, Any], text: str) -> None:
        action_id, channel_id = str(meta.get("action", "")), str(meta.get("channel", ""))
        if not action_id or not channel_id:
            self._background.record(Handled("submit", action_id, "refused"))
            return
        actor = await actor_for(self._platform, self._people, user_id, channel_id)
        response = await self._group.press(actor, action_id, text, self.style)
        echoed = f"You answered: {self.style.user_text(text)}\n{response.text}"
        response = dataclasses.replace(response, text=echoed) if response.ok else response
        await tell_privately(
            self._platform.client,
            channel_id=channel_id,
            user_id=user_id,
            response=response,
            response_url=meta.get("response_url") or None,
        )
        self._background.record(Handled("submit", action_id, "ok" if response.ok else "refused"))
