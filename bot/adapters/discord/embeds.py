"""A QuestionCard as a Discord embed, carrying a post key that `find_question_post` can recognise later."""

from __future__ import annotations

import hashlib

import discord

from bot.core.ports import QuestionCard

COLOUR = discord.Colour.blurple()
KEY_PREFIX = "ref "


def cut(text: str, limit: int) -> str:
    """`text` within one of Discord's length limits, ending in … when shortened."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def question_embed(card: QuestionCard, *, post_key: str | None = None) -> discord.Embed:
    description = card.prompt
    if card.parts:
        description += "\n" + "\n".join(f"{number}. {part}" for number, part in enumerate(card.parts, start=1))
    embed = discord.Embed(
        title=cut(f"{card.heading}: {card.title}", 256), description=cut(description, 4096), colour=COLOUR
    )
    embed.add_field(name="Topic", value=cut(card.topic, 1024) or "-", inline=True)
    embed.add_field(name="Difficulty", value=cut(card.difficulty, 1024) or "-", inline=True)
    if card.companies:
        embed.add_field(name="Asked at", value=cut(", ".join(card.companies), 1024), inline=True)
    footer = [card.footer] if card.footer else []
    if post_key:
        footer.append(KEY_PREFIX + post_key)
    if footer:
        embed.set_footer(text=cut("\n".join(footer), 2048))
    return embed


def carries_key(embeds: list[discord.Embed], post_key: str) -> bool:
    return any((embed.footer.text or "").endswith(KEY_PREFIX + post_key) for embed in embeds)


def nonce_for(post_key: str) -> str:
    """Discord nonces are at most 25 characters; with ``enforce_nonce`` a retried send is not posted twice."""
    return hashlib.sha256(post_key.encode()).hexdigest()[:25]


def thread_name(card: QuestionCard) -> str:
    return cut(card.title, 100) or "Answers"
