"""The minute's due reminders are found through the index on their next instant, not by reading every member's."""

from __future__ import annotations

from bot.storage.reminders import _DUE
from bot.storage.store import SqliteStore


async def test_due_reminders_search_the_index_on_the_next_instant(tmp_path):
    async with await SqliteStore.open(tmp_path / "plan.db") as store:
        plan = await store.db.fetchall(
            f"EXPLAIN QUERY PLAN {_DUE}", {"platform": "discord", "now": "2027", "ids": "[]", "limit": 1000}
        )
    steps = [row[3] for row in plan]
    assert any("review_reminders USING INDEX review_reminders_by_next" in step for step in steps), steps
    assert not any(step.startswith("SCAN review_") for step in steps), steps
