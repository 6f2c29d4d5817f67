"""A core `Response` as a Discord interaction reply: text or embed, buttons, ephemeral when private.

Slow work (a post held up by rate limits) would miss Discord's 3-second deadline, so a reply that is not ready
within `BUDGET` seconds is deferred first and then filled in. The deadline counts from when Discord made the
interaction: the event's trip to the bot and the defer's trip back both spend it, so the budget leaves a second and
more for them. A deferred reply is filled in only while its token lives (15 minutes); after that, it is not tried.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import discord

from bot.adapters.discord.embeds import cut, question_embed
from bot.adapters.discord.pictures import picture_embed, picture_file
from bot.adapters.discord.style import NO_PINGS
from bot.core.messages import Action, ActionStyle, Response, error

log = logging.getLogger(__name__)

BUDGET = 1.0  # seconds of work before deferring: 3 s minus this is the slack for the network, both ways
TOKEN_LIFETIME = timedelta(minutes=15)
TOKEN_MARGIN = timedelta(seconds=30)  # our clock against Discord's, and the request's own trip
MAX_CONTENT = 2000
INPUT_SUFFIX = ":ask"  # a button whose action needs text first: it opens a modal instead of acting
_STYLES = {
    ActionStyle.PRIMARY: discord.ButtonStyle.primary,
    ActionStyle.SECONDARY: discord.ButtonStyle.secondary,
    ActionStyle.SUCCESS: discord.ButtonStyle.success,
    ActionStyle.DANGER: discord.ButtonStyle.danger,
}


def button_row(actions: Sequence[Action]) -> discord.ui.View | None:
    """Buttons whose custom ids are the core's action ids, so they keep working after a restart."""
    if not actions:
        return None
    view = discord.ui.View(timeout=None)
    for action in actions[:25]:
        custom_id = action.id + (INPUT_SUFFIX if action.needs_input else "")
        view.add_item(
            discord.ui.Button(label=action.label[:80], custom_id=custom_id[:100], style=_STYLES[action.style])
        )
    view.stop()  # presses are routed by custom id (see quiz.py), not by this short-lived object
    return view


def message_fields(response: Response) -> dict[str, Any]:
    fields: dict[str, Any] = {"allowed_mentions": NO_PINGS}
    if response.card is not None:
        fields["embed"] = question_embed(response.card)
    else:
        fields["content"] = cut(response.text or "Done.", MAX_CONTENT)
        if response.attachment is not None:
            fields["embed"] = picture_embed(response.attachment)
            fields["file"] = picture_file(response.attachment)
    view = button_row(response.actions)
    if view is not None:
        fields["view"] = view
    return fields


PUBLIC_DEFER = "studybot.deferred_publicly"  # in `Interaction.extras`: the "thinking..." reply is the channel's


async def send(interaction: discord.Interaction, response: Response) -> None:
    fields = message_fields(response)
    if not interaction.response.is_done():
        await interaction.response.send_message(**fields, ephemeral=response.private)
        return
    if response.private and interaction.extras.get(PUBLIC_DEFER):
        # Filling in the public reply would show a private answer (an error, say) to everyone: take it back and
        # tell the member alone.
        await interaction.delete_original_response()
        await interaction.followup.send(**fields, ephemeral=True)
        return
    fields.setdefault("content", None)
    fields.setdefault("embed", None)
    upload = fields.pop("file", None)
    fields["attachments"] = [upload] if upload is not None else []  # the "thinking..." reply has none to keep
    await interaction.edit_original_response(**fields)


async def send_failure(interaction: discord.Interaction, text: str) -> None:
    """Tell the member privately that what they asked for failed, whether or not the reply was deferred."""
    try:
        await send(interaction, error(text))
    except discord.HTTPException:
        log.warning("could not tell the member that their interaction failed")


def token_expired(interaction: discord.Interaction, now: datetime) -> bool:
    """Whether Discord no longer takes follow-ups on this interaction (its token is good for 15 minutes)."""
    return now - interaction.created_at > TOKEN_LIFETIME - TOKEN_MARGIN


async def respond(
    interaction: discord.Interaction,
    work: Awaitable[Response],
    *,
    private: bool = True,
    now: Callable[[], datetime] = discord.utils.utcnow,
) -> None:
    """Run `work` and answer with its response, deferring (ephemeral when `private`) if it takes too long."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=BUDGET)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=private, thinking=True)
        interaction.extras[PUBLIC_DEFER] = not private
    response = await task
    if interaction.response.is_done() and token_expired(interaction, now()):
        log.warning(
            "too late to answer interaction %s: it took over 15 minutes, so Discord no longer takes the reply "
            "(what it asked for was done)",
            interaction.id,
        )
        return
    await send(interaction, response)


def input_modal(custom_id: str, *, title: str, label: str) -> discord.ui.Modal:
    modal = discord.ui.Modal(title=title[:45] or "Your answer", custom_id=custom_id[:100], timeout=None)
    modal.add_item(discord.ui.TextInput(label=label[:45] or "Your answer", custom_id="value", max_length=1000))
    modal.stop()  # the submission is routed by custom id (see quiz.py), also after a restart
    return modal


def submitted_text(data: Any) -> str:
    """The first text input's value in a modal submission's components (action rows or labels)."""
    stack = list(reversed((data or {}).get("components") or []))
    while stack:
        item = stack.pop()
        if not isinstance(item, dict):
            continue
        if item.get("type") == 4 and "value" in item:
            return str(item.get("value") or "")
        nested = list(item.get("components") or [])
        if isinstance(item.get("component"), dict):
            nested.append(item["component"])
        stack.extend(reversed(nested))
    return ""
