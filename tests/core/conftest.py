from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.bank.bank import Bank
from bot.core.clock import FixedClock
from bot.core.questions import Answer, Question, Source
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.storage.store import SqliteStore
from tests.support.recording_platform import RecordingPlatform


def make_question(qid: str, topic: str = "statistics", difficulty: str = "easy", **extra: object) -> Question:
    return Question(id=qid, topic=topic, difficulty=difficulty, title=qid.replace("-", " ").title(),
                    prompt=f"Explain {qid}.", sources=(Source(document="test", item=1),), **extra)


@pytest.fixture
def bank() -> Bank:
    return Bank.of([
        make_question("covariance-vs-correlation", key_points=("Covariance has units.",)),
        make_question("p-value"),
        make_question("bias-variance", topic="classical-ml", difficulty="medium"),
        make_question("clock-hands", topic="probability", hints=("The hour hand moves too.",),
                      answer=Answer(value=7.5, tolerance=0.01, unit="degrees", accepted=("15/2",),
                                    explanation="90 − 82.5 = 7.5")),
        make_question("unfair-coin", topic="probability", difficulty="hard",
                      answer=Answer(value=32 / 33, tolerance=0.0005, accepted=("32/33",), explanation="Bayes")),
    ])


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))


@pytest.fixture
async def store(tmp_path):  # type: ignore[no-untyped-def]
    opened = await SqliteStore.open(tmp_path / "studybot.db")
    yield opened
    await opened.close()


@pytest.fixture
def platform() -> RecordingPlatform:
    return RecordingPlatform()


@pytest.fixture
def group(bank: Bank, store: SqliteStore, platform: RecordingPlatform, clock: FixedClock) -> StudyGroup:
    return StudyGroup(StudyGroupContext(bank=bank, store=store, platform=platform, clock=clock))
