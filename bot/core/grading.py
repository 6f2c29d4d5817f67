"""What grading a typed answer tells the member, and how the expected answer is shown.

The grading itself is a `Grader` (bot/core/ports.py): reading numbers, maths and sentences is not a rule of the
game, so it lives outside the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from bot.core.questions import Answer


@dataclass(frozen=True, slots=True)
class Grade:
    """`reason` says in one line why the answer is right or wrong (`reads 0.77, 0.7734 to 2 figures`)."""

    correct: bool
    expected: str
    explanation: str
    reason: str = ""


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
