"""Reading a card the way a person does: decode the PNG, and compare a region with the text drawn alone."""

from __future__ import annotations

import io

from PIL import Image, ImageChops, ImageDraw, ImageStat

from bot.pictures import theme
from bot.pictures.fonts import font


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image.convert("RGB")


def shows_text(
    card: Image.Image,
    xy: tuple[float, float],
    words: str,
    *,
    size: int = theme.TEXT_SIZE,
    bold: bool = False,
    anchor: str = "lm",
    background: tuple[int, int, int] = theme.BACKGROUND,
    colour: tuple[int, int, int] = theme.TEXT,
) -> bool:
    """Whether the card has `words` at `xy`: the text drawn alone on the card's background matches that region
    (and the region is not blank, so an empty card never passes)."""
    face = font(size, bold=bold)
    left, top, right, bottom = (round(v) for v in ImageDraw.Draw(card).textbbox(xy, words, font=face, anchor=anchor))
    box = (left, top, right, bottom)
    region = card.crop(box)
    alone = Image.new("RGB", card.size, background)
    ImageDraw.Draw(alone).text(xy, words, font=face, fill=colour, anchor=anchor)
    expected = alone.crop(box)
    ink = ImageChops.difference(expected, Image.new("RGB", expected.size, background)).getbbox() is not None
    off = ImageStat.Stat(ImageChops.difference(region.convert("L"), expected.convert("L"))).mean[0]
    return ink and off <= 2.0  # anti-aliasing may differ a little, shapes may not
