"""What every subcommand shares: reading settings and configuring logs once, at the entry point."""

from __future__ import annotations

import argparse
import logging
import sys

from bot.config import Settings, load_settings


def settings_from(args: argparse.Namespace, *, platform: str | None = None) -> Settings:
    import os

    env = dict(os.environ)
    if platform:
        env["STUDYBOT_PLATFORM"] = platform
    return load_settings(getattr(args, "config", None), env)


def configure_logging(settings: Settings, *, quiet_console: bool = False) -> None:
    level = getattr(logging, settings.log_level, logging.INFO)
    if quiet_console:  # the console adapter's own output is the conversation; logs go to stderr, warnings only
        level = max(level, logging.WARNING)
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("apscheduler", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
