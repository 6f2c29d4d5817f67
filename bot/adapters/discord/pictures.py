"""A core picture as Discord shows it: the PNG uploaded with the message, shown as the image of an embed."""

from __future__ import annotations

import io

import discord

from bot.adapters.discord.embeds import COLOUR
from bot.core.pictures import Attachment


def picture_file(attachment: Attachment) -> discord.File:
    """A new upload each time: a `discord.File` is read once, and a deferred reply may be sent again."""
    return discord.File(io.BytesIO(attachment.data), filename=attachment.filename, description=attachment.alt_text)


def picture_embed(attachment: Attachment) -> discord.Embed:
    """The text stays in the message's content; the embed holds the picture under it."""
    embed = discord.Embed(colour=COLOUR)
    embed.set_image(url=f"attachment://{attachment.filename}")
    return embed
