"""Word answers found inside a sentence: yes/no, a named choice (`MAE`, `Model B`), with negation and synonyms.

A phrase counts only where the sentence asserts it: `not MSE, MAE` names MAE; `MSE` after `not`, `neither`,
`rather than` or `than` in the same clause is set aside. A sentence that also asserts a rival choice is wrong,
so hedging (`MAE or MSE`) is never right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.grading.text import normalise

SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(group)
    for group in (
        {"mae", "mean absolute error", "l1 loss", "l1 error", "absolute error"},
        {"mse", "mean squared error", "mean square error", "l2 loss", "squared error"},
        {"rmse", "root mean squared error", "root mean square error"},
        {"relu", "rectified linear unit"},
        {"elu", "exponential linear unit"},
        {"tanh", "hyperbolic tangent"},
        {"sigmoid", "logistic", "logistic function"},
        {
            "unchanged",
            "the same",
            "same",
            "stays the same",
            "remains the same",
            "does not change",
            "no change",
            "unaffected",
            "identical",
            "will not change",
            "would not change",
        },
    )
)
YES = ("yes", "yeah", "yep", "true", "correct", "right", "always", "possible", "sure", "definitely", "indeed")
NO = (
    *("no", "nope", "nah", "false", "incorrect", "wrong", "never", "impossible", "cannot", "not", "neither"),
    "unaffected",
)
_NEGATIONS = frozenset({"not", "no", "never", "neither", "nor", "without", "than", "instead", "except"})
_LESS = frozenset({"less", "worse", "fewer", "weaker", "lower"})
_CLAUSE_BREAKS = frozenset({",", ";", ":", ".", "!", "?", "(", ")", "but", "so", "because", "since", "while"})


def words_of(text: str) -> list[str]:
    """Lowercase words and clause marks: `Not MSE, MAE.` -> not mse , mae ."""
    lowered = normalise(text).lower().replace("'", "'")
    lowered = re.sub(r"n't\b", " not", lowered).replace("-", " ")
    return re.findall(r"\d+(?:\.\d+)?%?|[^\W_]+(?:_\w+)?|[,;:.!?()]", lowered)


def with_synonyms(phrases: Iterable[str]) -> set[str]:
    found = {" ".join(words_of(phrase)) for phrase in phrases}
    for group in SYNONYMS:
        if found & group:
            found |= group
    found.discard("")
    return found


@dataclass(frozen=True, slots=True)
class Mention:
    phrase: str
    at: int
    asserted: bool


def mentions(words: Sequence[str], phrases: Iterable[str]) -> list[Mention]:
    """Where each phrase is said, longest phrases first so `model b degree 6` is one mention, not two."""
    taken = [False] * len(words)
    found: list[Mention] = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p.split()), p)):
        parts = phrase.split()
        letter = len(parts) == 1 and len(parts[0]) == 1
        for start in range(len(words) - len(parts) + 1):
            span = range(start, start + len(parts))
            if letter and not _stands_alone(words, start):
                continue  # a lone letter (`B`) counts only as a choice of its own: `a` is also an article
            if words[start : start + len(parts)] == parts and not any(taken[i] for i in span):
                for i in span:
                    taken[i] = True
                found.append(Mention(phrase, start, not _negated(words, start, len(parts))))
    return sorted(found, key=lambda m: m.at)


_BEFORE_CHOICE = _CLAUSE_BREAKS | _NEGATIONS | {"model", "option", "choice", "choose", "pick", "is", "rather"}
_AFTER_CHOICE = _CLAUSE_BREAKS | {"is", "wins", "than", "because", "since", "fits", "generalises", "generalizes"}


def _stands_alone(words: Sequence[str], at: int) -> bool:
    before = words[at - 1] if at else ","
    after = words[at + 1] if at + 1 < len(words) else ","
    return before in _BEFORE_CHOICE and after in _AFTER_CHOICE


def negated_at_end(words: Sequence[str]) -> bool:
    """Whether what comes after these words is negated (`not`, `rather than` earlier in the same clause)."""
    return _negated(words, len(words))


def _negated(words: Sequence[str], at: int, length: int = 1) -> bool:
    """Set aside by `not`/`neither`/`instead of` before it in its clause, by `better than` before it, or by
    `less ... than` after it (`MSE is less robust than MAE` names MAE)."""
    start = at
    while start > 0 and words[start - 1] not in _CLAUSE_BREAKS:
        start -= 1
    end = at + length
    while end < len(words) and words[end] not in _CLAUSE_BREAKS:
        end += 1
    before, after = list(words[start:at]), list(words[at + length : end])
    if any(word in _NEGATIONS and word != "than" for word in before):
        return True
    if "than" in before:
        last = len(before) - 1 - before[::-1].index("than")
        return not any(word in _LESS for word in before[:last])
    if "than" in after:
        return any(word in _LESS for word in after[: after.index("than")])
    return bool(after) and after[-1] == "not" and len(after) <= 3  # `MSE isn't`, `MSE does not`


def verdict(words: Sequence[str], yes: Iterable[str] = (), no: Iterable[str] = ()) -> bool | None:
    """The first yes or no the sentence gives (`not true` is a no), or None when it gives neither."""
    positive = [*YES, *(" ".join(words_of(p)) for p in yes)]
    negative = [*NO, *(" ".join(words_of(p)) for p in no)]
    phrases = sorted({*positive, *negative}, key=lambda p: -len(p.split()))
    index = 0
    while index < len(words):
        for phrase in phrases:
            parts = phrase.split()
            if parts and words[index : index + len(parts)] == parts:
                if phrase == "not" and index + 1 < len(words) and words[index + 1] in NO:
                    return True  # `not wrong`
                return phrase in positive and phrase not in negative
        index += 1
    return None
