"""`studybot bank ...` run in-process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.banks.loading import load_paths
from bot.cli import main

from .conftest import BANKS, SEEDS

pytestmark = pytest.mark.usefixtures("builtin_is_valid_fixture")  # the built-in bank is valid/


def test_validate_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate"]) == 0
    assert capsys.readouterr().out == "ok: 5 questions in 3 files\n"


def test_validate_paths(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate", str(BANKS / "extra"), str(BANKS / "valid" / "statistics.yaml")]) == 0
    assert capsys.readouterr().out == "ok: 4 questions in 2 files\n"


def test_validate_reports_every_problem_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate", str(BANKS / "invalid"), str(BANKS / "cross_duplicate")]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "unknown_difficulty.yaml:11: question 'clock-hands-angle': difficulty 'trivial' is not one of" in err
    assert "cross_duplicate/statistics.yaml:9: question 'shared-id': duplicate id" in err
    assert "17 problems in the question bank" in err


def test_validate_with_extra_bank_checks_against_builtin(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "validate", "--bank", str(BANKS / "extra")]) == 0
    assert capsys.readouterr().out == "ok: 6 questions in 4 files\n"
    assert main(["bank", "validate", "--bank", str(BANKS / "valid")]) == 1
    assert "duplicate id" in capsys.readouterr().err


def test_stats_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "stats", "--bank", str(BANKS / "extra")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("6 questions in 4 files, 2 resources")
    for heading in ("Topic", "Difficulty", "Source document", "Auto-gradable"):
        assert heading in out
    assert "Statistics " in out and "Probability " in out
    lines = out.splitlines()
    assert any(line.split() == ["yes", "2", "33%"] for line in lines)
    assert any(line.split() == ["ml-interview-questions-2025", "3", "50%"] for line in lines)


def test_export_json_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "export", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["questions"]) == 5


def test_export_yaml_to_file_round_trips(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "bank.yaml"
    assert main(["bank", "export", "--format", "yaml", "--output", str(output)]) == 0
    assert load_paths([output]).questions == load_paths([BANKS / "valid"]).questions
    assert main(["bank", "export", "--format", "yaml", "--output", str(tmp_path / "folder")]) == 0
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == [
        "probability.yaml",
        "resources.yaml",
        "statistics.yaml",
    ]


def test_import_writes_yaml_and_reports_skips(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "bank",
            "import",
            str(SEEDS / "public_list_excerpt.md"),
            "--topic",
            "statistics",
            "--document",
            "ml-interview-questions-2025",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("topic: statistics\nquestions:\n")
    assert "document: ml-interview-questions-2025" in out
    assert "skipped item 3" in err and "already in the bank as 'covariance-vs-correlation'" in err
    assert "imported 5 questions, skipped 1" in err


def test_import_output_file_is_a_valid_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "nlp.yaml"
    assert (
        main(["bank", "import", str(SEEDS / "interview_notes_excerpt.md"), "--topic", "nlp", "--output", str(output)])
        == 0
    )
    imported = load_paths([output])
    assert len(imported) == 14  # "Covariance vs. correlation" is already in the bank
    assert "already in the bank as 'covariance-vs-correlation'" in capsys.readouterr().err
    assert {q.sources[0].document for q in imported.questions} == {"interview_notes_excerpt"}


def test_import_unknown_topic_lists_valid_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "import", str(SEEDS / "public_list_excerpt.md"), "--topic", "astrology"]) == 2
    err = capsys.readouterr().err
    assert "unknown topic 'astrology'" in err and "statistics, probability, classical-ml" in err


def test_import_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "import", str(tmp_path / "nope.md"), "--topic", "nlp"]) == 2
    assert "no such file:" in capsys.readouterr().err


def test_bank_commands_report_a_broken_extra_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "stats", "--bank", str(BANKS / "invalid" / "bad_id.yaml")]) == 1
    assert "must be kebab-case" in capsys.readouterr().err


def test_import_and_export_never_overwrite_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("a group's own notes\n", encoding="utf-8")
    ours = tmp_path / "statistics.yaml"
    ours.write_text("# hand-written questions\n", encoding="utf-8")
    notes = str(SEEDS / "interview_notes_excerpt.md")
    assert main(["bank", "import", notes, "--topic", "nlp", "--output", str(ours)]) == 2
    assert main(["bank", "export", "--format", "json", "--output", str(precious)]) == 2
    err = capsys.readouterr().err
    assert "already exists: nothing written. Pass --force" in err
    assert ours.read_text(encoding="utf-8") == "# hand-written questions\n"
    assert precious.read_text(encoding="utf-8") == "a group's own notes\n"
    folder = tmp_path / "exported"
    assert main(["bank", "export", "--format", "yaml", "--output", str(folder)]) == 0
    assert main(["bank", "export", "--format", "yaml", "--output", str(folder)]) == 2  # the folder's files too


def test_force_replaces_the_file_and_keeps_a_copy_of_the_old_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = tmp_path / "nlp.yaml"
    ours.write_text("# hand-written questions\n", encoding="utf-8")
    notes = str(SEEDS / "interview_notes_excerpt.md")
    assert main(["bank", "import", notes, "--topic", "nlp", "--output", str(ours), "--force"]) == 0
    kept = [path for path in tmp_path.iterdir() if path.name.startswith("nlp.yaml.before-")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == "# hand-written questions\n"
    assert ours.read_text(encoding="utf-8").startswith("topic: nlp")
    assert not list(tmp_path.glob("*.partial"))
