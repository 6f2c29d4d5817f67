"""The OAuth2 URL that adds the bot to a server, with exactly the permissions it uses."""

from __future__ import annotations

import base64
import binascii

import discord

SCOPES = ("bot", "applications.commands")
PRIVILEGED_INTENT = "Message Content"


def required_permissions() -> discord.Permissions:
    """Read and post in channels, open and post in public threads, embeds, files (the weekly recap's card) and
    history (catch-up).

    Reading members' reactions needs no permission, only the reactions intent; the bot never adds one."""
    return discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        create_public_threads=True,
        embed_links=True,
        attach_files=True,
        read_message_history=True,
    )


def invite_url(client_id: int | str) -> str:
    return discord.utils.oauth_url(int(client_id), permissions=required_permissions(), scopes=SCOPES)


def client_id_from_token(token: str) -> str | None:
    """A bot token's first segment is the application's id in base64; None when it is not a token."""
    first = token.strip().split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), altchars=b"-_", validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return decoded if decoded.isdigit() else None
