"""The store on real SQLite files: settings, migrations, idempotent writes, a second process, backups."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime

import pytest

from bot.cli import main
from bot.core.records import ChannelConfig, NewAnswer, PeriodKeys
from bot.core.refs import ChannelRef, MemberRef
from bot.core.schedule import Schedule
from bot.storage.database import DatabaseError
from bot.storage.migrations import LATEST_VERSION
from bot.storage.store import SqliteStore
from tests.support.claims import asking

CHANNEL = ChannelRef("test", "g", "c")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def posted(store: SqliteStore) -> int:
    await store.save_channel(ChannelConfig(CHANNEL, Schedule()))
    claim = await store.claim_post(channel=CHANNEL, local_date=date(2026, 11, 23), now=NOW, choose=asking("q", 1))
    await store.confirm_post(
        post_id=claim.post.id, message_id="m0", thread_id="t0", url=None, posted_at=NOW, closes_at=NOW
    )
    return claim.post.id


def no_bonus(rank: int) -> int:
    return 0


def new_answer(post_id: int, message_id: str, member: str, *, points: int = 10) -> NewAnswer:
    return NewAnswer(
        post_id=post_id,
        channel=CHANNEL,
        message_id=message_id,
        member=MemberRef("test", member),
        display_name=member,
        answered_at=NOW,
        streak=1,
        points=points,
        periods=PeriodKeys("2026-W48", "2026-11", 1),
    )


async def test_database_runs_in_wal_with_foreign_keys_and_current_schema(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        assert (await store.db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await store.db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await store.db.fetchone("PRAGMA user_version"))[0] == LATEST_VERSION


async def test_a_day_is_claimed_once_and_a_message_scores_once(tmp_path):
    async with await SqliteStore.open(tmp_path / "s.db") as store:
        post_id = await posted(store)
        again = await store.claim_post(channel=CHANNEL, local_date=date(2026, 11, 23), now=NOW, choose=asking("other"))
        assert not again.created and again.post.question_id == "q"
        first = await store.record_answer(new_answer(post_id, "m1", "ada"), early_bonus=no_bonus)
        duplicate = await store.record_answer(new_answer(post_id, "m1", "ada"), early_bonus=no_bonus)
        second_reply = await store.record_answer(new_answer(post_id, "m2", "ada"), early_bonus=no_bonus)
        assert first is not None and duplicate is None and second_reply is None
        top = await store.top_members(scope=CHANNEL, period="all", period_key="all", limit=5)
        assert [(s.display_name, s.points) for s in top] == [("ada", 10)]


async def test_second_process_sees_the_same_answers_and_cannot_double_claim(tmp_path):
    path = tmp_path / "shared.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        await store.record_answer(new_answer(post_id, "m1", "ada", points=15), early_bonus=no_bonus)
        script = textwrap.dedent(f"""
            import asyncio, datetime
            from bot.storage.store import SqliteStore
            from bot.core.refs import ChannelRef
            from bot.core.ports import Pick
            async def main():
                async with await SqliteStore.open({str(path)!r}) as other:
                    ref = ChannelRef("test", "g", "c")
                    claim = await other.claim_post(channel=ref, local_date=datetime.date(2026, 11, 23),
                        now=datetime.datetime.now(datetime.UTC), choose=lambda cycle, used: Pick("x", 1))
                    top = await other.top_members(scope=ref, period="all", period_key="all", limit=5)
                    print(claim.created, [(s.display_name, s.points) for s in top])
            asyncio.run(main())
        """)
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
        assert result.stdout.strip() == "False [('ada', 15)]", result.stderr


async def test_database_from_a_newer_studybot_is_refused(tmp_path):
    path = tmp_path / "future.db"
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {LATEST_VERSION + 5}")
    with pytest.raises(DatabaseError, match="newer than this studybot"):
        await SqliteStore.open(path)


async def test_backup_copies_a_live_database_and_refuses_to_overwrite(tmp_path, monkeypatch, capsys):
    path = tmp_path / "live.db"
    async with await SqliteStore.open(path) as store:
        post_id = await posted(store)
        await store.record_answer(new_answer(post_id, "m1", "ada"), early_bonus=no_bonus)
        monkeypatch.setenv("STUDYBOT_DATABASE", str(path))
        monkeypatch.delenv("STUDYBOT_CONFIG", raising=False)
        monkeypatch.chdir(tmp_path)
        assert main(["db", "backup", str(tmp_path / "backup.db")]) == 0
        assert main(["db", "backup", str(tmp_path / "backup.db")]) == 2
        assert "already exists" in capsys.readouterr().err
    with sqlite3.connect(tmp_path / "backup.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT member_id FROM answers").fetchall() == [("ada",)]
