"""Quiz button ids: what `encode` writes `parse` reads back, and anything else is refused."""

from __future__ import annotations

import pytest

from bot.core.actions import QuizAction, QuizMove


@pytest.mark.parametrize("move", list(QuizMove))
def test_an_id_reads_back_as_the_action_it_was_made_from(move: QuizMove) -> None:
    action = QuizAction(move, 42)
    assert action.encode() == f"quiz:{move.value}:42"
    assert QuizAction.parse(action.encode()) == action
    assert QuizAction.claims(action.encode())


@pytest.mark.parametrize(
    "malformed",
    [
        "",
        "quiz",
        "quiz:",
        "quiz:hint",
        "quiz:hint:",
        "quiz:hint:x",
        "quiz:hint:-1",
        "quiz:hint:١",
        "quiz:dance:3",
        "quiz:answer:3:ask",
        "qotd:hint:3",
        "QUIZ:hint:3",
        "quiz:Hint:3",
    ],
)
def test_a_malformed_id_is_refused(malformed: str) -> None:
    assert QuizAction.parse(malformed) is None


def test_only_quiz_ids_are_claimed() -> None:
    assert QuizAction.claims("quiz:stale") and not QuizAction.claims("studybot_input")


def test_a_session_id_past_sqlites_integers_is_not_a_quiz_action() -> None:
    assert QuizAction.parse("quiz:hint:" + "9" * 30) is None
    assert QuizAction.parse("quiz:hint:" + "9" * 18) is not None
