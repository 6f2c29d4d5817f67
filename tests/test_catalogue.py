"""Every place that lists the commands agrees with the core's catalogue: the text parser, /help, the moderator
check, who sees the answer, the Discord command tree, the Slack manifest and the Slack listeners.

A command, subcommand or option added in only one of those places fails here."""

from __future__ import annotations

from typing import Any, cast

import discord
import pytest
from discord import app_commands

from bot.adapters.discord.commands import build_commands, tree_subcommands
from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.style import DiscordStyle
from bot.adapters.slack.commands import COMMANDS as SLACK_COMMANDS
from bot.adapters.slack.manifest import manifest
from bot.core import catalogue
from bot.core.actions import QuizMove
from bot.core.catalogue import CATALOGUE, OptionKind, Who
from bot.core.commands import Command, parse_command
from bot.core.studygroup import StudyGroup

SUBCOMMANDS = [(spec, sub) for spec in CATALOGUE for sub in spec.subcommands]


def _label(spec: catalogue.CommandSpec, sub: catalogue.Subcommand) -> str:
    return f"/{spec.name}" + (f" {sub.name}" if sub.name else "")


def discord_tree() -> dict[str, app_commands.Command[Any, ..., None] | app_commands.Group]:
    ctx = AdapterContext(cast(StudyGroup, None), DiscordStyle())  # the callbacks are not run here
    return {command.name: command for command in build_commands(ctx)}


def test_the_names_the_product_fixes() -> None:
    assert [spec.name for spec in catalogue.slash_commands()] == [
        "qotd",
        "quiz",
        "leaderboard",
        "review",
        "goal",
        "stats",
        "resources",
        "bank",
    ]
    assert parse_command("/review topic:probability").options == {"topics": "probability"}
    assert parse_command("/stats topic:statistics").options == {"topics": "statistics"}
    goal = parse_command("/goal date:2027-01-15 topics:statistics")
    assert (goal.sub, goal.options) == ("set", {"date": "2027-01-15", "topics": "statistics"})
    assert parse_command("/goal off").sub == "off"
    qotd = catalogue.command_spec("qotd")
    assert qotd is not None
    assert set(qotd.subcommand_names) >= {"setup", "now", "skip", "pause", "resume", "status", "season"}
    setup = qotd.sub("setup")
    assert setup is not None and [o.name for o in setup.options][:5] == [
        "channel",
        "time",
        "timezone",
        "days",
        "topics",
    ]
    assert parse_command("/qotd setup tz:Europe/Berlin").options == {"timezone": "Europe/Berlin"}
    # moderators run everything under /qotd but status; members may run status and everything else
    assert {(s.name, sub.name) for s, sub in SUBCOMMANDS if sub.who is Who.MODERATORS} == {
        ("qotd", name) for name in ("setup", "now", "skip", "pause", "resume", "reveal", "season")
    }
    # the leaderboard and a new season are announced to the channel; every other answer is private
    assert {(s.name, sub.name) for s, sub in SUBCOMMANDS if sub.public} == {("leaderboard", None), ("qotd", "season")}


def test_the_core_handles_every_command_in_the_catalogue_and_no_other() -> None:
    assert set(StudyGroup._handlers(cast(StudyGroup, object.__new__(StudyGroup)))) == {s.name for s in CATALOGUE}
    quiz = catalogue.command_spec("quiz")
    assert quiz is not None and {s.name for s in quiz.subcommands if s.button} == {m.value for m in QuizMove}


@pytest.mark.parametrize(("spec", "sub"), SUBCOMMANDS, ids=[_label(s, sub) for s, sub in SUBCOMMANDS])
def test_the_text_parser_reads_every_subcommand_and_option(spec: catalogue.CommandSpec, sub: Any) -> None:
    words = [f"/{spec.name}"] + ([sub.name] if sub.name else []) + [f"{o.name}:x" for o in sub.options]
    command = parse_command(" ".join(words))
    assert (command.name, command.sub) == (spec.name, sub.name)
    assert command.options == {option.core_key: "x" for option in sub.options}
    assert command.needs_moderator == (sub.who is Who.MODERATORS)
    assert command.public == sub.public
    assert parse_command(f"/{spec.name}").sub == spec.default


def test_help_lists_every_subcommand_with_its_options_and_who_may_run_it() -> None:
    lines = catalogue.help_text().splitlines()
    for spec, sub in SUBCOMMANDS:
        [line] = [line for line in lines if line.startswith(catalogue.usage(spec, sub) + " · ")]
        assert line.startswith(_label(spec, sub)) or sub.name == spec.default
        assert all(f"{option.name}:" in line for option in sub.options)
        assert line.endswith("(moderators)") == (sub.who is Who.MODERATORS)


def test_the_discord_tree_is_the_catalogue() -> None:
    tree = discord_tree()
    assert list(tree) == [spec.name for spec in catalogue.slash_commands()]
    for spec in catalogue.slash_commands():
        node = tree[spec.name]
        subs = tree_subcommands(spec)
        if isinstance(node, app_commands.Group):
            assert [c.name for c in node.commands] == [sub.name for sub in subs]
            commands = {c.name: c for c in node.commands}
            pairs = [(cast(app_commands.Command[Any, ..., None], commands[str(sub.name)]), sub) for sub in subs]
            assert node.guild_only
        else:
            assert len(subs) == 1
            pairs = [(node, subs[0])]
        for command, sub in pairs:
            assert command.description == sub.described
            assert command.guild_only or isinstance(node, app_commands.Group)
            parameters = {p.name: p for p in command.parameters}
            assert set(parameters) == {option.name for option in sub.options}, _label(spec, sub)
            for option in sub.options:
                parameter = parameters[option.name]
                assert parameter.description == option.description
                assert parameter.required == option.required
                assert [c.value for c in parameter.choices] == list(option.choices)
                assert parameter.autocomplete == option.completes_topics
                expected = discord.AppCommandOptionType.channel if option.kind is OptionKind.CHANNEL else None
                assert expected is None or parameter.type is expected


def test_the_slack_manifest_and_listeners_are_the_catalogue() -> None:
    names = [spec.name for spec in catalogue.slash_commands()]
    assert list(SLACK_COMMANDS) == names
    commands = manifest()["features"]["slash_commands"]
    assert [c["command"] for c in commands] == [f"/{name}" for name in names]
    for entry, spec in zip(commands, catalogue.slash_commands(), strict=True):
        assert entry["description"].startswith(spec.description) and len(entry["description"]) <= 100
        assert all(name in entry["description"] for name in spec.subcommand_names)
        assert entry.get("usage_hint", "") == spec.example


def test_an_unknown_command_names_the_catalogue() -> None:
    with pytest.raises(Exception, match="the commands are /qotd, /quiz"):
        parse_command("/dance")
    assert Command("qotd").needs_moderator is False  # no subcommand: /qotd status
