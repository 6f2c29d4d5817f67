"""A card's blank canvas and the pieces every card draws: the frame, text, bars."""

from __future__ import annotations

from PIL import Image, ImageDraw

from bot.pictures import theme
from bot.pictures.fonts import fit, font

Colour = tuple[int, int, int]


def blank(height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """An empty card: rounded, its corners transparent so the chat's own background shows there."""
    image = Image.new("RGBA", (theme.WIDTH, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle(
        (0, 0, theme.WIDTH - 1, height - 1), radius=theme.RADIUS, fill=theme.BACKGROUND, outline=theme.BORDER, width=2
    )
    return image, draw


def text(
    draw: ImageDraw.ImageDraw,
    xy: tuple[float, float],
    words: str,
    *,
    size: int = theme.TEXT_SIZE,
    bold: bool = False,
    colour: Colour = theme.TEXT,
    width: float | None = None,
    anchor: str = "lm",
) -> None:
    face = font(size, bold=bold)
    draw.text(xy, fit(words, face, width) if width else words, font=face, fill=colour, anchor=anchor)


def bar(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float], share: float, colour: Colour) -> None:
    """A rounded track with its first `share` (0 to 1) filled."""
    left, top, right, bottom = box
    radius = (bottom - top) / 2
    draw.rounded_rectangle(box, radius=radius, fill=theme.TRACK)
    if share > 0:
        filled = left + max(bottom - top, (right - left) * min(share, 1.0))
        draw.rounded_rectangle((left, top, filled, bottom), radius=radius, fill=colour)
