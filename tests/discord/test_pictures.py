"""On Discord a card is uploaded with the reply and shown as its embed's image, the text above it unchanged."""

from __future__ import annotations

import asyncio

import aiohttp

from bot.adapters.discord import responses
from bot.pictures import leaderboard_card as board
from bot.pictures import theme
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.models import Message
from tests.pictures.looking import decode, shows_text

from .harness import Running, text_of


async def uploaded_card(fake: FakeDiscord, message: Message) -> tuple[dict, bytes]:
    """The message's one upload, and its bytes as Discord's CDN serves them at the url its embed shows."""
    [attachment] = message.attachments
    [embed] = message.embeds
    assert embed["image"]["url"] == attachment["url"]
    async with aiohttp.ClientSession() as session, session.get(attachment["url"]) as got:
        assert got.status == 200 and got.content_type == "image/png"
        return attachment, await got.read()


async def test_the_leaderboard_card_is_the_embeds_image_under_the_text(bot: Running, fake: FakeDiscord, people):
    alice = people["alice"]
    board_reply = await bot.command(alice, "leaderboard", {"period": "all"})
    assert text_of(board_reply).endswith("No points yet: answer the question of the day to get on the board.")
    assert board_reply.original is not None
    attachment, data = await uploaded_card(fake, board_reply.original)
    assert attachment["filename"] == "leaderboard.png"
    assert attachment["description"] == "Leaderboard · this channel · all time: no points yet."
    card = decode(data)
    assert card.size == (theme.WIDTH, board.EMPTY_HEIGHT)
    assert shows_text(card, (theme.WIDTH / 2, 302), "No points yet", size=theme.TITLE_SIZE, bold=True, anchor="mm")


async def test_a_deferred_stats_reply_is_filled_in_with_its_card(bot: Running, fake: FakeDiscord, people, monkeypatch):
    monkeypatch.setattr(responses, "BUDGET", 0.05)
    answer = bot.group.handle

    async def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.2)  # past the budget: the reply is deferred, then filled in
        return await answer(*args, **kwargs)

    monkeypatch.setattr(bot.group, "handle", slow)
    handle = await bot.command(people["alice"], "stats")
    assert handle.response_type == 5 and handle.ephemeral
    original = await handle.wait_original(lambda message: bool(message.attachments))
    assert "Points: 0 all time" in original.content and "Answered on 0 days in the last 26 weeks" in original.content
    attachment, data = await uploaded_card(fake, original)
    assert attachment["filename"] == "stats.png" and attachment["description"].startswith("Stats for ")
    assert decode(data).width == theme.WIDTH
