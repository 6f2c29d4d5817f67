"""Whatever the bank or the channel holds, the bot's messages stay inside Block Kit's limits (the fake
refuses, as Slack does, more than 50 blocks or a section over 3,000 characters), so a long answer is
shortened, never lost."""

from __future__ import annotations

from bot.adapters.slack.blocks import CUT
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.questions import Resource
from tests.conftest import make_question
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, running, slack_settings, todays_question


async def test_a_very_long_resource_list_is_answered_inside_the_limits(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank: Bank
) -> None:
    resources = [
        Resource(title=f"Reading {n}", url=f"https://example.org/{n}", description="A long description. " * 25)
        for n in range(400)
    ]  # about 200,000 characters: 70 sections of 3,000
    long_bank = Bank.of(bank.questions, resources)
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, long_bank):
        answer = await command(fake, fake.alice, fake.general, "/resources")
        blocks = answer.body["blocks"]
        assert len(blocks) == 50 and all(len(block["text"]["text"]) <= 3000 for block in blocks)
        assert blocks[0]["text"]["text"].startswith("*Study resources*\n• <https://example.org/0|Reading 0>")
        assert blocks[-1]["text"]["text"].endswith("… (too long for one Slack message: the rest is left out)")
        assert CUT == "… (too long for one Slack message: the rest is left out)"


async def test_a_closing_summary_too_long_for_slack_is_shortened_not_dropped(
    fake: FakeSlack, tmp_path, clock: FixedClock
) -> None:
    points = tuple(f"Point {n}: " + "worth knowing well " * 24 for n in range(100))  # about 47,000 characters
    long_bank = Bank.of([make_question("long-one", key_points=points)])
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, long_bank) as bot:
        question = await todays_question(fake)
        clock.advance(hours=49)
        await bot.sweep()
        [summary] = fake.thread(fake.general, question.ts)[1:]
        assert summary.text.startswith("*Answers are closed for “Long One”.*")
        assert len(summary.text) <= 40_000 and summary.text.endswith(CUT)
