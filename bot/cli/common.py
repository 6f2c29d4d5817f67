"""What every subcommand shares: reading settings and configuring logs once, at the entry point."""

from __future__ import annotations

import argparse
import logging
import os

from bot import logs
from bot.config import Settings, load_settings


def settings_from(args: argparse.Namespace, *, platform: str | None = None) -> Settings:
    env = dict(os.environ)
    if platform:
        env["STUDYBOT_PLATFORM"] = platform
    return load_settings(getattr(args, "config", None), env)


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
    # In the console the conversation is the output; logs go to stderr, warnings and up only.
    logs.configure(
        level=settings.log_level,
        fmt=fmt or settings.log_format,
        secrets=secrets,
        minimum=logging.WARNING if quiet_console else None,
    )
