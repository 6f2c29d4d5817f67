"""Settings: one validated object from a TOML file and the environment (the environment wins).

Secrets (tokens, signing secret) come only from the environment and are never printed.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict

from bot.adapters.discord.settings import DiscordSettings, synced_commands_file
from bot.adapters.slack.settings import SlackSettings
from bot.core.errors import ConfigError, InvalidInput
from bot.core.questions import Difficulty
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
    # STUDYBOT_DATABASE=postgresql://...: the store is on PostgreSQL, and `database` only says where the files
    # kept beside it go (synced commands, pictures). A secret: the URL may carry a password.
    database_url: Secret = Secret("")

    @property
    def store_location(self) -> Path | str:
        """What the store opens: the PostgreSQL URL when there is one, else the SQLite file."""
        return self.database_url.value or self.database


def load_settings(config_path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Every setting checked once, for its type and its range; all problems reported together."""
    environ = os.environ if env is None else env
    path = _config_path(config_path, environ)
    data = _read_toml(path) if path else {}
    problems = _Problems()
    settings = _build(data, environ, path, problems)
    where = str(path or "settings")
    if len(problems.found) == 1:
        raise ConfigError(f"{where}: {problems.found[0]}")
    if problems.found:
        listed = "\n".join(f"  - {problem}" for problem in problems.found)
        raise ConfigError(f"{where} has {len(problems.found)} problems:\n{listed}")
    return settings


def _config_path(given: str | Path | None, env: Mapping[str, str]) -> Path | None:
    if given:
        path = Path(given)
    elif env.get("STUDYBOT_CONFIG"):
        path = Path(env["STUDYBOT_CONFIG"])
    elif DEFAULT_CONFIG.is_file():
        return DEFAULT_CONFIG
    else:
        return None
    try:
        found = path.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise ConfigError(f"config file {path} does not exist; pass an existing file or leave it out to use defaults")
    return path


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not a text file: a config is TOML text in UTF-8 (see the example)") from None
    except tomllib.TOMLDecodeError as problem:
        raise ConfigError(f"{path} is not valid TOML: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{path} is not valid TOML for studybot: its arrays or tables nest too deeply") from None
    except OSError as problem:
        raise ConfigError(f"{path} cannot be read: {problem.strerror}") from None


class _Problems:
    """Every problem found, in the order the settings are read."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def check(self, read: Callable[[], T], fallback: T) -> T:
        try:
            return read()
        except InvalidInput as problem:
            self.found.append(str(problem))
            return fallback


T = TypeVar("T")


def _section(data: Mapping[str, object], name: str, problems: _Problems) -> dict[str, object]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        problems.found.append(f"[{name}] must be a table of settings, not {_shown(value)}")
        return {}
    return value


_KNOWN = {
    "": {"platform", "database", "banks", "log_level", "log_format", "bot", "schedule", "scoring", "discord", "slack"},
    "bot": {"grace_minutes", "leaderboard_size", "seed"},
    "schedule": {"time", "timezone", "days", "topics", "difficulty"},
    "scoring": {field_name for field_name in ScoringRules.__dataclass_fields__},
    "discord": {"moderator_roles", "message_content"},
    "slack": {
        "moderators",
        "http_port",
        *(f"http_{name}" for name in ("max_connections", "header_timeout", "body_timeout", "max_body")),
    },
}
SECTIONS = ("bot", "schedule", "scoring", "discord", "slack")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
DIFFICULTIES = tuple(level.value for level in Difficulty)
# (smallest, largest) of every number in [scoring]
SCORING_RANGES: dict[str, tuple[int, int]] = {
    "min_answer_chars": (0, 4000),
    "open_hours": (1, 24 * 30),
    "answer_points": (0, 1000),
    "early_bonuses": (0, 1000),
    "reaction_points": (0, 1000),
    "reaction_cap": (0, 10_000),
    "best_answer_points": (0, 1000),
    "streak_bonus_points": (0, 1000),
    "streak_bonus_every": (0, 366),
}
MAX_LIST = 100


def _check_known(data: Mapping[str, object], problems: _Problems) -> None:
    for key in data:
        if key not in _KNOWN[""]:
            problems.found.append(f"unknown setting '{key}'; known: {', '.join(sorted(_KNOWN['']))}")
    for section in SECTIONS:
        for key in _section(data, section, _Problems()):
            if key not in _KNOWN[section]:
                problems.found.append(f"unknown setting [{section}] {key}; known: {', '.join(sorted(_KNOWN[section]))}")


def _postgres_url(database: str) -> str:
    """The database as a PostgreSQL URL, or "" for a SQLite path; a URL that cannot be read is a problem."""
    if not database.startswith(("postgresql://", "postgres://")):
        return ""
    try:
        conninfo_to_dict(database)
    except psycopg.ProgrammingError:
        raise InvalidInput(
            "database: the PostgreSQL URL cannot be read; write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    return database


def _build(data: Mapping[str, object], env: Mapping[str, str], path: Path | None, problems: _Problems) -> Settings:
    _check_known(data, problems)
    sections = {name: _section(data, name, problems) for name in SECTIONS}
    base = path.parent.parent if path and path.parent.name == "config" else (path.parent if path else Path.cwd())
    check = problems.check
    chosen = env.get("STUDYBOT_PLATFORM") or check(lambda: _text(data.get("platform", ""), "platform"), "")
    platform = check(lambda: _platform(chosen, env), "console")
    database = env.get("STUDYBOT_DATABASE") or check(lambda: _text(data.get("database", "studybot.db"), "database"), "")
    database_url = check(lambda: _postgres_url(database), "")
    database = "" if database_url else database
    no_banks: tuple[Path, ...] = ()
    banks = check(lambda: _banks(base, data.get("banks", [])), no_banks)
    bot, slack, discord = sections["bot"], sections["slack"], sections["discord"]
    grace = check(lambda: _int(bot.get("grace_minutes", 240), "bot.grace_minutes", minimum=0, maximum=7 * 24 * 60), 0)
    policy = Policy(
        grace=timedelta(minutes=grace),
        default_schedule=_schedule(sections["schedule"], problems),
        leaderboard_size=check(
            lambda: _int(bot.get("leaderboard_size", 10), "bot.leaderboard_size", minimum=1, maximum=100), 10
        ),
        seed=check(lambda: _text(bot.get("seed", "studybot"), "bot.seed", max_chars=200), "studybot"),
    )
    port_name = "STUDYBOT_HTTP_PORT" if env.get("STUDYBOT_HTTP_PORT") else "slack.http_port"
    port = env.get("STUDYBOT_HTTP_PORT") or slack.get("http_port", 3000)
    return Settings(
        platform=platform,
        database=Path(database or "studybot.db"),
        database_url=Secret(database_url),
        extra_banks=banks,
        rules=_rules(sections["scoring"], problems),
        policy=policy,
        discord=DiscordSettings(
            token=Secret(env.get("DISCORD_TOKEN", "")),
            api_base_url=env.get("DISCORD_API_BASE_URL") or None,
            gateway_url=env.get("DISCORD_GATEWAY_URL") or None,
            moderator_roles=check(lambda: _ids(discord.get("moderator_roles", []), "discord.moderator_roles"), ()),
            synced_commands=synced_commands_file(Path(database or "studybot.db")),
            **check(lambda: _shards(env), dict[str, Any]()),
            message_content=check(lambda: _flag(discord.get("message_content", True), "discord.message_content"), True),
        ),
        slack=SlackSettings(
            bot_token=Secret(env.get("SLACK_BOT_TOKEN", "")),
            app_token=Secret(env.get("SLACK_APP_TOKEN", "")),
            signing_secret=Secret(env.get("SLACK_SIGNING_SECRET", "")),
            client_id=env.get("SLACK_CLIENT_ID", "").strip(),
            client_secret=Secret(env.get("SLACK_CLIENT_SECRET", "").strip()),
            redirect_url=env.get("SLACK_REDIRECT_URI", "").strip(),
            api_url=env.get("SLACK_API_URL") or None,
            http_port=check(lambda: _int(port, port_name, minimum=1, maximum=65535), 3000),
            moderators=check(lambda: _ids(slack.get("moderators", []), "slack.moderators"), ()),
            **_http_defences(slack, problems),
        ),
        log_level=check(lambda: _choice(data.get("log_level", "INFO"), "log_level", LOG_LEVELS, upper=True), "INFO"),
        log_format=check(lambda: _choice(data.get("log_format", "text"), "log_format", LOG_FORMATS), "text"),
        config_path=path,
    )


# HTTP mode's defences in [slack]: (smallest, largest) of each
HTTP_DEFENCES: dict[str, tuple[int, int]] = {
    "http_max_connections": (1, 10_000),
    "http_header_timeout": (1, 300),  # seconds
    "http_body_timeout": (1, 300),  # seconds
    "http_max_body": (1024, 64 * 1024 * 1024),  # bytes
}


def _http_defences(slack: Mapping[str, object], problems: _Problems) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for name, (low, high) in HTTP_DEFENCES.items():
        if name in slack:
            value = functools.partial(_int, slack[name], f"slack.{name}", minimum=low, maximum=high)
            chosen[name] = problems.check(value, getattr(SlackSettings(), name))
    return chosen


MAX_SHARDS = 100_000


def _shards(env: Mapping[str, str]) -> dict[str, Any]:
    """DISCORD_SHARD_COUNT and DISCORD_SHARD_IDS ("0,1"): the shards in all, and this process's."""
    count_text, ids_text = env.get("DISCORD_SHARD_COUNT", "").strip(), env.get("DISCORD_SHARD_IDS", "").strip()
    if not count_text:
        if ids_text:
            raise InvalidInput(
                "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT: say how many shards there are in all, "
                "e.g. DISCORD_SHARD_COUNT=4 DISCORD_SHARD_IDS=0,1"
            )
        return {}
    count = _int(count_text, "DISCORD_SHARD_COUNT", minimum=1, maximum=MAX_SHARDS)
    if not ids_text:
        return {"shard_count": count}
    ids: list[int] = []
    for part in ids_text.split(","):
        shard = _int(part, "DISCORD_SHARD_IDS", minimum=0, maximum=MAX_SHARDS)
        if shard >= count:
            raise InvalidInput(
                f"DISCORD_SHARD_IDS: shard {shard} does not exist with DISCORD_SHARD_COUNT={count} "
                f"(shards are numbered 0 to {count - 1})"
            )
        if shard in ids:
            raise InvalidInput(f"DISCORD_SHARD_IDS names shard {shard} twice")
        ids.append(shard)
    return {"shard_count": count, "shard_ids": tuple(ids)}


def _platform(chosen: str, env: Mapping[str, str]) -> str:
    if chosen:
        if chosen not in PLATFORMS:
            raise InvalidInput(f"platform '{chosen}' is not one of {', '.join(PLATFORMS)}")
        return chosen
    if env.get("DISCORD_TOKEN"):
        return "discord"
    if env.get("SLACK_BOT_TOKEN") or env.get("SLACK_CLIENT_ID"):
        return "slack"
    return "console"


def _banks(base: Path, value: object) -> tuple[Path, ...]:
    banks = tuple(_resolve(base, item) for item in _texts(value, "banks", what="paths"))
    for bank in banks:
        if not bank.exists():
            raise InvalidInput(f"banks: {bank} does not exist; give a folder or YAML file of questions")
    return banks


def _resolve(base: Path, item: str) -> Path:
    path = Path(item).expanduser()
    return path if path.is_absolute() else base / path


def _shown(value: object) -> str:
    text = repr(value)
    kind = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list", dict: "a table"}
    return f"{kind.get(type(value), type(value).__name__)} {text if len(text) <= 40 else text[:37] + '...'}"


def _text(value: object, name: str, *, max_chars: int = 1000) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f'{name} must be text in quotes (name = "..."), not {_shown(value)}')
    if len(value) > max_chars:
        raise InvalidInput(f"{name} must be at most {max_chars} characters, not {len(value)}")
    return value


def _choice(value: object, name: str, choices: tuple[str, ...], *, upper: bool = False) -> str:
    text = _text(value, name)
    chosen = text.upper() if upper else text.lower()
    if chosen not in choices:
        raise InvalidInput(f"{name} must be one of {', '.join(choices)}, not '{text[:40]}'")
    return chosen


def _texts(value: object, name: str, *, what: str = "names") -> tuple[str, ...]:
    """A list of text (a single text is a list of one)."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise InvalidInput(f'{name} must be a list of {what} in quotes (["...", "..."]), not {_shown(value)}')
    if len(items) > MAX_LIST:
        raise InvalidInput(f"{name} may list at most {MAX_LIST} {what}, not {len(items)}")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InvalidInput(f'{name} must list {what} as text in quotes (["...", "..."]), not {_shown(item)}')
    return tuple(items)


def _ids(value: object, name: str) -> tuple[str, ...]:
    """Names or ids: text, or whole numbers (ids written without quotes)."""
    items = value if isinstance(value, list) else [value]
    return _texts([str(item) if isinstance(item, int) and not isinstance(item, bool) else item for item in items], name)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be true or false, not {value!r}")
    return value


def _int(value: object, name: str, *, minimum: int, maximum: int) -> int:
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().lstrip("-").isdigit():
        number = int(value.strip())
    if number is None:
        raise InvalidInput(f"{name} must be a whole number from {minimum} to {maximum}, not {_shown(value)}")
    if not minimum <= number <= maximum:
        raise InvalidInput(f"{name} must be from {minimum} to {maximum}, not {number}")
    return number


def _schedule(section: Mapping[str, object], problems: _Problems) -> Schedule:
    changes: dict[str, object] = {}

    def named(key: str, parse: Callable[[object], object]) -> object:
        try:
            return parse(section[key])
        except InvalidInput as problem:
            name = f"schedule.{key}"
            raise InvalidInput(str(problem) if str(problem).startswith(name) else f"{name}: {problem}") from None

    def read(key: str, parse: Callable[[object], object], field_name: str) -> None:
        if key in section:
            value = problems.check(lambda: named(key, parse), None)
            if value is not None:
                changes[field_name] = value

    read("time", lambda v: parse_time(_text(v, "schedule.time", max_chars=10)), "at")
    read("timezone", lambda v: parse_timezone(_text(v, "schedule.timezone", max_chars=10_000)).key, "timezone")
    read("days", lambda v: parse_days(_texts(v, "schedule.days", what="weekdays")), "days")
    read("topics", lambda v: _texts(v, "schedule.topics", what="topics"), "topics")
    read("difficulty", lambda v: _difficulties(v), "difficulties")
    try:
        return Schedule().with_changes(**changes)
    except InvalidInput as problem:
        problems.found.append(str(problem))
        return Schedule()


def _difficulties(value: object) -> tuple[str, ...]:
    levels = tuple(level.lower() for level in _texts(value, "schedule.difficulty", what="difficulties"))
    unknown = [level for level in levels if level not in DIFFICULTIES]
    if unknown:
        raise InvalidInput(
            f"schedule.difficulty: unknown difficulty {', '.join(unknown)}; choose from {', '.join(DIFFICULTIES)}"
        )
    return levels


def _rules(section: Mapping[str, object], problems: _Problems) -> ScoringRules:
    defaults = ScoringRules()
    values: dict[str, object] = {}
    for name, value in section.items():
        if name in _KNOWN["scoring"]:
            values[name] = problems.check(functools.partial(_scoring, name, value), getattr(defaults, name))
    return ScoringRules(**values)  # type: ignore[arg-type]


def _scoring(name: str, value: object) -> object:
    setting = f"scoring.{name}"
    if name in ("upvote_emoji", "best_answer_emoji"):
        return _emoji(value, setting)
    low, high = SCORING_RANGES[name]
    if name == "early_bonuses":
        return _ints(value, setting, low, high)
    return _int(value, setting, minimum=low, maximum=high)


def _emoji(value: object, name: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise InvalidInput(f'{name} must be a list of emoji in quotes (["👍"] or ["fire"]), not {_shown(value)}')
    return _texts(items, name, what='emoji (the character or its name: "👍" or "thumbsup")')


def _ints(value: object, name: str, minimum: int, maximum: int) -> tuple[int, ...]:
    items = value if isinstance(value, list) else [value]
    if len(items) > MAX_LIST:
        raise InvalidInput(f"{name} may list at most {MAX_LIST} numbers, not {len(items)}")
    numbers = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int):
            raise InvalidInput(
                f"{name} must be a list of whole numbers ([5, 3, 1]) from {minimum} to {maximum}, not {_shown(item)}"
            )
        numbers.append(_int(item, name, minimum=minimum, maximum=maximum))
    return tuple(numbers)
