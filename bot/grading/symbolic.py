"""Maths typed in chat, read safely with sympy and compared by value: `Ce^(-x)`, `A*exp(-x)`, `k e^{-x}`, `1/x̄`.

Safety: the typed text is never evaluated. It is cut into tokens here (numbers, names, `+ - * / ^ ( ) ,`; any
other character refuses it), every name becomes a generated identifier bound in a local dict, and only that
rebuilt text reaches `parse_expr`, with number parsing as its one transformation and no automatic evaluation.
The tree is then checked against bounds (size, powers of numbers) before any value is computed, and values are
computed only by floating-point evaluation at a few points: `10^10^10` or `9^9^9^9` is refused in microseconds,
never expanded.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations

import sympy
from sympy.parsing.sympy_parser import auto_number, parse_expr

from bot.grading.text import normalise

MAX_TOKENS = 120
MAX_NODES = 400
MAX_POWER = 1000  # |exponent| of a power of numbers, and of its value's exponent
MAX_DEPTH = 6  # powers of powers

_FUNCTIONS: dict[str, sympy.FunctionClass] = {
    "exp": sympy.exp,
    "log": sympy.log,
    "ln": sympy.log,
    "sqrt": sympy.sqrt,
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
}
_CONSTANTS: dict[str, sympy.Expr] = {"e": sympy.E, "pi": sympy.pi, "π": sympy.pi}
_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+)|([^\W\d]\w*)|(\*\*|[-+*/^()]))")
# How people write a sum and a mean of observations: one symbol for the sum, the mean as sum / n.
_SUM = re.compile(
    r"(?:Σ|σ|\bsum)\s*(?:_\(?[a-z](?:=1)?\)?)?(?:\^\(?n\)?)?(?:\s*of)?\s*(?:\(\s*x(?:_?i)?\s*\)|x(?:_?i)?)"
)
_MEAN = re.compile(r"x\u0304(?:_?i)?|\bx_?bar\b|\bbar\s*\(\s*x\s*\)|\b(?:mean|avg|average)\s*\(\s*x(?:_?i)?\s*\)")
_GLOBALS = {
    **{name: getattr(sympy, name) for name in ("Integer", "Float", "Rational", "Add", "Mul", "Pow")},
    "__builtins__": {},
}


class Unreadable(ValueError):
    """The text is not maths this reader accepts (or is too big to read safely)."""


@dataclass(frozen=True, slots=True)
class Formula:
    """A typed formula: the sympy tree and the names its letters had."""

    expr: sympy.Expr

    @property
    def symbols(self) -> frozenset[str]:
        return frozenset(str(symbol) for symbol in self.expr.free_symbols)

    @property
    def is_number(self) -> bool:
        return not self.expr.free_symbols


def read_formula(text: str, known: Iterable[str] = (), *, case_blind: bool = False) -> Formula:
    """The formula `text` writes, or Unreadable. `known` are multi-letter names to keep whole (`d_model`)."""
    text = normalise(text)
    text = _MEAN.sub(" (S_x/n) ", _SUM.sub(" S_x ", text))
    if case_blind:
        text = text.lower().replace("s_x", "S_x")
    tokens = _tokens(text, frozenset(known))
    code, names = _code(tokens)
    local: dict[str, object] = {}
    for identifier, name in names.items():
        local[identifier] = _FUNCTIONS.get(name) or _CONSTANTS.get(name) or sympy.Symbol(name, real=True)
    try:
        expr = parse_expr(
            code, local_dict=local, global_dict=dict(_GLOBALS), transformations=(auto_number,), evaluate=False
        )
    except Exception as problem:  # whatever the parser makes of odd text, it is not an answer
        raise Unreadable(str(problem)) from None
    if not isinstance(expr, sympy.Expr):
        raise Unreadable("not an expression")
    _check_bounds(expr)
    return Formula(expr)


def _tokens(text: str, known: frozenset[str]) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip() == "":
                break
            raise Unreadable(f"cannot read {text[position]!r}")
        position = match.end()
        number, name, operator = match.groups()
        if number:
            mantissa, _, exponent = number.partition("e")
            if len(mantissa) > 40 or (exponent and abs(int(exponent)) > MAX_POWER):
                raise Unreadable("number too big")
            tokens.append(("number", number))
        elif name:
            tokens.extend(("name", part) for part in _split_name(name, known))
        elif operator == ")" and tokens and tokens[-1] == ("op", "("):
            raise Unreadable("empty brackets")
        else:
            tokens.append(("op", "^" if operator == "**" else operator))
        if len(tokens) > MAX_TOKENS:
            raise Unreadable("too long")
    if not tokens:
        raise Unreadable("empty")
    return tokens


def _split_name(name: str, known: frozenset[str]) -> list[str]:
    """`Ce` -> C, e; `nlog` -> n, log; `x_i`, `d_model` and `S_x` stay whole; `dn` -> d, n."""
    if name in known or "_" in name or any(ch.isdigit() for ch in name) or name in _FUNCTIONS or name in _CONSTANTS:
        return [name]
    words = sorted({*_FUNCTIONS, *_CONSTANTS, *known}, key=len, reverse=True)
    parts: list[str] = []
    rest = name
    while rest:
        word = next((w for w in words if len(w) > 1 and rest.startswith(w)), rest[0])
        parts.append(word)
        rest = rest[len(word) :]
    return parts


def _code(tokens: Sequence[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """Python text for parse_expr, from tokens only: implicit products made explicit, names replaced by ids."""
    names: dict[str, str] = {}
    out: list[str] = []
    previous: tuple[str, str] | None = None
    pending_calls = 0
    for index, (kind, value) in enumerate(tokens):
        operand_start = kind in ("number", "name") or value == "("
        if previous and operand_start and _ends_operand(previous):
            out.append("*")
        if kind == "name":
            identifier = names.setdefault(value, f"v{len(names)}")
            out.append(identifier)
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if value in _FUNCTIONS and following and following[1] != "(":
                out.append("(")  # `log n` is log(n): the call closes after the next operand
                pending_calls += 1
                previous = ("op", "(")
                continue
        elif kind == "number":
            out.append(value)
        else:
            out.append("**" if value == "^" else value)
        if pending_calls and kind in ("number", "name"):
            out.append(")" * pending_calls)
            pending_calls = 0
        previous = (kind, value)
    return "".join(out) + ")" * pending_calls, {identifier: name for name, identifier in names.items()}


def _ends_operand(token: tuple[str, str]) -> bool:
    kind, value = token
    return (kind == "number") or (kind == "name" and value not in _FUNCTIONS) or value == ")"


def _check_bounds(expr: sympy.Expr) -> None:
    """Inner nodes first, so an exponent is known to be small before its value is computed."""
    for nodes, node in enumerate(sympy.postorder_traversal(expr), 1):
        if nodes > MAX_NODES:
            raise Unreadable("too big")
        if not isinstance(node, sympy.Expr):
            raise Unreadable("not an expression")  # `()` parses as an empty tuple
        if isinstance(node, sympy.Pow):
            _check_power(node)


def _check_power(node: sympy.Pow) -> None:
    depth, exponent = 0, node.exp
    while isinstance(exponent, sympy.Pow):
        depth += 1
        if depth > MAX_DEPTH:
            raise Unreadable("powers nested too deep")
        exponent = exponent.exp
    if node.exp.free_symbols:
        return
    value = _float(node.exp)
    if value is None or abs(value) > MAX_POWER:
        raise Unreadable("exponent too big")


def _float(expr: sympy.Expr) -> float | None:
    try:
        value = complex(expr.evalf(15))
    except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError):
        return None
    return value.real if abs(value.imag) < 1e-12 else None


def value_of(formula: Formula) -> float | None:
    """The number a formula of numbers only means (`((sqrt(5)-1)/2)^50`), or None."""
    if not formula.is_number:
        return None
    return _float(formula.expr)


def same_value(expected: Formula, submitted: Formula, constants: Iterable[str] = (), *, samples: int = 5) -> bool:
    """Whether the two formulas agree everywhere (checked at random points), naming constants as the member likes.

    `constants` are letters of `expected` that stand for any constant: a letter the member used that is not
    one of expected's may stand for one of them (`A*exp(-x)` for `C*exp(-x)`)."""
    free = set(constants) & expected.symbols
    fixed = expected.symbols - free
    theirs = submitted.symbols - fixed
    if len(theirs) > len(free) or len(theirs) > 3:
        return False
    for chosen in permutations(sorted(free), len(theirs)):
        renaming = {
            sympy.Symbol(name, real=True): sympy.Symbol(target, real=True)
            for name, target in zip(sorted(theirs), chosen, strict=True)
        }
        candidate = submitted.expr.xreplace(renaming)
        if _agree(expected.expr, candidate, samples):
            return True
    return False


def _agree(left: sympy.Expr, right: sympy.Expr, samples: int) -> bool:
    symbols = sorted(left.free_symbols | right.free_symbols, key=str)
    rng = random.Random(20260101)  # the same points every time: a grade never flips between two tries
    agreed = 0
    for _ in range(samples * 2):
        point = {symbol: sympy.Float(rng.uniform(0.6, 1.9), 15) for symbol in symbols}
        a, b = _at(left, point), _at(right, point)
        if a is None or b is None:
            continue
        if abs(a - b) > 1e-8 * max(1.0, abs(a), abs(b)):
            return False
        agreed += 1
        if agreed >= samples:
            return True
    return agreed >= 2


def _at(expr: sympy.Expr, point: dict[sympy.Symbol, sympy.Float]) -> complex | None:
    try:
        value = complex(expr.evalf(15, subs=point))
    except (TypeError, ValueError, AttributeError, ArithmeticError, RecursionError):
        return None
    if value != value or abs(value) == float("inf"):
        return None
    return value
