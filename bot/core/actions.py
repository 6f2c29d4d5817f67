"""The ids of the quiz's buttons, ``quiz:<move>:<session>``: written and read here only.

The id is all a platform keeps of a button (Discord's custom id, Slack's action id, the console's
``click`` word), so a press still finds its quiz session after a restart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

PREFIX = "quiz:"
MAX_ID_DIGITS = 18
PATTERN = re.compile(r"^quiz:")  # every quiz button, for a platform's router (a press is then parsed)


class QuizMove(StrEnum):
    """What a quiz button does; also the text subcommands `/quiz hint`, `/quiz got`..."""

    HINT = "hint"
    ANSWER = "answer"
    REVEAL = "reveal"
    GOT = "got"
    PARTLY = "partly"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class QuizAction:
    move: QuizMove
    session_id: int

    def encode(self) -> str:
        return f"{PREFIX}{self.move}:{self.session_id}"

    @classmethod
    def parse(cls, action_id: str) -> QuizAction | None:
        """The action an id names, or None when it is not a well-formed quiz button id."""
        parts = action_id.split(":")
        if len(parts) != 3 or f"{parts[0]}:" != PREFIX or not parts[2].isascii() or not parts[2].isdigit():
            return None
        if len(parts[2]) > MAX_ID_DIGITS:  # no stored session has such an id, and SQLite's integers end at 2**63
            return None
        try:
            move = QuizMove(parts[1])
        except ValueError:
            return None
        return cls(move, int(parts[2]))

    @staticmethod
    def claims(action_id: str) -> bool:
        """Whether the id belongs to the quiz (it may still be malformed or stale: `parse` says)."""
        return action_id.startswith(PREFIX)
