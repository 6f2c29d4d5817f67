"""focus:weakest in the console: set by the moderator, refused to a member, shown in the status, and the days'
questions come more from the topic the members recall worst."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.refs import MemberRef
from bot.core.review_cards import Rating
from tests.conftest import make_question
from tests.support.console_driver import console_app

ANSWER = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
DAYS = 16


@pytest.fixture
def bank() -> Bank:
    return Bank.of(
        [make_question(f"stat-{n:02d}", topic="statistics") for n in range(30)]
        + [make_question(f"prob-{n:02d}", topic="probability") for n in range(30)]
    )


async def test_the_weakest_topic_steers_the_console_days(tmp_path, clock: FixedClock, bank: Bank) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (app, keyboard):
        await keyboard.type("@ada", expect="you are now @ada")
        await keyboard.type("/qotd setup focus:weakest", expect="Only moderators can run /qotd setup.")
        await keyboard.type("@you", expect="you are now @you")
        await keyboard.type(
            "/qotd setup time:09:00 tz:UTC days:daily focus:weakest",
            expect="Daily question set in #study: 09:00 UTC, every day; focus: the weakest topics.",
        )
        await keyboard.type("/qotd status", expect="Schedule: 09:00 UTC, every day; focus: the weakest topics.")
        await keyboard.type("/qotd now", expect="Question of the day")
        for name in ("ada", "bob"):  # members of #study from their first answer
            await keyboard.type(f"@{name}", expect=f"you are now @{name}")
            await keyboard.type(f"> {ANSWER}", expect="(scored")
        # their history: each statistics question missed a month ago, each probability one easy three times since
        month_ago = clock.now() - timedelta(days=30)
        for name in ("ada", "bob"):
            for question in bank.questions:
                who, ratings = MemberRef("console", name), [Rating.AGAIN]
                if question.topic == "probability":
                    ratings = [Rating.EASY] * 3
                for turn, rating in enumerate(ratings):
                    at = month_ago + timedelta(days=7 * turn)
                    await app.group.reviews.rate(who, question.id, rating, at=at, key=f"old:{question.id}:{turn}")

        await keyboard.type("@you", expect="you are now @you")
        titles = []
        for _ in range(DAYS):
            clock.advance(days=1)
            posted = await keyboard.type("/qotd now", expect="Question of the day")
            titles += [line for line in posted if "Stat " in line or "Prob " in line][:1]

        assert len(titles) == DAYS
        statistics = sum("Stat " in title for title in titles)
        assert statistics >= 10, titles  # evenly: about 8 of 16 (7 with this seed), 2 either way
        assert len(set(titles)) == DAYS
