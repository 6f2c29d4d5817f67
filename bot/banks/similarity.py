"""Near-duplicate questions: the same question asked in other words.

Two texts are compared by the Jaccard similarity of their *content words*: lowercase, mojibake
repaired, punctuation dropped, plurals folded (`losses` → `loss`), and stop words removed -- both
ordinary ones (`the`, `is`, ...) and the question scaffolding interviewers wrap around a topic
(`what`, `difference`, `between`, `vs`, `explain`, `describe`, ...). So "What is the difference
between covariance and correlation?" and "Covariance vs. correlation" both reduce to
{covariance, correlation}: similarity 1.0.

Two questions are near-duplicates when their prompts, or one's title and the other's prompt, reach
`THRESHOLD` (0.8), comparing only texts with at least `MIN_WORDS` (2) content words. Titles are
not compared with titles: they are three or four words, so sharing two of them means little.

Why 0.8: measured on all pairs of the two seed documents (~270 items), the covariance/correlation
overlap scores 1.0 and the next pair 0.75 -- a false positive ("challenges of training with noisy
data" vs "... with limited data"), as are the pairs at 0.6-0.71 (content vs collaborative
filtering, "how does self-attention work" vs "what happens after self-attention"). Paraphrases that
share fewer words ("complexity of the self-attention operation" vs "time complexity of the
self-attention layer", 0.5) are missed: at that level real duplicates and distinct questions mix,
so catching them is left to review (`find_near_duplicates(questions, threshold=0.5)` lists them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.banks.mojibake import repair_text
from bot.core.questions import Question

THRESHOLD = 0.8
MIN_WORDS = 2

_STOP_WORDS_TEXT = """
a about above after again all also am an and any are as at be been being both but by can
could did do does doing done for from had has have having he her here his how i if in into is
it its it's just like may me might more most much must my no nor not now of off on once only
or other our out over own same she should so some such than that the their them then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours let lets okay so well
difference differences different between vs versus compare compared comparison contrast
explain describe tell give name discuss elaborate define definition mean meaning means
know think happen happens use used using work works related relate relation
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class NearDuplicate:
    """Two questions that look like the same question, and how similar they are (0-1)."""

    first: str
    second: str
    score: float


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """The words that carry a question's meaning (see the module docstring)."""
    text = unicodedata.normalize("NFKD", repair_text(text)).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return frozenset(_fold(word) for word in words if word not in STOP_WORDS)


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def text_similarity(first: str, second: str) -> float:
    """Jaccard similarity of the content words of two texts (0.0 when either has too few)."""
    a, b = content_words(first), content_words(second)
    if len(a) < MIN_WORDS or len(b) < MIN_WORDS:
        return 0.0
    return len(a & b) / len(a | b)


def question_similarity(first: Question | tuple[str, str], second: Question | tuple[str, str]) -> float:
    """The best similarity between the (title, prompt) texts of two questions."""
    a_title, a_prompt = _texts(first)
    b_title, b_prompt = _texts(second)
    return max(
        text_similarity(a_prompt, b_prompt),
        text_similarity(a_title, b_prompt),
        text_similarity(a_prompt, b_title),
    )


def _texts(question: Question | tuple[str, str]) -> tuple[str, str]:
    if isinstance(question, Question):
        return question.title, question.prompt
    return question


def best_match(
    candidate: Question | tuple[str, str], questions: Iterable[Question], threshold: float = THRESHOLD
) -> tuple[Question, float] | None:
    """The most similar question at or above `threshold`, if any."""
    best: tuple[Question, float] | None = None
    for question in questions:
        score = question_similarity(candidate, question)
        if score >= threshold and (best is None or score > best[1]):
            best = (question, score)
    return best


def find_near_duplicates(questions: Sequence[Question], threshold: float = THRESHOLD) -> list[NearDuplicate]:
    """Every pair of questions that look like the same question, most similar first."""
    pairs = [
        NearDuplicate(first.id, second.id, round(score, 3))
        for index, first in enumerate(questions)
        for second in questions[index + 1 :]
        if (score := question_similarity(first, second)) >= threshold
    ]
    return sorted(pairs, key=lambda pair: (-pair.score, pair.first, pair.second))
