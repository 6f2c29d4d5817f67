"""Message and reaction events in, core events out: replies, edits, deletions and reactions in threads."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.background import Background, Handled
from bot.adapters.slack.dedupe import RecentEvents
from bot.adapters.slack.message_ids import message_id
from bot.adapters.slack.people import PLATFORM, People
from bot.adapters.slack.platform import REPLY_SUBTYPES, SlackPlatform
from bot.adapters.slack.slackapi import ts_time
from bot.adapters.slack.style import unescape
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.marks import mark_of
from bot.core.refs import ThreadRef
from bot.core.studygroup import DISK_FULL, StudyGroup
from bot.core.usecases.answers import ReplyResult

log = logging.getLogger(__name__)


class EventHandler:
    """Handles the `message`, `reaction_added` and `reaction_removed` events of the Events API."""

    def __init__(self, group: StudyGroup, platform: SlackPlatform, people: People, background: Background) -> None:
        self._group = group
        self._platform = platform
        self._people = people
        self._background = background
        self.recent = RecentEvents()

    async def on_event(self, body: dict[str, Any]) -> None:
        """Called after bolt acknowledged the delivery. Slack's retry of an event already handled (its first
        acknowledgement came late or was lost) is dropped here; a failure is tried again by the bot itself."""
        event = body.get("event") or {}
        event_id = body.get("event_id")
        if not self.recent.first_time(event_id):
            self._background.record(Handled("duplicate", str(event_id), "duplicate-event", str(event_id)))
            return
        name = f"{event.get('type')} event {event_id}"
        try:
            kind, key, outcome = await self._background.retried(lambda: self._dispatch(event), name=name)
        except Exception:
            # Slack has its acknowledgement and will not send this again, unless that acknowledgement was
            # lost: then its retry is handled afresh. A reply is still read back from its thread at start.
            self.recent.forget(event_id)
            log.exception("%s failed %d times; giving up on it", name, len(self._background.retry_delays) + 1)
            self._background.record(Handled("error", name, "failed", str(event_id or "")))
            return
        self._background.record(Handled(kind, key, outcome, str(event_id or "")))

    async def _dispatch(self, event: dict[str, Any]) -> tuple[str, str, str]:
        kind = event.get("type")
        if kind in ("reaction_added", "reaction_removed"):
            return await self._reaction(event)
        if kind != "message":
            return "event", str(kind), "ignored"
        subtype = event.get("subtype")
        if subtype == "message_changed":
            return await self._edit(event)
        if subtype == "message_deleted":
            return await self._delete(event)
        return await self._message(event)

    async def _message(self, event: dict[str, Any]) -> tuple[str, str, str]:
        ts = str(event.get("ts", ""))
        thread_ts = event.get("thread_ts")
        user = event.get("user")
        if event.get("bot_id") or event.get("subtype") not in REPLY_SUBTYPES or not user:
            return "reply", ts, "ignored"  # bot_message, channel_join, message_replied, other bots...
        if not thread_ts or thread_ts == ts:
            return "reply", ts, "not-in-thread"
        channel = self._platform.channel(str(event.get("channel", "")))
        thread = ThreadRef(channel, message_id(channel, str(thread_ts)))
        if not await self._is_question_thread(thread):
            return "reply", ts, "not-a-question-thread"  # no users.info call for the workspace's other threads
        author = await self._people.member(str(user))
        text = unescape(str(event.get("text", "")))
        result = await self._group.on_reply(Reply(thread, message_id(channel, ts), author, text, ts_time(ts)))
        await self._say_if_kept(result, str(event["channel"]), str(user), thread_ts=str(thread_ts))
        return "reply", ts, str(result.verdict)

    async def _edit(self, event: dict[str, Any]) -> tuple[str, str, str]:
        message = event.get("message") or {}
        ts = str(message.get("ts", ""))
        user = message.get("user")
        if message.get("bot_id") or not user or message.get("subtype") not in REPLY_SUBTYPES:
            return "edit", ts, "ignored"
        thread_ts = message.get("thread_ts")
        if not thread_ts:
            return "edit", ts, "not-a-question-thread"
        channel = self._platform.channel(str(event.get("channel", "")))
        edited_id = message_id(channel, ts)
        in_thread = ThreadRef(channel, message_id(channel, str(thread_ts)))
        if not (await self._is_answer(edited_id) or await self._is_question_thread(in_thread)):
            return "edit", ts, "not-a-question-thread"
        edited = (message.get("edited") or {}).get("ts") or event.get("event_ts") or event.get("ts") or ts
        result = await self._group.on_edit(
            ReplyEdited(
                PLATFORM,
                edited_id,
                await self._people.member(str(user)),
                unescape(str(message.get("text", ""))),
                ts_time(str(edited)),
                in_thread if thread_ts != ts else None,
            )
        )
        return "edit", ts, str(result.verdict)

    async def _delete(self, event: dict[str, Any]) -> tuple[str, str, str]:
        ts = str(event.get("deleted_ts") or (event.get("previous_message") or {}).get("ts") or "")
        channel = self._platform.channel(str(event.get("channel", "")))
        result = await self._group.on_delete(ReplyDeleted(PLATFORM, message_id(channel, ts)))
        return "delete", ts, str(result.verdict)

    async def _reaction(self, event: dict[str, Any]) -> tuple[str, str, str]:
        item = event.get("item") or {}
        ts = str(item.get("ts", ""))
        name = str(event.get("reaction", ""))  # a name: +1, fire, +1::skin-tone-3; the rules know what it means
        rules = self._group.context.rules
        scoring = rules.is_upvote(name) or rules.is_best_answer_mark(name) or mark_of(name) is not None
        if item.get("type") != "message" or not scoring or not event.get("user"):
            return "reaction", ts, "ignored"  # other emoji cost no users.info calls
        reacted_to = message_id(self._platform.channel(str(item.get("channel", ""))), ts)
        if not await self._is_answer(reacted_to):
            return "reaction", ts, "ignored"
        user = str(event["user"])
        result = await self._group.on_reaction(
            ReactionChanged(
                PLATFORM,
                reacted_to,
                await self._people.member(user),
                name,
                added=event.get("type") == "reaction_added",
                reactor_is_moderator=await self._people.is_moderator(user),
            )
        )
        await self._say_if_kept(result, str(item.get("channel", "")), user, thread_ts=None)
        return "reaction", ts, str(result.verdict)

    async def _say_if_kept(self, result: ReplyResult, channel_id: str, user_id: str, *, thread_ts: str | None) -> None:
        """Tell the member, privately, that the disk is full and what became of what they did: Slack shows the
        answer as sent either way, and it counts only once it is stored."""
        if not result.reason.startswith(DISK_FULL):
            return
        text = result.reason[:1].upper() + result.reason[1:] + "."
        try:
            await self._platform.client.chat_postEphemeral(
                channel=channel_id, user=user_id, text=text, thread_ts=thread_ts
            )
        except SlackApiError as problem:  # the event is handled: a note that did not reach them changes nothing
            log.info("could not tell %s the disk is full: %s", user_id, problem.response.get("error"))

    async def _is_question_thread(self, thread: ThreadRef) -> bool:
        store = self._group.context.store
        return await store.find_post_by_thread(platform=PLATFORM, thread_id=thread.thread_id) is not None

    async def _is_answer(self, message: str) -> bool:
        return await self._group.context.store.answer_by_message(platform=PLATFORM, message_id=message) is not None
