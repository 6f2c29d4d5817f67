"""Quiz buttons and the answer modal, routed by custom id (a core `QuizAction`), so they survive restarts.

Buttons are plain components, not a registered ``View``: every press reaches `on_quiz_interaction` through the
client's ``on_interaction`` and goes to `StudyGroup.press` with its custom id as the action id.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import discord

from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.responses import INPUT_SUFFIX, input_modal, respond, send_failure, submitted_text
from bot.core.actions import QuizAction

log = logging.getLogger(__name__)


def _custom_id(interaction: discord.Interaction) -> str:
    data = cast(dict[str, Any], interaction.data or {})
    return str(data.get("custom_id") or "")


def _button_label(interaction: discord.Interaction, custom_id: str) -> str:
    for row in getattr(interaction.message, "components", None) or []:
        for item in getattr(row, "children", []):
            if getattr(item, "custom_id", None) == custom_id:
                return str(getattr(item, "label", "") or "")
    return ""


async def on_quiz_interaction(ctx: AdapterContext, interaction: discord.Interaction) -> bool:
    """Handle a quiz button press or modal submission; False when the interaction is not ours."""
    kind = interaction.type
    custom_id = _custom_id(interaction)
    if kind not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
        return False
    if not QuizAction.claims(custom_id):
        return False
    try:
        if kind is discord.InteractionType.component and custom_id.endswith(INPUT_SUFFIX):
            title = _button_label(interaction, custom_id) or "Your answer"
            await interaction.response.send_modal(
                input_modal(custom_id[: -len(INPUT_SUFFIX)], title=title, label="Your answer")
            )
            return True
        value = submitted_text(interaction.data) if kind is discord.InteractionType.modal_submit else ""
        press = ctx.group.press(ctx.actor(interaction), custom_id, value, ctx.style)
        await respond(interaction, press, now=ctx.group.context.now)
    except Exception:
        log.exception("quiz action %s failed", custom_id)
        await send_failure(interaction, "Sorry, that failed on my side. It has been logged; try /quiz again.")
    return True
