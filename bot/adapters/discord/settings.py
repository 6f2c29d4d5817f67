"""The Discord adapter's own settings section (built by `bot.config` from the environment and TOML)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.secret import Secret


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    token: Secret = Secret("")
    api_base_url: str | None = None
    gateway_url: str | None = None
    moderator_roles: tuple[str, ...] = ()
