"""`studybot bank grade ID "ANSWER"`: a group tries the forms its members will type, on the quiz's own grader."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_a_right_answer_prints_right_and_why_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "grade", "feature-shipping-probability", "77%"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "right: '77%' reads 0.77, the answer 0.7734 to 2 significant figures",
        "expected: 0.7734 probability",
    ]


def test_a_wrong_answer_prints_wrong_and_why_and_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "grade", "mae-mse-rmse-outliers", "MSE, since it squares the errors"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("wrong: 'MSE, since it squares the errors' names mse, but the answer is MAE\n")
    assert "expected: MAE" in out


def test_an_unknown_id_or_a_question_without_an_answer_block_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bank", "grade", "no-such-question", "42"]) == 2
    assert "no question with id 'no-such-question' in the bank" in capsys.readouterr().err
    assert main(["bank", "grade", "beyond-python", "yes"]) == 2
    assert "has no answer block, so it is not graded" in capsys.readouterr().err


def test_an_extra_bank_question_can_be_tried_before_it_is_shipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ours = tmp_path / "probability.yaml"
    ours.write_text(
        "topic: probability\nquestions:\n"
        "  - id: our-half\n    title: A half\n    difficulty: easy\n    prompt: What is one over two?\n"
        "    sources: [{document: our-notes}]\n"
        "    answer: {value: 0.5, accepted: ['1/2'], explanation: It is a half.}\n",
        encoding="utf-8",
    )
    assert main(["bank", "grade", "--bank", str(ours), "our-half", "50%"]) == 0
    assert main(["bank", "grade", "--bank", str(ours), "our-half", "5%"]) == 1
    assert "wrong: '5%' reads 0.05, which is not 1/2 ≈ 0.5" in capsys.readouterr().out


def test_the_installed_command_exits_with_the_grade() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bank", "grade", "function-plus-derivative-zero", "k e^{-x}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("right: 'k e^{-x}' reads k/E^x, equal to C*e^(-x)")


def test_output_piped_into_a_reader_that_stops_early_is_no_traceback(tmp_path):
    """`studybot bank export | true`: the reader leaves before the bank (far more than a pipe holds) is written."""
    script = f"{sys.executable} -m bot bank export --format yaml | true"
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
