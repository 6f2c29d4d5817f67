"""A group that upvotes with 🔥 and marks best answers with ⭐: those score on Discord, the default 👍 and ✅ not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core.usecases.answers import Verdict
from tests.fakes.discord import FakeDiscord

from .harness import Running, discord_settings

ALICE = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."


@pytest.fixture
def settings(fake: FakeDiscord, tmp_path: Path) -> Settings:
    path = tmp_path / "studybot.toml"
    path.write_text('[scoring]\nupvote_emoji = ["🔥"]\nbest_answer_emoji = ["⭐"]\n', encoding="utf-8")
    rules = load_settings(path, {}).rules
    return dataclasses.replace(discord_settings(fake, tmp_path / "studybot.db"), rules=rules)


async def test_configured_emoji_score_and_the_defaults_do_not(bot: Running, fake: FakeDiscord, people) -> None:
    boss, alice, bob = people["boss"], people["alice"], people["bob"]
    await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "days": "daily"}, "setup")
    await bot.command(boss, "qotd", sub="now")
    [post] = bot.question_posts()
    a1, verdict = await bot.say(fake.channels[post.id], alice, ALICE)
    assert verdict is Verdict.SCORED

    # reactions are handled in the order they arrive: once the configured one is seen, the default one was too
    await fake.user_react(a1, bob, "👍")
    await fake.user_react(a1, bob, "🔥")
    assert (await bot.handled("reaction", a1)).result.verdict is Verdict.SCORED
    await fake.user_react(a1, boss, "✅")
    await fake.user_react(a1, boss, "⭐")
    assert (await bot.handled("reaction", a1, count=2)).result.verdict is Verdict.SCORED
    assert len([h for h in bot.client.handled if h.kind == "reaction"]) == 2
    answer = await bot.group.context.store.answer_by_message(platform="discord", message_id=str(a1))
    assert answer is not None and answer.points == 10 + 5 + 2 + 15
