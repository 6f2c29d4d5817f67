"""Slash commands as the core understands them, and the parser for text platforms (`key:value` options)."""

from __future__ import annotations

import difflib
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
    found = spec.sub(sub)
    allowed = _option_keys(found)
    takes_text = bool(found and found.text)
    options: dict[str, str] = {}
    words: list[str] = []
    for token in rest:
        key, colon, value = token.partition(":")
        looks_like_option = bool(colon and key and key.replace("-", "").replace("_", "").isalpha())
        if looks_like_option and not words:
            normalised = OPTION_ALIASES.get(key.lower(), key.lower())
            if normalised in allowed:
                options[normalised] = value
                continue
            if not takes_text:  # free text such as a quiz answer may hold a colon (p:0.5)
                raise InvalidInput(_unknown_option(name, sub, key, allowed))
        if not takes_text:
            raise InvalidInput(_stray_word(name, sub, token, allowed))
        words.append(token)
    return Command(name=name, sub=sub, options=options, text=" ".join(words))


def _option_keys(sub: catalogue.Subcommand | None) -> set[str]:
    """The options `sub` reads, by the core's name for them."""
    if sub is None:
        return set()
    return {OPTION_ALIASES.get(option.name, option.name) for option in sub.options} | {
        option.core_key for option in sub.options
    }


def _label(name: str, sub: str | None) -> str:
    return f"/{name}" + (f" {sub}" if sub else "")


def _choices(allowed: set[str]) -> str:
    if not allowed:
        return "it takes no options"
    return "its options are " + ", ".join(f"{key}:" for key in sorted(allowed))


def _unknown_option(name: str, sub: str | None, key: str, allowed: set[str]) -> str:
    close = difflib.get_close_matches(key.lower(), sorted(allowed), n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]}:?" if close else ""
    return f"{_label(name, sub)} has no option '{key}:'; {_choices(allowed)}.{hint}"


def _stray_word(name: str, sub: str | None, word: str, allowed: set[str]) -> str:
    hint = ""
    if word.startswith(("#", "<#")) and "channel" in allowed:
        hint = f" To choose the channel, write channel:{word}."
    elif allowed:
        hint = " Write options as key:value."
    return f"{_label(name, sub)} does not understand '{word}'; {_choices(allowed)}.{hint}"
