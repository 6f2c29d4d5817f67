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

import difflib
import logging
import os
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.core.bank.problems import BankError, BankProblem, display_path
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
            (child for child in entry.iterdir()
             if child.is_file() and child.name.endswith(BANK_SUFFIXES) and not child.name.startswith(".")),
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
        documents = [doc for doc in yaml.load_all(text, Loader=_LineLoader) if doc is not None]
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
    if not isinstance(document, _LineDict):
        state.problem(path, 1, "expected a mapping with 'topic:' and 'questions:' (or 'resources:'), "
                               f"got {_describe(document)}")
        return
    _report_duplicate_keys(path, document, state, None)
    is_resources = "resources" in document and not any(key in document for key in TOPIC_KEYS)
    allowed = RESOURCE_KEYS if is_resources else TOPIC_KEYS
    for key in document:
        if key not in allowed:
            state.problem(path, document.key_lines.get(key), f"unknown top-level key '{key}'; a topic file has "
                          "'topic' and 'questions', a resources file has 'resources'")
    if is_resources:
        _load_resources(path, document, state)
    else:
        _load_topic(path, document, state)


def _load_topic(path: str, document: _LineDict, state: _LoadState) -> None:
    file_topic: Topic | None = None
    if "topic" not in document:
        state.problem(path, document.line, f"missing 'topic: <topic>' at the top of the file ({_topics()})")
    else:
        try:
            file_topic = Topic(document["topic"])
        except ValueError:
            state.problem(path, document.key_lines.get("topic"),
                          f"topic '{document['topic']}' is not a known topic ({_topics()})")
    questions = document.get("questions")
    if "questions" not in document:
        state.problem(path, document.line, "missing 'questions:' (a list of questions)")
        return
    if not isinstance(questions, list):
        state.problem(path, document.key_lines.get("questions"),
                      f"'questions' must be a list of questions, got {_describe(questions)}")
        return
    for number, raw in enumerate(questions, start=1):
        _load_question(path, number, raw, file_topic, document.key_lines.get("questions"), state)


def _load_question(
    path: str, number: int, raw: Any, file_topic: Topic | None, list_line: int | None, state: _LoadState
) -> None:
    if not isinstance(raw, _LineDict):
        state.problem(path, list_line, f"question #{number} must be a mapping of fields, got {_describe(raw)}")
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
        problem(raw.key_lines.get("topic"),
                f"topic '{own_topic}' differs from the file's topic '{file_topic.value}'; "
                f"remove 'topic' or move the question to {own_topic}.yaml")
        usable = False
    if own_topic is None:
        data["topic"] = file_topic or next(iter(Topic))  # placeholder: still check the other fields
    try:
        question = Question.model_validate(data)
    except ValidationError as error:
        for line, message in _explain(Question, raw, error):
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


def _load_resources(path: str, document: _LineDict, state: _LoadState) -> None:
    items = document["resources"]
    if not isinstance(items, list):
        state.problem(path, document.key_lines.get("resources"),
                      f"'resources' must be a list of resources, got {_describe(items)}")
        return
    for number, raw in enumerate(items, start=1):
        if not isinstance(raw, _LineDict):
            state.problem(path, document.key_lines.get("resources"),
                          f"resource #{number} must be a mapping with title and url, got {_describe(raw)}")
            continue
        try:
            state.resources.append(Resource.model_validate(dict(raw)))
        except ValidationError as error:
            title = raw.get("title")
            label = f"resource #{number}" + (f" '{title}'" if isinstance(title, str) else "")
            for line, message in _explain(Resource, raw, error):
                state.problem(path, line or raw.line, f"{label}: {message}")


def _report_duplicate_keys(path: str, mapping: _LineDict, state: _LoadState, qid: str | None) -> None:
    for key, line in mapping.duplicate_keys:
        state.problem(path, line, f"field '{key}' is given twice in the same mapping; keep one", qid)


def _topics() -> str:
    return "topics: " + ", ".join(topic.value for topic in Topic)


# --- YAML with line numbers ----------------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings are `_LineDict`s."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Iterator[_LineDict]:
    data = _LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    data.duplicate_keys = []
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        line = key_node.start_mark.line + 1
        if key in data:
            data.duplicate_keys.append((key, line))
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


# --- turning pydantic errors into instructions ---------------------------------------------------

_TYPE_WORDS = {
    "string_type": "must be a text",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "tuple_type": "must be a list",
    "list_type": "must be a list",
    "model_type": "must be a mapping of fields",
    "dict_type": "must be a mapping of fields",
    "model_attributes_type": "must be a mapping of fields",
}


def _explain(model: type[BaseModel], data: Any, error: ValidationError) -> list[tuple[int | None, str]]:
    """One (line, message) per distinct problem in `error`, worded as what to change."""
    grouped: dict[tuple[Any, ...], list[Any]] = {}
    for item in error.errors():
        resolved = _resolve(data, item["loc"], missing=item["type"] == "missing")
        grouped.setdefault(resolved, []).append(item)
    # pydantic reports a too-short list again when one of its items failed: keep the item's error.
    failing = {loc for loc, items in grouped.items() if any(i["type"] != "too_short" for i in items)}
    messages: list[tuple[int | None, str]] = []
    for loc, items in grouped.items():
        if all(i["type"] == "too_short" for i in items) and any(f[: len(loc)] == loc and f != loc for f in failing):
            continue
        messages.append((_line_of(data, loc), _message(model, loc, items)))
    return messages


def _resolve(data: Any, loc: tuple[Any, ...], missing: bool) -> tuple[Any, ...]:
    """The part of `loc` that names real data (dropping union tags like 'float' or 'constrained-str')."""
    resolved: list[Any] = []
    node = data
    for index, segment in enumerate(loc):
        if (isinstance(node, dict) and segment in node) or (
            isinstance(node, list) and isinstance(segment, int) and 0 <= segment < len(node)
        ):
            node = node[segment]
        elif missing and index == len(loc) - 1:
            pass  # the missing field itself
        else:
            break
        resolved.append(segment)
    return tuple(resolved)


def _line_of(data: Any, loc: tuple[Any, ...]) -> int | None:
    line = data.line if isinstance(data, _LineDict) else None
    node = data
    for segment in loc:
        if isinstance(node, _LineDict):
            line = node.key_lines.get(segment, line)
            node = node.get(segment)
        elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
            if isinstance(node, _LineDict):
                line = node.line
        else:
            break
    return line


def _dotted(loc: tuple[Any, ...]) -> str:
    text = ""
    for segment in loc:
        text += f"[{segment}]" if isinstance(segment, int) else (f".{segment}" if text else str(segment))
    return text


def _message(model: type[BaseModel], loc: tuple[Any, ...], items: list[Any]) -> str:
    item = items[0]
    kind: str = item["type"]
    name = _dotted(loc)
    given = item.get("input")
    if kind == "missing":
        parent, field_name = loc[:-1], loc[-1]
        where = f"{_dotted(parent)}: " if parent else ""
        return f"{where}missing required field '{field_name}'{_required_hint(model, parent)}"
    if kind == "extra_forbidden":
        parent, field_name = loc[:-1], loc[-1]
        target = _model_at(model, parent)
        allowed = list(target.model_fields) if target is not None else []
        if model is Question and not parent:
            allowed.remove("topic")  # filled in from the file
        close = difflib.get_close_matches(str(field_name), allowed, n=1)
        where = f"{_dotted(parent)}: " if parent else ""
        suggestion = f"did you mean '{close[0]}'? " if close else ""
        return f"{where}unknown field '{field_name}'; {suggestion}allowed fields: {', '.join(allowed)}"
    if len(items) > 1:  # a union where every member failed
        kinds = {_TYPE_WORDS.get(i["type"], "") for i in items}
        wanted = " or ".join(sorted(word.removeprefix("must be ") for word in kinds if word))
        return f"{name} must be {wanted or 'valid'}, got {_describe(given)}"
    if kind == "enum":
        enum = _enum_at(model, loc)
        values = ", ".join(member.value for member in enum) if enum else item.get("ctx", {}).get("expected")
        return f"{name} '{given}' is not one of {values}"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "id":
            return (f"id '{given}' must be kebab-case: lowercase letters and digits joined by single "
                    "hyphens, e.g. clock-hands-angle")
        if loc[-1] == "url":
            return f"url '{given}' must start with http:// or https:// and contain no spaces"
        return f"{name} '{given}' does not match {item.get('ctx', {}).get('pattern')}"
    if kind in ("string_too_short", "too_short"):
        if loc == ("sources",):
            return "sources must list at least one source, e.g. [{document: my-notes, item: 3}]"
        if loc[-1] == "id":
            return f"id '{given}' is too short; use at least 3 characters"
        return f"{name} must not be empty"
    if kind == "string_too_long":
        return f"{name} is too long; keep it under {item.get('ctx', {}).get('max_length')} characters"
    if kind == "value_error":
        reason = str(item["msg"]).removeprefix("Value error, ")
        if "tolerance" in reason:
            return f"{name}: {reason}; remove 'tolerance' or make 'value' a number"
        if "trailing spaces" in reason:
            return f"{name} {reason}; remove the spaces at the ends of its lines"
        return f"{name} {reason}; fix the text"
    if kind == "greater_than_equal":
        return f"{name} must be at least {item.get('ctx', {}).get('ge')}, got {_describe(given)}"
    if kind in _TYPE_WORDS:
        return f"{name} {_TYPE_WORDS[kind]}, got {_describe(given)}"
    return f"{name}: {item['msg']}"


def _required_hint(model: type[BaseModel], parent: tuple[Any, ...]) -> str:
    target = _model_at(model, parent)
    if target is None:
        return ""
    required = [name for name, info in target.model_fields.items() if info.is_required() and name != "topic"]
    return f" (required: {', '.join(required)})"


def _annotation_at(model: type[BaseModel], loc: tuple[Any, ...]) -> Any:
    annotation: Any = model
    for segment in loc:
        if isinstance(segment, int):
            continue
        target = _find_model(annotation)
        if target is None or segment not in target.model_fields:
            return None
        annotation = target.model_fields[segment].annotation
    return annotation


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    return _find_model(_annotation_at(model, loc))


def _enum_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[Enum] | None:
    return _find(_annotation_at(model, loc), Enum)  # type: ignore[return-value]


def _find_model(annotation: Any) -> type[BaseModel] | None:
    return _find(annotation, BaseModel)  # type: ignore[return-value]


def _find(annotation: Any, base: type) -> type | None:
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for argument in typing.get_args(annotation):
        found = _find(argument, base)
        if found is not None:
            return found
    return None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
