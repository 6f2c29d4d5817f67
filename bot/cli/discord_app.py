"""`studybot discord ...`: helpers for operators setting up the Discord application."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.common import settings_from
from bot.config import ConfigError


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("discord", help="Discord setup helpers", description="Discord setup helpers.")
    helpers = parser.add_subparsers(dest="discord_command", required=True, metavar="HELPER")
    invite = helpers.add_parser(
        "invite-url",
        help="print the URL that adds the bot to a server",
        description="Print the OAuth2 URL that adds the bot to a server with the permissions it needs.",
    )
    invite.add_argument(
        "--client-id",
        help="the Application ID (Developer Portal -> General Information); default: read from DISCORD_TOKEN",
    )
    invite.set_defaults(handler=print_invite_url)


def print_invite_url(args: argparse.Namespace) -> int:
    from bot.adapters.discord.invite import PRIVILEGED_INTENT, SCOPES, client_id_from_token, invite_url

    client_id = args.client_id
    settings = settings_from(args)
    if not client_id:
        token = settings.discord.token.value
        client_id = client_id_from_token(token) if token else None
    if not client_id or not str(client_id).isdigit():
        raise ConfigError(
            "pass --client-id ID (the Application ID from the Developer Portal -> General Information), "
            "or set DISCORD_TOKEN so it can be read from the token"
        )
    print(invite_url(client_id))
    print(f"Scopes: {' '.join(SCOPES)}.")
    if not settings.discord.message_content:
        print(
            f"The {PRIVILEGED_INTENT} intent is not needed (message_content = false): leave it off, and set every "
            "channel to private answers with /qotd setup answers:private."
        )
        return 0
    print(
        f"Before the bot starts, enable the {PRIVILEGED_INTENT} intent: Developer Portal -> your application -> "
        "Bot -> Privileged Gateway Intents -> Message Content Intent (or, with every channel on private answers, "
        "set message_content = false under [discord] and leave it off)."
    )
    return 0
