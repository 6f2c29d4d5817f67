"""The leaderboard card: the top rows with a bar each, the asker's own row below a gap when outside them."""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.core.pictures import BoardRow, LeaderboardPicture
from bot.pictures import theme
from bot.pictures.canvas import bar, blank, text
from bot.pictures.fonts import drawable, name_to_draw

HEADER = 96
ROW = 62
GAP = 40  # the "…" between the top rows and the asker's own
EMPTY_HEIGHT = 420

BADGE_X = theme.PAD + 24
NAME_X = theme.PAD + 64
NAME_WIDTH = 300
BAR_LEFT, BAR_RIGHT = 410, 610
POINTS_RIGHT = theme.WIDTH - theme.PAD


def height(picture: LeaderboardPicture) -> int:
    if not picture.rows:
        return EMPTY_HEIGHT
    own = GAP + ROW if picture.own is not None else 0
    return HEADER + ROW * len(picture.rows) + own + theme.PAD


def draw_leaderboard(picture: LeaderboardPicture) -> Image.Image:
    image, draw = blank(height(picture))
    text(draw, (theme.PAD, theme.PAD + 20), drawable(picture.title), size=theme.TITLE_SIZE, bold=True, width=728)
    if not picture.rows:
        _empty(draw)
        return image
    best = max([row.points for row in picture.rows] + [1])
    top = HEADER
    for row in picture.rows:
        _row(draw, row, top, row.points / best)
        top += ROW
    if picture.own is not None:
        for offset in (-14, 0, 14):
            draw.ellipse((NAME_X + offset - 4, top + GAP / 2 - 4, NAME_X + offset + 4, top + GAP / 2 + 4), theme.MUTED)
        _row(draw, picture.own, top + GAP, picture.own.points / best)
    return image


def _row(draw: ImageDraw.ImageDraw, row: BoardRow, top: float, share: float) -> None:
    middle = top + ROW / 2
    if row.is_asker:
        draw.rounded_rectangle(
            (theme.PAD - 12, top + 4, theme.WIDTH - theme.PAD + 12, top + ROW - 4),
            radius=14,
            fill=theme.HIGHLIGHT,
            outline=theme.HIGHLIGHT_EDGE,
            width=2,
        )
    medal = theme.MEDALS.get(row.rank)
    draw.ellipse((BADGE_X - 22, middle - 22, BADGE_X + 22, middle + 22), fill=medal or theme.TRACK)
    size = theme.TEXT_SIZE if row.rank < 100 else theme.SMALL_SIZE - 4
    text(
        draw,
        (BADGE_X, middle),
        str(row.rank),
        size=size,
        bold=True,
        colour=theme.BACKGROUND if medal else theme.TEXT,
        anchor="mm",
    )
    text(draw, (NAME_X, middle), name_to_draw(row.name), bold=row.is_asker, width=NAME_WIDTH)
    bar(draw, (BAR_LEFT, middle - 9, BAR_RIGHT, middle + 9), share, theme.HIGHLIGHT_EDGE if row.is_asker else theme.BAR)
    text(draw, (POINTS_RIGHT, middle), f"{row.points} pts", bold=True, anchor="rm")


def _empty(draw: ImageDraw.ImageDraw) -> None:
    """An empty podium and a line on how to get on it."""
    centre, floor = theme.WIDTH / 2, 250
    for offset, rise in ((-110, 70), (0, 110), (110, 45)):
        draw.rounded_rectangle(
            (centre + offset - 50, floor - rise, centre + offset + 50, floor), radius=8, outline=theme.BORDER, width=4
        )
    text(draw, (centre, floor + 52), "No points yet", size=theme.TITLE_SIZE, bold=True, anchor="mm")
    text(
        draw,
        (centre, floor + 102),
        "Answer the question of the day to get on the board.",
        colour=theme.MUTED,
        anchor="mm",
    )
