"""Settings: one validated object from a TOML file and the environment (the environment wins).

Secrets (tokens, signing secret) come only from the environment and are never printed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from bot.adapters.discord.settings import DiscordSettings
from bot.adapters.slack.settings import SlackSettings
from bot.core.errors import ConfigError, InvalidInput
from bot.core.rules import ScoringRules
from bot.core.schedule import Schedule, parse_days, parse_time, parse_timezone
from bot.core.secret import Secret
from bot.core.usecases.context import Policy

DEFAULT_CONFIG = Path("config/studybot.toml")
PLATFORMS = ("console", "discord", "slack")

__all__ = ["PLATFORMS", "ConfigError", "DiscordSettings", "Secret", "Settings", "SlackSettings", "load_settings"]


@dataclass(frozen=True, slots=True)
class Settings:
    platform: str = "console"
    database: Path = Path("studybot.db")
    extra_banks: tuple[Path, ...] = ()
    rules: ScoringRules = field(default_factory=ScoringRules)
    policy: Policy = field(default_factory=Policy)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    slack: SlackSettings = field(default_factory=SlackSettings)
    log_level: str = "INFO"
    log_format: str = "text"
    config_path: Path | None = None


def load_settings(config_path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if env is None else env
    path = _config_path(config_path, environ)
    data = _read_toml(path) if path else {}
    try:
        return _build(data, environ, path)
    except InvalidInput as problem:
        raise ConfigError(f"{path or 'settings'}: {problem}") from None


def _config_path(given: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if given:
        path = Path(given)
    elif env.get("STUDYBOT_CONFIG"):
        path = Path(env["STUDYBOT_CONFIG"])
    elif DEFAULT_CONFIG.is_file():
        return DEFAULT_CONFIG
    else:
        return None
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist; pass an existing file or leave it out to use defaults")
    return path


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as problem:
        raise ConfigError(f"{path} is not valid TOML: {problem}") from None


def _section(data: Mapping[str, object], name: str) -> dict[str, object]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise InvalidInput(f"[{name}] must be a table")
    return value


_KNOWN = {
    "": {"platform", "database", "banks", "log_level", "log_format", "bot", "schedule", "scoring", "discord", "slack"},
    "bot": {"grace_minutes", "leaderboard_size", "seed"},
    "schedule": {"time", "timezone", "days", "topics", "difficulty"},
    "scoring": {field_name for field_name in ScoringRules.__dataclass_fields__},
    "discord": {"moderator_roles"},
    "slack": {"moderators", "http_port"},
}


def _check_known(data: Mapping[str, object]) -> None:
    for key in data:
        if key not in _KNOWN[""]:
            raise InvalidInput(f"unknown setting '{key}'; known: {', '.join(sorted(_KNOWN['']))}")
    for section in ("bot", "schedule", "scoring", "discord", "slack"):
        for key in _section(data, section):
            if key not in _KNOWN[section]:
                raise InvalidInput(f"unknown setting [{section}] {key}; known: {', '.join(sorted(_KNOWN[section]))}")


def _build(data: Mapping[str, object], env: Mapping[str, str], path: Path | None) -> Settings:
    _check_known(data)
    base = path.parent.parent if path and path.parent.name == "config" else (path.parent if path else Path.cwd())
    platform = _platform(str(env.get("STUDYBOT_PLATFORM") or data.get("platform") or ""), env)
    database = Path(str(env.get("STUDYBOT_DATABASE") or data.get("database") or "studybot.db"))
    banks = tuple(_resolve(base, str(item)) for item in _list(data.get("banks", []), "banks"))
    for bank in banks:
        if not bank.exists():
            raise InvalidInput(f"banks: {bank} does not exist")
    bot = _section(data, "bot")
    policy = Policy(
        grace=timedelta(minutes=_int(bot.get("grace_minutes", 240), "bot.grace_minutes", minimum=0)),
        default_schedule=_schedule(_section(data, "schedule")),
        leaderboard_size=_int(bot.get("leaderboard_size", 10), "bot.leaderboard_size", minimum=1),
        seed=str(bot.get("seed", "studybot")),
    )
    discord = _section(data, "discord")
    slack = _section(data, "slack")
    port = env.get("STUDYBOT_HTTP_PORT") or slack.get("http_port", 3000)
    return Settings(
        platform=platform,
        database=database,
        extra_banks=banks,
        rules=_rules(_section(data, "scoring")),
        policy=policy,
        discord=DiscordSettings(
            token=Secret(env.get("DISCORD_TOKEN", "")),
            api_base_url=env.get("DISCORD_API_BASE_URL") or None,
            gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
            moderator_roles=tuple(str(role) for role in _list(discord.get("moderator_roles", []), "moderator_roles")),
        ),
        slack=SlackSettings(
            bot_token=Secret(env.get("SLACK_BOT_TOKEN", "")),
            app_token=Secret(env.get("SLACK_APP_TOKEN", "")),
            signing_secret=Secret(env.get("SLACK_SIGNING_SECRET", "")),
            api_url=env.get("SLACK_API_URL") or None,
            http_port=_int(port, "STUDYBOT_HTTP_PORT", minimum=1, maximum=65535),
            moderators=tuple(str(user) for user in _list(slack.get("moderators", []), "slack.moderators")),
        ),
        log_level=str(data.get("log_level", "INFO")).upper(),
        log_format=str(data.get("log_format", "text")),
        config_path=path,
    )


def _platform(chosen: str, env: Mapping[str, str]) -> str:
    if chosen:
        if chosen not in PLATFORMS:
            raise InvalidInput(f"platform '{chosen}' is not one of {', '.join(PLATFORMS)}")
        return chosen
    if env.get("DISCORD_TOKEN"):
        return "discord"
    if env.get("SLACK_BOT_TOKEN"):
        return "slack"
    return "console"


def _resolve(base: Path, item: str) -> Path:
    path = Path(item).expanduser()
    return path if path.is_absolute() else base / path


def _list(value: object, name: str) -> list[object]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise InvalidInput(f"{name} must be a list")
    return value


def _int(value: object, name: str, *, minimum: int, maximum: int | None = None) -> int:
    try:
        number = int(str(value))
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number, not '{value}'") from None
    if number < minimum or (maximum is not None and number > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise InvalidInput(f"{name} must be at least {minimum}{upper}, not {number}")
    return number


def _schedule(section: Mapping[str, object]) -> Schedule:
    schedule = Schedule()
    if "time" in section:
        schedule = schedule.with_changes(at=parse_time(str(section["time"])))
    if "timezone" in section:
        schedule = schedule.with_changes(timezone=parse_timezone(str(section["timezone"])).key)
    if "days" in section:
        days = section["days"]
        wanted = days if isinstance(days, str) else [str(day) for day in _list(days, "schedule.days")]
        schedule = schedule.with_changes(days=parse_days(wanted))
    if "topics" in section:
        schedule = schedule.with_changes(topics=tuple(str(t) for t in _list(section["topics"], "schedule.topics")))
    if "difficulty" in section:
        levels = tuple(str(t) for t in _list(section["difficulty"], "schedule.difficulty"))
        schedule = schedule.with_changes(difficulties=levels)
    return schedule


def _rules(section: Mapping[str, object]) -> ScoringRules:
    defaults = ScoringRules()
    values: dict[str, object] = {}
    for name, value in section.items():
        current = getattr(defaults, name)
        if isinstance(current, tuple):
            values[name] = tuple(value) if isinstance(value, list) else (value,)
        else:
            values[name] = _int(value, f"scoring.{name}", minimum=0)
    return ScoringRules(**values)  # type: ignore[arg-type]
