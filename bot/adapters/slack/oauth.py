"""The app for many workspaces: slack-bolt's own OAuth v2 install flow (the install page with its "Add to Slack"
link, and the redirect that exchanges the code with `oauth.v2.access`), bolt's authorization of each request
from the installation store, and its `app_uninstalled` / `tokens_revoked` listeners that delete the tokens."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.blocks import INPUT_CALLBACK
from bot.adapters.slack.bolt_app import EVENTS
from bot.adapters.slack.commands import COMMANDS
from bot.adapters.slack.installations import StoredStates
from bot.adapters.slack.interactions import ACTION_PATTERN
from bot.adapters.slack.manifest import BOT_SCOPES, OAUTH_REDIRECT_PATH
from bot.adapters.slack.settings import SlackSettings
from bot.adapters.slack.slackapi import DEFAULT_API_URL
from bot.adapters.slack.workspaces import Workspaces

INSTALL_PATH = "/slack/install"


def authorize_url(api_url: str | None) -> str:
    """Slack's authorize page beside its Web API: https://slack.com/api/ -> https://slack.com/oauth/v2/authorize."""
    base = (api_url or DEFAULT_API_URL).rstrip("/")
    return base.removesuffix("/api") + "/oauth/v2/authorize"


def oauth_settings(settings: SlackSettings, workspaces: Workspaces) -> AsyncOAuthSettings:
    oauth = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret.value,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_url or None,
        install_path=INSTALL_PATH,
        redirect_uri_path=OAUTH_REDIRECT_PATH,
        authorization_url=authorize_url(settings.api_url),
        installation_store=workspaces.installations,
        installation_store_bot_only=True,  # a workspace is served with its bot token; no user tokens are asked for
        state_store=StoredStates(workspaces.installations.store),
    )
    if isinstance(oauth.authorize, AsyncInstallationStoreAuthorize):
        # bolt looks the workspace's token up in the store for every request, then asks auth.test who that
        # token is: keep that answer per token (a new or revoked token is a new lookup), not a round trip each time
        oauth.authorize.cache_enabled = True
    return oauth


def build_oauth_app(client: AsyncWebClient, settings: SlackSettings, workspaces: Workspaces) -> AsyncApp:
    """The bolt app for every installed workspace: the same listeners as for one, each request handed to its
    workspace's (`Workspaces.for_request`, with the token bolt authorized it with)."""
    app = AsyncApp(
        client=client,
        signing_secret=settings.signing_secret.value,
        process_before_response=False,
        request_verification_enabled=True,
        ignoring_self_events_enabled=True,
        oauth_settings=oauth_settings(settings, workspaces),
    )
    app.enable_token_revocation_listeners()
    background = workspaces.background

    async def on_event(body: dict[str, Any], context: AsyncBoltContext) -> None:
        event = body.get("event") or {}
        handler = workspaces.for_request(context).events
        background.spawn(handler.on_event(body), name=f"{event.get('type')} event {body.get('event_id')}")

    async def on_command(ack: Any, command: dict[str, Any], respond: Any, context: AsyncBoltContext) -> None:
        await workspaces.for_request(context).commands.on_command(ack, command, respond)

    async def on_action(
        ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: AsyncBoltContext
    ) -> None:
        await workspaces.for_request(context).interactions.on_action(ack, body, action, respond)

    async def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext) -> None:
        await workspaces.for_request(context).interactions.on_submit(ack, body, view)

    for event in EVENTS:
        app.event(event)(on_event)
    for name in COMMANDS:
        app.command(f"/{name}")(on_command)
    app.action(ACTION_PATTERN)(on_action)
    app.view(INPUT_CALLBACK)(on_submit)
    return app
