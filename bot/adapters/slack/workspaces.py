"""Many workspaces on one app (installed through Slack's OAuth flow): each served with its own bot token.

A request's token comes from bolt (it authorizes every request from the installation store); a daily post's from
the installation store too, read at each post, so a workspace that uninstalled the app through another instance
is never posted to. What is kept per workspace (its client, the users looked up) is remade when its token
changes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeVar

from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.background import Background
from bot.adapters.slack.commands import CommandHandler
from bot.adapters.slack.events import EventHandler
from bot.adapters.slack.installations import StoredInstallations
from bot.adapters.slack.interactions import InteractionHandler
from bot.adapters.slack.people import PLATFORM, People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.settings import SlackSettings
from bot.adapters.slack.slackapi import Identity, make_client
from bot.adapters.slack.style import SlackStyle
from bot.core.ports import ChannelUnavailable, PostedQuestion, QuestionCard, ThreadMessage, ThreadReply
from bot.core.refs import ChannelRef, ThreadRef
from bot.core.studygroup import StudyGroup

T = TypeVar("T")
REVOKED = ("invalid_auth", "token_revoked", "account_inactive", "not_authed")


@dataclass
class Workspace:
    """One installed workspace: its token, who the bot is there, and the listeners that serve it."""

    token: str
    platform: SlackPlatform
    events: EventHandler
    commands: CommandHandler
    interactions: InteractionHandler


class Workspaces:
    def __init__(self, settings: SlackSettings, installations: StoredInstallations) -> None:
        self._settings = settings
        self.installations = installations
        self.background = Background()
        self._group: StudyGroup | None = None
        self._served: dict[str, Workspace] = {}

    def attach(self, group: StudyGroup) -> None:
        self._group = group

    def for_request(self, context: AsyncBoltContext) -> Workspace:
        """The workspace a request came from, with the token bolt found for it."""
        return self._serve(
            Identity(str(context.team_id or ""), str(context.bot_user_id or ""), str(context.bot_id or "")),
            str(context.bot_token or ""),
        )

    async def for_team(self, team_id: str) -> Workspace | None:
        """The workspace as installed now, or None when the app is not (or no longer) installed there."""
        bot = await self.installations.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_token:
            return None
        return self._serve(Identity(team_id, str(bot.bot_user_id or ""), str(bot.bot_id or "")), bot.bot_token)

    def _serve(self, identity: Identity, token: str) -> Workspace:
        served = self._served.get(identity.team_id)
        if served is not None and served.token == token:
            return served
        if self._group is None:
            raise RuntimeError("Workspaces.attach(group) must come before serving a workspace")
        client = make_client(self._settings, token=token)
        people = People(client, moderators=self._settings.moderators)
        platform = SlackPlatform(client, identity, people)
        group, background = self._group, self.background
        served = Workspace(
            token,
            platform,
            EventHandler(group, platform, people, background),
            CommandHandler(group, platform, people, background),
            InteractionHandler(group, platform, people, background),
        )
        self._served[identity.team_id] = served
        return served


class WorkspacesPlatform:
    """The core's `Platform` (and `ReadsWholeThreads`) for every installed workspace: each call goes to the
    workspace of its channel, with that workspace's token."""

    name = PLATFORM

    def __init__(self, workspaces: Workspaces) -> None:
        self._workspaces = workspaces
        self.style = SlackStyle()

    async def _in(self, channel: ChannelRef, call: Callable[[SlackPlatform], Awaitable[T]]) -> T:
        workspace = await self._workspaces.for_team(channel.server_id)
        if workspace is None:
            raise ChannelUnavailable(
                f"studybot is not installed in Slack workspace {channel.server_id} (uninstalled, or its token "
                "was revoked): install it again from the install page"
            )
        try:
            return await call(workspace.platform)
        except SlackApiError as problem:
            error = problem.response.get("error")
            if error in REVOKED:
                raise ChannelUnavailable(
                    f"Slack refused the token of workspace {channel.server_id} ({error})"
                ) from None
            raise

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        return await self._in(channel, lambda slack: slack.post_question(channel, card, post_key=post_key))

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        return await self._in(channel, lambda slack: slack.find_question_post(channel, post_key=post_key))

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        await self._in(thread.channel, lambda slack: slack.post_in_thread(thread, text))

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        return await self._in(thread.channel, lambda slack: slack.thread_replies(thread))

    async def thread_now(
        self,
        thread: ThreadRef,
        *,
        answers: Collection[str],
        counts: Callable[[str], bool],
        marks: Callable[[str], bool],
    ) -> Sequence[ThreadMessage]:
        return await self._in(
            thread.channel, lambda slack: slack.thread_now(thread, answers=answers, counts=counts, marks=marks)
        )
