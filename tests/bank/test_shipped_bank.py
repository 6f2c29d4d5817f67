"""The built-in bank that ships in `questions/` (packaged as `bot.builtin_bank`).

These fail until the bank content lands; they must pass before a release.
"""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from bot.banks.builtin import builtin_bank_path
from bot.banks.loading import BANK_SUFFIXES, load_paths
from bot.banks.similarity import find_near_duplicates
from bot.core.bank import Bank
from bot.core.questions import Topic


@pytest.fixture(scope="module")
def shipped() -> Bank:
    return load_paths([builtin_bank_path()])  # raises BankError with the full report if invalid


def test_builtin_bank_is_packaged() -> None:
    folder = resources.files("bot.builtin_bank")
    assert folder.is_dir()


def test_builtin_bank_validates_and_is_not_empty(shipped: Bank) -> None:
    assert len(shipped) > 0


def test_builtin_bank_has_study_resources(shipped: Bank) -> None:
    assert shipped.resources, "questions/resources.yaml should list the study links"


def test_builtin_bank_has_no_near_duplicates(shipped: Bank) -> None:
    pairs = find_near_duplicates(shipped.questions)
    assert pairs == [], "merge these into one question with both sources:\n" + "\n".join(
        f"{p.first} ~ {p.second} ({p.score})" for p in pairs
    )


def test_each_topic_file_is_named_after_its_topic(shipped: Bank) -> None:
    declared: set[str] = set()
    for entry in builtin_bank_path().iterdir():
        if not entry.name.endswith(BANK_SUFFIXES):
            continue
        documents = list(yaml.safe_load_all(entry.read_text(encoding="utf-8")))
        assert len(documents) == 1, f"{entry.name}: one YAML document per file in the built-in bank"
        document = documents[0]
        if entry.name == "resources.yaml":
            assert set(document) == {"resources"}
            continue
        topic = document["topic"]
        assert entry.name == f"{topic}.yaml", f"{entry.name} declares topic {topic}; rename it to {topic}.yaml"
        declared.add(topic)
    assert declared <= {t.value for t in Topic}
    assert {t.value for t in shipped.topics()} <= declared
