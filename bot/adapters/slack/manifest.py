"""The Slack app manifest: the fewest bot scopes that work, four bot events, the slash commands."""

from __future__ import annotations

from typing import Any

from bot.adapters.slack.commands import COMMANDS

# Each scope and what needs it (docs/slack.md explains them to operators).
BOT_SCOPES = {
    "chat:write": "post the question of the day, thread summaries and ephemeral answers",
    "commands": "the slash commands",
    "channels:history": "message events in public channels, conversations.replies and .history (read-back)",
    "groups:history": "the same in private channels the bot was invited to",
    "reactions:read": "reaction_added / reaction_removed events (upvotes and best answers)",
    "users:read": "display names, and is_admin / is_owner for moderators (users.info)",
    "channels:read": "conversations.info: is the bot in the public channel /qotd setup names",
    "groups:read": "conversations.info for private channels",
}
BOT_EVENTS = ("message.channels", "message.groups", "reaction_added", "reaction_removed")
COMMAND_HELP = {
    "qotd": (
        "Question of the day: setup, now, skip, pause, resume, status, season",
        "setup time:09:00 tz:Europe/Berlin",
    ),
    "quiz": ("A private practice question with hints and the answer", "topic:probability difficulty:easy"),
    "leaderboard": ("The study group's standings", "period:week scope:channel"),
    "stats": ("Your points, answers and streak", ""),
    "resources": ("Study links", ""),
    "bank": ("Browse the question bank", "search:bayes | show id:ID | topics"),
}


def manifest(*, name: str = "studybot", http_url: str | None = None) -> dict[str, Any]:
    """Socket Mode by default; with `http_url` (`https://host/slack/events`) the HTTP-mode request URLs."""
    commands = []
    for command in COMMANDS:
        description, hint = COMMAND_HELP[command]
        entry: dict[str, Any] = {"command": f"/{command}", "description": description, "should_escape": True}
        if hint:
            entry["usage_hint"] = hint
        if http_url:
            entry["url"] = http_url
        commands.append(entry)
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
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
            "slash_commands": commands,
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": http_url is None,
            "token_rotation_enabled": False,
        },
    }
