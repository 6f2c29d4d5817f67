"""Write a bank out as JSON (for other tools) or as YAML in the exact shape the loader reads."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import yaml

from bot.core.bank import Bank
from bot.core.questions import Question, Resource, Topic

RESOURCES_FILE = "resources.yaml"


def question_data(question: Question, *, with_topic: bool = False) -> dict[str, Any]:
    """A question as plain data, leaving out empty and default fields (and `topic` unless asked)."""
    data = question.model_dump(mode="json", exclude_defaults=True)
    data.pop("topic")
    data["sources"] = [source.model_dump(mode="json", exclude_none=True) for source in question.sources]
    if with_topic:
        data = {"id": data.pop("id"), "topic": question.topic.value, **data}
    return data


def resource_data(resource: Resource) -> dict[str, Any]:
    return resource.model_dump(mode="json", exclude_defaults=True)


def to_json(bank: Bank, *, indent: int = 2) -> str:
    """`{"questions": [...], "resources": [...]}`; every question carries its topic."""
    data = {
        "questions": [question_data(q, with_topic=True) for q in bank.questions],
        "resources": [resource_data(r) for r in bank.resources],
    }
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def topic_yaml(topic: Topic | str, questions: Iterable[Question]) -> str:
    """One topic file: `topic: <topic>` then `questions:` without a per-question topic."""
    return dump_yaml({"topic": Topic(topic).value, "questions": [question_data(q) for q in questions]})


def resources_yaml(resources: Iterable[Resource]) -> str:
    return dump_yaml({"resources": [resource_data(r) for r in resources]})


def to_yaml_files(bank: Bank) -> dict[str, str]:
    """File name → text, one `<topic>.yaml` per topic in the bank, plus `resources.yaml` if any."""
    files = {f"{topic.value}.yaml": topic_yaml(topic, bank.by_topic(topic)) for topic in bank.topics()}
    if bank.resources:
        files[RESOURCES_FILE] = resources_yaml(bank.resources)
    return files


def to_yaml(bank: Bank) -> str:
    """All topic files (then resources) as one multi-document YAML stream the loader also reads."""
    return "---\n".join(to_yaml_files(bank).values())


class _BankDumper(yaml.SafeDumper):
    """Block style, multi-line text as `|` literals, short lists of scalars inline."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    flow = (
        bool(items) and all(isinstance(i, str) and "\n" not in i for i in items) and (sum(len(i) for i in items) < 60)
    )
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flow)


_BankDumper.add_representer(str, _represent_str)
_BankDumper.add_representer(list, _represent_list)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
