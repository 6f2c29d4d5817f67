"""The loader: valid banks load, and every kind of mistake is reported with file, line and a fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.banks.loading import load_bank, load_paths
from bot.core.bank_problems import BankError, BankProblem
from bot.core.questions import Difficulty, Topic

from .conftest import BANKS

INVALID = BANKS / "invalid"


def problems_of(*paths: Path) -> list[BankProblem]:
    with pytest.raises(BankError) as caught:
        load_paths(list(paths))
    return caught.value.problems


def only_problem(name: str) -> BankProblem:
    problems = problems_of(INVALID / name)
    assert len(problems) == 1, problems
    assert problems[0].path.endswith(f"invalid/{name}")
    return problems[0]


def test_valid_bank_loads_questions_resources_and_fills_topic_from_file() -> None:
    bank = load_paths([BANKS / "valid"])
    assert [q.id for q in bank.questions] == [
        "covariance-vs-correlation",
        "p-value-meaning",
        "skewed-distribution-mean-median",  # statistics first
        "clock-hands-angle",
        "two-dice-sum-seven",
    ]
    clock = bank.get("clock-hands-angle")
    assert clock is not None and clock.topic is Topic.PROBABILITY and clock.difficulty is Difficulty.EASY
    assert clock.answer is not None and clock.answer.value == 7.5 and clock.answer.tolerance == 0.01
    assert [r.title for r in bank.resources] == ["ML interviews book", "System design primer"]
    assert len(bank.files) == 3
    assert bank.origin("two-dice-sum-seven") is not None
    assert bank.origin("two-dice-sum-seven").line == 20  # type: ignore[union-attr]


def test_loads_a_single_file() -> None:
    bank = load_paths([BANKS / "valid" / "probability.yaml"])
    assert [q.id for q in bank.questions] == ["clock-hands-angle", "two-dice-sum-seven"]


def test_every_problem_in_every_file_is_reported_at_once() -> None:
    problems = problems_of(INVALID, BANKS / "valid")
    files = {Path(p.path).name for p in problems}
    assert files == {path.name for path in INVALID.glob("*.yaml")}
    assert len(problems) == 16  # 15 files with one problem each, bad_id.yaml with two


def test_report_has_one_line_per_problem_in_the_documented_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BANKS.parents[2])  # paths are shown relative to the working directory
    with pytest.raises(BankError) as caught:
        load_paths([INVALID / "unknown_difficulty.yaml", INVALID / "missing_field.yaml"])
    lines = caught.value.report().splitlines()
    assert str(caught.value) == caught.value.report()
    assert lines == [
        "tests/fixtures/banks/invalid/unknown_difficulty.yaml:11: question 'clock-hands-angle': "
        "difficulty 'trivial' is not one of easy, medium, hard",
        "tests/fixtures/banks/invalid/missing_field.yaml:3: question 'no-title-here': "
        "missing required field 'title' (required: id, difficulty, title, prompt, sources)",
    ]


def test_yaml_syntax_error_names_its_line() -> None:
    problem = only_problem("syntax_error.yaml")
    assert problem.line == 5
    assert problem.message.startswith("YAML syntax error")
    assert "indentation" in problem.message


def test_file_that_is_not_a_mapping() -> None:
    problem = only_problem("not_a_mapping.yaml")
    assert problem.line == 1
    assert "expected a mapping with 'topic:' and 'questions:'" in problem.message
    assert "got a list" in problem.message


def test_questions_that_are_not_a_list() -> None:
    problem = only_problem("questions_not_list.yaml")
    assert problem.line == 2
    assert "'questions' must be a list" in problem.message


def test_missing_field() -> None:
    problem = only_problem("missing_field.yaml")
    assert (problem.line, problem.question_id) == (3, "no-title-here")
    assert "missing required field 'title'" in problem.message


def test_unknown_field_suggests_the_right_name_and_lists_allowed_ones() -> None:
    problem = only_problem("unknown_field.yaml")
    assert (problem.line, problem.question_id) == (7, "typo-field")
    assert "unknown field 'hint'" in problem.message
    assert "did you mean 'hints'?" in problem.message
    assert "allowed fields: id, difficulty, title, prompt" in problem.message


def test_unknown_topic_lists_the_topics() -> None:
    problem = only_problem("unknown_topic.yaml")
    assert problem.line == 1
    assert "topic 'astrology' is not a known topic" in problem.message
    assert all(topic.value in problem.message for topic in Topic)


def test_question_topic_different_from_its_file() -> None:
    problem = only_problem("topic_mismatch.yaml")
    assert (problem.line, problem.question_id) == (4, "wrong-file")
    assert "differs from the file's topic 'statistics'" in problem.message
    assert "probability.yaml" in problem.message


def test_unknown_difficulty() -> None:
    problem = only_problem("unknown_difficulty.yaml")
    assert (problem.line, problem.question_id) == (11, "clock-hands-angle")
    assert problem.message == "difficulty 'trivial' is not one of easy, medium, hard"
    assert str(problem).endswith(
        "unknown_difficulty.yaml:11: question 'clock-hands-angle': "
        "difficulty 'trivial' is not one of easy, medium, hard"
    )


def test_duplicate_id_within_a_file_names_both_lines() -> None:
    problem = only_problem("duplicate_id.yaml")
    assert (problem.line, problem.question_id) == (9, "same-id")
    assert "duplicate id; also defined at " in problem.message
    assert problem.message.split("also defined at ")[1].startswith(problem.path + ":3")


def test_duplicate_id_across_files_names_both_files() -> None:
    problems = problems_of(BANKS / "cross_duplicate")
    assert len(problems) == 1
    problem = problems[0]
    assert problem.path.endswith("cross_duplicate/statistics.yaml")
    assert (problem.line, problem.question_id) == (9, "shared-id")
    assert "cross_duplicate/probability.yaml:3" in problem.message


def test_duplicate_between_an_extra_bank_and_the_builtin_names_both(
    builtin_is_valid_fixture: Path, tmp_path: Path
) -> None:
    (tmp_path / "statistics.yaml").write_text(
        "topic: statistics\nquestions:\n  - id: p-value-meaning\n    title: Again\n    difficulty: easy\n"
        "    prompt: Our own p-value question.\n    sources: [{document: group}]\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as caught:
        load_bank([tmp_path])
    [problem] = caught.value.problems
    assert problem.path.endswith("statistics.yaml") and tmp_path.name in problem.path
    assert problem.line == 3
    assert "valid/statistics.yaml:" in problem.message


def test_extra_bank_adds_questions_to_existing_topics(builtin_is_valid_fixture: Path) -> None:
    bank = load_bank([BANKS / "extra"])
    assert "group-bootstrap-intervals" in bank
    assert len(bank.by_topic(Topic.STATISTICS)) == 4


def test_tolerance_on_a_text_answer() -> None:
    problem = only_problem("answer_tolerance_on_text.yaml")
    assert problem.question_id == "text-with-tolerance"
    assert problem.line == 9
    assert "tolerance is only meaningful for a numeric value" in problem.message
    assert "remove 'tolerance' or make 'value' a number" in problem.message


def test_answer_without_explanation() -> None:
    problem = only_problem("answer_missing_explanation.yaml")
    assert (problem.line, problem.question_id) == (9, "no-explanation")
    assert "answer: missing required field 'explanation'" in problem.message


def test_answer_value_that_is_neither_number_nor_text() -> None:
    problem = only_problem("answer_value_list.yaml")
    assert (problem.line, problem.question_id) == (10, "list-value")
    assert problem.message == "answer.value must be a number or a text, got a list"


def test_bad_resources_are_each_reported() -> None:
    problems = problems_of(INVALID / "bad_resource.yaml")
    assert [(p.line, p.question_id) for p in problems] == [(5, None), (6, None)]
    assert "resource #2 'Not a web link': url 'ftp://example.com/file' must start with http://" in problems[0].message
    assert "resource #3: missing required field 'title'" in problems[1].message


def test_bad_id_and_empty_sources() -> None:
    problems = problems_of(INVALID / "bad_id.yaml")
    assert [p.line for p in problems] == [3, 7]
    assert "must be kebab-case" in problems[0].message
    assert "sources must list at least one source" in problems[1].message


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nope")
    assert "no such file or folder" in problems[0].message


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "statistics.yaml").write_text("# nothing yet\n", encoding="utf-8")
    problems = problems_of(tmp_path)
    assert "file is empty" in problems[0].message


def test_repeated_key_is_reported(tmp_path: Path) -> None:
    (tmp_path / "statistics.yaml").write_text(
        "topic: statistics\nquestions:\n  - id: twice\n    title: A\n    title: B\n    difficulty: easy\n"
        "    prompt: P\n    sources: [{document: d}]\n",
        encoding="utf-8",
    )
    [problem] = problems_of(tmp_path)
    assert (problem.line, problem.question_id) == (5, "twice")
    assert "'title' is given twice" in problem.message


def test_a_date_like_value_is_text_even_an_impossible_date(tmp_path: Path) -> None:
    (tmp_path / "statistics.yaml").write_text(
        "topic: statistics\nquestions:\n  - id: dates\n    title: A\n    difficulty: easy\n"
        "    prompt: P\n    sources: [{document: d}]\n    hints: [2024-02-30, 2024-01-01]\n",
        encoding="utf-8",
    )
    [question] = load_paths([tmp_path]).questions
    assert question.hints == ("2024-02-30", "2024-01-01")


def test_significant_figures_on_a_text_answer(tmp_path: Path) -> None:
    path = tmp_path / "probability.yaml"
    text = (INVALID / "answer_tolerance_on_text.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("tolerance: 0.01", "significant_figures: 3"), encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.question_id == "text-with-tolerance" and problem.line == 9
    assert "significant_figures is only meaningful for a numeric value" in problem.message
    assert "remove 'significant_figures' or make 'value' a number" in problem.message
