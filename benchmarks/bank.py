"""Bank loading: a generated bank of 100,000 questions (full run; 38.8 MB of YAML in 13 topic files) loaded and
validated by `load_paths`, each timed load on a new copy of the files that nothing has read before (the loader keeps
no cache; the files are in the OS page cache, as right after writing them). The figure is the median of 3 loads.

Baselines, measured in the same run on the same files:
- the line-tracking loader alone (`load_sources(..., fast=False)`: PyYAML builds every node with its line, pydantic
  validates question by question): every load took that before the fast path, and a file with a problem still does;
- parsing the YAML alone, without validation, with the cyclic GC paused as the loader does: PyYAML's pure-Python
  SafeLoader (on 2 of the files, scaled by size: all of them take minutes) and its libyaml CSafeLoader.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from pathlib import Path

import yaml

from benchmarks.common import Report, median, say, scale
from benchmarks.machine import Machine
from bot.core.bank import fast_load
from bot.core.bank.bank import load_paths
from bot.core.bank.loader import load_sources
from bot.core.questions import Topic

DIFFICULTIES = ("easy", "medium", "hard")


def generate(folder: Path, count: int) -> int:
    """Deterministic: question n of topic t, with hints, key points, tags and sometimes a gradable answer."""
    topics = list(Topic)
    total = 0
    for index, topic in enumerate(topics):
        lines = [f"topic: {topic.value}", "questions:"]
        for n in range(index, count, len(topics)):
            lines += [
                f"- id: gen-{topic.value}-{n}",
                f"  title: Generated question {n} about {topic.value}",
                f"  difficulty: {DIFFICULTIES[n % 3]}",
                f"  prompt: Explain concept {n} of {topic.value} and when you would use it in practice.",
                f"  tags: [generated, t{n % 17}]",
                "  sources:",
                "  - document: benchmark",
                f"    item: {n}",
                "  hints:",
                f"  - Think about case {n % 11}.",
                "  key_points:",
                f"  - The first point about concept {n}",
                f"  - The second point about concept {n}",
            ]
            if n % 5 == 0:
                lines += [
                    "  answer:",
                    f"    value: {n % 97 / 7:.4f}",
                    "    tolerance: 0.001",
                    f"    explanation: It is {n % 97} / 7.",
                ]
            total += 1
        (folder / f"{topic.value}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """The cyclic GC paused, as the loader pauses it: with it running, parsing alone takes several times longer."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    count = scale(quick, 100_000, 2_000)
    repeats = 3
    copies = [folder / f"copy-{n}" for n in range(repeats)]
    for copy in copies:
        copy.mkdir()
        generate(copy, count)
    files = sorted(copies[0].glob("*.yaml"))
    size = sum(path.stat().st_size for path in files) / 2**20
    say(
        f"\n[bank] loading and validating {count:,} generated questions ({size:.1f} MB of YAML in {len(files)} files),"
        f" median of {repeats} loads, each of a copy of the files never read before"
    )
    times = []
    for copy in copies:
        started = time.perf_counter()
        bank = load_paths([copy])
        times.append(time.perf_counter() - started)
        assert len(bank) == count
        del bank
    seconds = median(times)
    fast = sum(fast_load.read(path.read_text(encoding="utf-8")) is not None for path in files)
    say(f"  loads: {', '.join(f'{t:.2f} s' for t in times)}; the fast path read {fast} of the {len(files)} files")

    started = time.perf_counter()
    loaded = load_sources([copies[0]], fast=False)
    line_tracking = time.perf_counter() - started
    assert len(loaded.questions) == count
    del loaded
    # Parsing alone. Pure-Python PyYAML takes minutes at full size, so it parses a sample of the files (at
    # least 2) and is scaled by size; libyaml parses all of them.
    sample = files if quick else files[:2]
    with _gc_paused():
        started = time.perf_counter()
        for path in sample:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
        sampled = sum(path.stat().st_size for path in sample) / 2**20
        parse = (time.perf_counter() - started) * size / sampled
        started = time.perf_counter()
        for path in files:
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        cparse = time.perf_counter() - started
    report.add(
        "bank_load_s",
        seconds,
        "s",
        target="<= 3 s",
        met=seconds <= 3,
        baseline=f"line-tracking loader alone {line_tracking:.2f} s; parsing alone (no validation, GC paused): PyYAML "
        f"SafeLoader {parse:.2f} s{'' if quick else ' (scaled from 2 files)'}, libyaml CSafeLoader {cparse:.2f} s",
        ratio=f"{seconds / line_tracking:.2f}x the line-tracking loader, {seconds / cparse:.2f}x the libyaml parse",
    )
    report.extra("bank_line_tracking_load_s", line_tracking)
    report.extra("bank_yaml_parse_s", parse)
    report.extra("bank_libyaml_parse_s", cparse)
