"""The daily post's Answer button and the form it opens: a paragraph for a private answer, filled with the member's
answer when they change it. Routed by custom id (a core `AnswerAction`), so the button works after a restart."""

from __future__ import annotations

import logging
from typing import Any, cast

import discord

from bot.adapters.discord.context import AdapterContext
from bot.adapters.discord.responses import INPUT_SUFFIX, respond, send_failure, submitted_text
from bot.core.answer_actions import AnswerAction

log = logging.getLogger(__name__)

MAX_ANSWER = 1_800  # what one revealed message can show of it


def answer_form(custom_id: str, draft: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(title="Your answer", custom_id=custom_id[:100], timeout=None)
    modal.add_item(
        discord.ui.TextInput(
            label="Only you see it until the question closes",
            custom_id="value",
            style=discord.TextStyle.paragraph,
            default=draft[:MAX_ANSWER] or None,
            max_length=MAX_ANSWER,
        )
    )
    modal.stop()  # the submission is routed by custom id, also after a restart
    return modal


async def on_answer_interaction(ctx: AdapterContext, interaction: discord.Interaction) -> bool:
    """Handle an answer button or form; False when the interaction is not one."""
    kind = interaction.type
    custom_id = str(cast(dict[str, Any], interaction.data or {}).get("custom_id") or "")
    if kind not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
        return False
    if not AnswerAction.claims(custom_id):
        return False
    try:
        if kind is discord.InteractionType.component and custom_id.endswith(INPUT_SUFFIX):
            action_id = custom_id[: -len(INPUT_SUFFIX)]
            draft = await ctx.group.desk.draft(ctx.actor(interaction).member.ref, action_id)
            await interaction.response.send_modal(answer_form(action_id, draft))
            return True
        value = submitted_text(interaction.data) if kind is discord.InteractionType.modal_submit else ""
        press = ctx.group.press(ctx.actor(interaction), custom_id, value, ctx.style)
        await respond(interaction, press, now=ctx.group.context.now)
    except Exception:
        log.exception("answer action %s failed", custom_id)
        await send_failure(interaction, "Sorry, that failed on my side. It has been logged; try again.")
    return True
