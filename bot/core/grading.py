"""Grading a typed answer against a question's one right answer.

For 32/33 a member may type `0.9697`, `32/33`, `96.97%` or `≈ 0.97` (within the tolerance): all are right.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from bot.core.questions import Answer

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?"
_UNIT_WORDS = ("degrees", "degree", "deg", "days", "day", "gb", "gib", "mb", "mib", "bytes", "params", "parameters")


@dataclass(frozen=True, slots=True)
class Grade:
    correct: bool
    expected: str
    explanation: str


def parse_number(text: str) -> list[float]:
    """Every number `text` can mean: `32/33`, `96.97%` (0.9697, and 96.97 too), `7.5°`, `1e-3`, `1,000`."""
    cleaned = unicodedata.normalize("NFKC", text).strip().lower()
    cleaned = cleaned.replace("≈", "").replace("~", "").replace("−", "-").replace("°", "")
    cleaned = re.sub(r"^(?:about|approx\.?|approximately|=)\s*", "", cleaned)
    for word in _UNIT_WORDS:
        cleaned = re.sub(rf"\s*\b{word}\b\s*$", "", cleaned)
    cleaned = re.sub(r"(?<=\d),(?=\d{3}\b)", "", cleaned).replace(" ", "")
    if match := re.fullmatch(rf"({_NUMBER})/({_NUMBER})", cleaned):
        denominator = float(match[2])
        return [float(match[1]) / denominator] if denominator else []
    if match := re.fullmatch(rf"({_NUMBER})%", cleaned):
        return [float(match[1]) / 100, float(match[1])]
    if re.fullmatch(_NUMBER, cleaned):
        return [float(cleaned)]
    return []


def _normalise_text(text: str) -> str:
    lowered = unicodedata.normalize("NFKC", text).lower()
    lowered = lowered.replace("**", "^").replace("·", "*")
    return re.sub(r"[\s*`'\"]+", "", lowered).rstrip(".")


def _close(a: float, b: float, tolerance: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=max(tolerance, 1e-12))


def grade(answer: Answer, submitted: str) -> Grade:
    expected = format_expected(answer)
    if isinstance(answer.value, float):
        targets = [answer.value]
    else:
        targets = [value for form in (answer.value, *answer.accepted) for value in parse_number(form)]
    numbers = parse_number(submitted)
    correct = any(_close(n, t, answer.tolerance) for n in numbers for t in targets)
    if not correct:
        forms = {_normalise_text(form) for form in (str(answer.value), *answer.accepted)}
        correct = _normalise_text(submitted) in forms
    return Grade(correct=correct, expected=expected, explanation=answer.explanation)


def format_expected(answer: Answer) -> str:
    if isinstance(answer.value, float):
        value = _format_float(answer.value)
        exact = next((form for form in answer.accepted if "/" in form), None)
        text = f"{exact} ≈ {value}" if exact else value
    else:
        text = answer.value
    return f"{text} {answer.unit}" if answer.unit else text


def _format_float(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) < 1e-12 and fraction.denominator <= 16:
        return f"{float(fraction):g}"
    return f"{value:.4g}"
