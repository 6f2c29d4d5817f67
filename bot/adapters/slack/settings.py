"""The Slack adapter's own settings section (built by `bot.config` from the environment and TOML)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.secret import Secret


@dataclass(frozen=True, slots=True)
class SlackSettings:
    bot_token: Secret = Secret("")
    app_token: Secret = Secret("")
    signing_secret: Secret = Secret("")
    api_url: str | None = None
    http_port: int = 3000
    moderators: tuple[str, ...] = ()

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)
