"""`studybot run`: start the bot on the configured platform (the console when no token is set)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.app import App
from bot.cli.common import configure_logging, settings_from
from bot.config import PLATFORMS


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("run", help="run the bot", description="Run the bot.")
    parser.add_argument("--platform", choices=PLATFORMS, help="override STUDYBOT_PLATFORM")
    parser.add_argument("--log-format", choices=("text", "json"), help="log lines as text (default) or JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args, platform=args.platform)
    configure_logging(settings, fmt=args.log_format, quiet_console=settings.platform == "console")
    return asyncio.run(App(settings).run())
