"""Where the built-in question bank lives: the top-level questions/ folder, shipped as the package
`bot.builtin_bank` (see `[tool.setuptools] package-dir` in pyproject.toml)."""

from __future__ import annotations

import logging
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

log = logging.getLogger(__name__)

BUILTIN_PACKAGE = "bot.builtin_bank"


def builtin_bank_path() -> Traversable:
    """The folder of the built-in bank, shipped inside the package as `bot.builtin_bank`."""
    try:
        return resources.files(BUILTIN_PACKAGE)
    except ModuleNotFoundError:
        # Running from a source checkout: its own bot/ shadows the installed mapping of questions/.
        fallback = Path(__file__).resolve().parents[2] / "questions"
        if fallback.is_dir():
            log.debug("reading the built-in bank from the checkout's %s", fallback)
            return fallback
        raise
