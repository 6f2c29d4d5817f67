"""The weekly recap card: last week's podium, answers per day as columns, the question with most answers, and
the best answers."""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.core.pictures import BoardRow, RecapPicture
from bot.pictures import theme
from bot.pictures.canvas import blank, text
from bot.pictures.fonts import drawable, name_to_draw

PODIUM_TOP = 100
PODIUM_FLOOR = 370
PODIUM_WIDTH = 200
# Second place on the left, the winner in the middle, third on the right, as on a real podium.
PODIUM_PLACES = {1: (0, 160), 2: (-230, 130), 3: (230, 105)}  # rank: (offset from the middle, height)

DAYS_TOP = PODIUM_FLOOR + 30
CHART_TOP = DAYS_TOP + 80  # room for the heading and the counts above the tallest column
CHART_HEIGHT = 130
COLUMN_WIDTH = 56
DAYS_BOTTOM = CHART_TOP + CHART_HEIGHT + 50  # the weekday names under the columns

SECTION = 44  # a heading's row
ROW = 42
MOST_BEST = 7


def column_middle(index: int) -> float:
    """The middle of weekday `index`'s column (Monday 0)."""
    step = (theme.WIDTH - 2 * theme.PAD) / 7
    return theme.PAD + step * index + step / 2


def count_middle(count: int, most: int) -> float:
    """Where a column's count is written: just above the column (a day without answers has a stub)."""
    return CHART_TOP + CHART_HEIGHT - max(8.0, CHART_HEIGHT * count / max(most, 1)) - 22


def most_top(picture: RecapPicture) -> int:
    return DAYS_BOTTOM + 10


def best_top(picture: RecapPicture) -> int:
    return most_top(picture) + SECTION + ROW + 20


def height(picture: RecapPicture) -> int:
    if not picture.podium:
        return DAYS_BOTTOM + theme.PAD
    rows = max(1, min(len(picture.best), MOST_BEST))
    return best_top(picture) + SECTION + ROW * rows + theme.PAD


def draw_recap(picture: RecapPicture) -> Image.Image:
    image, draw = blank(height(picture))
    text(draw, (theme.PAD, theme.PAD + 20), drawable(picture.title), size=theme.TITLE_SIZE, bold=True, width=728)
    if picture.podium:
        for row in picture.podium:
            _step(draw, row)
    else:
        _empty_podium(draw)
    _days(draw, picture)
    if picture.podium:
        _most_answered(draw, picture, most_top(picture))
        _best(draw, picture, best_top(picture))
    return image


def podium_box(rank: int) -> tuple[float, float, float, float]:
    offset, rise = PODIUM_PLACES[rank]
    middle = theme.WIDTH / 2 + offset
    return middle - PODIUM_WIDTH / 2, PODIUM_FLOOR - rise, middle + PODIUM_WIDTH / 2, PODIUM_FLOOR


def name_xy(rank: int) -> tuple[float, float]:
    """Where the name of the member in place `rank` is written (centred): above their step."""
    left, top, right, _ = podium_box(rank)
    return (left + right) / 2, top - 26


def points_xy(rank: int) -> tuple[float, float]:
    """Where their points are written (centred), on the step under its number."""
    left, top, right, _ = podium_box(rank)
    return (left + right) / 2, top + 74


def _step(draw: ImageDraw.ImageDraw, row: BoardRow) -> None:
    if row.rank not in PODIUM_PLACES:
        return
    left, top, right, bottom = podium_box(row.rank)
    draw.rounded_rectangle((left, top, right, bottom), radius=12, fill=theme.MEDALS[row.rank])
    number = ((left + right) / 2, top + 34)
    text(draw, number, f"#{row.rank}", size=theme.TITLE_SIZE, bold=True, colour=theme.BACKGROUND, anchor="mm")
    text(draw, points_xy(row.rank), f"{row.points} pts", bold=True, colour=theme.BACKGROUND, anchor="mm")
    shown = name_to_draw(row.name)
    text(draw, name_xy(row.rank), shown, bold=row.rank == 1, width=PODIUM_WIDTH + 20, anchor="mm")


def _empty_podium(draw: ImageDraw.ImageDraw) -> None:
    for rank in PODIUM_PLACES:
        draw.rounded_rectangle(podium_box(rank), radius=12, outline=theme.BORDER, width=4)
    text(draw, (theme.WIDTH / 2, PODIUM_TOP + 30), "Nobody answered last week", bold=True, anchor="mm")
    text(
        draw,
        (theme.WIDTH / 2, PODIUM_TOP + 70),
        "Answer this week's first question to open the podium.",
        size=theme.SMALL_SIZE,
        colour=theme.MUTED,
        anchor="mm",
    )


def _days(draw: ImageDraw.ImageDraw, picture: RecapPicture) -> None:
    total = sum(count or 0 for _, count in picture.days)
    text(draw, (theme.PAD, DAYS_TOP + 16), "Answers by day", bold=True)
    text(draw, (theme.WIDTH - theme.PAD, DAYS_TOP + 16), f"{total} in all", colour=theme.MUTED, anchor="rm")
    most = max([count or 0 for _, count in picture.days] + [1])
    bottom = CHART_TOP + CHART_HEIGHT
    for index, (weekday, count) in enumerate(picture.days):
        middle = column_middle(index)
        left, right = middle - COLUMN_WIDTH / 2, middle + COLUMN_WIDTH / 2
        text(draw, (middle, bottom + 28), weekday, size=theme.SMALL_SIZE, colour=theme.MUTED, anchor="mm")
        if count is None:  # no question that day
            text(draw, (middle, bottom - 20), "–", colour=theme.MUTED, anchor="mm")
            continue
        rise = max(8.0, CHART_HEIGHT * count / most)
        draw.rounded_rectangle(
            (left, bottom - rise, right, bottom), radius=8 if count else 4, fill=theme.BAR if count else theme.TRACK
        )
        text(draw, (middle, count_middle(count, most)), str(count), bold=True, anchor="mm")


def _most_answered(draw: ImageDraw.ImageDraw, picture: RecapPicture, top: int) -> None:
    text(draw, (theme.PAD, top + SECTION / 2), "Most answers", bold=True)
    middle = top + SECTION + ROW / 2
    if picture.most_answered is None:
        return
    title, count = picture.most_answered
    label = f"{count} answer{'' if count == 1 else 's'}"
    text(draw, (theme.WIDTH - theme.PAD, middle), label, size=theme.SMALL_SIZE, colour=theme.MUTED, anchor="rm")
    text(draw, (theme.PAD, middle), drawable(title), size=theme.SMALL_SIZE, width=560)


def check_mark(draw: ImageDraw.ImageDraw, centre: tuple[float, float]) -> None:
    """A best-answer mark drawn by hand: the font has no ✅."""
    x, y = centre
    draw.ellipse((x - 13, y - 13, x + 13, y + 13), fill=theme.ANSWERED)
    draw.line(((x - 6, y), (x - 2, y + 5), (x + 7, y - 6)), fill=theme.TEXT, width=3)


BEST_NAME_X = theme.PAD + 40
BEST_NAME_WIDTH = 250
BEST_TITLE_X = BEST_NAME_X + BEST_NAME_WIDTH + 20


def _best(draw: ImageDraw.ImageDraw, picture: RecapPicture, top: int) -> None:
    text(draw, (theme.PAD, top + SECTION / 2), "Best answers", bold=True)
    top += SECTION
    if not picture.best:
        text(draw, (theme.PAD, top + ROW / 2), "None marked last week.", size=theme.SMALL_SIZE, colour=theme.MUTED)
        return
    for name, title in picture.best[:MOST_BEST]:
        middle = top + ROW / 2
        check_mark(draw, (theme.PAD + 13, middle))
        text(draw, (BEST_NAME_X, middle), name_to_draw(name), bold=True, width=BEST_NAME_WIDTH)
        width = theme.WIDTH - theme.PAD - BEST_TITLE_X
        text(draw, (BEST_TITLE_X, middle), drawable(title), size=theme.SMALL_SIZE, colour=theme.MUTED, width=width)
        top += ROW
