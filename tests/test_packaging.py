"""The installed package carries every module and the built-in bank."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_under_bot_is_listed_for_installation():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "bot").rglob("__init__.py")}
    assert on_disk - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "bot.builtin_bank" in listed


def test_readme_test_command_uses_its_own_venv_and_is_what_ci_runs():
    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Running the tests", 1)[1]
    command = section.split("```sh\n", 1)[1].split("\n", 1)[0]
    assert "-m venv .venv" in command and ".venv/bin/pip" in command and ".venv/bin/python -m pytest" in command
    ci = (root / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in ci, "CI must run the README's test command exactly"
