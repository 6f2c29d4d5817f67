"""The scheduled post and the fan-out to many channels: exactly one post each, through 429s, and a
channel the bot is not in is reported and skipped while the others get their question."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.core.clock import FixedClock
from bot.core.usecases.daily import Outcome
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, question_posts, running, slack_settings


async def test_the_scheduled_post_goes_out_once_at_its_time(fake: FakeSlack, tmp_path, clock: FixedClock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:30 tz:Europe/Berlin days:daily")
        clock.set(datetime(2026, 11, 23, 8, 29, tzinfo=UTC))  # 09:29 in Berlin
        assert await bot.sweep() == []
        assert question_posts(fake, fake.general) == []
        clock.set(datetime(2026, 11, 23, 8, 30, 5, tzinfo=UTC))
        [result] = await bot.sweep()
        assert result.outcome is Outcome.POSTED
        clock.advance(minutes=1)
        assert await bot.sweep() == []  # the next sweep finds it posted
        [question] = question_posts(fake, fake.general)
        assert question.blocks[0]["text"]["text"] == "Question of the day · Mon 23 Nov"
        status = await command(fake, fake.bob, fake.general, "/qotd status")
        assert "Today's question:" in status.body["text"] and fake.permalink(fake.general.id, question.ts) in str(
            status.body
        )
        # 48 hours later the question closes with its key points posted in the thread, once
        clock.advance(hours=48)
        await bot.sweep()
        await bot.sweep()
        summaries = [m for m in fake.thread(fake.general, question.ts)[1:] if m.user == fake.team.bot_user_id]
        assert len(summaries) == 1 and summaries[0].text.startswith("*Answers are closed for")


async def test_fan_out_waits_out_429s_and_skips_a_channel_it_is_not_in(
    fake: FakeSlack, tmp_path, clock: FixedClock, bank, caplog
) -> None:
    study = fake.add_channel("ml-study", members=[fake.admin.id, fake.alice.id], bot_member=True)
    channels = [fake.general, fake.private, study]
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        for channel in [*channels, fake.random]:
            setup = await command(fake, fake.admin, channel, "/qotd setup time:09:00 tz:UTC days:daily")
            assert setup.body["text"].startswith("Daily question set")
        assert "I'm not in <#C0RANDOM01> yet: invite me with /invite @studybot" in setup.body["text"]
        fake.rate_limit("chat.postMessage", times=2, retry_after=1)
        clock.set(datetime(2026, 11, 23, 9, 0, 30, tzinfo=UTC))
        with caplog.at_level(logging.WARNING):
            results = await bot.sweep()
        assert sorted(result.outcome for result in results) == ["posted", "posted", "posted", "unavailable"]
        for channel in channels:
            assert len(question_posts(fake, channel)) == 1, channel.name
        assert question_posts(fake, fake.random) == []
        errors = sorted(str(call.error) for call in fake.calls_to("chat.postMessage"))
        assert errors == ["None"] * 3 + ["not_in_channel"] + ["ratelimited"] * 2
        assert any("C0RANDOM01" in r.getMessage() and "not_in_channel" in r.getMessage() for r in caplog.records)
        # invited later, the channel gets its question on the next sweep; the others are not posted again
        fake.add_bot_to(fake.random)
        clock.advance(minutes=1)
        [late] = await bot.sweep()
        assert late.outcome is Outcome.POSTED and late.post.channel.channel_id == fake.random.id
        assert [len(question_posts(fake, channel)) for channel in [*channels, fake.random]] == [1, 1, 1, 1]


async def test_setup_for_another_channel(fake: FakeSlack, tmp_path, clock: FixedClock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        picked = f"channel:<#{fake.private.id}|study-private>"
        setup = await command(fake, fake.admin, fake.general, f"/qotd setup {picked} time:10:00 tz:UTC")
        assert setup.body["text"] == f"Daily question set in <#{fake.private.id}>: 10:00 UTC, every day."
        config = await bot.store.get_channel(bot.platform.channel(fake.private.id))
        assert config is not None and config.name == "study-private"
        assert await bot.store.get_channel(bot.platform.channel(fake.general.id)) is None
        now = await command(fake, fake.admin, fake.general, f"/qotd now {picked}")
        assert now.body["text"].startswith("Posted today's question.")
        assert len(question_posts(fake, fake.private)) == 1 and question_posts(fake, fake.general) == []
        vague = await command(fake, fake.admin, fake.general, "/qotd setup channel:study time:10:00")
        assert "pick the channel from the list" in vague.body["text"]


async def test_setup_refuses_typos_and_stray_words_and_changes_nothing(fake: FakeSlack, tmp_path, clock, bank):
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        await command(fake, fake.admin, fake.general, "/qotd setup time:09:00")
        typo = await command(fake, fake.admin, fake.general, "/qotd setup tme:10:00")
        assert (
            typo.body["text"].startswith("/qotd setup has no option 'tme:'")
            and "Did you mean time:?" in typo.body["text"]
        )
        stray = await command(fake, fake.admin, fake.general, f"/qotd setup <#{fake.private.id}|other> time:10:15")
        assert f"does not understand '<#{fake.private.id}|other>'" in stray.body["text"]
        assert f"write channel:<#{fake.private.id}|other>" in stray.body["text"]
        config = await bot.store.get_channel(bot.platform.channel(fake.general.id))
        assert config is not None and f"{config.schedule.at:%H:%M}" == "09:00"
        assert await bot.store.get_channel(bot.platform.channel(fake.private.id)) is None
