"""The message shortcuts a moderator marks an answer with (Needs more, Off topic): the same mark as its reaction."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.background import Background, Handled
from bot.adapters.slack.commands import actor_for
from bot.adapters.slack.message_ids import message_id
from bot.adapters.slack.people import PLATFORM, People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.replies import respond_with
from bot.core.events import ReactionChanged
from bot.core.marks import MARK_EMOJI, MARK_NAMES
from bot.core.messages import Response, error
from bot.core.private import Hold
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict

# callback id -> (the mark, its name in the message menu, its description there)
MARK_SHORTCUTS: dict[str, tuple[Hold, str, str]] = {
    "studybot_needs_more": (Hold.NEEDS_MORE, "Needs more", "Mark an answer: it counts, without bonuses"),
    "studybot_off_topic": (Hold.OFF_TOPIC, "Off topic", "Mark an answer off topic: it stops scoring"),
}


class ShortcutHandler:
    def __init__(self, group: StudyGroup, platform: SlackPlatform, people: People, background: Background) -> None:
        self._group = group
        self._platform = platform
        self._people = people
        self._background = background

    async def on_shortcut(self, ack: Any, body: dict[str, Any], respond: Any) -> None:
        await ack()
        self._background.spawn(self._mark(body, respond), name=f"shortcut {body.get('callback_id')}")

    async def _mark(self, body: dict[str, Any], respond: Any) -> None:
        hold = MARK_SHORTCUTS[str(body.get("callback_id"))][0]
        ts = str((body.get("message") or {}).get("ts") or body.get("message_ts") or "")
        actor = await actor_for(
            self._platform, self._people, str(body["user"]["id"]), str((body.get("channel") or {}).get("id") or "")
        )
        result = await self._group.on_reaction(
            ReactionChanged(
                PLATFORM,
                message_id(actor.channel, ts),
                actor.member,
                MARK_EMOJI[hold][0],
                added=True,
                reactor_is_moderator=actor.is_moderator,
            )
        )
        if result.verdict in (Verdict.SCORED, Verdict.REMOVED, Verdict.UNCHANGED):
            response = Response(f"Marked {MARK_NAMES[hold]}; its author was told why.")
        else:
            response = error(result.reason[:1].upper() + result.reason[1:] + ".")
        await respond_with(respond, response)
        self._background.record(Handled("shortcut", ts, str(result.verdict)))
