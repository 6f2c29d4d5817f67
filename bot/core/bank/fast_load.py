"""Validate a whole bank file in one go when it has nothing to report.

The line-tracking loader validates question by question so that it can explain every problem with its line.
A file without problems needs none of that: `read` validates all its questions in one pydantic call on the
plain data `fast_yaml.parse` returns, with the same models, so the questions are equal to the ones the
line-tracking loader builds. Anything else, a problem or a shape the loader would report, returns None and
the loader reads the file the line-tracking way, which reports it exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from bot.core.bank.fast_yaml import parse, unmark
from bot.core.questions import Question, Resource, Topic

_QUESTIONS = TypeAdapter(list[Question])
_RESOURCES = TypeAdapter(list[Resource])
_TOPICS = {topic.value: topic for topic in Topic}


@dataclass(frozen=True)
class FastFile:
    """The validated content of one bank file: its questions with the line of each id, and its resources."""

    questions: list[Question]
    id_lines: list[int]
    resources: list[Resource]


def read(text: str) -> FastFile | None:
    """The validated content of a bank file, or None when the line-tracking loader has to read it."""
    document = parse(text)
    if document is None:
        return None
    data = document.data
    if data.keys() == {"topic", "questions"}:
        return _topic_file(data["topic"], data["questions"], document.id_lines)
    if data.keys() == {"resources"} and not document.id_lines:
        return _resources_file(data["resources"])
    return None


def _topic_file(name: Any, questions: Any, id_lines: list[int]) -> FastFile | None:
    topic = _TOPICS.get(name) if type(name) is str else None
    if topic is None or type(questions) is not list or len(questions) != len(id_lines):
        return None
    for raw in questions:
        qid = unmark(raw.get("id")) if type(raw) is dict else None
        if qid is None:
            return None  # not a mapping, or its id is not on a marked line: every marker must be in an id
        raw["id"] = qid
        own_topic = raw.get("topic")
        if own_topic is None:
            raw["topic"] = topic
        elif own_topic != topic.value:
            return None
    try:
        return FastFile(_QUESTIONS.validate_python(questions), id_lines, [])
    except ValidationError:
        return None


def _resources_file(resources: Any) -> FastFile | None:
    if type(resources) is not list or any(type(raw) is not dict for raw in resources):
        return None
    try:
        return FastFile([], [], _RESOURCES.validate_python(resources))
    except ValidationError:
        return None
