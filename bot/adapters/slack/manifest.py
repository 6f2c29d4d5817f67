"""The Slack app manifest: the fewest bot scopes that work, four bot events, the slash commands."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.shortcuts import MARK_SHORTCUTS
from bot.core import catalogue
from bot.core.catalogue import CommandSpec
from bot.core.errors import ConfigError

NAME_LIMIT = 35  # Slack refuses an app name (display_information.name) longer than this

# Each scope and what needs it (docs/slack.md explains them to operators).
BOT_SCOPES = {
    "chat:write": "post the question of the day, thread summaries, ephemeral answers and review reminders (a direct "
    "message: chat.postMessage to the member's user id)",
    "commands": "the slash commands",
    "channels:history": "message events in public channels, conversations.replies and .history (read-back)",
    "groups:history": "the same in private channels the bot was invited to",
    "reactions:read": "reaction_added / reaction_removed events (upvotes and best answers)",
    "users:read": "display names, and is_admin / is_owner for moderators (users.info)",
    "channels:read": "conversations.info: is the bot in the public channel /qotd setup names",
    "groups:read": "conversations.info for private channels",
    "files:write": "upload the cards of /leaderboard, /stats and the recap (files.getUploadURLExternal, …)",
    "im:write": "open a direct message with a member for the card of a private answer (Slack has no private files)",
}
BOT_EVENTS = ("message.channels", "message.groups", "reaction_added", "reaction_removed")
UNINSTALL_EVENTS = ("app_uninstalled", "tokens_revoked")  # installed in many workspaces: forget a leaving one's tokens
EVENTS_PATH = "/slack/events"
OAUTH_REDIRECT_PATH = "/slack/oauth_redirect"


def description(spec: CommandSpec) -> str:
    """The slash command's description in Slack's list: what it does, and its subcommands when it has some."""
    if not spec.subcommand_names:
        return spec.description
    return f"{spec.description}: {', '.join(spec.subcommand_names)}"


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ConfigError("--name must not be empty: give the app's name, such as studybot")
    if len(name) > NAME_LIMIT:
        raise ConfigError(f"--name is {len(name)} characters long: Slack allows at most {NAME_LIMIT} for an app's name")
    return name


def check_http_url(url: str) -> str:
    """Slack sends events, commands and clicks only to an HTTPS request URL; it refuses to save any other."""
    if url.startswith("http://"):
        raise ConfigError(
            f"--http-url must start with https://: Slack sends requests only over HTTPS, so put the bot behind "
            f"a TLS proxy and give that URL, not '{url}'"
        )
    if not url.startswith("https://") or len(url) <= len("https://"):
        raise ConfigError(f"--http-url must be a full URL such as https://bot.example.org/slack/events, not '{url}'")
    return url


def redirect_url(http_url: str) -> str:
    """The OAuth Redirect URL beside the request URL: the bot serves both on one address."""
    base = http_url.rstrip("/").removesuffix(EVENTS_PATH)
    return base + OAUTH_REDIRECT_PATH


def manifest(*, name: str = "studybot", http_url: str | None = None, many_workspaces: bool = False) -> dict[str, Any]:
    """Socket Mode by default; with `http_url` (`https://host/slack/events`) the HTTP-mode request URLs, and with
    `many_workspaces` the OAuth Redirect URL beside it (`https://host/slack/oauth_redirect`) and the events that
    say a workspace removed the app. A name or URL Slack would refuse is a `ConfigError`."""
    name = check_name(name)
    if many_workspaces and http_url is None:
        raise ConfigError(
            "--many-workspaces needs --http-url: Slack's install flow redirects to the bot's public address, "
            "so the app runs in HTTP mode"
        )
    http_url = check_http_url(http_url) if http_url is not None else None
    commands = []
    for spec in catalogue.slash_commands():
        entry: dict[str, Any] = {"command": f"/{spec.name}", "description": description(spec), "should_escape": True}
        if spec.example:
            entry["usage_hint"] = spec.example
        if http_url:
            entry["url"] = http_url
        commands.append(entry)
    events: dict[str, Any] = {"bot_events": [*BOT_EVENTS, *(UNINSTALL_EVENTS if many_workspaces else ())]}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if http_url:
        events["request_url"] = http_url
        interactivity["request_url"] = http_url
    return {
        "display_information": {
            "name": name,
            "description": "An ML-interview study group: a question a day, answers in threads, a leaderboard.",
            "background_color": "#2c3e50",
        },
        "features": {
            "bot_user": {"display_name": name, "always_online": True},
            # the app's Messages tab is where its direct messages (review reminders) reach members
            "app_home": {"messages_tab_enabled": True},
            "slash_commands": commands,
            "shortcuts": [
                {"name": name, "type": "message", "callback_id": callback_id, "description": about}
                for callback_id, (_, name, about) in MARK_SHORTCUTS.items()
            ],
        },
        "oauth_config": {
            "scopes": {"bot": list(BOT_SCOPES)},
            **({"redirect_urls": [redirect_url(http_url)]} if many_workspaces and http_url else {}),
        },
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": http_url is None,
            "token_rotation_enabled": False,
        },
    }
