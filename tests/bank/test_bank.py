"""`Bank`: lookups, filters, search and stats."""

from __future__ import annotations

import dataclasses

import pytest

from bot.banks.loading import load_paths
from bot.core.bank import Bank
from bot.core.errors import NotFound
from bot.core.questions import Difficulty, Question, Source, Topic

from .conftest import BANKS


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_paths([BANKS / "valid", BANKS / "extra"])


def ids(questions: tuple) -> list[str]:
    return [q.id for q in questions]


def test_get_and_require(bank: Bank) -> None:
    assert bank.get("clock-hands-angle") is not None
    assert bank.get("no-such-question") is None
    assert bank.require("p-value-meaning").title == "What a p-value means"
    with pytest.raises(NotFound, match="no question with id 'nope'"):
        bank.require("nope")


def test_is_immutable(bank: Bank) -> None:
    assert isinstance(bank.questions, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        bank.questions = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        bank.origins["x"] = None  # type: ignore[index]


def test_order_is_by_topic_then_file_order(bank: Bank) -> None:
    assert ids(bank.questions) == [
        "covariance-vs-correlation",
        "p-value-meaning",
        "skewed-distribution-mean-median",
        "group-bootstrap-intervals",
        "clock-hands-angle",
        "two-dice-sum-seven",
    ]
    assert bank.topics() == (Topic.STATISTICS, Topic.PROBABILITY)


def test_by_topic_accepts_enum_or_text(bank: Bank) -> None:
    assert ids(bank.by_topic(Topic.PROBABILITY)) == ["clock-hands-angle", "two-dice-sum-seven"]
    assert bank.by_topic("probability") == bank.by_topic(Topic.PROBABILITY)
    assert bank.by_topic(Topic.NLP) == ()


def test_filter(bank: Bank) -> None:
    assert bank.filter() == bank.questions
    assert ids(bank.filter(difficulties=[Difficulty.EASY])) == ["covariance-vs-correlation", "clock-hands-angle"]
    assert ids(bank.filter(topics=["probability"], difficulties=["medium"])) == ["two-dice-sum-seven"]
    assert bank.filter(topics=[]) == ()


def test_search_is_case_insensitive_over_title_prompt_and_tags(bank: Bank) -> None:
    assert ids(bank.search("CLOCK")) == ["clock-hands-angle"]
    assert ids(bank.search("geometry")) == ["clock-hands-angle"]  # a tag
    assert ids(bank.search("fair dice")) == ["two-dice-sum-seven"]  # every word, anywhere
    assert ids(bank.search("hypothesis-testing")) == ["p-value-meaning"]
    assert bank.search("") == ()
    assert bank.search("zebra") == ()


def test_search_puts_title_matches_first() -> None:
    def question(qid: str, title: str, prompt: str) -> Question:
        return Question(
            id=qid,
            topic=Topic.STATISTICS,
            difficulty=Difficulty.EASY,
            title=title,
            prompt=prompt,
            sources=[Source(document="d")],
        )

    small = Bank.of(
        [
            question("in-prompt", "Skew", "Where is the median?"),
            question("in-title", "The median", "Which statistic is robust?"),
        ]
    )
    assert ids(small.search("Median")) == ["in-title", "in-prompt"]


def test_stats(bank: Bank) -> None:
    stats = bank.stats()
    assert stats.total == 6 and stats.files == 4 and stats.resources == 2
    assert stats.by_topic == {Topic.STATISTICS: 4, Topic.PROBABILITY: 2}
    assert list(stats.by_difficulty) == [Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD]
    assert stats.by_difficulty == {Difficulty.EASY: 2, Difficulty.MEDIUM: 3, Difficulty.HARD: 1}
    assert stats.by_document == {
        "ml-interview-questions-2025": 3,
        "interview-notes": 2,
        "group-notes": 1,
        "team-notes": 1,
    }
    assert (stats.gradable, stats.not_gradable) == (2, 4)


def test_bank_of_rejects_duplicate_ids(bank: Bank) -> None:
    question = bank.require("clock-hands-angle")
    with pytest.raises(ValueError, match="duplicate question ids: clock-hands-angle"):
        Bank.of([question, question])
