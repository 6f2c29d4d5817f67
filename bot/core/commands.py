"""Slash commands as the core understands them, and the parser for text platforms (`key:value` options)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from bot.core import catalogue
from bot.core.catalogue import OPTION_ALIASES
from bot.core.errors import InvalidInput
from bot.core.refs import ChannelRef


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    sub: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""  # free text after the options, such as a quiz answer
    target_channel: ChannelRef | None = None

    @property
    def needs_moderator(self) -> bool:
        return catalogue.needs_moderator(self.name, self.sub)

    @property
    def public(self) -> bool:
        """Whether its answer, when it succeeds, is shown to the channel."""
        return catalogue.is_public(self.name, self.sub)

    @property
    def label(self) -> str:
        return f"/{self.name}" + (f" {self.sub}" if self.sub else "")


def normalise_options(options: dict[str, str]) -> dict[str, str]:
    return {OPTION_ALIASES.get(key.lower(), key.lower()): value for key, value in options.items()}


def parse_command(line: str) -> Command:
    """Parse `/qotd setup time:09:00 tz:Europe/Berlin` (the leading slash is optional)."""
    try:
        tokens = shlex.split(line.strip())
    except ValueError as problem:
        raise InvalidInput(f"could not read that command ({problem}); check its quotes") from None
    if not tokens:
        raise InvalidInput("empty command: try /help")
    name = tokens[0].lstrip("/").lower()
    spec = catalogue.command_spec(name)
    if spec is None:
        known = ", ".join(f"/{known.name}" for known in catalogue.CATALOGUE)
        raise InvalidInput(f"unknown command /{name}; the commands are {known}")
    subs = spec.subcommand_names
    rest = tokens[1:]
    sub = spec.default
    if rest and rest[0].lower() in subs:
        sub = rest.pop(0).lower()
    elif rest and subs and ":" not in rest[0] and not spec.takes_text:
        raise InvalidInput(f"unknown subcommand '{rest[0]}' for /{name}; use one of {', '.join(subs)}")
    options: dict[str, str] = {}
    words: list[str] = []
    for token in rest:
        key, colon, value = token.partition(":")
        if colon and key and key.replace("-", "").replace("_", "").isalpha() and not words:
            options[key] = value
        else:
            words.append(token)
    return Command(name=name, sub=sub, options=normalise_options(options), text=" ".join(words))
