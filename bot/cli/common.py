"""What every subcommand shares: reading settings and configuring logs once, at the entry point."""

from __future__ import annotations

import argparse
import logging
import os

from psycopg.conninfo import conninfo_to_dict

from bot import logs
from bot.config import Settings, load_settings


def settings_from(args: argparse.Namespace, *, platform: str | None = None) -> Settings:
    env = dict(os.environ)
    if platform:
        env["STUDYBOT_PLATFORM"] = platform
    return load_settings(getattr(args, "config", None), env)


def database_password(settings: Settings) -> list[str]:
    """The PostgreSQL URL's password, if it has one: it is as secret as a token."""
    if not settings.database_url:
        return []
    password = conninfo_to_dict(settings.database_url.value).get("password")
    return [str(password)] if password else []


def configure_logging(settings: Settings, *, fmt: str | None = None, quiet_console: bool = False) -> None:
    secrets = [
        secret.value
        for secret in (
            settings.discord.token,
            settings.slack.bot_token,
            settings.slack.app_token,
            settings.slack.signing_secret,
        )
        if secret
    ]
    secrets += database_password(settings)
    # In the console the conversation is the output; logs go to stderr, warnings and up only.
    logs.configure(
        level=settings.log_level,
        fmt=fmt or settings.log_format,
        secrets=secrets,
        minimum=logging.WARNING if quiet_console else None,
    )
