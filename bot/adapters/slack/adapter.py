"""The Slack adapter as the app drives it: who the bot is, the bolt app and its transport, then serve and close."""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.background import Background
from bot.adapters.slack.bolt_app import Listeners, build_app
from bot.adapters.slack.installations import StoredInstallations
from bot.adapters.slack.oauth import INSTALL_PATH, build_oauth_app
from bot.adapters.slack.people import People
from bot.adapters.slack.platform import SlackPlatform
from bot.adapters.slack.settings import SlackSettings
from bot.adapters.slack.slackapi import make_client, who_am_i
from bot.adapters.slack.style import SlackStyle
from bot.adapters.slack.transport import HttpTransport, Transport, check_credentials, make_transport
from bot.adapters.slack.workspaces import Workspaces, WorkspacesPlatform
from bot.core.ports import InstallStore, Platform
from bot.core.studygroup import StudyGroup

log = logging.getLogger(__name__)


class SlackAdapter:
    def __init__(self, settings: SlackSettings) -> None:
        check_credentials(settings)  # before anything connects or the database is opened
        self._settings = settings
        self.platform: SlackPlatform | None = None
        self.people: People | None = None
        self.app: AsyncApp | None = None
        self.listeners: Listeners | None = None
        self.transport: Transport | None = None
        self.workspaces: Workspaces | None = None
        self._installs: InstallStore | None = None

    def keeping_installs_in(self, store: InstallStore) -> SlackAdapter:
        """Where the installations of many workspaces are kept (the bot's database)."""
        self._installs = store
        return self

    @property
    def style(self) -> SlackStyle:
        return self.platform.style if self.platform is not None else SlackStyle()

    @property
    def background(self) -> Background:
        """The work started after each acknowledgement (and its journal)."""
        if self.workspaces is not None:
            return self.workspaces.background
        if self.listeners is None:
            raise RuntimeError("the Slack adapter has not started")
        return self.listeners.background

    @property
    def http_port(self) -> int | None:
        return self.transport.port if isinstance(self.transport, HttpTransport) else None

    async def connect(self) -> Platform:
        """Ask Slack who the bot is (a wrong token stops here); with many workspaces, each one's installation
        says it instead, when the bot first serves it."""
        if self._settings.many_workspaces:
            if self._installs is None:
                raise RuntimeError("SlackAdapter.keeping_installs_in(store) must come before connect()")
            self.workspaces = Workspaces(self._settings, StoredInstallations(self._installs))
            return WorkspacesPlatform(self.workspaces)
        client = make_client(self._settings)
        identity = await who_am_i(client)
        self.people = People(client, moderators=self._settings.moderators)
        self.platform = SlackPlatform(client, identity, self.people)
        return self.platform

    async def start(self, group: StudyGroup) -> None:
        if self.workspaces is not None:
            self.workspaces.attach(group)
            self.app = build_oauth_app(make_client(self._settings, token=""), self._settings, self.workspaces)
            self.transport = make_transport(self._settings, self.app)
            await self.transport.start()
            return
        if self.platform is None or self.people is None:
            raise RuntimeError("SlackAdapter.connect() must come before start()")
        client = self.platform.client
        self.app, self.listeners = build_app(
            client, self._settings.signing_secret.value, group, self.platform, self.people
        )
        self.transport = make_transport(self._settings, self.app)
        await self.transport.start()

    async def serve(self, stopping: asyncio.Event) -> int:
        if self.transport is not None and self.workspaces is not None:
            log.info(
                "studybot is on Slack (%s) for every workspace that installs it: the install page is %s",
                self.transport.description,
                INSTALL_PATH,
            )
        elif self.transport is not None and self.platform is not None:
            log.info(
                "studybot is on Slack (%s), workspace %s", self.transport.description, self.platform.identity.team_id
            )
        await stopping.wait()
        return 0

    async def close(self) -> None:
        """Stop taking requests, then let the work already acknowledged finish."""
        if self.transport is not None:
            await self.transport.stop()
        if self.listeners is not None or self.workspaces is not None:
            await self.background.drain()
