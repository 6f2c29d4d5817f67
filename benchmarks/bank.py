"""Bank loading: a generated bank of 100,000 questions (full run) in 13 topic files, loaded and validated by
`load_paths` (line-tracking YAML, pydantic validation, duplicate ids). Baseline: plain `yaml.safe_load` of the
same files (parsing only, no validation), and libyaml's `CSafeLoader`."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from benchmarks.common import Report, median, say, scale
from benchmarks.machine import Machine
from bot.core.bank.bank import load_paths
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


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    count = scale(quick, 100_000, 2_000)
    repeats = 1  # a full-size load takes over a minute: one is enough
    generate(folder, count)
    size = sum(path.stat().st_size for path in folder.glob("*.yaml")) / 2**20
    say(f"\n[bank] loading and validating {count:,} generated questions ({size:.1f} MB of YAML in 13 files)")
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        bank = load_paths([folder])
        times.append(time.perf_counter() - started)
        assert len(bank) == count
    seconds = median(times)
    files = sorted(folder.glob("*.yaml"))
    # Parsing alone. Pure-Python PyYAML takes over a minute at full size, so it parses a sample of the files
    # (at least 2) and is scaled by size; libyaml parses all of them.
    sample = files if quick else files[:2]
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
        baseline=f"parsing alone: PyYAML SafeLoader {parse:.2f} s{'' if quick else ' (scaled from 2 files)'}, "
        f"libyaml CSafeLoader {cparse:.2f} s",
        ratio=f"{seconds / parse:.2f}x the pure-Python parse, {seconds / cparse:.1f}x the libyaml parse",
    )
    report.extra("bank_yaml_parse_s", parse)
    report.extra("bank_libyaml_parse_s", cparse)
