"""Choosing questions: no repeat in a channel until its eligible pool is used up, deterministic per seed."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True, slots=True)
class TopicRotations:
    """A pool split by topic, each part a `Rotation` of its own, for a daily pick weighted by topic."""

    by_topic: Mapping[str, Rotation]
    topic_of: Mapping[str, str]

    @classmethod
    def of(cls, pool: Sequence[Question]) -> TopicRotations:
        topics: dict[str, list[Question]] = {}
        for question in pool:
            topics.setdefault(str(question.topic), []).append(question)
        by_topic = {topic: Rotation.of(questions) for topic, questions in sorted(topics.items())}
        return cls(by_topic, {question.id: str(question.topic) for question in pool})


def choose_weighted(
    rotations: TopicRotations, *, used: Collection[str], cycle: int, seed: str, day: date, weights: Mapping[str, float]
) -> Choice | None:
    """`choose_daily` with each question's chance in proportion to its topic's weight: a topic is drawn with a
    chance of its weight times its questions not used yet in the cycle, then its next unused question in its own
    walk. Still no repeat until the pool is used up (weak topics come up sooner in each cycle, not more often in
    it), and the same (seed, day, used, weights) always give the same question."""
    counts = {topic: len(rotation.questions) for topic, rotation in rotations.by_topic.items()}
    for question_id in used:
        topic = rotations.topic_of.get(question_id)
        if topic is not None:
            counts[topic] -= 1
    if not any(counts.values()):  # the pool is used up: a fresh cycle, every question unused again
        cycle, used = cycle + 1, ()
        counts = {topic: len(rotation.questions) for topic, rotation in rotations.by_topic.items()}
    shares = [(topic, weights.get(topic, 1.0) * left) for topic, left in counts.items() if left]
    if not shares:
        return None
    point = int.from_bytes(_digest(f"{seed}|{day.isoformat()}|{cycle}"), "big") / 2**128 * sum(s for _, s in shares)
    chosen = shares[-1][0]
    for topic, share in shares:
        if point < share:
            chosen = topic
            break
        point -= share
    for question in rotations.by_topic[chosen].walk(f"{seed}|{chosen}", cycle):
        if question.id not in used:
            return Choice(question, cycle)
    return None  # not reached: the topic has an unused question


def choose_quiz(pool: Sequence[Question], *, seen: Collection[str], rng: random.Random) -> Question | None:
    """A quiz question the member has not had yet, or any once they have had them all."""
    fresh = [question for question in pool if question.id not in seen]
    candidates = fresh or list(pool)
    return rng.choice(candidates) if candidates else None
