"""`studybot db copy`: a group's whole history moves between SQLite and PostgreSQL, either way, checked."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.ports import Store
from bot.core.refs import ChannelRef, MemberRef
from bot.storage.store import SqliteStore
from tests.contracts.conftest import CHANNEL, KEYS, NOW, OTHER_CHANNEL, answer, no_bonus, posted
from tests.support.postgres import Cluster


async def _history(store: Store) -> None:
    """Two channels over three days, answers from three members, a reaction, a best answer, a deletion."""
    for day in range(3):
        for channel in (CHANNEL, OTHER_CHANNEL):
            post = await posted(store, channel, date(2026, 11, 21 + day), thread=f"t-{channel.channel_id}-{day}")
            for member in ("ada", "bo", "cy")[: day + 1]:
                stored = await store.record_answer(
                    answer(post, f"m-{post.id}-{member}", member, at=NOW + timedelta(minutes=len(member) + day)),
                    early_bonus=no_bonus,
                )
                assert stored is not None
    first = await store.answer_by_message(platform="test", message_id="m-1-ada")
    assert first is not None
    await store.set_reaction(
        answer_id=first.id, reactor=MemberRef("test", "bo"), emoji="👍", present=True, bonus_for=lambda n: 2 * n
    )
    await store.set_best_answer(answer_id=first.id, best=True, bonus=5)
    await store.delete_answer(answer_id=first.id + 1)


async def _boards(store: Store, channel: ChannelRef = CHANNEL) -> list[tuple[str, int, int]]:
    top = await store.top_members(scope=channel.server, period="all", period_key="all", limit=10)
    week = await store.top_members(scope=channel, period="week", period_key=KEYS.week, limit=10)
    return [(s.member.user_id, s.points, s.answers) for s in (*top, *week)]


async def test_a_sqlite_history_moves_to_postgresql_and_back_with_the_same_leaderboards(
    tmp_path: Path, postgres_cluster: Cluster, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "group.db"
    async with await SqliteStore.open(source) as store:
        await _history(store)
        boards = await _boards(store)
        posts = await store.posts_with_status("posted")
    target = postgres_cluster.empty_database()  # not even migrated: the copy does that

    assert main(["db", "copy", str(source), target]) == 0
    said = capsys.readouterr().out
    assert "6 posts, 12 answers" in said and "leaderboard totals agree on both sides" in said

    async with await SqliteStore.open(target) as store:
        assert await _boards(store) == boards
        assert [p.id for p in await store.posts_with_status("posted")] == [p.id for p in posts]
        # New rows after the copy take new ids: the day after is posted and answered as usual.
        after = await posted(store, CHANNEL, date(2026, 11, 24), thread="t-after")
        assert after.id == max(p.id for p in posts) + 1
        assert await store.record_answer(answer(after, "m-after", "ada"), early_bonus=no_bonus) is not None

    back = tmp_path / "back.db"
    assert main(["db", "copy", target, str(back)]) == 0
    async with await SqliteStore.open(back) as store:
        assert len(await store.posts_with_status("posted")) == len(posts) + 1


async def test_a_target_that_already_holds_history_is_refused_and_left_as_it_was(
    tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "group.db"
    async with await SqliteStore.open(source) as store:
        await _history(store)
    async with await SqliteStore.open(postgres_url) as store:
        await posted(store, CHANNEL, date(2026, 12, 1), thread="their-own")

    assert main(["db", "copy", str(source), postgres_url]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "already holds history" in said and "copy only into an empty database" in said
    async with await SqliteStore.open(postgres_url) as store:
        assert [p.thread_id for p in await store.posts_with_status("posted")] == ["their-own"]


def test_a_source_that_does_not_exist_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "copy", str(tmp_path / "nowhere.db"), str(tmp_path / "new.db")]) == 2
    assert capsys.readouterr().err == f"studybot: there is no database at {tmp_path / 'nowhere.db'} to copy\n"
    assert not (tmp_path / "new.db").exists()


def test_an_unreachable_postgresql_is_one_line_without_its_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "group.db"
    assert main(["db", "copy", "postgresql://bot:hunter2@127.0.0.1:1/studybot", str(source)]) == 2
    said = capsys.readouterr().err
    assert (
        said.startswith("studybot: cannot open the database postgresql://bot@127.0.0.1:1/studybot")
        and "hunter2" not in said
    )
    assert said.count("\n") == 1


def test_a_url_that_cannot_be_read_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "copy", "postgresql://bot:hunter2@host/db?sslmode", str(tmp_path / "new.db")]) == 2
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and "cannot be read" in said and "hunter2" not in said
