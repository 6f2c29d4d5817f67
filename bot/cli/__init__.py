"""The `studybot` command line: run the bot, manage the question bank and the database, print leaderboards."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import bank, db, discord_app, health, leaderboard, run, slack_app
from bot.core.errors import StudybotError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    parser.add_argument("--config", help="TOML settings file (default: $STUDYBOT_CONFIG or config/studybot.toml)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, bank, db, leaderboard, health, discord_app, slack_app):
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except StudybotError as problem:
        print(f"studybot: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
