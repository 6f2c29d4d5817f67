"""What the core answers to a command or action, before a platform renders it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.core.pictures import Attachment
from bot.core.ports import QuestionCard


class ActionStyle(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SUCCESS = "success"
    DANGER = "danger"


@dataclass(frozen=True, slots=True)
class Action:
    """A button. `needs_input` asks the platform for a line of text first (a modal on Discord and Slack)."""

    id: str
    label: str
    style: ActionStyle = ActionStyle.SECONDARY
    needs_input: bool = False
    input_label: str = ""


@dataclass(frozen=True, slots=True)
class Response:
    """`text` is complete on its own; `attachment` is a picture of some of it, sent beside it where it can be."""

    text: str
    private: bool = True
    card: QuestionCard | None = None
    actions: tuple[Action, ...] = field(default=())
    link: str | None = None
    ok: bool = True
    attachment: Attachment | None = None


def error(text: str) -> Response:
    return Response(text=text, private=True, ok=False)
