"""The stats card: points, rank and streak; a heatmap of the days answered; readiness per topic as bars once the
member has review cards (answers per topic before that); and their next reviews."""

from __future__ import annotations

import functools
from datetime import timedelta

from PIL import Image, ImageDraw

from bot.core.pictures import StatsPicture
from bot.pictures import theme
from bot.pictures.canvas import bar, blank, text
from bot.pictures.fonts import UNDRAWABLE, drawable, name_to_draw

TILES_TOP = 100
TILE_HEIGHT = 120
TILE_GAP = 16
HEATMAP_TOP = TILES_TOP + TILE_HEIGHT + 40
CELL, CELL_GAP = 21, 5
DAYS_LEFT = theme.PAD + 60  # room for the weekday labels
TOPIC_ROW = 46
MOST_TOPICS = 8
MOST_REVIEWS = 3
TOPIC_LABEL_WIDTH = 250
_WEEKDAYS = ((0, "Mon"), (2, "Wed"), (4, "Fri"))


def heatmap_bottom(picture: StatsPicture) -> int:
    return HEATMAP_TOP + 40 + 34 + 7 * (CELL + CELL_GAP)


def _topic_rows(picture: StatsPicture) -> int:
    shown = picture.readiness or picture.topics
    return max(1, min(len(shown), MOST_TOPICS) + (1 if len(shown) > MOST_TOPICS else 0))


def reviews_top(picture: StatsPicture) -> int:
    """Where the next reviews' heading goes (below the topics)."""
    return heatmap_bottom(picture) + 40 + 40 + TOPIC_ROW * _topic_rows(picture) + 20


def height(picture: StatsPicture) -> int:
    if not picture.next_reviews:
        return reviews_top(picture) - 20 + theme.PAD
    return reviews_top(picture) + 40 + TOPIC_ROW * min(len(picture.next_reviews), MOST_REVIEWS) + theme.PAD


def readiness_colour(recall: float) -> tuple[int, int, int]:
    if recall >= 0.8:
        return theme.ANSWERED
    return theme.HIGHLIGHT_EDGE if recall >= 0.5 else theme.WEAK


def cell_box(picture: StatsPicture, week: int, weekday: int) -> tuple[int, int, int, int]:
    """Where the day `weekday` (Monday 0) of the heatmap's column `week` is drawn."""
    left = DAYS_LEFT + week * (CELL + CELL_GAP)
    top = HEATMAP_TOP + 40 + 34 + weekday * (CELL + CELL_GAP)
    return left, top, left + CELL, top + CELL


def draw_stats(picture: StatsPicture) -> Image.Image:
    image, draw = blank(height(picture))
    name = name_to_draw(picture.name)
    title = "Your stats" if name == UNDRAWABLE else f"Stats · {name}"
    text(draw, (theme.PAD, theme.PAD + 20), title, size=theme.TITLE_SIZE, bold=True, width=728)
    _tiles(draw, picture)
    _heatmap(image, draw, picture)
    if picture.readiness:
        _readiness(draw, picture, heatmap_bottom(picture) + 40)
    else:
        _topics(draw, picture, heatmap_bottom(picture) + 40)
    if picture.next_reviews:
        _next_reviews(draw, picture, reviews_top(picture))
    return image


def _tiles(draw: ImageDraw.ImageDraw, picture: StatsPicture) -> None:
    width = (theme.WIDTH - 2 * theme.PAD - 2 * TILE_GAP) / 3
    tiles = (
        ("Points", str(picture.points), f"{picture.season_points} this season"),
        ("Rank", f"#{picture.rank}" if picture.rank else "–", "this season"),
        ("Streak", str(picture.current_streak), f"best {picture.best_streak}"),
    )
    for index, (label, value, note) in enumerate(tiles):
        left = theme.PAD + index * (width + TILE_GAP)
        draw.rounded_rectangle((left, TILES_TOP, left + width, TILES_TOP + TILE_HEIGHT), radius=16, fill=theme.TRACK)
        text(draw, (left + 18, TILES_TOP + 24), label, size=theme.SMALL_SIZE, colour=theme.MUTED)
        text(draw, (left + 18, TILES_TOP + 64), value, size=40, bold=True, width=width - 36)
        text(draw, (left + 18, TILES_TOP + 100), note, size=theme.SMALL_SIZE, colour=theme.MUTED, width=width - 36)


@functools.cache
def _cell(colour: tuple[int, int, int]) -> Image.Image:
    """One day of the heatmap, drawn once and pasted 182 times (much faster than drawing each)."""
    cell = Image.new("RGBA", (CELL + 1, CELL + 1), (0, 0, 0, 0))
    ImageDraw.Draw(cell).rounded_rectangle((0, 0, CELL, CELL), radius=4, fill=colour)
    return cell


def _heatmap(image: Image.Image, draw: ImageDraw.ImageDraw, picture: StatsPicture) -> None:
    shown = picture.days_answered_shown()
    text(draw, (theme.PAD, HEATMAP_TOP + 16), f"Answered days · last {picture.weeks} weeks", bold=True)
    days = "day" if shown == 1 else "days"
    text(draw, (theme.WIDTH - theme.PAD, HEATMAP_TOP + 16), f"{shown} {days}", colour=theme.MUTED, anchor="rm")
    for weekday, label in _WEEKDAYS:
        _, top, _, bottom = cell_box(picture, 0, weekday)
        text(draw, (theme.PAD, (top + bottom) / 2), label, size=theme.SMALL_SIZE, colour=theme.MUTED)
    month = None
    for week in range(picture.weeks):
        monday = picture.first_day + timedelta(weeks=week)
        if monday.month != month and week < picture.weeks - 1:
            month = monday.month
            left, top, _, _ = cell_box(picture, week, 0)
            text(draw, (left, top - 20), f"{monday:%b}", size=theme.SMALL_SIZE, colour=theme.MUTED)
        for weekday in range(7):
            day = monday + timedelta(days=weekday)
            if day > picture.today:
                break
            left, top, _, _ = cell_box(picture, week, weekday)
            cell = _cell(theme.ANSWERED if day in picture.answered_days else theme.TRACK)
            image.paste(cell, (left, top), cell)


def _topics(draw: ImageDraw.ImageDraw, picture: StatsPicture, top: int) -> None:
    text(draw, (theme.PAD, top + 16), "Answers by topic", bold=True)
    top += 40
    if not picture.topics:
        text(
            draw,
            (theme.PAD, top + TOPIC_ROW / 2),
            "No answers yet: answer the question of the day.",
            colour=theme.MUTED,
        )
        return
    most = max(count for _, count in picture.topics)
    for topic, count in picture.topics[:MOST_TOPICS]:
        middle = top + TOPIC_ROW / 2
        text(draw, (theme.PAD, middle), drawable(topic), size=theme.SMALL_SIZE, width=TOPIC_LABEL_WIDTH - 16)
        left = theme.PAD + TOPIC_LABEL_WIDTH
        bar(draw, (left, middle - 9, theme.WIDTH - theme.PAD - 70, middle + 9), count / most, theme.BAR)
        text(draw, (theme.WIDTH - theme.PAD, middle), str(count), bold=True, anchor="rm")
        top += TOPIC_ROW
    others = picture.topics[MOST_TOPICS:]
    if others:
        rest = sum(count for _, count in others)
        text(
            draw,
            (theme.PAD, top + TOPIC_ROW / 2),
            f"and {rest} more in {len(others)} other topics",
            size=theme.SMALL_SIZE,
            colour=theme.MUTED,
        )


def _more(draw: ImageDraw.ImageDraw, top: float, words: str) -> None:
    text(draw, (theme.PAD, top + TOPIC_ROW / 2), words, size=theme.SMALL_SIZE, colour=theme.MUTED)


def _readiness(draw: ImageDraw.ImageDraw, picture: StatsPicture, top: int) -> None:
    """How likely the member is to recall each topic's questions today, the weakest first."""
    text(draw, (theme.PAD, top + 16), "Readiness by topic", bold=True)
    text(draw, (theme.WIDTH - theme.PAD, top + 16), "recall today", colour=theme.MUTED, anchor="rm")
    top += 40
    for topic, recall in picture.readiness[:MOST_TOPICS]:
        middle = top + TOPIC_ROW / 2
        text(draw, (theme.PAD, middle), drawable(topic), size=theme.SMALL_SIZE, width=TOPIC_LABEL_WIDTH - 16)
        left = theme.PAD + TOPIC_LABEL_WIDTH
        bar(draw, (left, middle - 9, theme.WIDTH - theme.PAD - 90, middle + 9), recall, readiness_colour(recall))
        text(draw, (theme.WIDTH - theme.PAD, middle), f"{round(recall * 100)}%", bold=True, anchor="rm")
        top += TOPIC_ROW
    others = len(picture.readiness) - MOST_TOPICS
    if others > 0:
        _more(draw, top, f"and {others} more topic{'' if others == 1 else 's'} in the text")


REVIEW_TITLE_WIDTH = 520


def _next_reviews(draw: ImageDraw.ImageDraw, picture: StatsPicture, top: int) -> None:
    text(draw, (theme.PAD, top + 16), "Next reviews", bold=True)
    top += 40
    for title, when in picture.next_reviews[:MOST_REVIEWS]:
        middle = top + TOPIC_ROW / 2
        text(draw, (theme.PAD, middle), drawable(title), size=theme.SMALL_SIZE, width=REVIEW_TITLE_WIDTH)
        colour = theme.HIGHLIGHT_EDGE if when == "now" else theme.MUTED
        text(draw, (theme.WIDTH - theme.PAD, middle), when, size=theme.SMALL_SIZE, colour=colour, anchor="rm")
        top += TOPIC_ROW
