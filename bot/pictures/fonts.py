"""Noto Sans from its font package, in the sizes and weights the cards use, and text it can draw.

Noto Sans covers Latin, Greek and Cyrillic. A character it has no glyph for (emoji, CJK, Arabic) would come out
as an empty box, so it is left out; a name with nothing drawable left is shown as `UNDRAWABLE` (the text beside
the picture always has it in full).
"""

from __future__ import annotations

import functools
import unicodedata

import fontpkg
from PIL import ImageFont

UNDRAWABLE = "(name in the text)"
_NO_SUCH_CHARACTER = "\U0010fffd"  # a private-use code point: no font has it, so it draws the missing glyph


@functools.cache
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    face = ImageFont.truetype(str(fontpkg.path("Noto Sans")), size)
    face.set_variation_by_axes([700 if bold else 400, 100])
    return face


def _ink(face: ImageFont.FreeTypeFont, character: str) -> tuple[tuple[int, int], bytes]:
    mask = face.getmask(character)
    return mask.size, bytes(mask)


@functools.cache
def _missing() -> tuple[tuple[int, int], bytes]:
    return _ink(font(20), _NO_SUCH_CHARACTER)


@functools.cache
def has_glyph(character: str) -> bool:
    if character.isspace():
        return True
    if unicodedata.category(character) in ("Mn", "Cf"):  # combining marks, joiners, variation selectors
        return False
    return _ink(font(20), character) != _missing()


def drawable(text: str) -> str:
    """`text` without the characters the font cannot draw, spaces tidied."""
    kept = "".join(character for character in unicodedata.normalize("NFC", text) if has_glyph(character))
    return " ".join(kept.split())


def name_to_draw(name: str) -> str:
    shown = drawable(name)
    return shown if any(character.isalnum() for character in shown) else UNDRAWABLE


def fit(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """`text`, cut with an ellipsis to at most `width` pixels."""
    if face.getlength(text) <= width:
        return text
    # Where the cut falls by the characters' own widths (cheap, cached), then measured whole: kerning moves it by
    # a character or two at most, so this takes two or three measurements where a bisection took eight.
    room, end = width - _advance(face, "…"), 0
    while end < len(text) and room >= _advance(face, text[end]):
        room -= _advance(face, text[end])
        end += 1
    while end < len(text) and face.getlength(text[: end + 1] + "…") <= width:
        end += 1
    while end > 0 and face.getlength(text[:end] + "…") > width:
        end -= 1
    return text[:end].rstrip() + "…"


@functools.cache
def _advance(face: ImageFont.FreeTypeFont, character: str) -> float:
    return face.getlength(character)
