"""slack-bolt's installation store and OAuth state store, kept in the bot's database (the core's `InstallStore`),
so every instance behind one address sees each workspace's tokens and an install begun on another.

Each workspace's records are bolt's own (`Installation`, `Bot`) as JSON; only the bot's token is needed to serve a
workspace, so deleting the bot's record (`tokens_revoked`, `app_uninstalled`) is what stops the bot there. The
workspace's study history is not touched."""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.adapters.slack.people import PLATFORM
from bot.core.ports import AppInstall, InstallStore

log = logging.getLogger(__name__)

BOT = "bot"
INSTALLATION = "installation"
STATE_SECONDS = 600  # how long a visitor of the install page has to approve the app in Slack


def _now() -> datetime:
    return datetime.now(UTC)


def _keys(enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None) -> tuple[str, str]:
    """(enterprise, team) as stored: an enterprise-wide installation serves every team of its enterprise."""
    return enterprise_id or "", "" if is_enterprise_install else team_id or ""


def _json(record: dict[str, Any]) -> str:
    return json.dumps({k: v.timestamp() if isinstance(v, datetime) else v for k, v in record.items()})


class StoredInstallations(AsyncInstallationStore):
    def __init__(self, store: InstallStore, *, clock: Callable[[], datetime] = _now) -> None:
        self.store = store
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        enterprise, team = _keys(installation.enterprise_id, installation.team_id, installation.is_enterprise_install)
        await self.store.save_install(
            AppInstall(
                PLATFORM,
                INSTALLATION,
                enterprise,
                team,
                installation.user_id or "",
                self._clock(),
                _json(installation.to_dict()),
            )
        )
        if installation.bot_token:
            await self.async_save_bot(installation.to_bot())
        log.info("studybot was installed in Slack workspace %s", team or enterprise)

    async def async_save_bot(self, bot: Bot) -> None:
        enterprise, team = _keys(bot.enterprise_id, bot.team_id, bot.is_enterprise_install)
        await self.store.save_install(
            AppInstall(PLATFORM, BOT, enterprise, team, "", self._clock(), _json(bot.to_dict()))
        )

    async def async_find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        enterprise, team = _keys(enterprise_id, team_id, is_enterprise_install)
        found = await self.store.find_install(platform=PLATFORM, kind=BOT, enterprise_id=enterprise, team_id=team)
        return Bot(**json.loads(found.data)) if found else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        enterprise, team = _keys(enterprise_id, team_id, is_enterprise_install)
        found = await self.store.find_install(
            platform=PLATFORM, kind=INSTALLATION, enterprise_id=enterprise, team_id=team, user_id=user_id
        )
        if found is None:
            return None
        installation = Installation(**json.loads(found.data))
        if user_id is not None:
            # a user's own record may be older than the workspace's bot token: serve with the latest bot
            bot = await self.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
            if bot is None:
                installation.bot_token = installation.bot_id = installation.bot_user_id = None
            else:
                installation.bot_token, installation.bot_id = bot.bot_token, bot.bot_id
                installation.bot_user_id, installation.bot_scopes = bot.bot_user_id, bot.bot_scopes
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        enterprise, team = _keys(enterprise_id, team_id, not team_id)
        await self.store.delete_installs(platform=PLATFORM, kind=BOT, enterprise_id=enterprise, team_id=team)
        log.info("the bot token of Slack workspace %s was revoked: studybot no longer posts there", team or enterprise)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        enterprise, team = _keys(enterprise_id, team_id, not team_id)
        await self.store.delete_installs(
            platform=PLATFORM, kind=INSTALLATION, enterprise_id=enterprise, team_id=team, user_id=user_id
        )

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        enterprise, team = _keys(enterprise_id, team_id, not team_id)
        await self.store.delete_installs(platform=PLATFORM, enterprise_id=enterprise, team_id=team)
        log.info(
            "studybot was uninstalled from Slack workspace %s: its tokens are deleted, its study history kept",
            team or enterprise,
        )


class StoredStates(AsyncOAuthStateStore):
    """The `state` of each install page visit, good once and for `expiration_seconds`."""

    def __init__(
        self, store: InstallStore, *, expiration_seconds: int = STATE_SECONDS, clock: Callable[[], datetime] = _now
    ) -> None:
        self._store = store
        self.expiration_seconds = expiration_seconds
        self._clock = clock

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expires_at = self._clock() + timedelta(seconds=self.expiration_seconds)
        await self._store.issue_install_state(platform=PLATFORM, state=state, expires_at=expires_at)
        return state

    async def async_consume(self, state: str) -> bool:
        used = await self._store.consume_install_state(platform=PLATFORM, state=state, now=self._clock())
        if not used:
            log.warning(
                "an install came back with an unknown or expired state: refused (start again at the install page)"
            )
        return used
