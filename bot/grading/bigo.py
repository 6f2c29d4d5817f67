"""Big-O in every common spelling: `O(n²·d)`, `O(n^2 d)`, `O(d n**2)`, `Θ(n^2 d)`, `O(n^2 d_k)`, `quadratic`.

Two bounds are the same when they keep the same terms once constant factors and dominated terms are dropped:
`O(3n^2 d + n d)` is `O(n^2 d)`. Letters are compared case-blind and by their first letter (`d_model` is d),
as complexity answers name sizes loosely.
"""

from __future__ import annotations

import re

import sympy

from bot.grading.symbolic import Formula, Unreadable, read_formula
from bot.grading.text import normalise

MAX_TERMS = 200
_WORDS = {
    "constant": "1",
    "logarithmic": "log(n)",
    "linearithmic": "n log(n)",
    "loglinear": "n log(n)",
    "log linear": "n log(n)",
    "linear": "n",
    "quadratic": "n^2",
    "quadratically": "n^2",
    "cubic": "n^3",
    "exponential": "2^n",
}
_OPENING = re.compile(r"(?<![A-Za-z])(?:big\s*-?\s*)?(?:O|o|Θ|θ|Ω|ω)\s*\(")


def bounds_in(text: str) -> list[tuple[int, str]]:
    """(position, inside) of every `O(...)` written in `text`, with words like `quadratic` as bounds too."""
    text = normalise(text)
    found: list[tuple[int, str]] = []
    for match in _OPENING.finditer(text):
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        if depth == 0:
            found.append((match.start(), text[match.end() : end - 1]))
    if not found:
        lowered = text.lower().replace("-", " ")
        for word, inside in _WORDS.items():
            if said := re.search(rf"\b{word}\b", lowered):
                found.append((said.start(), inside))
                lowered = lowered.replace(word, " " * len(word))
    return sorted(found)


def read_bound(inside: str) -> frozenset[sympy.Expr]:
    """The terms that matter in a bound: `3n^2 d + n d` -> {n**2*d}; Unreadable when it is not maths."""
    inside = re.sub(r"\b([A-Za-z])_\w+", r"\1", inside)
    formula: Formula = read_formula(inside, case_blind=True)
    if _expanded_size(formula.expr) > MAX_TERMS:
        raise Unreadable("too many terms to expand")
    try:
        expanded = sympy.expand(formula.expr)
        terms = {term.as_coeff_Mul()[1] for term in sympy.Add.make_args(expanded)}
        kept = {term for term in terms if not any(_dominates(other, term) for other in terms if other != term)}
    except (TypeError, ValueError, ArithmeticError, RecursionError) as problem:
        raise Unreadable(str(problem)) from None
    if not kept:
        raise Unreadable("empty bound")
    return frozenset(kept)


def _expanded_size(expr: sympy.Expr) -> int:
    """An upper bound on the terms `expand` would make, so `(a+b+c)^1000` is refused before it is tried."""
    if isinstance(expr, sympy.Add):
        return sum(_expanded_size(arg) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        size = 1
        for arg in expr.args:
            size = min(size * _expanded_size(arg), MAX_TERMS + 1)
        return size
    if isinstance(expr, sympy.Pow) and expr.exp.is_Integer and int(expr.exp) > 1:
        base = _expanded_size(expr.base)
        return MAX_TERMS + 1 if base > 1 and int(expr.exp) > 12 else min(base ** int(expr.exp), MAX_TERMS + 1)
    return 1


def _dominates(big: sympy.Expr, small: sympy.Expr) -> bool:
    """`big` grows at least as fast as `small` in every size: their ratio is a product of positive powers."""
    ratio = sympy.powsimp(big / small)
    if ratio.is_number:
        return False
    for factor, power in ratio.as_powers_dict().items():
        if factor.is_number:
            continue
        if not (power.is_number and power > 0):
            return False
    return True
