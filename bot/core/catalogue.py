"""Every command studybot understands, said once: names, subcommands, options, who may run it, who sees the
answer, and its help line.

The text parser (console and Slack), `/help`, the moderator check, the Discord command tree and the Slack app
manifest are all built from `CATALOGUE`; tests/test_catalogue.py checks that each of them agrees with it.
Command and option names are fixed by the product: operators, docs and members rely on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.core.actions import QuizMove
from bot.core.focus import Focus
from bot.core.questions import Difficulty


class Who(StrEnum):
    EVERYONE = "everyone"
    MODERATORS = "moderators"


class OptionKind(StrEnum):
    TEXT = "text"
    CHANNEL = "channel"  # a channel picker where the platform has one; a name or #link in text
    CHOICE = "choice"  # one of `choices`


@dataclass(frozen=True, slots=True)
class Option:
    name: str  # as members type it (`topic:` on /quiz, `topics:` on /qotd setup)
    description: str
    value: str  # what the value looks like, for help: HH:MM, Area/City
    key: str = ""  # the core's name for it when it differs from `name`
    kind: OptionKind = OptionKind.TEXT
    choices: tuple[str, ...] = ()
    required: bool = False
    completes_topics: bool = False  # offer the bank's topic names while typing (Discord autocomplete)

    @property
    def core_key(self) -> str:
        return self.key or self.name

    def usage(self) -> str:
        written = f"{self.name}:{'|'.join(self.choices) if self.choices else self.value}"
        return written if self.required else f"[{written}]"


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str | None  # None for a command without subcommands
    help: str
    options: tuple[Option, ...] = ()
    who: Who = Who.EVERYONE
    public: bool = False  # the answer is shown to the channel; otherwise only to the member who asked
    text: str = ""  # free text after the options, for help (`/quiz answer TEXT`); empty when it takes none
    button: bool = False  # a step Discord and Slack offer as a button, so it is not in Discord's command tree

    @property
    def described(self) -> str:
        """The help line with who may run it, as Discord shows it beside the command."""
        return self.help + (" (moderators)" if self.who is Who.MODERATORS else "")


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    description: str
    subcommands: tuple[Subcommand, ...]
    default: str | None = None  # the subcommand run when none is given
    example: str = ""  # what follows the command in a typical use (Slack's usage hint)
    slash: bool = True  # registered as a slash command on Discord and Slack; False: typed in the console only

    def sub(self, name: str | None) -> Subcommand | None:
        return next((sub for sub in self.subcommands if sub.name == name), None)

    @property
    def subcommand_names(self) -> tuple[str, ...]:
        return tuple(sub.name for sub in self.subcommands if sub.name is not None)

    @property
    def takes_text(self) -> bool:
        """Whether some subcommand reads free text, so an unknown first word is text, not a wrong subcommand."""
        return any(sub.text for sub in self.subcommands)


_DIFFICULTIES = tuple(level.value for level in Difficulty)
_FOCUS = tuple(focus.value for focus in Focus)
_WHICH_CHANNEL = Option("channel", "Which channel (default: this channel)", "#channel", kind=OptionKind.CHANNEL)
_TOPIC = Option("topic", "Only this topic", "T", key="topics", completes_topics=True)

CATALOGUE: tuple[CommandSpec, ...] = (
    CommandSpec(
        "qotd",
        "The question of the day",
        (
            Subcommand(
                "setup",
                "Start or change the daily question here",
                (
                    Option("channel", "Where to post (default: this channel)", "#channel", kind=OptionKind.CHANNEL),
                    Option("time", "Time of day, HH:MM (24-hour)", "HH:MM"),
                    Option("timezone", "An IANA timezone such as Europe/Berlin", "Area/City"),
                    Option("days", "Weekdays: mon-fri, daily, or mon,wed,fri", "mon-fri"),
                    Option("topics", "Comma-separated topics, or all", "a,b", completes_topics=True),
                    Option("difficulty", "easy, medium, hard (comma-separated), or all", "easy,medium"),
                    Option(
                        "recap",
                        "A weekly recap here on Mondays at the daily time",
                        "on|off",
                        kind=OptionKind.CHOICE,
                        choices=("on", "off"),
                    ),
                    Option(
                        "focus",
                        "weakest: pick more from the topics members recall worst; off: evenly",
                        "weakest",
                        kind=OptionKind.CHOICE,
                        choices=_FOCUS,
                    ),
                    Option(
                        "answers",
                        "thread: replies everyone sees; private: an Answer button, shown at the close",
                        "M",
                        kind=OptionKind.CHOICE,
                        choices=("thread", "private"),
                    ),
                ),
                who=Who.MODERATORS,
            ),
            Subcommand("now", "Post today's question now", (_WHICH_CHANNEL,), who=Who.MODERATORS),
            Subcommand("skip", "Skip the next scheduled question", (_WHICH_CHANNEL,), who=Who.MODERATORS),
            Subcommand("pause", "Pause the daily question", (_WHICH_CHANNEL,), who=Who.MODERATORS),
            Subcommand("resume", "Resume the daily question", (_WHICH_CHANNEL,), who=Who.MODERATORS),
            Subcommand("status", "The schedule, the next post and today's question", (_WHICH_CHANNEL,)),
            Subcommand(
                "reveal", "Show today's private answers in the thread now", (_WHICH_CHANNEL,), who=Who.MODERATORS
            ),
            Subcommand(
                "season", "Start a new season: season points start again from 0", who=Who.MODERATORS, public=True
            ),
        ),
        default="status",
        example="setup time:09:00 tz:Europe/Berlin",
    ),
    CommandSpec(
        "quiz",
        "A private practice question",
        (
            Subcommand(
                "start",
                "A private practice question with Hint, Answer and Reveal",
                (
                    _TOPIC,
                    Option("difficulty", "Only this difficulty", "D", kind=OptionKind.CHOICE, choices=_DIFFICULTIES),
                ),
            ),
            Subcommand(QuizMove.HINT.value, "A hint for your quiz question", button=True),
            Subcommand(QuizMove.REVEAL.value, "The key points of a good answer", button=True),
            Subcommand(QuizMove.ANSWER.value, "Check your answer to a question with one", text="TEXT", button=True),
            Subcommand(QuizMove.GOT.value, "You got it", button=True),
            Subcommand(QuizMove.PARTLY.value, "You partly got it", button=True),
            Subcommand(QuizMove.MISSED.value, "You missed it", button=True),
        ),
        default="start",
        example="topic:probability difficulty:easy",
    ),
    CommandSpec(
        "leaderboard",
        "The standings",
        (
            Subcommand(
                None,
                "The standings",
                (
                    Option(
                        "period",
                        "week, month, season (default) or all time",
                        "P",
                        kind=OptionKind.CHOICE,
                        choices=("week", "month", "season", "all"),
                    ),
                    Option(
                        "scope",
                        "this channel or the server",
                        "S",
                        kind=OptionKind.CHOICE,
                        choices=("channel", "server"),
                    ),
                ),
                public=True,
            ),
        ),
        example="period:week scope:channel",
    ),
    CommandSpec(
        "review",
        "Your questions due for review",
        (
            Subcommand("next", "Your next question due for review, with Hint, Answer and Reveal", (_TOPIC,)),
            Subcommand(
                "remind",
                "A private reminder at your local time on days you have reviews due; off stops it",
                (
                    Option("time", "Time of day, HH:MM (24-hour), or off", "HH:MM"),
                    Option("timezone", "An IANA timezone such as Europe/Berlin", "Area/City"),
                ),
                text="off",
            ),
        ),
        default="next",
        example="topic:probability | remind time:08:00 tz:Europe/Berlin | remind off",
    ),
    CommandSpec(
        "goal",
        "Your study goal: the day to be ready by",
        (
            Subcommand(
                "set",
                "Plan new questions and reviews a day to be ready by a date",
                (
                    Option("date", "The day to be ready by, YYYY-MM-DD", "YYYY-MM-DD", required=True),
                    Option("topics", "Comma-separated topics, or all", "a,b", completes_topics=True),
                ),
            ),
            Subcommand("off", "Drop your study goal"),
        ),
        default="set",
        example="date:2027-01-15 topics:statistics,probability",
    ),
    CommandSpec(
        "stats",
        "Your points, answers, streaks, topics and readiness",
        (Subcommand(None, "Your points, answers, streaks, topics and readiness by topic", (_TOPIC,)),),
        example="topic:statistics",
    ),
    CommandSpec("resources", "Study links", (Subcommand(None, "Study links"),)),
    CommandSpec(
        "bank",
        "Browse the question bank",
        (
            Subcommand(
                "search",
                "Find questions by words and topic",
                (Option("query", "Words to look for", "WORDS"), _TOPIC),
                text="WORDS",
            ),
            Subcommand(
                "show",
                "Show one question by its id",
                (Option("id", "The question id, as /bank search lists it", "ID", required=True),),
                text="ID",
            ),
            Subcommand("topics", "The topics and how many questions each has"),
        ),
        default="search",
        example="search:bayes | show id:ID | topics",
    ),
    CommandSpec(
        "answer",
        "Answer the question of the day privately",
        (Subcommand(None, "Your private answer to this channel's question (or your new text for it)", text="TEXT"),),
        slash=False,
    ),
    CommandSpec("help", "The commands", (Subcommand(None, "The commands"),), slash=False),
)

# Other spellings text platforms accept for an option (`tz:Europe/Berlin`).
OPTION_ALIASES = {
    "tz": "timezone",
    "difficulties": "difficulty",
    "level": "difficulty",
    "topic": "topics",
    "q": "query",
    "search": "query",  # /bank search:bayes
}

_BY_NAME = {spec.name: spec for spec in CATALOGUE}


def command_spec(name: str) -> CommandSpec | None:
    return _BY_NAME.get(name)


def find(name: str, sub: str | None) -> Subcommand | None:
    """The subcommand `/name sub` runs (its default one when `sub` is None), or None when there is none."""
    spec = _BY_NAME.get(name)
    if spec is None:
        return None
    return spec.sub(sub) or (spec.sub(spec.default) if sub is None else None)


def needs_moderator(name: str, sub: str | None) -> bool:
    found = find(name, sub)
    return found is not None and found.who is Who.MODERATORS


def is_public(name: str, sub: str | None) -> bool:
    """Whether the answer to a successful `/name sub` is shown to the channel (errors are always private)."""
    found = find(name, sub)
    return found is not None and found.public


def slash_commands() -> tuple[CommandSpec, ...]:
    """The commands registered on Discord and Slack, in the order they are listed."""
    return tuple(spec for spec in CATALOGUE if spec.slash)


def usage(spec: CommandSpec, sub: Subcommand) -> str:
    """`/bank show id:ID` as help writes it; `/quiz [topic:T]`: the default subcommand's name is left out when
    it takes options and no free text (the options alone say which it is)."""
    words = [f"/{spec.name}"]
    if sub.name is not None and not (sub.name == spec.default and sub.options and not sub.text):
        words.append(sub.name)
    words += [option.usage() for option in sub.options]
    if sub.text and not sub.options:
        words.append(sub.text)
    return " ".join(words)


def help_text() -> str:
    """One line per command and subcommand: how to write it, what it does, and who may run it."""
    lines = []
    for spec in CATALOGUE:
        for sub in spec.subcommands:
            lines.append(f"{usage(spec, sub)} · {sub.described}")
    lines.append("On Slack and in the console options are written key:value; tz: works for timezone:.")
    return "\n".join(lines)
