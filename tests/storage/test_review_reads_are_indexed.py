"""/review, readiness and the weakest-topic weights read review cards through an index, in index order: never a scan
of the cards nor a sort of a member's whole deck, however many cards there are."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.recall import TopicMap
from bot.core.refs import ChannelRef, MemberRef
from bot.core.review_cards import Rating
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.grading import AnswerGrader
from bot.review.fsrs_scheduler import FsrsScheduler
from bot.storage.store import SqliteStore
from tests.support.recording_platform import RecordingPlatform

ADA = MemberRef("test", "ada")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_the_review_queue_readiness_and_channel_recall_never_scan_or_sort_the_cards(tmp_path, bank: Bank):
    path = tmp_path / "studybot.db"
    store = await SqliteStore.open(path)
    group = StudyGroup(
        StudyGroupContext(
            bank=bank,
            store=store,
            platform=RecordingPlatform(),
            grader=AnswerGrader(),
            clock=FixedClock(NOW),
            scheduler=FsrsScheduler(),
        )
    )
    for number, question in enumerate(bank.questions):
        rating = Rating.AGAIN if number % 2 else Rating.GOOD
        await group.reviews.rate(ADA, question.id, rating, at=NOW - timedelta(days=number), key=f"quiz:{number}")

    ran: list[tuple[str, object]] = []
    read = store.db.fetchall

    async def recorded(sql, params=()):  # type: ignore[no-untyped-def]
        ran.append((sql, params))
        return await read(sql, params)

    store.db.fetchall = recorded  # type: ignore[method-assign]
    await group.reviews.queue(ADA)
    await group.reviews.queue(ADA, ["probability"])
    await group.reviews.readiness(ADA)
    curve = FsrsScheduler().forgetting_curve()
    await store.channel_recall(
        channel=ChannelRef("test", "g", "c"), topics=TopicMap.of(bank.questions), now=NOW, curve=curve
    )
    await store.close()

    plain = sqlite3.connect(path)
    card_reads = [(sql, params) for sql, params in ran if "review_cards" in sql]
    assert len(card_reads) >= 4
    for sql, params in card_reads:
        plan = " | ".join(row[3] for row in plain.execute(f"EXPLAIN QUERY PLAN {sql}", params))  # type: ignore[arg-type]
        assert "review_cards USING" in plan or "c USING" in plan, plan
        assert "SCAN review_cards" not in plan and "SCAN c" not in plan, plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
