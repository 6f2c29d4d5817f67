"""On Slack a card is uploaded with the files API after the text: into the channel for a public answer, into
the member's direct messages for a private one (Slack has no ephemeral files)."""

from __future__ import annotations

import asyncio
import logging

from bot.adapters.slack.manifest import BOT_SCOPES
from bot.core.clock import FixedClock
from bot.pictures import leaderboard_card as board
from bot.pictures import theme
from tests.fakes.slack import FakeSlack
from tests.pictures.looking import decode, shows_text
from tests.slack.helpers import command, outcome, question_posts, running, slack_settings
from tests.slack.test_study_day import ALICE


async def test_the_leaderboard_card_is_shared_in_the_channel_after_the_text(fake: FakeSlack, tmp_path, clock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 tz:UTC days:daily")
        await command(fake, fake.admin, fake.general, "/qotd now")
        [question] = question_posts(fake, fake.general)
        answered = await fake.user_message(fake.general, fake.alice, ALICE, thread_ts=question.ts)
        assert await outcome(bot, "reply", answered) == "scored"

        text = await command(fake, fake.bob, fake.general, "/leaderboard period:all")
        assert text.body["response_type"] == "in_channel" and "Alice: 15 pts" in text.body["text"]
        await fake.wait_for("files.completeUploadExternal")
        [card] = fake.files.shared_in(fake.general.id)
        assert card.filename == "leaderboard.png" and card.mimetype == "image/png"
        assert card.alt_txt == "Leaderboard · this channel · all time: 1. Alice 15 pts"
        assert card.message is not None and card.message.user == fake.team.bot_user_id
        image = decode(card.data or b"")
        middle = board.HEADER + board.ROW / 2
        assert image.size == (theme.WIDTH, board.HEADER + board.ROW + theme.PAD)
        assert shows_text(image, (board.NAME_X, middle), "Alice")
        assert shows_text(image, (board.POINTS_RIGHT, middle), "15 pts", bold=True, anchor="rm")


async def test_the_stats_card_goes_to_the_members_direct_messages(fake: FakeSlack, tmp_path, clock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank):
        text = await command(fake, fake.alice, fake.general, "/stats")
        assert text.body["response_type"] == "ephemeral" and "Points: 0 all time" in text.body["text"]
        await fake.wait_for("files.completeUploadExternal")
        [dm] = [channel for channel in fake.channels.values() if channel.is_im and channel.im_user == fake.alice.id]
        [card] = fake.files.shared_in(dm.id)
        assert fake.files.shared_in(fake.general.id) == []  # nobody else sees it
        assert card.filename == "stats.png" and card.alt_txt.startswith("Stats for Alice: 0 points")
        assert decode(card.data or b"").width == theme.WIDTH


async def test_without_the_files_scope_the_text_still_arrives_and_the_log_says_what_to_add(
    mode: str, tmp_path, clock: FixedClock, bank, caplog
):
    scopes = ",".join(scope for scope in BOT_SCOPES if scope != "files:write")
    async with FakeSlack(mode=mode, start_ts=clock.now().timestamp(), bot_scopes=scopes) as fake:
        settings = slack_settings(fake, tmp_path / "slack.db")
        with caplog.at_level(logging.WARNING, logger="bot"):
            async with running(fake, settings, clock, bank):
                text = await command(fake, fake.alice, fake.general, "/leaderboard")
                assert "No points yet" in text.body["text"]
                await fake.wait_for("files.getUploadURLExternal")
                await _logged(caplog, "card was not shared")
        assert fake.files.files == {}
    assert "missing_scope" in caplog.text and "files:write" in caplog.text


async def _logged(caplog, text: str, timeout: float = 5.0) -> None:
    """Until the bot's log says `text` (the log changes nothing the fake could signal, so this looks every 10 ms)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in caplog.text:
        assert loop.time() < deadline, f"the log never said {text!r}"
        await asyncio.sleep(0.01)
