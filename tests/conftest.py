from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.questions import Answer, Question, Source
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.store import SqliteStore
from tests.support import postgres
from tests.support.postgres import Cluster
from tests.support.recording_platform import RecordingPlatform


def make_question(qid: str, topic: str = "statistics", difficulty: str = "easy", **extra: object) -> Question:
    return Question(
        id=qid,
        topic=topic,
        difficulty=difficulty,
        title=qid.replace("-", " ").title(),
        prompt=f"Explain {qid}.",
        sources=(Source(document="test", item=1),),
        **extra,
    )


@pytest.fixture
def bank() -> Bank:
    return Bank.of(
        [
            make_question("covariance-vs-correlation", key_points=("Covariance has units.",)),
            make_question("p-value"),
            make_question("bias-variance", topic="classical-ml", difficulty="medium"),
            make_question(
                "clock-hands",
                topic="probability",
                hints=("The hour hand moves too.",),
                answer=Answer(
                    value=7.5, tolerance=0.01, unit="degrees", accepted=("15/2",), explanation="90 − 82.5 = 7.5"
                ),
            ),
            make_question(
                "unfair-coin",
                topic="probability",
                difficulty="hard",
                answer=Answer(value=32 / 33, tolerance=0.0005, accepted=("32/33",), explanation="Bayes"),
            ),
        ]
    )


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))


@pytest.fixture
async def store(tmp_path):  # type: ignore[no-untyped-def]
    opened = await SqliteStore.open(tmp_path / "studybot.db")
    yield opened
    await opened.close()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster | None]:
    """One throwaway PostgreSQL cluster for the whole run, started by the first test that asks for it."""
    with postgres.cluster() as running:
        yield running


@pytest.fixture
def postgres_url(postgres_cluster: Cluster | None) -> str:
    """A fresh, migrated, empty PostgreSQL database for one test. Skipped where PostgreSQL is not installed,
    except in CI, where a missing PostgreSQL fails the run instead of hiding its tests."""
    if postgres_cluster is None:
        if os.environ.get("CI") == "true":
            pytest.fail(postgres.HOW_TO_RUN.replace("tests skipped", "tests cannot run in CI"))
        pytest.skip(postgres.HOW_TO_RUN)
    return postgres_cluster.fresh_database()


@pytest.fixture
def platform() -> RecordingPlatform:
    return RecordingPlatform()


@pytest.fixture
def group(bank: Bank, store: SqliteStore, platform: RecordingPlatform, clock: FixedClock) -> StudyGroup:
    return StudyGroup(
        StudyGroupContext(
            bank=bank, store=store, platform=platform, grader=AnswerGrader(), clock=clock, scheduler=FsrsScheduler()
        )
    )


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never reach the internet: any connection to an address off this machine fails loudly."""
    import ipaddress
    import socket

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def check(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if host is None:
            return  # unix sockets
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ConnectionRefusedError(f"tests may only connect to loopback, not {host}")

    def connect(self: socket.socket, address: object) -> None:
        check(address)
        real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        check(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
