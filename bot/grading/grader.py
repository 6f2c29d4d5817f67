"""The grader the quiz and `studybot bank grade` use: what kind of answer a block holds, and how to read one.

The kind comes from the block itself: a number (`value: 0.7734`), a big-O bound (`O(n²·d)`), a yes or no, a
formula (`C*e^(-x)`, `b`), or words (`Model B`, `ReLU and ELU`). Every kind first accepts the block's own
forms exactly as written, then reads the member's text the way people write that kind.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable

from bot.core.grading import Grade, format_expected
from bot.core.questions import Answer
from bot.grading import bigo, numbers, symbolic, words
from bot.grading.numbers import Reading
from bot.grading.symbolic import Formula, Unreadable
from bot.grading.text import MAX_LENGTH, compact, normalise

MAX_CHUNKS = 12  # maths runs read in one sentence: an answer names its formula once or twice, not dozens of times
NUMBER, BIG_O, YES_NO, FORMULA, WORDS = "number", "big-O bound", "yes or no", "formula", "words"
_MATHS = re.compile(r"[=*/^()+Σσ\d]|\bexp\b|\blog\b|sqrt")
_PROSE = re.compile(r"[^\W\d_]{2,}")
_NUMBER_IN_TEXT = re.compile(
    r"[-+]?(?:(?:\d{1,3}(?:[,']\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?:\s*(?:[x*]\s*10\s*\^\s*\(?[-+]?\d+\)?|e[-+]?\d+))?"
    r"(?:\s*/\s*\d+(?:\.\d+)?)?(?:\s*(?:%|percent|billion|million|thousand|[kmbg]i?b?\b))?",
    re.IGNORECASE,
)


def kind_of(answer: Answer) -> str:
    if isinstance(answer.value, float):
        return NUMBER
    value = answer.value.strip()
    if bigo.bounds_in(value) and re.match(r"(?:big\s*-?\s*)?[OΘ]\s*\(", value):
        return BIG_O
    if words.verdict(words.words_of(value)) is not None and len(words.words_of(value)) == 1:
        return YES_NO
    if _MATHS.search(value) or re.fullmatch(r"[^\W\d_]", value):
        try:
            symbolic.read_formula(_after_equals(value))
        except Unreadable:
            return WORDS
        return FORMULA
    return WORDS


class AnswerGrader:
    """Implements the core's `Grader` port. Bounded: text past 500 characters is not read, and formulas are
    refused past fixed sizes before any value is computed, so one grade takes milliseconds at worst."""

    def grade(self, answer: Answer, submitted: str) -> Grade:
        correct, reason = self.judge(answer, submitted)
        return Grade(correct=correct, expected=format_expected(answer), explanation=answer.explanation, reason=reason)

    def judge(self, answer: Answer, submitted: str) -> tuple[bool, str]:
        if not submitted.strip():
            return False, "nothing to read: type the answer"
        if len(submitted) > MAX_LENGTH:
            return False, f"too long to read (over {MAX_LENGTH} characters): type the answer alone"
        typed = compact(submitted)
        for form in (str(answer.value), *answer.accepted):
            if typed == compact(form):
                return True, f"matches the accepted form {form!r}"
        kind = kind_of(answer)
        if kind == NUMBER:
            return _grade_number(answer, submitted)
        if kind == BIG_O:
            return _grade_bound(answer, submitted)
        if kind == YES_NO:
            return _grade_yes_no(answer, submitted)
        if kind == FORMULA:
            return _grade_formula(answer, submitted)
        return _grade_words(answer, submitted)


# ------------------------------------------------------------------------------------------ numbers
def _grade_number(answer: Answer, submitted: str) -> tuple[bool, str]:
    assert isinstance(answer.value, float)
    targets = [answer.value, *(r.value for form in answer.accepted for r in _readings(form, answer.unit))]
    readings = _readings(submitted, answer.unit)
    if not readings:
        readings, several = _readings_in_sentence(submitted, answer.unit)
        if several:
            return False, f"names several numbers ({', '.join(several)}): give the one answer"
    if not readings:
        return False, "no number found in it: type the number, e.g. 0.25, 1/4, 25% or 2.5e-1"
    for reading in readings:
        for target in targets:
            if why := _number_matches(answer, reading, target):
                return True, f"reads {_show(reading.value)}, {why}"
    return False, f"reads {_show(readings[0].value)}, which is not {format_expected(answer)}{_tolerance_note(answer)}"


def _readings(text: str, unit: str | None) -> list[Reading]:
    if found := numbers.read_number(text, unit):
        return found
    tail = _after_equals(text)
    if any(_is_prose(token) for token in normalise(text).split()) and tail != text.strip():
        return []  # in a sentence, what follows `=` may be a step, not the answer: read the sentence
    try:
        formula = symbolic.read_formula(numbers.strip_units(tail, unit))
    except Unreadable:
        return []
    value = symbolic.value_of(formula)
    return [Reading(value, None)] if value is not None and math.isfinite(value) else []


def _readings_in_sentence(text: str, unit: str | None) -> tuple[list[Reading], list[str]]:
    """The one number a sentence asserts (`I'd say about 44 days`), or the several it names when it names more."""
    plain = normalise(text)
    asserted: dict[float, tuple[str, list[Reading]]] = {}
    for match in list(_NUMBER_IN_TEXT.finditer(plain))[:MAX_CHUNKS]:
        before = words.words_of(plain[: match.start()])
        if words.negated_at_end(before) or not (readings := numbers.read_number(match[0], unit)):
            continue
        asserted.setdefault(round(readings[0].value, 12), (match[0].strip(), readings))
    if len(asserted) == 1:
        return next(iter(asserted.values()))[1], []
    return [], [shown for shown, _ in asserted.values()]


def _number_matches(answer: Answer, reading: Reading, target: float) -> str:
    if math.isclose(reading.value, target, rel_tol=1e-9, abs_tol=max(answer.tolerance, 1e-15)):
        return "within the tolerance" if answer.tolerance else "exactly the answer"
    exact_count = target == int(target) and not answer.tolerance
    needed = answer.significant_figures or 2
    if reading.figures is None or exact_count or reading.figures < needed:
        return ""
    rounded = float(f"{target:.{reading.figures}g}")
    if math.isclose(reading.value, rounded, rel_tol=1e-9):
        return f"the answer {_show(target)} to {reading.figures} significant figures"
    return ""


def _tolerance_note(answer: Answer) -> str:
    needed = answer.significant_figures or 2
    if answer.tolerance:
        return f" (within ±{_show(answer.tolerance)}, or rounded to {needed}+ significant figures)"
    return ""


def _show(value: float) -> str:
    return f"{value:.6g}"


# ------------------------------------------------------------------------------------------ big-O
def _grade_bound(answer: Answer, submitted: str) -> tuple[bool, str]:
    expected = [bound for form in (str(answer.value), *answer.accepted) for bound in _bounds(form)]
    said = _asserted_bounds(submitted)
    if not said:
        try:
            said = [bigo.read_bound(submitted)]
        except Unreadable:
            return False, "no bound found in it: write it like O(n^2 d) or say linear, quadratic"
    wrong = [bound for bound in said if bound not in expected]
    if wrong:
        return False, f"says O({_terms(wrong[0])}), but the answer is {format_expected(answer)}"
    return True, f"says O({_terms(said[0])}), the same bound as {format_expected(answer)}"


def _bounds(text: str) -> list[frozenset[object]]:
    found = []
    for _, inside in bigo.bounds_in(text):
        try:
            found.append(bigo.read_bound(inside))
        except Unreadable:
            continue
    return found


def _asserted_bounds(text: str) -> list[frozenset[object]]:
    plain = normalise(text)
    found = []
    for position, inside in bigo.bounds_in(plain)[:MAX_CHUNKS]:
        if words.negated_at_end(words.words_of(plain[:position])):
            continue
        try:
            found.append(bigo.read_bound(inside))
        except Unreadable:
            continue
    return found


def _terms(bound: frozenset[object]) -> str:
    return " + ".join(sorted(str(term).replace("**", "^") for term in bound))


# ---------------------------------------------------------------------------------------- yes / no
def _grade_yes_no(answer: Answer, submitted: str) -> tuple[bool, str]:
    right = words.verdict(words.words_of(str(answer.value)))
    yes, no = (answer.accepted, answer.wrong) if right else (answer.wrong, answer.accepted)
    said = words.verdict(words.words_of(submitted), yes=yes, no=no)
    if said is None:
        return False, "gives no yes or no: start with yes or no (then say why)"
    word = "yes" if said else "no"
    if said == right:
        return True, f"says {word}, the answer"
    return False, f"says {word}, but the answer is {answer.value}"


# ------------------------------------------------------------------------------------------ formulas
def _grade_formula(answer: Answer, submitted: str) -> tuple[bool, str]:
    expected = _formulas((str(answer.value), *answer.accepted))  # cached: read once per block
    known = {name for formula in expected for name in formula.symbols if len(name) > 1}
    whole = None
    if not any(_is_prose(token, known) for token in normalise(submitted).split()):
        try:
            whole = symbolic.read_formula(_after_equals(submitted), known)
        except Unreadable:
            whole = None
    if whole is not None:
        if _matches(expected, whole, answer.constants):
            return True, f"reads {_formula_text(whole)}, equal to {answer.value}"
        return False, f"reads {_formula_text(whole)}, which is not {answer.value}"
    right, rivals = [], []
    for chunk, negated in _chunks(submitted)[:MAX_CHUNKS]:
        try:
            formula = symbolic.read_formula(chunk, known)
        except Unreadable:
            continue
        if negated:
            continue
        if _matches(expected, formula, answer.constants):
            right.append(formula)
        elif not formula.expr.is_Atom:
            rivals.append(formula)
            break
    if right and not rivals:
        return True, f"says {_formula_text(right[0])}, equal to {answer.value}"
    if rivals:
        return False, f"says {_formula_text(rivals[0])}, which is not {answer.value}"
    return False, f"no formula found in it: type it like {answer.value}"


@functools.lru_cache(maxsize=256)
def _formulas(forms: tuple[str, ...]) -> list[Formula]:
    found = []
    for form in forms:
        try:
            found.append(symbolic.read_formula(_after_equals(form)))
        except Unreadable:
            continue
    return found


def _matches(expected: list[Formula], formula: Formula, constants: Iterable[str]) -> bool:
    return any(symbolic.same_value(each, formula, constants) for each in expected)


_MATHS_WORDS = frozenset({"exp", "log", "ln", "sqrt", "sum", "mean", "xbar", "pi"})
_NOT = frozenset({"not", "never", "nor", "neither", "than", "instead", "isn't", "isnt"})


def _is_prose(token: str, known: Iterable[str] = ()) -> bool:
    bare = token.strip().rstrip(".:,;")
    return bool(_PROSE.fullmatch(bare)) and bare.lower() not in _MATHS_WORDS and bare not in known


def _chunks(text: str) -> list[tuple[str, bool]]:
    """The maths runs of a sentence (`the slope is b as well` -> `b`), each with whether `not` came before it."""
    out: list[tuple[str, bool]] = []
    current: list[str] = []
    negated = pending = False

    def close() -> None:
        nonlocal current
        if current:
            out.append((_after_equals(" ".join(current)), negated))
            current = []

    for token in re.split(r"(\s+|[,;])", normalise(text)):
        bare = token.strip().rstrip(".:")
        if not bare or bare in ",;":
            if bare in (",", ";"):
                close()
                pending = False
            continue
        if _is_prose(bare):
            close()
            pending = bare.lower() in _NOT
            continue
        if not current:
            negated, pending = pending, False
        current.append(bare)
    close()
    return out


def _formula_text(formula: Formula) -> str:
    return str(formula.expr).replace("**", "^").replace("S_x", "Σx_i")


def _after_equals(text: str) -> str:
    """What is said to equal: `f(x) = C e^-x` -> `C e^-x`; `≈ 44` -> `44`."""
    return re.split(r"=|≈", text)[-1].strip()


# ------------------------------------------------------------------------------------------- words
def _grade_words(answer: Answer, submitted: str) -> tuple[bool, str]:
    said = words.words_of(submitted)
    value = str(answer.value)
    parts = [part for part in re.split(r"\s*(?:,|\band\b)\s*", value) if part]
    accepted = words.with_synonyms([value, *answer.accepted])
    rivals = words.with_synonyms(answer.wrong) - accepted
    if len(parts) > 1:
        accepted |= {part for p in parts for part in words.with_synonyms([p])}
    found = words.mentions(said, accepted | rivals)
    asserted = [m for m in found if m.asserted]
    named_rival = next((m.phrase for m in asserted if m.phrase in rivals), None)
    if named_rival:
        return False, f"names {named_rival}, but the answer is {value}"
    if len(parts) > 1 and not any(m.phrase in words.with_synonyms([value, *answer.accepted]) for m in asserted):
        missing = [p for p in parts if not any(m.phrase in words.with_synonyms([p]) for m in asserted)]
        if missing:
            return False, f"leaves out {', '.join(missing)}: the answer is {value}"
    if asserted:
        return True, f"names {asserted[0].phrase.replace(' ,', ',')}, the answer"
    if found:
        return False, f"says not {found[0].phrase}, but the answer is {value}"
    return False, f"does not name the answer, {value}"
