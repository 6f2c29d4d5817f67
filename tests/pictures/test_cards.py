"""The leaderboard and stats cards as a member sees them: a PNG of the right size showing names and points."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from bot.core.pictures import BoardRow, LeaderboardPicture, StatsPicture, alt_text
from bot.pictures import leaderboard_card as board
from bot.pictures import stats_card, theme
from bot.pictures.fonts import UNDRAWABLE, name_to_draw
from bot.pictures.renderer import MAX_BYTES, PillowRenderer, png
from tests.pictures.looking import decode, shows_text

TITLE = "Leaderboard · this channel · season 1"
NAMES = ["Ada Lovelace", "Влад Петров", "Grace Hopper", "Alan", "Émilie", "Ωmega", "bob", "Linus", "Kim", "Noor"]
TOP = tuple(BoardRow(rank, name, 130 - 10 * rank, 12 - rank) for rank, name in enumerate(NAMES, start=1))
TODAY = date(2026, 11, 25)  # a Wednesday


def row_middle(index: int, *, own: bool = False) -> float:
    return board.HEADER + board.ROW * index + (board.GAP if own else 0) + board.ROW / 2


def test_the_board_shows_each_member_with_their_points_and_a_bar():
    card = decode(png(LeaderboardPicture(TITLE, TOP)))
    assert card.size == (theme.WIDTH, board.HEADER + 10 * board.ROW + theme.PAD)
    for index, row in enumerate(TOP):
        middle = row_middle(index)
        assert shows_text(card, (board.NAME_X, middle), row.name)
        assert shows_text(card, (board.POINTS_RIGHT, middle), f"{row.points} pts", bold=True, anchor="rm")
    assert not shows_text(card, (board.NAME_X, row_middle(0)), "Grace Hopper")  # the check can fail
    # the leader's bar is full, the tenth's is filled to a quarter (30 of 120 points) and empty past that
    assert card.getpixel((board.BAR_RIGHT - 12, round(row_middle(0)))) == theme.BAR
    assert card.getpixel((board.BAR_LEFT + 40, round(row_middle(9)))) == theme.BAR
    assert card.getpixel((board.BAR_RIGHT - 12, round(row_middle(9)))) == theme.TRACK


def test_the_askers_row_outside_the_top_ten_comes_after_a_gap_highlighted():
    me = BoardRow(14, "Me Myself", 9, 1, is_asker=True)
    card = decode(png(LeaderboardPicture(TITLE, TOP, me)))
    assert card.size[1] == board.HEADER + 11 * board.ROW + board.GAP + theme.PAD
    middle = row_middle(10, own=True)
    assert shows_text(card, (board.NAME_X, middle), "Me Myself", bold=True, background=theme.HIGHLIGHT)
    assert shows_text(card, (board.POINTS_RIGHT, middle), "9 pts", bold=True, anchor="rm", background=theme.HIGHLIGHT)
    assert card.getpixel((board.BAR_RIGHT + 20, round(middle))) == theme.HIGHLIGHT
    assert card.getpixel((board.BAR_RIGHT + 20, round(row_middle(9)))) == theme.BACKGROUND  # the others are not


def test_an_empty_board_is_a_friendly_card():
    data = png(LeaderboardPicture("Leaderboard · this channel · all time", ()))
    card = decode(data)
    assert card.size == (theme.WIDTH, board.EMPTY_HEIGHT)
    assert shows_text(card, (theme.WIDTH / 2, 302), "No points yet", size=theme.TITLE_SIZE, bold=True, anchor="mm")
    hint = "Answer the question of the day to get on the board."
    assert shows_text(card, (theme.WIDTH / 2, 352), hint, anchor="mm", colour=theme.MUTED)


def test_names_the_font_cannot_draw_lose_only_what_would_be_a_box():
    assert name_to_draw("José 😀 Núñez") == "José Núñez"
    assert name_to_draw("Влад") == "Влад"
    assert name_to_draw("中文名") == UNDRAWABLE
    assert name_to_draw("🎉🎉") == UNDRAWABLE
    card = decode(png(LeaderboardPicture(TITLE, (BoardRow(1, "José 😀 Núñez", 20, 2), BoardRow(2, "中文名", 10, 1)))))
    assert shows_text(card, (board.NAME_X, row_middle(0)), "José Núñez")
    assert shows_text(card, (board.NAME_X, row_middle(1)), UNDRAWABLE)


def stats(**changes: object) -> StatsPicture:
    fields: dict[str, object] = {
        "name": "Ada Lovelace",
        "points": 340,
        "season_points": 120,
        "rank": 2,
        "answers": 52,
        "current_streak": 5,
        "best_streak": 12,
        "answered_days": frozenset({TODAY, TODAY - timedelta(days=1), date(2026, 6, 1), date(2026, 5, 1)}),
        "today": TODAY,
        "topics": (("statistics", 30), ("probability", 15), ("classical-ml", 7)),
    }
    fields.update(changes)
    return StatsPicture(**fields)  # type: ignore[arg-type]


def test_the_stats_card_shows_points_rank_and_streak():
    picture = stats()
    card = decode(png(picture))
    assert card.size == (theme.WIDTH, stats_card.height(picture))
    assert shows_text(card, (theme.PAD, theme.PAD + 20), "Stats · Ada Lovelace", size=theme.TITLE_SIZE, bold=True)
    tile = (theme.WIDTH - 2 * theme.PAD - 2 * stats_card.TILE_GAP) / 3
    values = ("340", "#2", "5")
    for index, value in enumerate(values):
        left = theme.PAD + index * (tile + stats_card.TILE_GAP) + 18
        xy = (left, stats_card.TILES_TOP + 64)
        assert shows_text(card, xy, value, size=40, bold=True, background=theme.TRACK)


def test_the_heatmap_fills_the_days_answered_in_the_last_26_weeks():
    picture = stats()
    card = decode(png(picture))
    assert picture.first_day == date(2026, 6, 1)  # the Monday 25 weeks before this week's
    assert picture.days_answered_shown() == 3  # 1 May is older than the heatmap

    def colour(day: date) -> tuple[int, int, int]:
        week, weekday = (day - picture.first_day).days // 7, day.weekday()
        left, top, right, bottom = stats_card.cell_box(picture, week, weekday)
        return card.getpixel(((left + right) // 2, (top + bottom) // 2))

    assert colour(TODAY) == colour(TODAY - timedelta(days=1)) == colour(date(2026, 6, 1)) == theme.ANSWERED
    assert colour(TODAY - timedelta(days=2)) == colour(date(2026, 6, 2)) == theme.TRACK
    assert colour(TODAY + timedelta(days=1)) == theme.BACKGROUND  # tomorrow is not drawn


def test_answers_per_topic_are_bars_with_their_counts():
    picture = stats()
    card = decode(png(picture))
    top = stats_card.heatmap_bottom(picture) + 40 + 40
    for index, (topic, count) in enumerate(picture.topics):
        middle = top + index * stats_card.TOPIC_ROW + stats_card.TOPIC_ROW / 2
        assert shows_text(card, (theme.PAD, middle), topic, size=theme.SMALL_SIZE)
        assert shows_text(card, (theme.WIDTH - theme.PAD, middle), str(count), bold=True, anchor="rm")


def test_a_member_with_no_answers_gets_an_empty_heatmap_and_a_hint():
    picture = stats(points=0, season_points=0, rank=None, answers=0, answered_days=frozenset(), topics=())
    card = decode(png(picture))
    top = stats_card.heatmap_bottom(picture) + 40 + 40 + stats_card.TOPIC_ROW / 2
    hint = "No answers yet: answer the question of the day."
    assert shows_text(card, (theme.PAD, top), hint, colour=theme.MUTED)


def test_every_card_stays_well_under_a_megabyte_and_readable_at_phone_width():
    busy = stats(answered_days=frozenset(TODAY - timedelta(days=day) for day in range(0, 182, 2)))
    many = tuple(BoardRow(rank, "Ꮃ" * 40 + "W" * 40, 10**6 - rank, 999) for rank in range(1, 11))
    for picture in (busy, LeaderboardPicture(TITLE * 3, many, BoardRow(1234, "x" * 200, 1, 1, True))):
        data = png(picture)
        assert len(data) < MAX_BYTES / 5
        assert decode(data).width == 2 * 400  # shown at 400 px, the smallest text is still 12 px high
    assert min(theme.SMALL_SIZE, theme.TEXT_SIZE, theme.TITLE_SIZE) >= 24


async def test_drawing_happens_off_the_event_loop():
    renderer = PillowRenderer()
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(0)
    started = ticks
    try:
        attachment = await renderer.render(stats())
    finally:
        ticker.cancel()
        renderer.close()
    assert ticks > started + 1  # the loop kept turning while the card was drawn
    assert attachment.filename == "stats.png" and decode(attachment.data).width == theme.WIDTH
    assert attachment.alt_text.startswith("Stats for Ada Lovelace: 340 points, rank 2 this season, streak 5")


READY = (("probability", 0.42), ("classical-ml", 0.66), ("statistics", 0.91))
NEXT = (("Bayes' theorem in one line", "now"), ("Bias and variance", "in 3 days"))


def test_with_review_cards_the_topics_are_readiness_bars_and_the_next_reviews_follow():
    picture = stats(readiness=READY, next_reviews=NEXT)
    card = decode(png(picture))
    assert card.size == (theme.WIDTH, stats_card.height(picture))
    top = stats_card.heatmap_bottom(picture) + 40
    assert shows_text(card, (theme.PAD, top + 16), "Readiness by topic", bold=True)
    assert not shows_text(card, (theme.PAD, top + 16), "Answers by topic", bold=True)
    left = theme.PAD + stats_card.TOPIC_LABEL_WIDTH
    for index, (topic, recall) in enumerate(READY):
        middle = top + 40 + index * stats_card.TOPIC_ROW + stats_card.TOPIC_ROW / 2
        assert shows_text(card, (theme.PAD, middle), topic, size=theme.SMALL_SIZE)
        assert shows_text(card, (theme.WIDTH - theme.PAD, middle), f"{round(recall * 100)}%", bold=True, anchor="rm")
        assert card.getpixel((left + 20, round(middle))) == stats_card.readiness_colour(recall)
    assert stats_card.readiness_colour(0.42) == theme.WEAK and stats_card.readiness_colour(0.91) == theme.ANSWERED
    reviews = stats_card.reviews_top(picture)
    assert shows_text(card, (theme.PAD, reviews + 16), "Next reviews", bold=True)
    for index, (title, when) in enumerate(NEXT):
        middle = reviews + 40 + index * stats_card.TOPIC_ROW + stats_card.TOPIC_ROW / 2
        assert shows_text(card, (theme.PAD, middle), title, size=theme.SMALL_SIZE)
        colour = theme.HIGHLIGHT_EDGE if when == "now" else theme.MUTED
        assert shows_text(
            card, (theme.WIDTH - theme.PAD, middle), when, size=theme.SMALL_SIZE, anchor="rm", colour=colour
        )
    assert alt_text(picture).endswith("; readiness probability 42%, classical-ml 66%, statistics 91%")
