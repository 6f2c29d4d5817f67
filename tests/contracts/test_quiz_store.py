"""`QuizStore`: a member's quiz sessions, updated field by field."""

from __future__ import annotations

from datetime import timedelta

from bot.core.records import Assessment
from bot.core.refs import MemberRef
from tests.contracts.conftest import CHANNEL, NOW

ADA = MemberRef("test", "ada")


async def test_sessions_start_update_and_the_latest_is_found(store):
    first = await store.start_quiz(member=ADA, server=CHANNEL.server, question_id="q1", now=NOW)
    assert (first.question_id, first.hint_shown, first.revealed, first.assessment) == ("q1", 0, False, None)
    assert first.server == CHANNEL.server and first.started_at == NOW
    later = NOW + timedelta(minutes=1)
    hinted = await store.update_quiz(session_id=first.id, hint_shown=1, now=later)
    assert (hinted.hint_shown, hinted.revealed) == (1, False)
    done = await store.update_quiz(
        session_id=first.id, assessment=Assessment.PARTLY, submitted="7.5", correct=True, revealed=True, now=later
    )
    assert (done.hint_shown, done.revealed, done.assessment, done.submitted, done.correct) == (
        1,
        True,
        Assessment.PARTLY,
        "7.5",
        True,
    )
    assert await store.get_quiz(session_id=first.id) == done
    second = await store.start_quiz(member=ADA, server=CHANNEL.server, question_id="q2", now=later)
    assert await store.latest_quiz(member=ADA) == second
    assert await store.latest_quiz(member=MemberRef("test", "bob")) is None
    assert await store.quizzed_question_ids(member=ADA) == {"q1", "q2"}
