"""Turning pydantic's validation errors on bank YAML into instructions that name the line and the fix."""

from __future__ import annotations

import difflib
import typing
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.banks.yaml_lines import LineDict
from bot.core.questions import Question

_T = TypeVar("_T")

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


def explain(model: type[BaseModel], data: Any, error: ValidationError) -> list[tuple[int | None, str]]:
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
    line = data.line if isinstance(data, LineDict) else None
    node = data
    for segment in loc:
        if isinstance(node, LineDict):
            line = node.key_lines.get(segment, line)
            node = node.get(segment)
        elif isinstance(node, list) and isinstance(segment, int) and segment < len(node):
            node = node[segment]
            if isinstance(node, LineDict):
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
        return f"{name} must be {wanted or 'valid'}, got {describe(given)}"
    if kind == "enum":
        enum = _enum_at(model, loc)
        values = ", ".join(member.value for member in enum) if enum else item.get("ctx", {}).get("expected")
        return f"{name} '{given}' is not one of {values}"
    if kind == "string_pattern_mismatch":
        if loc[-1] == "id":
            return (
                f"id '{given}' must be kebab-case: lowercase letters and digits joined by single "
                "hyphens, e.g. clock-hands-angle"
            )
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
        for field in ("tolerance", "significant_figures"):
            if reason.startswith(field):
                return f"{name}: {reason}; remove '{field}' or make 'value' a number"
        if "trailing spaces" in reason:
            return f"{name} {reason}; remove the spaces at the ends of its lines"
        return f"{name} {reason}; fix the text"
    if kind == "greater_than_equal":
        return f"{name} must be at least {item.get('ctx', {}).get('ge')}, got {describe(given)}"
    if kind in _TYPE_WORDS:
        return f"{name} {_TYPE_WORDS[kind]}, got {describe(given)}"
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
    return _find(_annotation_at(model, loc), Enum)


def _find_model(annotation: Any) -> type[BaseModel] | None:
    return _find(annotation, BaseModel)


def _find(annotation: Any, base: type[_T]) -> type[_T] | None:
    if isinstance(annotation, type) and issubclass(annotation, base):
        return annotation
    for argument in typing.get_args(annotation):
        found = _find(argument, base)
        if found is not None:
            return found
    return None


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
