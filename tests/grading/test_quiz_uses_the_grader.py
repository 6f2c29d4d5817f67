"""The quiz grades typed answers with the same grader as `studybot bank grade`, off the event loop."""

from __future__ import annotations

import asyncio
import threading

import pytest

from bot.banks.loading import load_bank
from bot.core.bank import Bank
from bot.core.grading import Grade
from bot.core.questions import Answer
from bot.core.refs import Actor
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from tests.core.test_daily_loop import CHANNEL, member, run

SHIPPED = load_bank(())


@pytest.fixture
def bank() -> Bank:
    return Bank.of([question for question in SHIPPED.questions if question.id == "self-attention-complexity"])


async def test_a_quiz_accepts_the_bound_however_it_is_written_and_says_why_a_wrong_one_is_wrong(group, bank):  # type: ignore[no-untyped-def]
    ada = Actor(member("ada"), CHANNEL)
    card = await run(group, ada, "/quiz")
    assert bank.questions[0].title in card.text
    assert (await run(group, ada, "/quiz answer O(n²)")).text.startswith("✅ Right!")
    assert (await run(group, ada, "/quiz answer It is O(n^2 · d)")).text.startswith("✅ Right!")
    wrong = await run(group, ada, "/quiz answer O(n d²)")
    assert wrong.text.startswith("❌ Not quite: the answer is O(n²·d).\nYour answer says O(d^2*n), but the answer is")


class WaitingGrader:
    """A grader that can only finish once the event loop has run something else: it proves grading is off it."""

    def __init__(self) -> None:
        self.released = threading.Event()
        self.loop_ran_meanwhile: bool | None = None

    def grade(self, answer: Answer, submitted: str) -> Grade:
        self.loop_ran_meanwhile = self.released.wait(timeout=2)
        return AnswerGrader().grade(answer, submitted)


async def test_grading_runs_off_the_event_loop_so_other_members_are_not_kept_waiting(bank, store, platform, clock):  # type: ignore[no-untyped-def]
    grader = WaitingGrader()
    group = StudyGroup(StudyGroupContext(bank=bank, store=store, platform=platform, grader=grader, clock=clock))
    ada = Actor(member("ada"), CHANNEL)
    await run(group, ada, "/quiz")

    async def another_member_meanwhile() -> None:
        await asyncio.sleep(0.01)
        grader.released.set()

    answered, _ = await asyncio.gather(run(group, ada, "/quiz answer quadratic"), another_member_meanwhile())
    assert grader.loop_ran_meanwhile is True
    assert answered.text.startswith("✅ Right!")
