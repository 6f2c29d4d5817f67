"""`studybot discord ...`: helpers for operators setting up the Discord application."""

from __future__ import annotations

from typing import Any


def add_parser(commands: Any) -> None:
    commands.add_parser("discord", help="Discord setup helpers")
