"""Private answers on Slack: the post's Answer button opens a modal, each member's answer goes to them alone until
the close, then the answers appear in the thread, escaped and without a mention, and score reactions."""

from __future__ import annotations

import pytest

from bot.adapters.slack.manifest import manifest
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.conftest import make_question
from tests.fakes.slack import FakeSlack
from tests.fakes.slack.state import ResponseUrlPost
from tests.slack.helpers import (
    T,
    answer_to,
    buttons,
    click_ephemeral,
    command,
    outcome,
    outcome_of,
    question_posts,
    running,
    slack_settings,
    stored_id,
)

KEY_POINTS = ("Covariance has units; correlation has none.", "Correlation lies within [-1, 1].")


@pytest.fixture
def bank() -> Bank:
    return Bank.of([make_question("covariance-vs-correlation", key_points=KEY_POINTS)])


ALICE = "Covariance keeps the units of both variables; correlation divides by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free & comparable across pairs."
BOB_AGAIN = "Correlation is covariance over both standard deviations: unit-free, always within [-1, 1]."
CAROL = "Covariance depends on the scale; correlation is <@U0ALICE001>'s standardised covariance <!channel>"


async def _answer(fake: FakeSlack, user, post_ts: str, text: str):
    """Click Answer on the post, then send `text` in the modal it opens; the modal and what the member was told."""
    post = next(m for m in question_posts(fake, fake.general) if m.ts == post_ts)
    button = next(
        e for b in post.blocks if b["type"] == "actions" for e in b["elements"] if e["text"]["text"] == "Answer"
    )
    views, told = len(fake.views), len(fake.ephemerals)
    await fake.click_button(user, fake.general, post_ts, button["action_id"])
    await fake.wait_until(lambda: len(fake.views) > views, T, what="the answer modal")
    modal = fake.views[-1]
    await fake.submit_view(user, modal.id, {"value": text})
    await fake.wait_until(lambda: len(fake.ephemerals) > told, T, what="the answer's confirmation")
    return modal, fake.ephemerals[-1]


async def test_private_answers_until_the_reveal(fake: FakeSlack, tmp_path, clock: FixedClock, bank) -> None:
    carol = fake.add_user("carol", display_name="Carol <b>", join=("general",))
    async with running(fake, slack_settings(fake, tmp_path / "slack.db"), clock, bank) as bot:
        setup = await command(fake, fake.admin, fake.general, "/qotd setup time:09:00 days:daily answers:private")
        assert "Answers are private until the question closes." in setup.body["text"]
        await command(fake, fake.admin, fake.general, "/qotd now")
        [post] = question_posts(fake, fake.general)
        assert "Press Answer to answer privately" in str(post.blocks)

        for user, text in ((fake.alice, ALICE), (fake.bob, BOB), (carol, CAROL)):
            modal, told = await _answer(fake, user, post.ts, text)
            assert told.user == user.id and "Your answer is saved" in told.text
            assert KEY_POINTS[0] in told.text  # the self-check follows the first answer
            if user is fake.alice:  # she ticks the first key point
                shown = ResponseUrlPost("", {"text": told.text, "blocks": told.blocks}, {})
                assert list(buttons(shown))[1:] == ["I covered 1", "I covered 2", "Got it", "Partly", "Missed"]
                ticked = await answer_to(fake, await click_ephemeral(fake, user, fake.general, shown, "I covered 1"))
                assert f"☑ 1. {KEY_POINTS[0]}" in ticked.body["text"]
        modal, told = await _answer(fake, fake.bob, post.ts, BOB_AGAIN)
        assert modal.view["blocks"][0]["element"]["initial_value"] == BOB  # his own answer, to change
        assert "Your answer is changed" in told.text

        talk = await fake.user_message(fake.general, fake.alice, "Is the bound Cauchy-Schwarz?", thread_ts=post.ts)
        assert await outcome(bot, "reply", talk) == "ignored"  # the thread is for discussion

        answers = {fake.alice.id: ALICE, fake.bob.id: BOB + BOB_AGAIN, carol.id: CAROL}
        for user_id in answers:  # everything each member was shown holds no one else's answer
            shown = [e.text for e in fake.ephemerals if e.user == user_id]
            shown += [str(v.view) for v in fake.views if v.user_id == user_id]
            for other, text in answers.items():
                if other != user_id:
                    assert not any(part in seen for part in text.split(";")[:1] for seen in shown)
        public = " ".join(m.text for m in fake.messages_in(fake.general, include_replies=True))
        assert "Covariance keeps the units" not in public and "unit-free" not in public

        clock.advance(hours=49)
        await bot.sweep()
        replies = [m for m in fake.messages_in(fake.general, include_replies=True) if m.thread_ts == post.ts]
        shown = [m for m in replies if m.user == fake.team.bot_user_id]
        assert [m.text.split(" answered:")[0] for m in shown[:3]] == ["*Alice*", "*Bob*", "*Carol &lt;b&gt;*"]
        assert "always within" in shown[1].text and "so it is unit-free" not in shown[1].text
        assert "<@" not in shown[2].text and "<!" not in shown[2].text  # escaped: no mention, no ping
        assert shown[3].text.startswith("*Answers are closed for")
        assert f"• {KEY_POINTS[0]}: 1 of 1" in shown[3].text

        upvote = await fake.user_react(fake.general, shown[1].ts, carol, "+1")
        assert await outcome_of(bot, upvote) == "scored"
        for ts in (shown[0].ts, shown[2].ts):  # a second best answer moves the +15
            mark = await fake.user_react(fake.general, ts, fake.admin, "white_check_mark")
            assert await outcome_of(bot, mark) == "scored"
        points = [
            (await bot.store.answer_by_message(platform="slack", message_id=stored_id(fake, fake.general, m.ts)))
            for m in shown[:3]
        ]
        assert [answer.points for answer in points if answer] == [15, 13 + 2, 11 + 15]

        # a moderator's Off topic shortcut on a revealed answer: out of scoring, its author told why
        marked = await fake.message_shortcut(fake.admin, fake.general, shown[0].ts, "studybot_off_topic")
        done = await answer_to(fake, marked)
        assert done.body["text"] == "Marked off topic; its author was told why."
        assert await outcome(bot, "shortcut", shown[0].ts) == "removed"
        removed = await bot.store.answer_by_message(
            platform="slack", message_id=stored_id(fake, fake.general, shown[0].ts)
        )
        assert removed is not None and removed.deleted
        assert any(e.user == fake.alice.id and "off topic, so it no longer scores" in e.text for e in fake.ephemerals)
        refused = await answer_to(
            fake, await fake.message_shortcut(fake.bob, fake.general, shown[1].ts, "studybot_needs_more")
        )
        assert refused.body["text"] == "Only a moderator can mark an answer needs more."


def test_the_manifest_offers_the_marks_as_message_shortcuts() -> None:
    shortcuts = manifest()["features"]["shortcuts"]
    assert [(s["name"], s["type"], s["callback_id"]) for s in shortcuts] == [
        ("Needs more", "message", "studybot_needs_more"),
        ("Off topic", "message", "studybot_off_topic"),
    ]
    assert all(len(s["description"]) <= 80 for s in shortcuts)  # Slack's limit
