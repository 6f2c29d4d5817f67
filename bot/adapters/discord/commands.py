"""The slash commands: each builds the core's `Command` from its options; the core decides and words the answer.

Moderator-only subcommands are visible to everyone (no ``default_member_permissions``, which would hide them from
a configured moderator role); the core refuses them when `Actor.is_moderator` is False.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.members import channel_ref
from bot.adapters.discord.responses import respond, send_failure
from bot.core.commands import Command
from bot.core.questions import Difficulty
from bot.core.refs import ChannelRef

log = logging.getLogger(__name__)

PUBLIC = {("leaderboard", None), ("qotd", "season")}  # everything else answers only the member who asked
DIFFICULTIES = [app_commands.Choice(name=level.value, value=level.value) for level in Difficulty]
PERIODS = [app_commands.Choice(name=p, value=p) for p in ("week", "month", "season", "all")]
SCOPES = [app_commands.Choice(name=s, value=s) for s in ("channel", "server")]


def topic_choices(topics: list[str], current: str) -> list[app_commands.Choice[str]]:
    """Complete the last of a comma-separated list of topics."""
    done, _, last = current.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = {part.strip() for part in done.split(",")}
    matches = [t for t in topics if t.startswith(last.strip().lower()) and t not in chosen]
    return [app_commands.Choice(name=(prefix + t)[:100], value=(prefix + t)[:100]) for t in matches[:25]]


def build_commands(ctx: AdapterContext) -> list[app_commands.Command | app_commands.Group]:
    async def run(
        interaction: discord.Interaction,
        name: str,
        sub: str | None = None,
        options: dict[str, str | None] | None = None,
        target: ChannelRef | None = None,
    ) -> None:
        given = {key: str(value) for key, value in (options or {}).items() if value not in (None, "")}
        command = Command(name, sub, given, target_channel=target)
        await respond(
            interaction, ctx.group.handle(ctx.actor(interaction), command, ctx.style), private=(name, sub) not in PUBLIC
        )

    async def complete_topics(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return topic_choices([str(topic) for topic in ctx.group.context.bank.topics()], current)

    qotd = app_commands.Group(name="qotd", description="The question of the day", guild_only=True)

    @qotd.command(name="setup", description="Start or change the daily question here (moderators)")
    @app_commands.describe(
        channel="Where to post (default: this channel)",
        time="Time of day, HH:MM (24-hour)",
        timezone="An IANA timezone such as Europe/Berlin",
        days="Weekdays: mon-fri, daily, or mon,wed,fri",
        topics="Comma-separated topics, or all",
        difficulty="easy, medium, hard (comma-separated), or all",
    )
    @app_commands.autocomplete(topics=complete_topics)
    async def setup(
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        time: str | None = None,
        timezone: str | None = None,
        days: str | None = None,
        topics: str | None = None,
        difficulty: str | None = None,
    ) -> None:
        target = channel_ref(interaction.guild_id, channel.id) if channel is not None else None
        where = channel or interaction.channel
        options = {"time": time, "timezone": timezone, "days": days, "topics": topics, "difficulty": difficulty}
        options["channel"] = getattr(where, "name", None)
        await run(interaction, "qotd", "setup", options, target)

    def simple(sub: str, description: str) -> None:
        async def callback(interaction: discord.Interaction) -> None:
            await run(interaction, "qotd", sub)

        qotd.add_command(app_commands.Command(name=sub, description=description, callback=callback))

    simple("now", "Post today's question now (moderators)")
    simple("skip", "Skip the next scheduled question (moderators)")
    simple("pause", "Pause the daily question (moderators)")
    simple("resume", "Resume the daily question (moderators)")
    simple("status", "The schedule, the next post and today's question")
    simple("season", "Start a new season: season points start again from 0 (moderators)")

    @app_commands.command(name="quiz", description="A private practice question with Hint, Answer and Reveal")
    @app_commands.describe(topic="Only this topic", difficulty="Only this difficulty")
    @app_commands.choices(difficulty=DIFFICULTIES)
    @app_commands.autocomplete(topic=complete_topics)
    @app_commands.guild_only()
    async def quiz(interaction: discord.Interaction, topic: str | None = None, difficulty: str | None = None) -> None:
        await run(interaction, "quiz", "start", {"topics": topic, "difficulty": difficulty})

    @app_commands.command(name="leaderboard", description="The standings")
    @app_commands.describe(period="week, month, season (default) or all time", scope="this channel or the server")
    @app_commands.choices(period=PERIODS, scope=SCOPES)
    @app_commands.guild_only()
    async def leaderboard(
        interaction: discord.Interaction, period: str | None = None, scope: str | None = None
    ) -> None:
        await run(interaction, "leaderboard", None, {"period": period, "scope": scope})

    @app_commands.command(name="stats", description="Your points, answers, streaks and topics")
    @app_commands.guild_only()
    async def stats(interaction: discord.Interaction) -> None:
        await run(interaction, "stats")

    @app_commands.command(name="resources", description="Study links")
    @app_commands.guild_only()
    async def resources(interaction: discord.Interaction) -> None:
        await run(interaction, "resources")

    bank = app_commands.Group(name="bank", description="Browse the question bank", guild_only=True)

    @bank.command(name="search", description="Find questions by words and topic")
    @app_commands.describe(query="Words to look for", topic="Only this topic")
    @app_commands.autocomplete(topic=complete_topics)
    async def search(interaction: discord.Interaction, query: str | None = None, topic: str | None = None) -> None:
        await run(interaction, "bank", "search", {"query": query, "topics": topic})

    @bank.command(name="show", description="Show one question by its id")
    @app_commands.describe(id="The question id, as /bank search lists it")
    async def show(interaction: discord.Interaction, id: str) -> None:
        await run(interaction, "bank", "show", {"id": id})

    @bank.command(name="topics", description="The topics and how many questions each has")
    async def topics(interaction: discord.Interaction) -> None:
        await run(interaction, "bank", "topics")

    return [qotd, quiz, leaderboard, stats, resources, bank]


async def on_command_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
    """The one error handler of the command tree: log it with its traceback, tell the member privately."""
    name = interaction.command.qualified_name if interaction.command else "?"
    if isinstance(error, app_commands.NoPrivateMessage):
        text = "This command works in a server channel, not in direct messages."
    else:
        log.error("/%s failed", name, exc_info=error)
        text = "Sorry, that failed on my side. It has been logged; please try again in a moment."
    await send_failure(interaction, text)
