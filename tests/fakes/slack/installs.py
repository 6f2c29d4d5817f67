"""Slack as an app installed in several workspaces sees it: one Web API address for every workspace (each call
is served by the workspace whose token it carries, and a token no workspace issued is refused), the OAuth v2
authorize page, and ``oauth.v2.access``, which exchanges the code it redirected with for a new bot token.

    async with FakeSlack(mode="http", ...) as one, FakeSlack(mode="http", ...) as two:
        async with FakeSlackInstalls(one, two) as slack:   # SLACK_API_URL = slack.api_url

A browser that opens ``authorize_url`` is signed in to the workspace named by the ``team`` query parameter or the
``fake_slack_team`` cookie; the fake approves at once and redirects to ``redirect_uri?code=...&state=...``.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from .fake import FakeSlack

CLIENT_ID = "1111111111.2222222222"
CLIENT_SECRET = "fake-client-secret-0123456789abcdef"
TEAM_COOKIE = "fake_slack_team"


@dataclass
class Grant:
    """A code the authorize page redirected with: good once, for the workspace that approved."""

    workspace: FakeSlack
    scopes: str
    redirect_uri: str
    installer: str


@dataclass
class Refused:
    method: str
    token: str | None
    error: str


class FakeSlackInstalls:
    def __init__(self, *workspaces: FakeSlack, redirect_uri: str = "") -> None:
        self.workspaces = workspaces
        self.client_id = CLIENT_ID
        self.client_secret = CLIENT_SECRET
        self.redirect_uri = redirect_uri  # the app's one Redirect URL, when set: any other is refused
        self.host = "127.0.0.1"
        self.port = 0
        self.grants: dict[str, Grant] = {}
        self.refused: list[Refused] = []  # calls with a token no workspace issued
        self.exchanges: list[dict[str, Any]] = []  # each oauth.v2.access, as answered
        self._runner: web.AppRunner | None = None
        for workspace in workspaces:  # not installed yet: no token the bot could know works anywhere
            workspace.bot_token = f"xoxb-not-installed-{secrets.token_hex(8)}"

    async def __aenter__(self) -> FakeSlackInstalls:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/oauth/v2/authorize", self._authorize)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(self, *exc: Any) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api/"

    def workspace(self, team_id: str) -> FakeSlack:
        return next(w for w in self.workspaces if w.team.team_id == team_id)

    # ------------------------------------------------------------------ the Web API, by token
    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if method == "oauth.v2.access":
            return await self._oauth_access(request)
        auth = request.headers.get("Authorization", "")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else None
        for workspace in self.workspaces:
            if token and workspace._token_kind(token) not in ("invalid", "none"):
                return await workspace._api.handle(request)
        error = "not_authed" if not token else "invalid_auth"
        self.refused.append(Refused(method, token, error))
        return web.json_response({"ok": False, "error": error})

    # ------------------------------------------------------------------ OAuth v2
    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        if query.get("client_id") != self.client_id:
            return web.Response(status=400, text="Invalid client_id parameter")
        redirect_uri = query.get("redirect_uri", "") or self.redirect_uri
        if not redirect_uri or (self.redirect_uri and redirect_uri != self.redirect_uri):
            return web.Response(status=400, text="redirect_uri did not match any configured URIs")
        team = query.get("team") or request.cookies.get(TEAM_COOKIE, "")
        workspace = next((w for w in self.workspaces if w.team.team_id == team), None)
        if workspace is None:
            return web.Response(status=400, text="sign in to a workspace first")
        code = f"{secrets.randbelow(10**12)}.{secrets.token_hex(16)}"
        installer = next((u.id for u in workspace.users.values() if u.is_admin and not u.is_bot), "")
        self.grants[code] = Grant(workspace, query.get("scope", ""), redirect_uri, installer)
        state = query.get("state", "")
        raise web.HTTPFound(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    async def _oauth_access(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        client_id, client_secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
        auth = request.headers.get("Authorization", "")
        if auth.lower().startswith("basic "):
            client_id, _, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
        answer: dict[str, Any]
        grant = self.grants.pop(str(form.get("code", "")), None)
        if client_id != self.client_id:
            answer = {"ok": False, "error": "invalid_client_id"}
        elif client_secret != self.client_secret:
            answer = {"ok": False, "error": "bad_client_secret"}
        elif grant is None:
            answer = {"ok": False, "error": "invalid_code"}
        elif form.get("redirect_uri") and form.get("redirect_uri") != grant.redirect_uri:
            answer = {"ok": False, "error": "bad_redirect_uri"}
        else:
            answer = self._install(grant)
        self.exchanges.append(answer)
        return web.json_response(answer)

    def _install(self, grant: Grant) -> dict[str, Any]:
        workspace = grant.workspace
        workspace.revoked_tokens.add(workspace.bot_token)  # a reinstall replaces the bot token
        workspace.bot_token = f"xoxb-{workspace.team.team_id}-{secrets.token_hex(12)}"
        workspace.bot_scopes = grant.scopes or workspace.bot_scopes
        return {
            "ok": True,
            "access_token": workspace.bot_token,
            "token_type": "bot",
            "scope": workspace.bot_scopes,
            "bot_user_id": workspace.team.bot_user_id,
            "app_id": workspace.team.api_app_id,
            "team": {"name": workspace.team_name, "id": workspace.team.team_id},
            "enterprise": None,
            "authed_user": {"id": grant.installer},
            "is_enterprise_install": False,
        }

    # ------------------------------------------------------------------ leaving
    async def uninstall(self, workspace: FakeSlack) -> None:
        """An admin removes the app: its tokens stop working, then Slack sends ``app_uninstalled``."""
        workspace.revoked_tokens.add(workspace.bot_token)
        await workspace.send_event({"type": "app_uninstalled", "event_ts": workspace.ids.ts()})

    async def revoke_bot_token(self, workspace: FakeSlack) -> None:
        """The bot token is revoked (``auth.revoke``, or by an admin): ``tokens_revoked`` follows."""
        workspace.revoked_tokens.add(workspace.bot_token)
        await workspace.send_event(
            {"type": "tokens_revoked", "tokens": {"bot": [workspace.team.bot_user_id]}, "event_ts": workspace.ids.ts()}
        )
