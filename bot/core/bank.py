"""`Bank`: the immutable, validated set of questions and resources the bot asks from."""

from __future__ import annotations

import types
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.core.errors import NotFound
from bot.core.questions import Difficulty, Question, Resource, Topic


@dataclass(frozen=True)
class Origin:
    """Where a question or resource was defined: a bank file and its 1-based line."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class BankStats:
    """Counts for `studybot bank stats` and the `/bank` command; every mapping is sorted for display."""

    total: int
    files: int
    by_topic: Mapping[Topic, int]
    by_difficulty: Mapping[Difficulty, int]
    by_document: Mapping[str, int]
    gradable: int
    resources: int

    @property
    def not_gradable(self) -> int:
        return self.total - self.gradable


@dataclass(frozen=True)
class Bank:
    """Questions in a stable order (topic order of `Topic`, then file order) with lookups.

    Build one from bank files with `bot.banks.loading.load_bank()`, or with `Bank.of(questions)`; nothing in it
    can be changed.
    """

    questions: tuple[Question, ...]
    resources: tuple[Resource, ...] = ()
    origins: Mapping[str, Origin] = field(default_factory=lambda: types.MappingProxyType({}))
    files: tuple[str, ...] = ()
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {question.id: question for question in self.questions}
        if len(by_id) != len(self.questions):
            duplicates = sorted(i for i, n in Counter(q.id for q in self.questions).items() if n > 1)
            raise ValueError(f"duplicate question ids: {', '.join(duplicates)}")
        object.__setattr__(self, "_by_id", types.MappingProxyType(by_id))

    @classmethod
    def of(cls, questions: Iterable[Question], resources: Iterable[Resource] = ()) -> Bank:
        """A bank of already-validated questions, ordered like a loaded one (by topic, stable)."""
        order = {topic: index for index, topic in enumerate(Topic)}
        return cls(tuple(sorted(questions, key=lambda q: order[q.topic])), tuple(resources))

    def __len__(self) -> int:
        return len(self.questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def require(self, question_id: str) -> Question:
        """The question with this id, or `NotFound` saying how to find the right id."""
        question = self._by_id.get(question_id)
        if question is None:
            raise NotFound(f"no question with id '{question_id}'; search the bank with /bank or `studybot bank export`")
        return question

    def origin(self, question_id: str) -> Origin | None:
        """The file and line a question was loaded from (None for `Bank.of` banks)."""
        return self.origins.get(question_id)

    def by_topic(self, topic: Topic | str) -> tuple[Question, ...]:
        wanted = Topic(topic)
        return tuple(q for q in self.questions if q.topic == wanted)

    def filter(
        self,
        topics: Iterable[Topic | str] | None = None,
        difficulties: Iterable[Difficulty | str] | None = None,
    ) -> tuple[Question, ...]:
        """Questions in any of `topics` and any of `difficulties` (None means no restriction)."""
        topic_set = None if topics is None else {Topic(t) for t in topics}
        difficulty_set = None if difficulties is None else {Difficulty(d) for d in difficulties}
        return tuple(
            q
            for q in self.questions
            if (topic_set is None or q.topic in topic_set)
            and (difficulty_set is None or q.difficulty in difficulty_set)
        )

    def topics(self) -> tuple[Topic, ...]:
        """Topics with at least one question, in `Topic` order."""
        present = {q.topic for q in self.questions}
        return tuple(topic for topic in Topic if topic in present)

    def search(self, text: str) -> tuple[Question, ...]:
        """Questions whose title, prompt or tags contain every word of `text` (case-insensitive).

        Title matches come first; otherwise the bank order is kept. Empty text matches nothing.
        """
        words = text.casefold().split()
        if not words:
            return ()
        hits: list[tuple[int, Question]] = []
        for question in self.questions:
            title = question.title.casefold()
            haystack = " ".join([title, question.prompt.casefold(), *(t.casefold() for t in question.tags)])
            if all(word in haystack for word in words):
                hits.append((0 if all(word in title for word in words) else 1, question))
        return tuple(question for _, question in sorted(hits, key=lambda hit: hit[0]))

    def stats(self) -> BankStats:
        order = {topic: index for index, topic in enumerate(Topic)}
        topics = Counter(q.topic for q in self.questions)
        difficulties = Counter(q.difficulty for q in self.questions)
        documents = Counter(document for q in self.questions for document in {s.document for s in q.sources})
        return BankStats(
            total=len(self.questions),
            files=len(self.files),
            by_topic=dict(sorted(topics.items(), key=lambda kv: order[kv[0]])),
            by_difficulty={d: difficulties[d] for d in Difficulty if d in difficulties},
            by_document=dict(sorted(documents.items(), key=lambda kv: (-kv[1], kv[0]))),
            gradable=sum(1 for q in self.questions if q.gradable),
            resources=len(self.resources),
        )
