"""Reading a number the way people write it: `16,384`, `17.4B`, `77%`, `3.55 × 10⁻¹¹`, `2^14 bytes`, `32/33`.

A reading keeps how many significant figures were typed, so `0.77` can be graded as 0.7734 rounded.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.grading.text import normalise

MAX_EXPONENT = 400  # a power of ten past this is no answer to any question: refused, never computed

_DIGITS = r"\d+(?:\.\d*)?|\.\d+"
_PLAIN = re.compile(rf"([-+]?)({_DIGITS})")
_SCIENTIFIC = re.compile(
    rf"([-+]?)(?:({_DIGITS})\s*(?:[x*]|\s)\s*)?10\s*\^\s*\(?\s*([-+]?\d+)\s*\)?|([-+]?)({_DIGITS})\s*e\s*([-+]?\d+)"
)
_POWER = re.compile(r"(\d+)\s*\^\s*\(?\s*(\d{1,3})\s*\)?")
_FRACTION = re.compile(rf"([-+]?)({_DIGITS})\s*/\s*({_DIGITS})")
_FILLER = re.compile(
    r"^(?:(?:the\s+)?answer\s*(?:is|:)|it\s*(?:is|'s)|that\s*(?:is|'s)|about|approx\.?|approximately|roughly|"
    r"around|nearly|almost|close\s+to|circa|ca\.|~|≈|=|:)\s*"
)
_PERCENT = re.compile(r"\s*(?:%|percent|per\s*cent|pct)$")

_WORD_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "mil": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "g": 1e9,
    "trillion": 1e12,
    "t": 1e12,
}
_BYTE_SCALES: dict[str, tuple[float, ...]] = {
    "b": (1.0,),
    "byte": (1.0,),
    "bytes": (1.0,),
    "k": (1e3, 1024.0),
    "kb": (1e3, 1024.0),
    "kib": (1024.0,),
    "m": (1e6, 1024.0**2),
    "mb": (1e6, 1024.0**2),
    "mib": (1024.0**2,),
    "g": (1e9, 1024.0**3),
    "gb": (1e9, 1024.0**3),
    "gib": (1024.0**3,),
    "tb": (1e12, 1024.0**4),
    "tib": (1024.0**4,),
}
_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
_UNITS += "seventeen eighteen nineteen"
_ONES = {word: n for n, word in enumerate(_UNITS.split())}
_TENS = {
    word: 10 * n
    for n, word in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], 2)
}
_UNIT_FAMILIES: dict[str, tuple[str, ...]] = {
    "degree": ("°", "degrees", "degree", "deg"),
    "day": ("days", "day", "d"),
    "parameter": ("parameters", "parameter", "params", "param", "weights"),
    "probability": ("probability", "chance"),
    "d_model": (
        "d_model",
        "d model",
        "dmodel",
        "d",
        "the model width",
        "model width",
        "the model dimension",
        "model dimension",
        "the hidden size",
        "hidden size",
        "the",
        "times",
        "x",
        "*",
    ),
    "device": ("per device", "each device", "a device", "device"),
}


@dataclass(frozen=True, slots=True)
class Reading:
    """One value a typed number can mean; `figures` is None for an exact form (a fraction, a power)."""

    value: float
    figures: int | None


def unit_words(unit: str | None) -> tuple[str, ...]:
    """The spellings of the question's unit that may follow a number, longest first."""
    if not unit:
        return ()
    words = {unit.lower(), *unit.lower().split()}
    for word in list(words):
        words.update({word.rstrip("s"), word + "s"})
        for family, spellings in _UNIT_FAMILIES.items():
            if family in word:
                words.update(spellings)
    words.discard("")
    return tuple(sorted(words, key=len, reverse=True))


def read_number(text: str, unit: str | None = None) -> list[Reading]:
    """Every value `text` can mean as a whole (empty when it is not one number); see the module docstring."""
    cleaned = normalise(text).lower().rstrip(". ")
    while (shorter := _FILLER.sub("", cleaned)) != cleaned:
        cleaned = shorter
    bytes_unit = bool(unit and "byte" in unit.lower())
    cleaned = _strip_units(cleaned, unit_words(unit) if not bytes_unit else ("per device", "device", "each", "per"))
    if match := _PERCENT.search(cleaned):
        return [
            Reading(reading.value / scale, reading.figures)
            for reading in _read_scaled(cleaned[: match.start()], bytes_unit)
            for scale in (100.0, 1.0)
        ]
    return _read_scaled(cleaned, bytes_unit)


def strip_units(text: str, unit: str | None) -> str:
    """`2^14 bytes` -> `2^14`: the text without the question's unit at its end."""
    words = unit_words(unit)
    return _strip_units(text.strip(), (*words, "bytes", "byte") if unit and "byte" in unit else words)


def _strip_units(text: str, words: tuple[str, ...]) -> str:
    changed = True
    while changed and text:
        changed = False
        for word in words:
            boundary = r"(?<![a-z])" if word[0].isalpha() else ""
            if (match := re.search(rf"\s*{boundary}{re.escape(word)}$", text, re.IGNORECASE)) and match.start() > 0:
                text, changed = text[: match.start()].rstrip(), True
                break
    return text


def _read_scaled(text: str, bytes_unit: bool) -> list[Reading]:
    match = re.fullmatch(r"(.*?\d)\s*([a-z]+)", text)
    if match:
        scales = _BYTE_SCALES.get(match[2]) if bytes_unit else None
        if scales is None and not bytes_unit and match[2] in _WORD_SCALES:
            scales = (_WORD_SCALES[match[2]],)
        if scales is None:
            return []
        return [
            Reading(reading.value * scale, reading.figures) for reading in _read_plain(match[1]) for scale in scales
        ]
    return _read_plain(text)


def _read_plain(text: str) -> list[Reading]:
    text = _without_separators(text.strip())
    if match := _PLAIN.fullmatch(text):
        return [Reading(_signed(match[1], float(match[2])), _figures(match[2]))]
    if match := _SCIENTIFIC.fullmatch(text):
        sign, mantissa, exponent = (match[1], match[2], match[3]) if match[3] else (match[4], match[5], match[6])
        if abs(int(exponent)) > MAX_EXPONENT:
            return []
        value = float(mantissa or "1") * 10.0 ** int(exponent)
        return [Reading(_signed(sign, value), _figures(mantissa) if mantissa else None)]
    if match := _FRACTION.fullmatch(text):
        denominator = float(match[3])
        return [Reading(_signed(match[1], float(match[2]) / denominator), None)] if denominator else []
    if match := _POWER.fullmatch(text):
        base, exponent = int(match[1]), int(match[2])
        if exponent * math.log10(max(base, 2)) > MAX_EXPONENT:
            return []
        return [Reading(float(base**exponent), None)]
    if (words := _number_words(text)) is not None:
        return [Reading(float(words), None)]
    return []


def _without_separators(text: str) -> str:
    """`16,384`, `16 384`, `16_384` and `16'384` are one number; `0,97` is a decimal comma."""
    if re.fullmatch(r"[-+]?\d{1,3}(?:([,' _])\d{3})(?:\1\d{3})*(?:\.\d+)?", text):
        return re.sub(r"[,' _]", "", text)
    if re.fullmatch(r"[-+]?\d+,\d+", text):
        return text.replace(",", ".")
    return text


def _number_words(text: str) -> int | None:
    """`ninety-two`, `one hundred`, `four`: a whole number in words, or None."""
    words = text.replace("-", " ").replace(" and ", " ").split()
    if not words:
        return None
    if not any(word in _ONES or word in _TENS or word in ("hundred", "thousand") for word in words):
        return None
    total = 0
    for word in words:
        if word in _ONES:
            total += _ONES[word]
        elif word in _TENS:
            total += _TENS[word]
        elif word == "hundred":
            total = max(total, 1) * 100
        elif word == "thousand":
            total = max(total, 1) * 1000
        elif word not in ("a",):
            return None
    return total


def _signed(sign: str, value: float) -> float:
    return -value if sign == "-" else value


def _figures(digits: str) -> int:
    """Significant figures as typed: `0.77` 2, `44` 2, `40` 1, `17.4` 3, `100` 1, `0.970` 3."""
    if "." in digits:
        figures = digits.replace(".", "").lstrip("0")
        return max(len(figures), 1)
    stripped = digits.lstrip("0")
    return max(len(stripped.rstrip("0")), 1)
