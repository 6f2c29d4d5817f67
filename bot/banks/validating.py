"""Turning the YAML documents of a bank file into validated questions and resources, and problems.

A document is either a topic document (`topic:` and `questions:`) or a resources document
(`resources:`). Every question and resource is validated on its own, so that each problem is reported
with its line and question id, and one bad question does not hide the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from bot.banks.explain import describe, explain
from bot.banks.yaml_lines import LineDict
from bot.core.bank import Origin
from bot.core.bank_problems import BankProblem
from bot.core.questions import Question, Resource, Topic

TOPIC_KEYS = ("topic", "questions")
RESOURCE_KEYS = ("resources",)


@dataclass
class Collected:
    """What the files of one load have given so far: questions (with where each id was defined),
    resources, the files read, and every problem found."""

    questions: list[Question] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[BankProblem] = field(default_factory=list)

    def problem(self, path: str, line: int | None, message: str, question_id: str | None = None) -> None:
        self.problems.append(BankProblem(path, line, question_id, message))


def collect_document(path: str, document: Any, state: Collected) -> None:
    """Validate one YAML document of the file at `path` into `state`."""
    if not isinstance(document, LineDict):
        state.problem(
            path, 1, f"expected a mapping with 'topic:' and 'questions:' (or 'resources:'), got {describe(document)}"
        )
        return
    _report_duplicate_keys(path, document, state, None)
    is_resources = "resources" in document and not any(key in document for key in TOPIC_KEYS)
    allowed = RESOURCE_KEYS if is_resources else TOPIC_KEYS
    for key in document:
        if key not in allowed:
            state.problem(
                path,
                document.key_lines.get(key),
                f"unknown top-level key '{key}'; a topic file has "
                "'topic' and 'questions', a resources file has 'resources'",
            )
    if is_resources:
        _load_resources(path, document, state)
    else:
        _load_topic(path, document, state)


def _load_topic(path: str, document: LineDict, state: Collected) -> None:
    file_topic: Topic | None = None
    if "topic" not in document:
        state.problem(path, document.line, f"missing 'topic: <topic>' at the top of the file ({topics_hint()})")
    else:
        try:
            file_topic = Topic(document["topic"])
        except ValueError:
            state.problem(
                path,
                document.key_lines.get("topic"),
                f"topic '{document['topic']}' is not a known topic ({topics_hint()})",
            )
    questions = document.get("questions")
    if "questions" not in document:
        state.problem(path, document.line, "missing 'questions:' (a list of questions)")
        return
    if not isinstance(questions, list):
        state.problem(
            path,
            document.key_lines.get("questions"),
            f"'questions' must be a list of questions, got {describe(questions)}",
        )
        return
    for number, raw in enumerate(questions, start=1):
        _load_question(path, number, raw, file_topic, document.key_lines.get("questions"), state)


def _load_question(
    path: str, number: int, raw: Any, file_topic: Topic | None, list_line: int | None, state: Collected
) -> None:
    if not isinstance(raw, LineDict):
        state.problem(path, list_line, f"question #{number} must be a mapping of fields, got {describe(raw)}")
        return
    qid = raw.get("id") if isinstance(raw.get("id"), str) else None
    label = None if qid else f"question #{number} (no id): "

    def problem(line: int | None, message: str) -> None:
        state.problem(path, line or raw.line, f"{label or ''}{message}", qid)

    _report_duplicate_keys(path, raw, state, qid)
    data = dict(raw)
    own_topic = data.get("topic")
    usable = file_topic is not None
    if own_topic is not None and file_topic is not None and own_topic != file_topic.value:
        problem(
            raw.key_lines.get("topic"),
            f"topic '{own_topic}' differs from the file's topic '{file_topic.value}'; "
            f"remove 'topic' or move the question to {own_topic}.yaml",
        )
        usable = False
    if own_topic is None:
        data["topic"] = file_topic or next(iter(Topic))  # placeholder: still check the other fields
    try:
        question = Question.model_validate(data)
    except ValidationError as error:
        for line, message in explain(Question, raw, error):
            problem(line, message)
        return
    if not usable:
        return
    first = state.origins.get(question.id)
    here = Origin(path, raw.key_lines.get("id", raw.line))
    if first is not None:
        problem(here.line, f"duplicate id; also defined at {first}; give one of them a different id")
        return
    state.origins[question.id] = here
    state.questions.append(question)


def _load_resources(path: str, document: LineDict, state: Collected) -> None:
    items = document["resources"]
    if not isinstance(items, list):
        state.problem(
            path, document.key_lines.get("resources"), f"'resources' must be a list of resources, got {describe(items)}"
        )
        return
    for number, raw in enumerate(items, start=1):
        if not isinstance(raw, LineDict):
            state.problem(
                path,
                document.key_lines.get("resources"),
                f"resource #{number} must be a mapping with title and url, got {describe(raw)}",
            )
            continue
        try:
            state.resources.append(Resource.model_validate(dict(raw)))
        except ValidationError as error:
            title = raw.get("title")
            label = f"resource #{number}" + (f" '{title}'" if isinstance(title, str) else "")
            for line, message in explain(Resource, raw, error):
                state.problem(path, line or raw.line, f"{label}: {message}")


def _report_duplicate_keys(path: str, mapping: LineDict, state: Collected, qid: str | None) -> None:
    for key, line in mapping.duplicate_keys:
        state.problem(path, line, f"field '{key}' is given twice in the same mapping; keep one", qid)


def topics_hint() -> str:
    return "topics: " + ", ".join(topic.value for topic in Topic)
