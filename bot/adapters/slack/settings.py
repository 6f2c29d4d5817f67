"""The Slack adapter's own settings section (built by `bot.config` from the environment and TOML)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.secret import Secret


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: Secret = Secret("")
    app_token: Secret = Secret("")
    signing_secret: Secret = Secret("")
    # many workspaces: the app's OAuth credentials (Basic Information -> App Credentials) and, when the app has
    # more than one Redirect URL, the one to use
    client_id: str = ""
    client_secret: Secret = Secret("")
    redirect_url: str = ""
    api_url: str | None = None
    http_port: int = 3000
    moderators: tuple[str, ...] = ()
    # HTTP mode's defences (see `http_guard`): open connections, seconds for the headers and the body, bytes
    http_max_connections: int = 256
    http_header_timeout: float = 10.0
    http_body_timeout: float = 10.0
    http_max_body: int = 1024 * 1024

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    @property
    def many_workspaces(self) -> bool:
        """Installed through Slack's OAuth flow in any number of workspaces, rather than with one bot token."""
        return bool(self.client_id or self.client_secret)
