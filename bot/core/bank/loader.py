"""Read bank YAML files, validate every question and resource, and report every problem at once.

A bank is one or more folders or files. A folder contributes its `*.yaml`/`*.yml` files (not
recursive, in name order). A YAML document is either a topic document::

    topic: probability
    questions:
      - id: clock-hands-angle
        ...

or a resources document (`resources: [...]`). A file may hold several documents separated by
`---` (that is what `studybot bank export --format yaml` writes to stdout).

Nothing stops at the first problem: every file is read, every question validated, and a single
`BankError` lists all problems with their file and line.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.core.bank.explain import describe, explain
from bot.core.bank.problems import BankError, BankProblem, display_path
from bot.core.bank.yaml_lines import LineDict, LineLoader
from bot.core.questions import Question, Resource, Topic

log = logging.getLogger(__name__)

BUILTIN_PACKAGE = "bot.builtin_bank"
BANK_SUFFIXES = (".yaml", ".yml")
TOPIC_KEYS = ("topic", "questions")
RESOURCE_KEYS = ("resources",)

BankSource = str | os.PathLike[str] | Traversable


@dataclass(frozen=True)
class Origin:
    """Where a question or resource was defined."""

    path: str
    line: int | None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class LoadedBank:
    """The validated content of a set of bank files (see `bot.core.bank.bank.Bank` for the API)."""

    questions: tuple[Question, ...]
    origins: Mapping[str, Origin]
    resources: tuple[Resource, ...]
    files: tuple[str, ...]


def builtin_bank_path() -> Traversable:
    """The folder of the built-in bank, shipped inside the package as `bot.builtin_bank`."""
    try:
        return resources.files(BUILTIN_PACKAGE)
    except ModuleNotFoundError:
        # Running from a source checkout: its own bot/ shadows the installed mapping of questions/.
        fallback = Path(__file__).resolve().parents[3] / "questions"
        if fallback.is_dir():
            log.debug("reading the built-in bank from the checkout's %s", fallback)
            return fallback
        raise


def load_sources(sources: Sequence[BankSource]) -> LoadedBank:
    """Load and validate every bank file under `sources`; raise `BankError` listing all problems."""
    state = _LoadState()
    with _cyclic_gc_paused():
        for source in sources:
            for display, entry in _bank_files(source, state):
                state.files.append(display)
                _load_file(display, entry, state)
    if state.problems:
        file_order = {path: index for index, path in enumerate(dict.fromkeys(p.path for p in state.problems))}
        raise BankError(sorted(state.problems, key=lambda p: (file_order[p.path], p.line or 0)))
    order = {topic: index for index, topic in enumerate(Topic)}
    questions = sorted(state.questions, key=lambda q: order[q.topic])  # stable: keeps file order
    return LoadedBank(
        questions=tuple(questions),
        origins=types.MappingProxyType(dict(state.origins)),
        resources=tuple(state.resources),
        files=tuple(state.files),
    )


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small acyclic objects, and the cyclic collector rescans them
    again and again while they pile up. Measured on a generated bank of 10,000 questions (benchmarks/bank.py),
    cold, median of 3: 1.8 s with the collector paused, 2.9 s with it running, against a 2 s target. Reference
    counting still frees everything; the collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- reading files -------------------------------------------------------------------------------


@dataclass
class _LoadState:
    questions: list[Question] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    resources: list[Resource] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    problems: list[BankProblem] = field(default_factory=list)

    def problem(self, path: str, line: int | None, message: str, question_id: str | None = None) -> None:
        self.problems.append(BankProblem(path, line, question_id, message))


def _bank_files(source: BankSource, state: _LoadState) -> Iterator[tuple[str, Traversable]]:
    entry: Traversable = source if isinstance(source, Traversable) else Path(source)
    display = display_path(str(entry))
    if entry.is_dir():
        children = sorted(
            (
                child
                for child in entry.iterdir()
                if child.is_file() and child.name.endswith(BANK_SUFFIXES) and not child.name.startswith(".")
            ),
            key=lambda child: child.name,
        )
        if not children:
            log.warning("no .yaml files in bank folder %s", display)
        for child in children:
            yield display_path(str(child)), child
    elif entry.is_file():
        yield display, entry
    else:
        state.problem(display, None, "no such file or folder; pass a bank folder or a .yaml file")


def _load_file(path: str, entry: Traversable, state: _LoadState) -> None:
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        state.problem(path, None, f"cannot read the file: {error}")
        return
    try:
        documents = [doc for doc in yaml.load_all(text, Loader=LineLoader) if doc is not None]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = ", ".join(part for part in (error.context, error.problem) if part)
        state.problem(path, line, f"YAML syntax error: {what}; fix the indentation or quoting there")
        return
    except yaml.YAMLError as error:
        state.problem(path, None, f"YAML error: {error}")
        return
    if not documents:
        state.problem(path, None, f"file is empty; expected 'topic: <topic>' and 'questions:' ({_topics()})")
        return
    for document in documents:
        _load_document(path, document, state)


def _load_document(path: str, document: Any, state: _LoadState) -> None:
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


def _load_topic(path: str, document: LineDict, state: _LoadState) -> None:
    file_topic: Topic | None = None
    if "topic" not in document:
        state.problem(path, document.line, f"missing 'topic: <topic>' at the top of the file ({_topics()})")
    else:
        try:
            file_topic = Topic(document["topic"])
        except ValueError:
            state.problem(
                path, document.key_lines.get("topic"), f"topic '{document['topic']}' is not a known topic ({_topics()})"
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
    path: str, number: int, raw: Any, file_topic: Topic | None, list_line: int | None, state: _LoadState
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


def _load_resources(path: str, document: LineDict, state: _LoadState) -> None:
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


def _report_duplicate_keys(path: str, mapping: LineDict, state: _LoadState, qid: str | None) -> None:
    for key, line in mapping.duplicate_keys:
        state.problem(path, line, f"field '{key}' is given twice in the same mapping; keep one", qid)


def _topics() -> str:
    return "topics: " + ", ".join(topic.value for topic in Topic)
