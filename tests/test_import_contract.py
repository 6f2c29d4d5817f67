"""The import contract (tools/import_contract.py): what each package under bot/ may import, checked on every module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools import import_contract

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "import_contract.py"


def test_every_import_under_bot_keeps_the_contract() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_reports_each_forbidden_import_with_file_line_and_package(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/core/__init__.py": "",
            "bot/core/rules.py": "import json\nfrom pydantic import BaseModel\n\n\ndef f():\n    import yaml\n",
            "bot/core/usecases/__init__.py": "from .. import rules\nfrom ...storage import db\n",
            "bot/adapters/__init__.py": "",
            "bot/adapters/slack/__init__.py": "",
            "bot/adapters/slack/ui.py": "import slack_sdk\nimport discord\nfrom bot.core.rules import f\n",
            "bot/storage/__init__.py": "",
            "bot/storage/db.py": "import aiosqlite\nfrom bot.adapters.slack import ui\nfrom bot import cli\n",
            "bot/cli/__init__.py": "import discord, yaml\n",
            "bot/plugins/__init__.py": "",
            "bot/pictures/__init__.py": "",
            "bot/pictures/card.py": "from PIL import Image\nimport fontpkg\nfrom bot.core import pictures\n"
            "import discord\n",
            "bot/core/pictures.py": "from PIL import Image\n",
        },
    )
    assert [str(violation) for violation in import_contract.check(root)] == [
        "bot/adapters/slack/ui.py:2 imports discord, which bot.adapters.slack may not import",
        "bot/core/pictures.py:1 imports PIL, which bot.core may not import",
        "bot/core/rules.py:6 imports yaml, which bot.core may not import",
        "bot/core/usecases/__init__.py:2 imports bot.storage.db, which bot.core may not import",
        "bot/pictures/card.py:4 imports discord, which bot.pictures may not import",
        "bot/plugins/__init__.py:1 is in no package of the import contract; add its rule to RULES",
        "bot/storage/db.py:2 imports bot.adapters.slack.ui, which bot.storage may not import",
        "bot/storage/db.py:3 imports bot.cli, which bot.storage may not import",
    ]


def test_the_script_prints_each_violation_and_exits_1(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/__init__.py": "", "bot/core/__init__.py": "import discord\n"})
    done = subprocess.run([sys.executable, str(SCRIPT), str(root)], capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "bot/core/__init__.py:1 imports discord, which bot.core may not import" in done.stdout.splitlines()


def test_the_grader_may_read_maths_with_sympy_but_the_core_may_not(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/core/__init__.py": "",
            "bot/core/grading.py": "import sympy\nfrom bot.grading import grader\n",
            "bot/grading/__init__.py": "",
            "bot/grading/grader.py": "import sympy\nfrom bot.core import grading\nimport discord\nimport bot.app\n",
            "bot/app.py": "from bot.grading.grader import AnswerGrader\n",
        },
    )
    assert [str(violation) for violation in import_contract.check(root)] == [
        "bot/core/grading.py:1 imports sympy, which bot.core may not import",
        "bot/core/grading.py:2 imports bot.grading.grader, which bot.core may not import",
        "bot/grading/grader.py:3 imports discord, which bot.grading may not import",
        "bot/grading/grader.py:4 imports bot.app, which bot.grading may not import",
    ]


def test_only_the_review_package_may_use_fsrs_and_it_may_not_reach_storage(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/core/__init__.py": "",
            "bot/core/reviews.py": "import fsrs\n",
            "bot/review/__init__.py": "import fsrs\nfrom bot.core import reviews\nfrom bot.storage import db\n",
            "bot/storage/__init__.py": "",
            "bot/storage/db.py": "",
        },
    )
    assert [str(violation) for violation in import_contract.check(root)] == [
        "bot/core/reviews.py:1 imports fsrs, which bot.core may not import",
        "bot/review/__init__.py:3 imports bot.storage.db, which bot.review may not import",
    ]
