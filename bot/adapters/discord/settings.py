"""The Discord adapter's own settings section (built by `bot.config` from the environment and TOML)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core.secret import Secret


def synced_commands_file(database: Path) -> Path:
    """Where the adapter remembers which slash commands it last synced: a small file beside the database."""
    return database.with_name(database.name + ".discord-commands")


@dataclass(frozen=True, slots=True)
class DiscordSettings:
    token: Secret = Secret("")
    api_base_url: str | None = None
    gateway_url: str | None = None
    moderator_roles: tuple[str, ...] = ()
    synced_commands: Path | None = None  # None: sync at every start
    # the gateway in shards: how many in all, and which this process runs (None: all of them). No count: one
    # connection, or as many as Discord recommends when it recommends more than one
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    # Off: the bot asks Discord for no message text (a privileged intent), and only channels set to
    # answers:private can score; thread replies arrive empty.
    message_content: bool = True
