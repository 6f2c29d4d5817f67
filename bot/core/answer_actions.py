"""The ids of the buttons around a daily answer, ``qotd:<move>:<number>[:<detail>]``: written and read here only.

As with the quiz's, the id is all a platform keeps of a button, so a press still works after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PREFIX = "qotd:"
MAX_DIGITS = 18


class AnswerMove(StrEnum):
    ANSWER = "answer"  # open the private answer form (number: the post); its text is the answer
    CHECK = "check"  # show the self-check (number: the post)
    COVER = "cover"  # toggle "I covered this" (number: the answer; detail: the key point's index)
    RATE = "rate"  # rate oneself (number: the answer; detail: got-it, partly or missed)


@dataclass(frozen=True, slots=True)
class AnswerAction:
    move: AnswerMove
    number: int
    detail: str = ""

    def encode(self) -> str:
        return f"{PREFIX}{self.move}:{self.number}" + (f":{self.detail}" if self.detail else "")

    @classmethod
    def parse(cls, action_id: str) -> AnswerAction | None:
        parts = action_id.split(":")
        if len(parts) not in (3, 4) or f"{parts[0]}:" != PREFIX:
            return None
        number = parts[2]
        if not (number.isascii() and number.isdigit()) or len(number) > MAX_DIGITS:
            return None
        try:
            move = AnswerMove(parts[1])
        except ValueError:
            return None
        return cls(move, int(number), parts[3] if len(parts) == 4 else "")

    @staticmethod
    def claims(action_id: str) -> bool:
        return action_id.startswith(PREFIX)
