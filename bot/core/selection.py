"""Choosing questions: no repeat in a channel until its eligible pool is used up, deterministic per seed."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from bot.core.questions import Question


@dataclass(frozen=True, slots=True)
class Choice:
    question: Question
    cycle: int


def _shuffle_keys(seed: str, cycle: int) -> Callable[[Question], bytes]:
    """A question's place in the cycle's order: the digest of `seed|cycle|id` (the prefix is hashed only once)."""
    prefix = hashlib.blake2b(f"{seed}|{cycle}|".encode(), digest_size=8)

    def key(question: Question) -> bytes:
        digest = prefix.copy()
        digest.update(question.id.encode())
        return digest.digest()

    return key


def choose_daily(pool: Sequence[Question], *, used: Collection[str], cycle: int, seed: str) -> Choice | None:
    """The next question for a channel whose current `cycle` has already used the ids in `used`.

    Each cycle walks the pool in an order fixed by (seed, cycle), so a channel sees every eligible question
    once before any repeats, and a test with a known seed knows what comes next. When the pool is used up,
    the next cycle starts with a fresh order. None only when the pool is empty.
    """
    if not pool:
        return None
    remaining = [question for question in pool if question.id not in used]
    if not remaining:
        cycle, remaining = cycle + 1, list(pool)
    best = min(remaining, key=_shuffle_keys(seed, cycle))
    return Choice(best, cycle)


def choose_quiz(pool: Sequence[Question], *, seen: Collection[str], rng: random.Random) -> Question | None:
    """A quiz question the member has not had yet, or any once they have had them all."""
    fresh = [question for question in pool if question.id not in seen]
    candidates = fresh or list(pool)
    return rng.choice(candidates) if candidates else None
