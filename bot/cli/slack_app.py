"""`studybot slack ...`: helpers for operators setting up the Slack app."""

from __future__ import annotations

from typing import Any


def add_parser(commands: Any) -> None:
    commands.add_parser("slack", help="Slack setup helpers")
