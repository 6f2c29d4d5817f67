"""A whole study day on Slack, in Socket Mode and in HTTP mode: setup, the post, answers, reactions,
edits and deletions, and the leaderboard, all through the real adapter and slack-bolt against the fake."""

from __future__ import annotations

from bot.core.clock import FixedClock
from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command, outcome, outcome_of, question_posts, running, slack_settings

ALICE = "Covariance keeps the units of both variables; correlation divides by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free & comparable across pairs."
CAROL = "Covariance depends on the scale; correlation is the covariance of the standardised variables."
DAN = "Correlation is scale-invariant, covariance is not; both only capture linear dependence."


async def test_a_day_in_the_channel(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    carol = fake.add_user("carol", display_name="<!everyone>", join=("general",))
    dan = fake.add_user("dan", display_name="Dan", join=("general",))
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        # a member may not set up the channel; an admin may
        refused = await command(fake, fake.alice, fake.general, "/qotd setup time:09:00 tz:Europe/Berlin")
        assert refused.body["response_type"] == "ephemeral"
        assert "Only moderators can run /qotd setup" in refused.body["text"]
        setup = await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 tz:Europe/Berlin days:daily")
        assert f"Daily question set in <#{fake.general.id}>: 09:00 Europe/Berlin, every day." in setup.body["text"]
        assert setup.body["response_type"] == "ephemeral"

        # /qotd now: a top-level Block Kit post with metadata, and a private confirmation with its link
        confirmation = await command(fake, fake.admin, fake.general, "/qotd now")
        assert confirmation.body["response_type"] == "ephemeral"
        assert confirmation.body["text"].startswith("Posted today's question.")
        [question] = question_posts(fake, fake.general)
        assert question.user == fake.team.bot_user_id and question.thread_ts is None
        assert [block["type"] for block in question.blocks][:2] == ["header", "section"]
        assert question.blocks[0]["text"]["text"].startswith("Question of the day")
        assert any(block["type"] == "context" and " · " in block["elements"][0]["text"] for block in question.blocks)
        assert question.text and question.params["unfurl_links"] is False
        assert question.metadata["event_payload"]["post_key"]
        assert fake.permalink(fake.general.id, question.ts) in confirmation.body["text"]

        # three members answer in the thread: one too short at first, one twice
        alice_ts = await fake.user_message(fake.general, fake.alice, ALICE, thread_ts=question.ts)
        assert await outcome(bot, "reply", alice_ts) == "scored"
        short = await fake.user_message(fake.general, fake.bob, "correlation is scaled", thread_ts=question.ts)
        assert await outcome(bot, "reply", short) == "too-short"
        bob_ts = await fake.user_message(fake.general, fake.bob, BOB, thread_ts=question.ts)
        assert await outcome(bot, "reply", bob_ts) == "scored"
        again = await fake.user_message(fake.general, fake.alice, ALICE + " Also: both are symmetric.", question.ts)
        assert await outcome(bot, "reply", again) == "already-answered"
        carol_ts = await fake.user_message(fake.general, carol, CAROL, thread_ts=question.ts)
        assert await outcome(bot, "reply", carol_ts) == "scored"
        dan_ts = await fake.user_message(fake.general, dan, DAN, thread_ts=question.ts)
        assert await outcome(bot, "reply", dan_ts) == "scored"
        outside = await fake.user_message(fake.general, fake.bob, BOB)  # top level, not in the thread
        assert await outcome(bot, "reply", outside) == "not-in-thread"
        robot = await fake.bot_message(fake.general, "I am another integration with a long enough message")
        assert await outcome(bot, "reply", robot) == "ignored"

        # 👍 from two others (+2 each), not one's own; ✅ counts from an admin only (+15)
        for user, ts, emoji, expected in [
            (fake.bob, alice_ts, "+1", "scored"),
            (carol, alice_ts, "+1::skin-tone-3", "scored"),
            (fake.alice, alice_ts, "+1", "ignored"),
            (fake.alice, bob_ts, "white_check_mark", "ignored"),
            (fake.admin, bob_ts, "white_check_mark", "scored"),
            (fake.bob, alice_ts, "tada", "ignored"),
        ]:
            reaction = await fake.user_react(fake.general, ts, user, emoji)
            assert await outcome_of(bot, reaction) == expected, (user.name, emoji)
        taken_back = await fake.user_unreact(fake.general, alice_ts, carol, "+1::skin-tone-3")
        assert await outcome_of(bot, taken_back) == "scored"
        given_again = await fake.user_react(fake.general, alice_ts, carol, "+1")
        assert await outcome_of(bot, given_again) == "scored"

        # an edit keeps the score; a deletion takes it away
        edited = await fake.user_edit(fake.general, alice_ts, ALICE + " (edited)")
        assert await outcome(bot, "edit", edited) == "unchanged"
        deleted = await fake.user_delete(fake.general, dan_ts)
        assert await outcome(bot, "delete", deleted) == "removed"

        board = await command(fake, fake.alice, fake.general, "/leaderboard period:all")
        assert board.body["response_type"] == "in_channel"
        lines = board.body["text"].splitlines()
        assert lines[0] == "*Leaderboard · this channel · all time*"
        assert lines[1:4] == [
            "🥇 Bob: 28 pts (1 answer)",  # 10 + 3 (second) + 15 (best answer)
            "🥈 Alice: 19 pts (1 answer)",  # 10 + 5 (first) + 2 × 2 (upvotes)
            "🥉 &lt;!everyone&gt;: 11 pts (1 answer)",  # a display name never pings
        ]
        assert "Dan" not in board.body["text"] and "<!" not in str(board.body)

        stats = await command(fake, fake.alice, fake.general, "/stats")
        assert stats.body["response_type"] == "ephemeral"
        assert f"*Stats for <@{fake.alice.id}>*" in stats.body["text"] and "Points: 19 all time" in stats.body["text"]

        looked_up = [call.params["user"] for call in fake.calls_to("users.info")]
        assert sorted(looked_up) == sorted(set(looked_up))  # each member once (cached), and no bot lookups

        twice = await command(fake, fake.admin, fake.general, "/qotd now")
        assert twice.body["text"].startswith("Today's question is already posted.")
        assert len(question_posts(fake, fake.general)) == 1
