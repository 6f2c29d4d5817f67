"""/leaderboard and /stats answer with their text, complete, and the card beside it."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.pictures import Attachment, Picture
from bot.core.refs import Actor
from bot.core.studygroup import StudyGroup
from bot.pictures.renderer import PillowRenderer
from tests.core.test_daily_loop import CHANNEL, member, run
from tests.core.test_standings_and_quiz import answer_days
from tests.pictures.looking import decode


@pytest.fixture
def drawing(group: StudyGroup):  # type: ignore[no-untyped-def]
    renderer = PillowRenderer()
    group.context.pictures = renderer
    yield group
    renderer.close()


class BrokenRenderer:
    async def render(self, picture: Picture) -> Attachment:
        raise OSError("the font file is unreadable")


async def test_the_leaderboard_comes_with_its_card(drawing, clock):
    await answer_days(drawing, clock, [["ada", "bob"]])
    response = await run(drawing, Actor(member("bob"), CHANNEL), "/leaderboard period:all")
    assert "ada: 15 pts" in response.text and "bob: 13 pts" in response.text
    assert response.attachment is not None and response.attachment.filename == "leaderboard.png"
    assert decode(response.attachment.data).width == 800
    assert "1. ada 15 pts, 2. bob 13 pts" in response.attachment.alt_text


async def test_stats_say_in_words_what_the_heatmap_shows(drawing, clock):
    await answer_days(drawing, clock, [["ada"]] * 3)
    response = await run(drawing, Actor(member("ada"), CHANNEL), "/stats")
    assert "Answered on 3 days in the last 26 weeks" in response.text
    assert response.attachment is not None and response.attachment.filename == "stats.png"
    assert decode(response.attachment.data).size[0] == 800


async def test_a_card_that_cannot_be_drawn_leaves_the_text_alone(group, clock, caplog):
    group.context.pictures = BrokenRenderer()
    await answer_days(group, clock, [["ada"]])
    board = await run(group, Actor(member("ada"), CHANNEL), "/leaderboard period:all")
    stats = await run(group, Actor(member("ada"), CHANNEL), "/stats")
    assert board.ok and "ada: 15 pts" in board.text and board.attachment is None
    assert stats.ok and "Answered on 1 day in the last 26 weeks" in stats.text and stats.attachment is None
    assert "drawing leaderboard.png failed" in caplog.text


async def test_without_a_renderer_the_answers_are_text_as_before(group, clock):
    await answer_days(group, clock, [["ada"]])
    board = await run(group, Actor(member("ada"), CHANNEL), "/leaderboard period:all")
    assert dataclasses.replace(board, attachment=None) == board


async def test_once_a_member_has_review_cards_stats_shows_readiness_and_next_reviews_in_words_and_on_the_card(
    drawing, clock
):
    from tests.core.test_reviews import ADA, CLOCK_HANDS, rate_by_hand

    before = await run(drawing, ADA, "/stats")
    assert "Next reviews" not in before.text
    await rate_by_hand(drawing, await run(drawing, ADA, CLOCK_HANDS), "Missed")
    response = await run(drawing, ADA, "/stats")
    assert "Next reviews: Clock Hands (in 1 day)" in response.text.splitlines()
    assert response.attachment is not None
    assert response.attachment.alt_text.endswith("; readiness probability 100%")
    card = decode(response.attachment.data)
    assert card.width == 800 and card.height > decode(before.attachment.data).height  # a section more
