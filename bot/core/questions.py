"""The shape of a bank question, shared by the loader, the quiz, the daily post and the exporters.

A question file in `questions/` is YAML of the form::

    topic: probability
    questions:
      - id: clock-hands-angle
        title: Clock hands angle
        difficulty: easy
        prompt: What is the angle between the hands of a clock when the time is 3:15?
        companies: [Hedge Fund]
        tags: [geometry]
        sources:
          - {document: ml-interview-questions-2025, item: 10}
        hints: [The hour hand moves too.]
        parts: []
        key_points: [...]
        answer:
          value: 7.5
          tolerance: 0.01
          unit: degrees
          accepted: ["15/2"]
          explanation: ...
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_TRAILING_SPACES = re.compile(r"[ \t]+$", flags=re.MULTILINE)

QuestionId = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=3, max_length=80)]
CleanText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Topic(StrEnum):
    """Every topic a question can be filed under; one YAML file each in `questions/`."""

    STATISTICS = "statistics"
    PROBABILITY = "probability"
    CLASSICAL_ML = "classical-ml"
    DEEP_LEARNING = "deep-learning"
    NLP = "nlp"
    LLM = "llm"
    COMPUTER_VISION = "computer-vision"
    SEARCH_AND_RECSYS = "search-and-recsys"
    ML_SYSTEM_DESIGN = "ml-system-design"
    ML_INFRASTRUCTURE = "ml-infrastructure"
    CS_FUNDAMENTALS = "cs-fundamentals"
    ALGORITHMS = "algorithms"
    BEHAVIORAL = "behavioral"

    @property
    def label(self) -> str:
        return _TOPIC_LABELS[self]


_TOPIC_LABELS = {
    Topic.STATISTICS: "Statistics",
    Topic.PROBABILITY: "Probability",
    Topic.CLASSICAL_ML: "Classical ML",
    Topic.DEEP_LEARNING: "Deep learning",
    Topic.NLP: "NLP",
    Topic.LLM: "LLMs",
    Topic.COMPUTER_VISION: "Computer vision",
    Topic.SEARCH_AND_RECSYS: "Search & recommendation",
    Topic.ML_SYSTEM_DESIGN: "ML system design",
    Topic.ML_INFRASTRUCTURE: "ML infrastructure",
    Topic.CS_FUNDAMENTALS: "CS fundamentals",
    Topic.ALGORITHMS: "Algorithms",
    Topic.BEHAVIORAL: "Behavioral",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a question comes from: a document name and the item in it (a number or a heading)."""

    document: CleanText
    item: int | CleanText | None = None
    section: CleanText | None = None


class Answer(_Strict):
    """The one right answer of a gradable question.

    `value` is numeric when the answer is a number (graded with `tolerance`, absolute, and rounding: a number
    with at least `significant_figures` figures, 2 unless the question asks for more, that rounds the value
    is right); `accepted` lists other right forms a member may type (`32/33`, `7.5°`); `wrong` names the
    rival choices (`MSE`, `Model A`), so an answer that names one of them is wrong; `constants` are the
    letters of a symbolic answer that stand for any constant (`C` in `C*e^(-x)`), which a member may name
    as they like.
    """

    value: float | CleanText
    tolerance: float = Field(default=0.0, ge=0.0)
    significant_figures: int | None = Field(default=None, ge=1, le=15)
    unit: CleanText | None = None
    accepted: tuple[CleanText, ...] = ()
    wrong: tuple[CleanText, ...] = ()
    constants: tuple[CleanText, ...] = ()
    explanation: CleanText

    @model_validator(mode="after")
    def _tolerance_needs_number(self) -> Answer:
        if self.tolerance and not isinstance(self.value, float):
            raise ValueError("tolerance is only meaningful for a numeric value")
        if self.significant_figures and not isinstance(self.value, float):
            raise ValueError("significant_figures is only meaningful for a numeric value")
        return self


class Question(_Strict):
    id: QuestionId
    topic: Topic
    difficulty: Difficulty
    title: CleanText
    prompt: CleanText
    companies: tuple[CleanText, ...] = ()
    tags: tuple[CleanText, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    hints: tuple[CleanText, ...] = ()
    parts: tuple[CleanText, ...] = ()
    key_points: tuple[CleanText, ...] = ()
    answer: Answer | None = None

    @field_validator("title", "prompt")
    @classmethod
    def _no_trailing_spaces(cls, text: str) -> str:
        # The text is already stripped, so only a text of several lines can have a line ending in spaces.
        if "\n" in text and _TRAILING_SPACES.search(text):
            raise ValueError("has trailing spaces on a line")
        return text

    @property
    def gradable(self) -> bool:
        return self.answer is not None


class Resource(_Strict):
    """A study link the bot can show with `/resources`."""

    title: CleanText
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
    description: CleanText | None = None
    tags: tuple[CleanText, ...] = ()
