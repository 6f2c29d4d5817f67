"""The slash commands: each builds the core's `Command` from its options; the core decides and words the answer.

Moderator-only subcommands are visible to everyone (no ``default_member_permissions``, which would hide them from
a configured moderator role); the core refuses them when `Actor.is_moderator` is False.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
from discord import app_commands

from bot.adapters.discord.channels import bot_permissions, why_unsuitable
from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.members import channel_ref
from bot.adapters.discord.responses import respond, send, send_failure
from bot.core import catalogue
from bot.core.catalogue import CommandSpec, Option, OptionKind, Subcommand
from bot.core.commands import Command
from bot.core.messages import error
from bot.core.refs import ChannelRef

log = logging.getLogger(__name__)

Run = Callable[[discord.Interaction, CommandSpec, Subcommand, dict[str, Any]], Awaitable[None]]
Complete = Callable[[discord.Interaction, str], Coroutine[Any, Any, list[app_commands.Choice[str]]]]


def topic_choices(topics: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Complete the last of a comma-separated list of topics."""
    done, _, last = current.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = {part.strip() for part in done.split(",")}
    matches = [t for t in topics if t.startswith(last.strip().lower()) and t not in chosen]
    return [app_commands.Choice(name=(prefix + t)[:100], value=(prefix + t)[:100]) for t in matches[:25]]


def tree_subcommands(spec: CommandSpec) -> tuple[Subcommand, ...]:
    """The subcommands in Discord's tree: quiz steps are buttons there, not commands."""
    return tuple(sub for sub in spec.subcommands if not sub.button)


def _parameter(option: Option) -> inspect.Parameter:
    # Text channels (announcement ones included) and forums: the channels that can hold a daily question.
    annotation: Any = discord.TextChannel | discord.ForumChannel if option.kind is OptionKind.CHANNEL else str
    if option.required:
        return inspect.Parameter(option.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)
    return inspect.Parameter(
        option.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation | None, default=None
    )


def _callback(spec: CommandSpec, sub: Subcommand, run: Run, complete_topics: Complete) -> Any:
    """A callback whose signature is the subcommand's options, as discord.py reads a command's parameters."""

    async def callback(interaction: discord.Interaction, **values: Any) -> None:
        await run(interaction, spec, sub, values)

    first = inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)
    options = sorted(sub.options, key=lambda option: not option.required)  # required ones first, as Discord wants
    callback.__signature__ = inspect.Signature([first, *map(_parameter, options)])  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = f"{spec.name}_{sub.name or spec.name}"
    if sub.options:
        app_commands.describe(**{option.name: option.description for option in sub.options})(callback)
    choices = {
        option.name: [app_commands.Choice(name=choice, value=choice) for choice in option.choices]
        for option in sub.options
        if option.choices
    }
    if choices:
        app_commands.choices(**choices)(callback)
    completing = {option.name: complete_topics for option in sub.options if option.completes_topics}
    if completing:
        app_commands.autocomplete(**completing)(callback)
    return callback


def build_commands(ctx: AdapterContext) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """The command tree, from the core's catalogue: a group where there is more than one subcommand."""

    async def run(interaction: discord.Interaction, spec: CommandSpec, sub: Subcommand, values: dict[str, Any]) -> None:
        given: dict[str, str] = {}
        target: ChannelRef | None = None
        for option in sub.options:
            value = values.get(option.name)
            if option.kind is OptionKind.CHANNEL:
                where = value or interaction.channel
                if spec.name == "qotd" and sub.name == "setup":
                    problem = why_unsuitable(where, bot_permissions(interaction, where))
                    if problem is not None:
                        await send(interaction, error(problem))
                        return
                if value is not None:
                    target = channel_ref(interaction.guild_id, value.id)
                value = getattr(where, "name", None)
            if value not in (None, ""):
                given[option.core_key] = str(value)
        command = Command(spec.name, sub.name, given, target_channel=target)
        work = ctx.group.handle(ctx.actor(interaction), command, ctx.style)
        await respond(interaction, work, private=not command.public, now=ctx.group.context.now)

    async def complete_topics(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices([str(topic) for topic in ctx.group.context.bank.topics()], current)

    tree: list[app_commands.Command[Any, ..., None] | app_commands.Group] = []
    for spec in catalogue.slash_commands():
        subs = tree_subcommands(spec)
        if len(subs) == 1:
            [sub] = subs
            callback = app_commands.guild_only()(_callback(spec, sub, run, complete_topics))
            tree.append(app_commands.Command(name=spec.name, description=sub.described, callback=callback))
            continue
        group = app_commands.Group(name=spec.name, description=spec.description, guild_only=True)
        for sub in subs:
            callback = _callback(spec, sub, run, complete_topics)
            group.add_command(app_commands.Command(name=str(sub.name), description=sub.described, callback=callback))
        tree.append(group)
    return tree


async def on_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """The one error handler of the command tree: log it with its traceback, tell the member privately."""
    name = interaction.command.qualified_name if interaction.command else "?"
    if isinstance(error, app_commands.NoPrivateMessage):
        text = "This command works in a server channel, not in direct messages."
    else:
        log.error("/%s failed", name, exc_info=error)
        text = "Sorry, that failed on my side. It has been logged; please try again in a moment."
    await send_failure(interaction, text)
