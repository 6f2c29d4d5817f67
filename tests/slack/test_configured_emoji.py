"""A group that upvotes with 🔥: the configured emoji scores on Slack (where reactions arrive as names such as
`fire` and `+1`), and the default 👍 then does not."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.config import load_settings
from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, outcome, outcome_of, question_posts, running, slack_settings, stored_id

ALICE = "Covariance keeps the units of both variables; correlation divides by both standard deviations."


def fire_and_star(tmp_path: Path) -> str:
    path = tmp_path / "studybot.toml"
    path.write_text('[scoring]\nupvote_emoji = ["🔥"]\nbest_answer_emoji = ["⭐"]\n', encoding="utf-8")
    return str(path)


async def test_configured_emoji_score_and_the_defaults_do_not(fake: FakeSlack, tmp_path, clock: FixedClock, bank):
    rules = load_settings(fire_and_star(tmp_path), {}).rules
    settings = dataclasses.replace(slack_settings(fake, tmp_path / "slack.db"), rules=rules)
    async with running(fake, settings, clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 tz:UTC days:daily")
        await command(fake, fake.admin, fake.general, "/qotd now")
        [question] = question_posts(fake, fake.general)
        alice_ts = await fake.user_message(fake.general, fake.alice, ALICE, thread_ts=question.ts)
        assert await outcome(bot, "reply", alice_ts) == "scored"

        for user, emoji, expected in [
            (fake.bob, "+1", "ignored"),  # the default upvote, not this group's
            (fake.bob, "fire", "scored"),
            (fake.admin, "white_check_mark", "ignored"),  # the default best-answer mark, not this group's
            (fake.admin, "star", "scored"),
        ]:
            reaction = await fake.user_react(fake.general, alice_ts, user, emoji)
            assert await outcome_of(bot, reaction) == expected, emoji

        answer = await bot.group.context.store.answer_by_message(
            platform="slack", message_id=stored_id(fake, fake.general, alice_ts)
        )
        assert answer is not None and answer.points == 10 + 5 + 2 + 15
