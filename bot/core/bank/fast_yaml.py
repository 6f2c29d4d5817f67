"""Read a bank file with yaml-rs, and only when PyYAML would read it the same way.

Why this exists: the line-tracking loader (`yaml_lines.LineLoader`) builds every node of a file in Python on
top of PyYAML, so that each problem can be reported with its line. On a large bank that is most of the load
(100,000 questions: about 10 s of 12 s). yaml-rs parses the same text in Rust straight into dicts and lists,
about ten times faster, and `fast_load` then validates a whole file in one pydantic call. The bank loader
tries that first and reads with the line-tracking loader every file this module declines and every file
with a problem in it, so every error report is exactly what it was.

`parse` declines (returns None) unless all of these hold, so that what it returns equals what the
line-tracking loader would build:

- libyaml, the parser under PyYAML, finds no syntax error: it scans the whole text without building
  anything (`CParser.raw_parse`), so the fast path accepts exactly the syntax the line-tracking loader does;
- `yaml_screen.first_risk` finds nothing that YAML 1.1 and yaml-rs resolve differently;
- yaml-rs reads it without error (it refuses duplicate keys), as one document that is a mapping, as every
  bank file is (yaml-rs returns a list for several documents; it reads a text at the top level, which no
  bank file has, slightly differently);
- the line of every question id is known. yaml-rs gives no line numbers, so before parsing, a marker is
  appended to the value of each line of the form `id: some-id`, and the lines of those ids are counted in the
  text. Each question's id must then end with the marker, and every marker must be in a question's id (see
  `fast_load`): a marker inside a block of text, or a question id written some other way, declines the file.
  Then the n-th marked id is the id of the n-th question in the file, on the n-th counted line.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import yaml
import yaml_rs

from bot.core.bank.yaml_screen import first_risk

# Never in a bank file that reaches the marking (checked), and part of a plain scalar to YAML. ASCII, so that
# an ASCII file stays one byte a character (joining and handing it to yaml-rs are faster).
MARK = "~@~"

# `id: <kebab-case id>` at the end of a line, with a blank or nothing before 'id' (not 'valid: x'). Ids YAML
# would read as a number, null or a boolean are left alone: the marker would make them text (the question
# then has no marker and the file is declined).
_ID_LINE = re.compile(
    r"id: (?<![^ \n]id: ) *(?!(?:[0-9]+|true|false|null)[ \r]*\n)([a-z0-9]+(?:-[a-z0-9]+)*)(?=[ \r]*\n)"
)

try:
    from yaml.cyaml import CParser as _LibyamlParser
except ImportError:  # PyYAML built without libyaml: the line-tracking loader reads everything
    _LibyamlParser = None  # type: ignore[assignment,misc]


@dataclass(frozen=True)
class FastDocument:
    """The one YAML document of a file, a mapping; the ids on `id_lines` (in file order) end with MARK."""

    data: dict[Any, Any]
    id_lines: list[int]


def parse(text: str) -> FastDocument | None:
    """The file's document read by yaml-rs, or None when only the line-tracking loader may read it."""
    if _LibyamlParser is None or MARK in text or first_risk(text) is not None:
        return None
    try:
        _LibyamlParser(text).raw_parse()
    except yaml.YAMLError:
        return None
    marked, id_lines = _mark_ids(text)
    try:
        data = yaml_rs.loads(marked, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except Exception:  # anything yaml-rs cannot read is the line-tracking loader's to read and report
        return None
    return FastDocument(data, id_lines) if type(data) is dict else None


def unmark(value: Any) -> str | None:
    """A marked id without its marker, or None when `value` is not a marked id."""
    if type(value) is not str:
        return None
    qid, mark, rest = value.partition(MARK)
    return qid if mark and not rest else None  # something after it: the id went on over the next line


def _mark_ids(text: str) -> tuple[str, list[int]]:
    """`text` with MARK after each id of an `id: some-id` line, and the 1-based lines of those ids.

    Slicing and counting run in C (`map`, `str.join`, `str.count`): a large bank has 100,000 ids.
    """
    matches = list(_ID_LINE.finditer(text))
    ends = list(map(re.Match.end, matches))
    marked = MARK.join(map(text.__getitem__, map(slice, [0, *ends], [*ends, None])))
    starts = list(map(re.Match.start, matches))
    gaps = map(text.count, itertools.repeat("\n"), [0, *starts], starts)
    return marked, list(itertools.accumulate(gaps, initial=1))[1:]
