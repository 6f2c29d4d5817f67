"""The fast path (yaml-rs, one pydantic call per file) loads exactly what the line-tracking loader loads.

Every test loads the same files both ways (`load_sources(..., fast=False)` is the line-tracking loader
alone) and compares everything: the questions (with the fields that were set), their origins (file and line),
resources and files, or the whole error report. Tests that the fast path takes a file, or declines it, keep
the comparisons from passing for the wrong reason.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import yaml
import yaml_rs

from benchmarks.bank import generate
from bot.core.bank import fast_load, fast_yaml
from bot.core.bank.loader import BankSource, builtin_bank_path, load_sources
from bot.core.bank.problems import BankError
from bot.core.bank.yaml_screen import first_risk

from .conftest import BANKS


def outcome(paths: Sequence[BankSource], fast: bool) -> Any:
    try:
        loaded = load_sources(paths, fast=fast)
    except BankError as error:
        return ("problems", error.problems)
    # repr too: 1 == 1.0 == True, but a question with the one is not the question with the other
    questions = [(q, repr(q), q.model_dump(exclude_unset=True)) for q in loaded.questions]
    return ("bank", questions, dict(loaded.origins), loaded.resources, loaded.files)


def both_ways(*paths: BankSource) -> Any:
    """The outcome of loading `paths`, after checking that both ways give the same one."""
    fast, slow = outcome(paths, fast=True), outcome(paths, fast=False)
    assert fast == slow
    return fast


def takes_fast_path(text: str) -> bool:
    return fast_load.read(text) is not None


def write(folder: Path, text: str, name: str = "probability.yaml") -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8"))
    return path


def bank_file(*questions: str, header: str = "topic: probability\nquestions:\n") -> str:
    return header + "".join(questions)


def question(qid: str = "clock-hands", extra: str = "", prompt: str = "What is the angle?") -> str:
    return (
        f"- id: {qid}\n  title: Clock hands\n  difficulty: easy\n  prompt: {prompt}\n"
        f"  sources:\n  - document: notes\n    item: 3\n{extra}"
    )


# --- real banks ---------------------------------------------------------------------------------------


def test_the_shipped_bank_loads_the_same_both_ways_and_mostly_fast() -> None:
    assert both_ways(builtin_bank_path())[0] == "bank"
    files = [entry for entry in builtin_bank_path().iterdir() if entry.name.endswith(".yaml")]
    fast = [entry.name for entry in files if takes_fast_path(entry.read_text(encoding="utf-8"))]
    assert len(fast) >= len(files) // 2, fast


def test_a_generated_bank_takes_the_fast_path_for_every_file(tmp_path: Path) -> None:
    generate(tmp_path, 650)
    assert all(takes_fast_path(path.read_text(encoding="utf-8")) for path in tmp_path.glob("*.yaml"))
    kind, questions, origins, _, _ = both_ways(tmp_path)
    assert kind == "bank" and len(questions) == 650
    assert origins["gen-statistics-0"].line == 3 and origins["gen-statistics-13"].line == 20


@pytest.mark.parametrize("folder", ["valid", "extra", "cross_duplicate", "invalid"])
def test_the_fixture_banks_load_the_same_both_ways(folder: str) -> None:
    both_ways(BANKS / folder)


def test_banks_across_files_load_the_same_both_ways() -> None:
    both_ways(BANKS / "valid", BANKS / "extra")
    both_ways(BANKS / "valid", BANKS / "valid" / "probability.yaml")  # every id defined twice


# --- YAML the fast path reads -------------------------------------------------------------------------

SAFE = {
    "block scalars": bank_file(
        question(
            extra=(
                "  hints:\n  - |\n    First line\n      more indented\n\n    after a blank line\n  - >-\n    Folded\n"
                "    text\n\n    new paragraph\n  key_points:\n  - |+\n    kept\n\n  - >\n    folded, clipped\n"
                "  answer:\n    value: |-\n      1/6\n    explanation: >\n      Six of the 36 outcomes.\n"
            )
        )
    ),
    "quoted scalars": bank_file(
        question(
            extra=(
                "  tags: ['it''s', \"tab\\there\", \"\\u00e9\\x41\\\\ \\\"q\\\"\", '# not a comment']\n"
                "  hints:\n  - \"a line \\\n    continued\"\n  - 'two\n    lines'\n"
            )
        )
    ),
    "plain scalars over several lines": bank_file(
        question(prompt="What is the angle\n    between the hands\n\n    at 3:15?")
    ),
    "flow collections and comments": bank_file(
        question(
            qid="flow-style",
            extra=(
                "  # a comment\n  tags: [a, b,  c]   # trailing\n  companies: [\n    Hedge Fund, Bank]\n"
                "  answer: {value: 7.5, tolerance: 0.01, unit: degrees, explanation: Quarter of an hour.}\n"
            ),
        )
    ),
    "numbers both readers agree on": bank_file(
        question(extra="  answer:\n    value: 3.5532e-11\n    tolerance: 1.0E-12\n    explanation: Tiny.\n"),
        question(qid="other-numbers", extra="  answer:\n    value: .5\n    tolerance: 0\n    explanation: Half.\n"),
        question(qid="negative", extra="  answer:\n    value: -12\n    explanation: Minus twelve.\n"),
    ),
    "null where a field allows it, and where it does not": bank_file(
        question(extra=("  answer:\n    value: '7.5'\n    unit: null\n    explanation: ~\n"))
    ),  # explanation: null is a problem
    "the id not first, the topic repeated, quoted keys": (
        "topic: probability\nquestions:\n- title: Clock hands\n  'difficulty': easy\n  topic: probability\n"
        '  "id": not-on-a-marked-line\n  prompt: What?\n  sources: [{document: notes}]\n'
    ),
    "ids after other keys": (
        "topic: probability\nquestions:\n- title: Clock hands\n  difficulty: easy\n  id: second-key\n"
        "  prompt: What?\n  sources: [{document: notes}]\n- title: Other\n  prompt: Why?\n"
        "  id:    spaced-id   \n  difficulty: hard\n  sources: [{document: notes}]\n"
    ),
    "a document start and unicode": "---\n" + bank_file(question(prompt="Angle in ° × ≈ 😀?")),
    "Windows line ends": bank_file(question(), question(qid="second-one")).replace("\n", "\r\n"),
    "resources": "resources:\n- title: A book\n  url: https://example.com/book\n  tags: [general]\n",
}


@pytest.mark.parametrize("name", SAFE)
def test_yaml_the_fast_path_reads_loads_the_same_both_ways(name: str, tmp_path: Path) -> None:
    text = SAFE[name]
    fast = takes_fast_path(text)
    expected_fast = name not in (
        "null where a field allows it, and where it does not",
        "the id not first, the topic repeated, quoted keys",
    )
    assert fast is expected_fast
    both_ways(write(tmp_path, text, "resources.yaml" if name == "resources" else "probability.yaml"))


def test_question_ids_keep_their_lines(tmp_path: Path) -> None:
    kind, _, origins, _, _ = both_ways(write(tmp_path, SAFE["ids after other keys"]))
    assert kind == "bank"
    assert (origins["second-key"].line, origins["spaced-id"].line) == (5, 10)


# --- YAML only the line-tracking loader reads ---------------------------------------------------------

DECLINED = {
    "yes as a value": question(extra="  answer:\n    value: yes\n    explanation: Because.\n"),
    "no and on in a list": question(extra="  tags: [no, on]\n"),
    "Off as a key": question(extra="  Off: x\n"),
    "an octal number": question(extra="  answer:\n    value: 012\n    explanation: Octal.\n"),
    "0o12": question(extra="  answer:\n    value: 0o12\n    explanation: Octal.\n"),
    "a hex number": question(extra="  sources:\n  - document: notes\n    item: 0x1F\n").replace(
        "  sources:\n  - document: notes\n    item: 3\n", "", 1
    ),
    "underscores": question(extra="  answer:\n    value: 1_000\n    explanation: A thousand.\n"),
    "an exponent without a dot": question(extra="  answer:\n    value: 1e3\n    explanation: Text to YAML 1.1.\n"),
    "sexagesimal": question(extra="  answer:\n    value: 1:30\n    explanation: Ninety.\n"),
    "a sign and a dot": question(extra="  answer:\n    value: -.5\n    explanation: Text to YAML 1.1.\n"),
    "infinity in odd case": question(extra="  answer:\n    value: .iNf\n    explanation: Text to YAML 1.1.\n"),
    "a date": question(extra="  hints: [2024-01-01]\n"),
    "a merge key": "base: &base\n  difficulty: easy\n" + bank_file(question(extra="  <<: *base\n")),
    "an alias": bank_file(question(extra="  hints: &h [Think.]\n"), question(qid="again", extra="  hints: *h\n")),
    "an undefined alias": question(extra="  hints: [*nowhere]\n"),
    "a tag": question(extra="  hints: [!!str 12]\n"),
    "a binary tag": question(extra="  hints: [!!binary aGk=]\n"),
    "a directive": "%YAML 1.1\n---\n" + bank_file(question()),
    "two documents": bank_file(question()) + "---\n" + bank_file(question(qid="other-doc")),
    "a key indicator in a flow sequence": question(extra="  tags: [a, ?b]\n"),
    "syntax only yaml-rs accepts": question(extra="  tags: [a, > b]\n"),
    "a duplicate key": question(extra="  title: Again\n"),
    "a number as a key": question(extra="  1: one\n"),
    "null as a key": question(extra="  ~: nothing\n"),
    "a list as a key": question(extra="  ? [a, b]\n  : pair\n"),
    "a tab": question(extra='  hints: ["a\ttab"]\n'),
    "a YAML 1.1 line break": question(prompt="Line\x85break"),
    "a byte order mark": "\ufeff" + bank_file(question()),
    "a lone CR": question(prompt="carriage\rreturn"),
    "no line break at the end": bank_file(question()).rstrip("\n"),
    "an empty block scalar": question(extra="  hints:\n  - |\n  - Next.\n"),
    "an id in a flow mapping": "topic: probability\nquestions:\n- {id: flow-id, title: T, difficulty: easy, "
    "prompt: P, sources: [{document: d}]}\n",
    "an id that reads as a number": question(qid="12345"),
    "an id over two lines": question(qid="clock\n    hands"),
    "an id line inside a text": question(extra="  hints:\n  - |\n    id: clock-hands\n"),
    "the marker": question(prompt=f"What is {fast_yaml.MARK}?"),
}


@pytest.mark.parametrize("name", DECLINED)
def test_yaml_where_the_readers_could_differ_is_read_the_line_tracking_way(name: str, tmp_path: Path) -> None:
    text = DECLINED[name]
    if not text.startswith(("topic", "base", "%", "\ufeff")):
        text = bank_file(text)
    assert not takes_fast_path(text)
    result = both_ways(write(tmp_path, text))
    if name == "syntax only yaml-rs accepts":
        assert result[0] == "problems" and result[1][0].message.startswith("YAML syntax error")


def test_yaml_1_1_values_are_kept(tmp_path: Path) -> None:
    def answer_value(name: str) -> object:
        kind, questions, *_ = both_ways(write(tmp_path, bank_file(DECLINED[name])))
        assert kind == "bank"
        return questions[0][0].answer.value

    assert answer_value("yes as a value") == 1.0
    assert answer_value("an octal number") == 10.0
    assert answer_value("sexagesimal") == 90.0
    assert answer_value("an exponent without a dot") == "1e3"
    assert answer_value("a sign and a dot") == "-.5"


# --- error reports ------------------------------------------------------------------------------------


def test_a_large_bank_with_problems_gets_the_same_detailed_report(tmp_path: Path) -> None:
    generate(tmp_path, 390)
    path = tmp_path / "probability.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    wrong = lines.index("- id: gen-probability-92\n") + 2
    assert lines[wrong] == "  difficulty: hard\n"
    lines[wrong] = "  difficulty: trivial\n"
    path.write_text("".join(lines), encoding="utf-8")
    statistics = tmp_path / "statistics.yaml"
    taken = len(statistics.read_text(encoding="utf-8").splitlines()) + 1
    statistics.write_text(statistics.read_text(encoding="utf-8") + question(qid="gen-probability-1"), encoding="utf-8")

    kind, problems = both_ways(tmp_path)
    assert kind == "problems"
    assert [(Path(p.path).name, p.line, p.question_id) for p in problems] == [
        ("probability.yaml", wrong + 1, "gen-probability-92"),
        ("statistics.yaml", taken, "gen-probability-1"),
    ]
    assert problems[0].message == "difficulty 'trivial' is not one of easy, medium, hard"
    assert problems[1].message.startswith("duplicate id; also defined at ")
    assert problems[1].message.endswith("probability.yaml:3; give one of them a different id")


# --- the screen ---------------------------------------------------------------------------------------


def test_the_screen_searches_the_whole_text() -> None:
    clean = "key: value\n" * 50_000
    assert first_risk(clean) is None
    assert first_risk(clean + "other: yes\n" + clean) is not None
    assert first_risk(clean + "other: 0o12\n") == "a number other than a plain decimal"


@pytest.mark.parametrize(
    "text",
    [
        "k: 7.5°\n",
        "k: 15/2\n",
        "k: 4d_model is a size\n",
        "k: 17.4B\n",
        "k: -0.5\n",
        "k: 3:15?\n",
        "k: R & D\n",
        "k: 1.5e-3\n",
        "- 10-second\n",
        "k: .5\n",
    ],
)
def test_the_screen_lets_through_what_both_read_alike(text: str) -> None:
    assert first_risk(text) is None


@pytest.mark.parametrize("text", ["k: |\n", "k: >\n\n", "k:\n- |\n", "k: [a]\nj: |\n  \n\n", "k: |+\n", "k: |\n  x"])
def test_yaml_rs_reads_the_end_of_a_file_differently(text: str) -> None:
    assert yaml_rs.loads(text) != yaml.load(text, Loader=yaml.CSafeLoader)
    assert fast_yaml.parse(text) is None


def test_marked_ids_come_back_with_their_lines() -> None:
    document = fast_yaml.parse("topic: x\nquestions:\n- id: first-one\n  title: t\n- title: t\n  id: second  \n")
    assert document is not None and document.id_lines == [3, 6]
    ids = [fast_yaml.unmark(q["id"]) for q in document.data["questions"]]
    assert ids == ["first-one", "second"]


# --- random YAML and random banks -------------------------------------------------------------------

_WORDS = [
    "a",
    "b c",
    "é×",
    "it's",
    'say "hi"',
    "a:b",
    "a#b",
    "-x",
    ":x",
    "1",
    "1.5",
    "~",
    "#c",
    "\\",
    "%",
    "!",
    "&",
    "*",
    "|",
    ">",
    "[",
    "]",
    "{",
    "}",
    ",",
]


def _random_yaml(rng: random.Random) -> str:
    """A mapping of plain, quoted (with escapes and line breaks) and block scalars, as a person might write."""

    def words() -> str:
        return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4)))

    def scalar(indent: int) -> str:
        kind = rng.randrange(5)
        if kind == 0:
            return words()
        if kind == 1:
            return "'" + words().replace("'", "''") + rng.choice(["", "\n" + " " * (indent + 2) + "more"]) + "'"
        if kind == 2:
            body = words().replace("\\", "\\\\").replace('"', '\\"')
            return '"' + body + rng.choice(["", "\\t", "\\u00e9", "\\x41", "\\\n  x", "\n\n  y", "\\N"]) + '"'
        if kind == 3:
            return words() + "\n" + " " * (indent + rng.randint(1, 3)) + words()
        lines = [
            rng.choice(["", " " * (indent + rng.choice([2, 3, 4])) + words() + rng.choice(["", "  "])])
            for _ in range(rng.randint(0, 4))
        ]
        header = rng.choice(["|", ">", "|-", ">+", "|2"]) + rng.choice(["", " #c"])
        return header + "".join("\n" + line for line in lines)

    lines = []
    for n in range(rng.randint(1, 5)):
        indent = rng.choice([0, 2]) if lines else 0
        prefix = " " * indent + rng.choice(["", "- "]) if indent else ""
        lines.append(f"{prefix}k{n}: {scalar(indent)}")
        if rng.random() < 0.2:
            lines.append(" " * rng.randint(0, 4) + "# comment")
    return "\n".join(lines) + rng.choice(["\n", "\n\n"])


def test_random_yaml_reads_the_same_or_is_declined() -> None:
    rng = random.Random(1123)
    read = 0
    for _ in range(3000):
        text = _random_yaml(rng)
        document = fast_yaml.parse(text)
        if document is not None:
            read += 1
            assert document.data == yaml.load(text, Loader=yaml.CSafeLoader), text
    assert read > 500


_ODD = [
    "yes",
    "No",
    "off",
    "~",
    "null",
    "true",
    "",
    "012",
    "0o7",
    "0x1F",
    "1_0",
    "1e3",
    "1.0e3",
    "1.5e-3",
    "-.5",
    ".5",
    ".INF",
    "1:20",
    "12:30:00",
    "2024-01-01",
    "=",
    "'yes'",
    '"012"',
    '"a\\tb"',
    "'it''s'",
    "*a",
    "&a x",
    "!!str 1",
    "[a, b]",
    "{a: b}",
    "-",
    "a: b",
    "x #c",
    "7.5°",
    "17.4B",
    "|\n      block",
    ">-\n      folded",
    "|",
    "Two\n      lines",
]


def _random_bank(rng: random.Random) -> str:
    def scalar(plain: str) -> str:
        return rng.choice(_ODD) if rng.random() < 0.15 else plain

    questions = []
    for n in range(rng.randint(1, 4)):
        qid = scalar(f"q-{n}") if rng.random() < 0.3 else f"q-{n}"
        extra = f"  hints: [{scalar('Think.')}]\n" if rng.random() < 0.3 else ""
        if rng.random() < 0.4:
            extra += (
                f"  answer:\n    value: {scalar('7.5')}\n    tolerance: {scalar('0.01')}\n"
                f"    explanation: {scalar('Because.')}\n"
            )
        questions.append(
            question(qid, extra, prompt=scalar("What is the angle?")).replace("item: 3", f"item: {scalar('3')}")
        )
    return bank_file(*questions)


def test_random_banks_load_the_same_both_ways(tmp_path: Path) -> None:
    rng = random.Random(20261123)
    took_fast_path = loaded = 0
    for _ in range(400):
        text = _random_bank(rng)
        took_fast_path += takes_fast_path(text)
        loaded += both_ways(write(tmp_path, text))[0] == "bank"
    assert took_fast_path > 50 and loaded > took_fast_path  # both ways are exercised
