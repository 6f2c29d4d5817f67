"""Slack as the core's `Platform`: the daily post (Block Kit, metadata), finding it again, thread replies,
(`ReadsWholeThreads`) the thread as it is now, with its reactions, and (`MessagesMembers`) direct messages and
private notes from the bot. Every message and thread id it hands the core names the message's workspace and
channel with its ts (`message_ids`); the Web API is given the ts alone."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import CUT, card_blocks
from bot.adapters.slack.message_ids import message_id, ts_of
from bot.adapters.slack.people import PLATFORM, People
from bot.adapters.slack.pictures import share_picture
from bot.adapters.slack.slackapi import Identity, channel_problem, ts_time
from bot.adapters.slack.style import SlackStyle, safe_mrkdwn, unescape
from bot.core.ports import (
    MemberUnreachable,
    PostedQuestion,
    QuestionCard,
    RateLimited,
    Reactor,
    SeenReaction,
    ThreadMessage,
    ThreadReply,
)
from bot.core.recaps import RecapPost
from bot.core.refs import ChannelRef, Member, MemberRef, ThreadRef
from bot.core.render import card_text

log = logging.getLogger(__name__)

EVENT_TYPE = "studybot_daily"
RECAP_EVENT_TYPE = "studybot_recap"
PAGE_SIZE = 200
HISTORY_PAGES = 3  # how far back find_question_post looks (pages of PAGE_SIZE messages)
REPLY_SUBTYPES = {None, "thread_broadcast", "file_share"}  # messages that can be answers
MESSAGE_TEXT_LIMIT = 40_000  # chat.postMessage refuses longer text (msg_too_long)
# chat.postMessage's answers, given a member's user id, when the bot cannot message them directly.
DM_REFUSALS = {"cannot_dm_bot", "user_not_found", "not_allowed", "channel_not_found"}


class SlackPlatform:
    name = PLATFORM

    def __init__(self, client: AsyncWebClient, identity: Identity, people: People) -> None:
        self.client = client
        self.identity = identity
        self.people = people
        self.style = SlackStyle()

    def channel(self, channel_id: str) -> ChannelRef:
        return ChannelRef(PLATFORM, self.identity.team_id, channel_id)

    async def _call(self, call: Awaitable[Any]) -> Any:
        """Await a Web API call, turning "no access to this channel" errors into `ChannelUnavailable`."""
        try:
            return await call
        except SlackApiError as problem:
            unavailable = channel_problem(problem)
            if unavailable is not None:
                raise unavailable from None
            raise

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        posted = await self._call(
            self.client.chat_postMessage(
                channel=channel.channel_id,
                text=safe_mrkdwn(card_text(card, self.style)),
                blocks=card_blocks(card),
                metadata={"event_type": EVENT_TYPE, "event_payload": {"post_key": post_key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        ts = str(posted["ts"])
        return await self._posted(channel, ts)

    async def _posted(self, channel: ChannelRef, ts: str) -> PostedQuestion:
        posted = message_id(channel, ts)
        return PostedQuestion(message_id=posted, thread_id=posted, url=await self._permalink(channel.channel_id, ts))

    async def _permalink(self, channel_id: str, ts: str) -> str | None:
        try:
            return str((await self.client.chat_getPermalink(channel=channel_id, message_ts=ts))["permalink"])
        except SlackApiError as problem:
            log.warning("no permalink for %s in %s: %s", ts, channel_id, problem.response.get("error"))
            return None

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        """The bot's message in the channel whose metadata carries `post_key` (a post made before a crash)."""
        ts = await self._find_keyed(channel, post_key)
        return await self._posted(channel, ts) if ts else None

    async def post_recap(self, channel: ChannelRef, recap: RecapPost, *, post_key: str) -> str:
        """The recap's text (with its key in the metadata), then its picture uploaded into the channel. A crash
        between the two leaves the text, which says everything, without the picture."""
        posted = await self._call(
            self.client.chat_postMessage(
                channel=channel.channel_id,
                text=_within_limit(safe_mrkdwn(recap.text)),
                metadata={"event_type": RECAP_EVENT_TYPE, "event_payload": {"post_key": post_key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        if recap.picture is not None:
            await share_picture(self.client, recap.picture, channel_id=channel.channel_id, user_id="", private=False)
        return message_id(channel, str(posted["ts"]))

    async def find_recap(self, channel: ChannelRef, *, post_key: str) -> str | None:
        ts = await self._find_keyed(channel, post_key)
        return message_id(channel, ts) if ts else None

    async def _find_keyed(self, channel: ChannelRef, post_key: str) -> str | None:
        """The ts of the bot's recent message in the channel whose metadata carries `post_key`."""
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = await self._call(
                self.client.conversations_history(
                    channel=channel.channel_id, include_all_metadata=True, limit=PAGE_SIZE, cursor=cursor
                )
            )
            for message in page.get("messages", []):
                if self._is_mine(message) and _post_key(message) == post_key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                break
        return None

    def _is_mine(self, message: dict[str, Any]) -> bool:
        return (bool(message.get("bot_id")) and message.get("bot_id") == self.identity.bot_id) or (
            message.get("user") == self.identity.user_id
        )

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        await self._call(
            self.client.chat_postMessage(
                channel=thread.channel.channel_id,
                thread_ts=ts_of(thread.thread_id),
                text=_within_limit(safe_mrkdwn(text)),
                unfurl_links=False,
            )
        )

    async def message_member(self, member: MemberRef, text: str) -> None:
        """A message in the member's direct messages with the app: `chat.postMessage` to their user id (chat:write)."""
        try:
            await self.client.chat_postMessage(channel=member.user_id, text=_within_limit(safe_mrkdwn(text)))
        except SlackApiError as problem:
            error = str(problem.response.get("error", ""))
            if error in DM_REFUSALS:
                raise MemberUnreachable(error) from None
            if problem.response.status_code == 429:  # still limited after the client's own retries
                raise RateLimited(float(problem.response.headers.get("Retry-After", 1))) from None
            raise

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        await self._call(
            self.client.chat_postEphemeral(channel=channel.channel_id, user=member.ref.user_id, text=safe_mrkdwn(text))
        )

    async def post_answer(self, thread: ThreadRef, text: str) -> str:
        posted = await self._call(
            self.client.chat_postMessage(
                channel=thread.channel.channel_id,
                thread_ts=ts_of(thread.thread_id),
                text=_within_limit(safe_mrkdwn(text)),
                unfurl_links=False,
                unfurl_media=False,
            )
        )
        return message_id(thread.channel, str(posted["ts"]))

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        body = _within_limit(safe_mrkdwn(text))
        if channel is not None:
            await self._call(self.client.chat_postEphemeral(channel=channel.channel_id, user=member.user_id, text=body))
        else:
            await self._call(self.client.chat_postMessage(channel=member.user_id, text=body))

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        """Every reply in the thread (all pages), oldest first, without the question itself."""
        replies: list[ThreadReply] = []
        for message in await self._members_replies(thread):
            author = await self.people.member(str(message["user"]))
            text = unescape(str(message.get("text", "")))
            ts = str(message["ts"])
            replies.append(ThreadReply(message_id(thread.channel, ts), author, text, ts_time(ts)))
        return sorted(replies, key=lambda reply: reply.sent_at)

    async def thread_now(
        self,
        thread: ThreadRef,
        *,
        answers: Collection[str],
        counts: Callable[[str], bool],
        marks: Callable[[str], bool],
    ) -> Sequence[ThreadMessage]:
        """Every reply still in the thread, the answers with the reactions `counts` picks (conversations.replies
        carries each message's reactions); only those reactors are looked up, and asked about being a
        moderator only for `marks`."""
        found: list[ThreadMessage] = []
        for message in await self._members_replies(thread):
            reply, reactions = message_id(thread.channel, str(message["ts"])), []
            for reaction in (message.get("reactions") or []) if reply in answers else []:
                name = str(reaction.get("name", ""))
                if not counts(name):
                    continue
                users = [str(user) for user in reaction.get("users") or []]
                mark = marks(name)
                reactors = [
                    Reactor(await self.people.member(u), mark and await self.people.is_moderator(u)) for u in users
                ]
                reactions.append(SeenReaction(name, tuple(reactors)))
            found.append(ThreadMessage(reply, tuple(reactions)))
        return found

    async def _members_replies(self, thread: ThreadRef) -> list[dict[str, Any]]:
        """The thread's replies by members (all pages), as Slack sends them: bots' never score, and reading
        them would only cost users.info calls."""
        found: list[dict[str, Any]] = []
        cursor, parent_ts = None, ts_of(thread.thread_id)
        while True:
            page = await self._call(
                self.client.conversations_replies(
                    channel=thread.channel.channel_id, ts=parent_ts, limit=PAGE_SIZE, cursor=cursor
                )
            )
            for message in page.get("messages", []):
                if message.get("ts") == parent_ts or message.get("subtype") not in REPLY_SUBTYPES:
                    continue
                if message.get("bot_id") or not message.get("user"):
                    continue
                found.append(message)
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                break
        return found


def _post_key(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") not in (EVENT_TYPE, RECAP_EVENT_TYPE):
        return None
    return (metadata.get("event_payload") or {}).get("post_key")


def _within_limit(text: str) -> str:
    """A thread message Slack takes: a summary naming thousands of members is cut, with a note, not refused."""
    if len(text) <= MESSAGE_TEXT_LIMIT:
        return text
    room = MESSAGE_TEXT_LIMIT - len(CUT) - 1
    end = max(text.rfind(" ", 0, room), text.rfind("\n", 0, room))  # never inside a mention or an entity
    return text[: end if end > 0 else room] + "\n" + CUT
