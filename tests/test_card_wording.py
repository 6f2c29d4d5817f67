"""How a daily question reads on every platform: the closing time in the channel's timezone, and
follow-up parts numbered from 1."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.adapters.discord.embeds import question_embed
from bot.adapters.slack.blocks import card_blocks
from bot.core.ports import QuestionCard
from bot.core.render import card_text
from bot.core.style import TextStyle
from tests.core.test_daily_loop import CHANNEL, mod, run

CARD = QuestionCard("q", "Two parts", "The lead question.", "Statistics", "easy", parts=("First part", "Second part"))


def test_parts_are_numbered_from_one_on_every_platform() -> None:
    assert "  1. First part\n  2. Second part" in card_text(CARD, TextStyle())
    assert "1. First part\n2. Second part" in str(question_embed(CARD).description)
    texts = [block["text"]["text"] for block in card_blocks(CARD) if block["type"] == "section"]
    assert "1. First part\n2. Second part" in texts


async def test_answers_close_in_the_channels_timezone(group, platform, clock) -> None:
    assert (await run(group, mod(), "/qotd setup time:09:00 tz:Europe/Berlin")).ok
    clock.set(datetime(2026, 11, 23, 8, 1, tzinfo=UTC))  # 09:01 in Berlin
    result = await group.post_if_due(await group.context.store.get_channel(CHANNEL))
    assert result.outcome == "posted"
    [(_, card, _)] = platform.posts
    assert card.footer.endswith("answers close Wed 25 Nov 09:01 Europe/Berlin."), card.footer
    assert "UTC" not in card.footer
