"""YAML with line numbers: every mapping remembers its own line and the line of each key (1-based)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it: several times faster on large banks.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict[Any, Any]):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int
    key_lines: dict[Any, int]
    duplicate_keys: list[tuple[Any, int]]


class LineLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader whose mappings are `LineDict`s."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Iterator[LineDict]:
    data = LineDict()
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


def _construct_timestamp_as_text(loader: LineLoader, node: yaml.ScalarNode) -> str:
    # A bank has no date fields: `2024-02-30` in a hint is text, and must not crash the load as an impossible date.
    return str(loader.construct_scalar(node))


LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
