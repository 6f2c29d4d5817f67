"""The `studybot` command line: run the bot, manage the question bank and the database, print leaderboards."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import bank, db, discord_app, health, leaderboard, run, slack_app
from bot.core.errors import StudybotError

CONFIG_HELP = "TOML settings file (default: $STUDYBOT_CONFIG or config/studybot.toml)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="studybot", description=__doc__)
    parser.add_argument("--config", help=CONFIG_HELP)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, bank, db, leaderboard, health, discord_app, slack_app):
        module.add_parser(commands)
    for subcommand in _subcommands(parser):
        _accept_config(subcommand)
    return parser


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every subcommand's parser, at every depth (`run`, `db`, `db migrate`, ...)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                found += [child, *_subcommands(child)]
    return found


def _accept_config(parser: argparse.ArgumentParser) -> None:
    """`--config` after the subcommand too (`studybot run --config x.toml`). Its default is left unset, so
    a `--config` given before the subcommand is kept when none follows it."""
    if any("--config" in action.option_strings for action in parser._actions):
        return
    parser.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except StudybotError as problem:
        print(f"studybot: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`studybot bank export | head`): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the flush at exit cannot fail again
        return 0


if __name__ == "__main__":
    sys.exit(main())
