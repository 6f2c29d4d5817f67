"""Choosing questions: no repeat in a channel until its eligible pool is used up, deterministic per seed."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from bot.core.questions import Question


@dataclass(frozen=True, slots=True)
class Choice:
    question: Question
    cycle: int


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(frozen=True, slots=True)
class Rotation:
    """A pool of questions in an order of their own (by a digest of each id, the same for every channel), built
    once per pool. Each (seed, cycle) walks it in its own order, a step of a fixed stride at a time, so choosing
    the next question costs about as many steps as the cycle has used, whatever the size of the bank."""

    questions: tuple[Question, ...]

    @classmethod
    def of(cls, pool: Sequence[Question]) -> Rotation:
        return cls(tuple(sorted(pool, key=lambda question: _digest(question.id))))

    def walk(self, seed: str, cycle: int) -> Iterator[Question]:
        """Every question once, in the order of (seed, cycle): position p is `(stride * p + start) mod n`, with
        a stride coprime to n, so the walk visits each position exactly once."""
        count = len(self.questions)
        if not count:
            return
        mixed = int.from_bytes(_digest(f"{seed}|{cycle}"), "big")
        start, stride = mixed % count, 1 + (mixed // count) % max(1, count - 1)
        while math.gcd(stride, count) != 1:
            stride += 1
        for position in range(count):
            yield self.questions[(stride * position + start) % count]


def choose_daily(rotation: Rotation, *, used: Collection[str], cycle: int, seed: str) -> Choice | None:
    """The next question for a channel whose current `cycle` has already used the ids in `used`.

    Each cycle walks the pool in an order fixed by (seed, cycle), so a channel sees every eligible question
    once before any repeats, and a test with a known seed knows what comes next. When the pool is used up,
    the next cycle starts with a fresh order. None only when the pool is empty.
    """
    for question in rotation.walk(seed, cycle):
        if question.id not in used:
            return Choice(question, cycle)
    fresh = next(rotation.walk(seed, cycle + 1), None)
    return None if fresh is None else Choice(fresh, cycle + 1)


def choose_quiz(pool: Sequence[Question], *, seen: Collection[str], rng: random.Random) -> Question | None:
    """A quiz question the member has not had yet, or any once they have had them all."""
    fresh = [question for question in pool if question.id not in seen]
    candidates = fresh or list(pool)
    return rng.choice(candidates) if candidates else None
