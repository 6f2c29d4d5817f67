"""`studybot slack ...`: helpers for operators setting up the Slack app."""

from __future__ import annotations

import argparse
import json
from typing import Any

import yaml

from bot.adapters.slack.manifest import manifest


def add_parser(commands: Any) -> None:
    slack = commands.add_parser("slack", help="Slack setup helpers", description="Slack setup helpers.")
    subs = slack.add_subparsers(dest="slack_command", required=True, metavar="SUBCOMMAND")
    printer = subs.add_parser(
        "manifest",
        help="print the Slack app manifest",
        description="Print the app manifest to paste into api.slack.com/apps → Create New App → From a manifest. "
        "Socket Mode unless --http-url is given.",
    )
    printer.add_argument(
        "--http-url", help="HTTP mode: the public HTTPS request URL, e.g. https://bot.example.org/slack/events"
    )
    printer.add_argument(
        "--many-workspaces",
        action="store_true",
        help="to install in many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET): add the OAuth redirect URL "
        "beside --http-url, and the events that say a workspace removed the app",
    )
    printer.add_argument(
        "--name", default="studybot", help="the app and bot name, at most 35 characters (default: studybot)"
    )
    printer.add_argument("--format", choices=("yaml", "json"), default="yaml", help="output format (default: yaml)")
    printer.set_defaults(handler=print_manifest)


def print_manifest(args: argparse.Namespace) -> int:
    data = manifest(name=args.name, http_url=args.http_url, many_workspaces=args.many_workspaces)
    if args.format == "json":
        print(json.dumps(data, indent=2))
    else:
        print(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), end="")
    return 0
