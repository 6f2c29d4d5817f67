"""A full disk under the console's database: the console says so and goes on, keeps the answers and reactions
typed meanwhile, and stores and scores them by itself, in order, once there is room."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.refs import ChannelRef
from bot.storage.store import SqliteStore
from tests.support.console_driver import console_app
from tests.support.full_disk import full_disk

ADA = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
CYD = "Covariance depends on the units; correlation is the covariance of the standardised variables."


async def test_lines_typed_while_the_disk_is_full_are_kept_and_scored_in_order_once_there_is_room(
    tmp_path, clock: FixedClock, bank: Bank, caplog: pytest.LogCaptureFixture
) -> None:
    with full_disk(tmp_path, "tmpfs") as disk, caplog.at_level(logging.WARNING):
        async with console_app(disk.database, clock, bank) as (app, keyboard):
            assert app.store is not None
            await keyboard.type("/qotd setup time:09:00 days:daily", expect="Daily question set")
            await keyboard.type("/qotd now", expect="Posted today's question.")
            await keyboard.type("@ada")
            await keyboard.type(f"> {ADA}", expect="(scored: 15 points)")

            await disk.fill(app.store.db)
            await keyboard.type("@bob")
            kept = await keyboard.type(f"> {BOB}", expect="your answer is kept and will count once there is room")
            assert not any("scored" in line for line in kept)
            await keyboard.type("react 2 👍", expect="your reaction is kept and will count once there is room")
            await keyboard.type("@cyd")
            await keyboard.type(f"> {CYD}", expect="your answer is kept")
            await keyboard.type("@you")
            await keyboard.type("/qotd setup time:10:00", expect="The disk is full, so /qotd setup could not be saved")
            board = await keyboard.type("/leaderboard period:all", expect="ada: 15 pts")  # reads still work
            assert not any("bob" in line for line in board)

            await disk.make_room(app.store.db)
            late = await keyboard.expect("(kept answer stored: scored: 11 points)")  # by itself: nothing typed since
            text = "\n".join(late)
            assert text.index("scored: 13 points") < text.index("(kept reaction stored: answer 2 now has 17 points)")
            assert text.index("answer 2 now has 17 points") < text.index("scored: 11 points")
            assert f"bob: {BOB}" in text and f"cyd: {CYD}" in text

            board = await keyboard.type("/leaderboard period:all", expect="🥉")
            assert board[board.index("Leaderboard · this channel · all time") + 1 :][:3] == [
                "  🥇 ada: 17 pts (1 answer)",
                "  🥈 bob: 13 pts (1 answer)",
                "  🥉 cyd: 11 pts (1 answer)",
            ]
            assert len(app.group.kept) == 0
    full = [record for record in caplog.records if "is full" in record.getMessage()]
    room = [record for record in caplog.records if "room again" in record.getMessage()]
    assert len(full) == 1 and str(disk.database) in full[0].getMessage()
    assert len(room) == 1 and "3 kept event(s) stored" in room[0].getMessage()
    assert not [record for record in caplog.records if record.exc_info]  # no traceback anywhere


async def test_closing_while_the_disk_is_full_tries_once_more_and_says_how_many_are_lost(
    tmp_path, clock: FixedClock, bank: Bank, caplog: pytest.LogCaptureFixture
) -> None:
    with full_disk(tmp_path, "tmpfs") as disk, caplog.at_level(logging.WARNING):
        async with console_app(disk.database, clock, bank, retry_every=60) as (app, keyboard):
            assert app.store is not None
            await keyboard.type("/qotd setup time:09:00 days:daily", expect="Daily question set")
            await keyboard.type("/qotd now", expect="Posted today's question.")
            await disk.fill(app.store.db)
            await keyboard.type("@ada")
            await keyboard.type(f"> {ADA}", expect="your answer is kept")
        assert "1 kept answer(s), edit(s) or reaction(s) were not stored and are lost" in caplog.text

        caplog.clear()
        async with console_app(disk.database, clock, bank, retry_every=60) as (app, keyboard):
            assert app.store is not None
            await keyboard.type("@bob")
            await disk.fill(app.store.db)
            await keyboard.type(f"> {BOB}", expect="your answer is kept")
            await disk.make_room(app.store.db)  # and close at once: the retry every minute never ran
        assert "lost" not in caplog.text and "1 kept event(s) stored" in caplog.text
        async with console_app(disk.database, clock, bank) as (app, keyboard):
            board = await keyboard.type("/leaderboard period:all", expect="pts")
            assert "  🥇 bob: 15 pts (1 answer)" in board


async def test_on_a_nearly_full_disk_what_fits_is_stored_and_the_rest_follows_in_order(
    tmp_path, clock: FixedClock, bank: Bank
) -> None:
    """SQLite's page limit leaves room in the pages already there: some answers fit, the first that does not is
    kept, and every later one waits behind it, so the ranks still follow the order they were typed in."""
    members = [f"m{number:02d}" for number in range(40)]
    with full_disk(tmp_path, "page-limit") as disk:
        async with console_app(disk.database, clock, bank) as (app, keyboard):
            assert app.store is not None
            await keyboard.type("/qotd setup time:09:00 days:daily", expect="Daily question set")
            await keyboard.type("/qotd now", expect="Posted today's question.")
            await disk.fill(app.store.db)
            kept = []
            for number, member in enumerate(members):
                await keyboard.type(f"@{member}")
                said = await keyboard.type(f"> {member}: {ADA}", expect="    (")
                if any("your answer is kept" in line for line in said):
                    kept.append(number)
            assert kept and kept == list(range(kept[0], len(members)))  # once one is kept, the rest wait behind
            await disk.make_room(app.store.db)
            async with asyncio.timeout(5):
                while app.group.kept:
                    await asyncio.sleep(0.01)
    async with await SqliteStore.open(disk.database) as store:
        post = await store.latest_post(channel=ChannelRef("console", "local", "study"))
        assert post is not None
        answers = await store.answers_for_post(post_id=post.id)
    assert [answer.member.user_id for answer, _ in answers] == members  # every one, ranked in the order typed
