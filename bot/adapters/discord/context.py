"""What every Discord handler needs: the study group, the Discord text style and the moderator roles."""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.adapters.discord.members import actor_of
from bot.adapters.discord.style import DiscordStyle
from bot.core.refs import Actor
from bot.core.studygroup import StudyGroup


@dataclass(frozen=True)
class AdapterContext:
    group: StudyGroup
    style: DiscordStyle
    moderator_roles: tuple[str, ...] = ()

    def actor(self, interaction: discord.Interaction) -> Actor:
        return actor_of(interaction, self.moderator_roles)
