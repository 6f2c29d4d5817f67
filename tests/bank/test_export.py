"""Export as JSON and YAML; YAML reads back into the same questions."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.banks.exporting import to_json, to_yaml, to_yaml_files, topic_yaml
from bot.banks.loading import load_paths

from .conftest import BANKS


def test_json_carries_every_question_with_its_topic() -> None:
    bank = load_paths([BANKS / "valid"])
    data = json.loads(to_json(bank))
    assert [q["id"] for q in data["questions"]] == [q.id for q in bank.questions]
    clock = next(q for q in data["questions"] if q["id"] == "clock-hands-angle")
    assert clock["topic"] == "probability"
    assert clock["answer"]["value"] == 7.5
    assert len(data["resources"]) == 2


def test_yaml_files_are_in_the_loader_shape() -> None:
    bank = load_paths([BANKS / "valid"])
    files = to_yaml_files(bank)
    assert list(files) == ["statistics.yaml", "probability.yaml", "resources.yaml"]
    probability = yaml.safe_load(files["probability.yaml"])
    assert probability["topic"] == "probability"
    assert all("topic" not in q for q in probability["questions"])
    assert "explanation: |" in files["probability.yaml"]  # multi-line text stays readable


def test_yaml_folder_round_trip(tmp_path: Path) -> None:
    bank = load_paths([BANKS / "valid", BANKS / "extra"])
    (tmp_path / "out").mkdir()
    for name, text in to_yaml_files(bank).items():
        (tmp_path / "out" / name).write_text(text, encoding="utf-8")
    again = load_paths([tmp_path / "out"])
    assert again.questions == bank.questions
    assert again.resources == bank.resources


def test_yaml_stream_round_trip(tmp_path: Path) -> None:
    bank = load_paths([BANKS / "valid"])
    (tmp_path / "bank.yaml").write_text(to_yaml(bank), encoding="utf-8")
    again = load_paths([tmp_path / "bank.yaml"])
    assert again.questions == bank.questions
    assert again.resources == bank.resources


def test_topic_yaml_of_no_questions_is_still_loadable(tmp_path: Path) -> None:
    (tmp_path / "nlp.yaml").write_text(topic_yaml("nlp", []), encoding="utf-8")
    assert len(load_paths([tmp_path])) == 0
