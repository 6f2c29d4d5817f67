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
from collections.abc import Iterator, Sequence
from importlib.abc import Traversable
from pathlib import Path

import yaml

from bot.banks.builtin import builtin_bank_path
from bot.banks.validating import Collected, collect_document, topics_hint
from bot.banks.yaml_lines import LineLoader
from bot.core.bank import Bank
from bot.core.bank_problems import BankError
from bot.core.questions import Topic

log = logging.getLogger(__name__)

BANK_SUFFIXES = (".yaml", ".yml")

BankSource = str | os.PathLike[str] | Traversable


def load_bank(extra_paths: Sequence[BankSource] = ()) -> Bank:
    """The built-in bank merged with extra bank folders or files (e.g. a study group's own).

    Extras may add questions to existing topics and more resources; an id that is already used
    (in the built-in bank or another extra) is a problem naming both files. Raises `BankError`.
    """
    return load_paths([builtin_bank_path(), *extra_paths])


def load_paths(sources: Sequence[BankSource]) -> Bank:
    """Exactly the banks at `sources` (no built-in bank). Raises `BankError` listing every problem."""
    state = Collected()
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
    log.info(
        "loaded %d questions and %d resources from %d files", len(questions), len(state.resources), len(state.files)
    )
    return Bank(
        tuple(questions), tuple(state.resources), types.MappingProxyType(dict(state.origins)), tuple(state.files)
    )


def display_path(path: str | os.PathLike[str]) -> str:
    """The path as a person would type it: relative to the working directory when inside it."""
    text = os.fspath(path)
    try:
        relative = Path(text).resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return text
    return relative.as_posix()


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small acyclic objects, and the cyclic collector rescans them
    again and again while they pile up. Measured on a generated bank of 10,000 questions (benchmarks/bank.py),
    cold, median of 3, in two sessions on a shared 2-core machine: 1.4 and 1.8 s with the collector paused,
    2.0 and 2.9 s with it running, against a 2 s target. Reference counting still frees everything; the
    collector runs again afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _bank_files(source: BankSource, state: Collected) -> Iterator[tuple[str, Traversable]]:
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


def _load_file(path: str, entry: Traversable, state: Collected) -> None:
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
        state.problem(path, None, f"file is empty; expected 'topic: <topic>' and 'questions:' ({topics_hint()})")
        return
    for document in documents:
        collect_document(path, document, state)
