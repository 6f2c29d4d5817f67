"""A day in a channel that takes answers privately: nobody reads another's answer before the close, the reveal
shows them all in the thread, and reactions on the revealed answers score as on thread answers."""

from __future__ import annotations

import re

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.refs import MemberRef
from bot.core.review_cards import Rating
from tests.conftest import make_question
from tests.support.console_driver import console_app

KEY_POINTS = ("Covariance has units; correlation has none.", "Correlation lies within [-1, 1].")


@pytest.fixture
def bank() -> Bank:
    return Bank.of([make_question("covariance-vs-correlation", key_points=KEY_POINTS)])


ADA = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
BOB_AGAIN = "Correlation is covariance over both standard deviations: unit-free, always within [-1, 1]."
CYD = "Covariance depends on the units; correlation is the covariance of the standardised variables @everyone"


async def test_three_private_answers_stay_private_until_the_reveal(tmp_path, clock: FixedClock, bank: Bank) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (app, keyboard):
        setup = await keyboard.type("/qotd setup time:09:00 days:daily answers:private", expect="Daily question set")
        assert any("Answers are private until the question closes." in line for line in setup)
        posted = await keyboard.type("/qotd now", expect="Posted today's question")
        assert any("Press Answer to answer privately" in line for line in posted)
        assert any("answer privately with: /answer" in line for line in posted)

        sent: dict[str, list[str]] = {}
        for name, text in (("ada", ADA), ("bob", BOB), ("cyd", CYD)):
            await keyboard.type(f"@{name}", expect=f"you are now @{name}")
            sent[name] = await keyboard.type(f"/answer {text}", expect="Your answer is saved")
        assert "(only you see this) Your answer is saved: 15 points." in sent["ada"][0]
        assert f"  ☐ 1. {KEY_POINTS[0]}" in sent["ada"] and "[qotd:cover:1:0] I covered 1" in sent["ada"][-1]
        checked = await keyboard.type("click qotd:cover:1:0", expect="How did you do?")  # cyd, the last to answer
        assert f"  ☑ 1. {KEY_POINTS[0]}" in checked and f"  ☐ 2. {KEY_POINTS[1]}" in checked
        await keyboard.type("click qotd:rate:1:missed", expect="Noted: missed.")
        assert "Your answer is saved: 13 points." in sent["bob"][0]
        await keyboard.type("@bob", expect="you are now @bob")
        sent["bob"] += await keyboard.type(f"/answer {BOB_AGAIN}", expect="Your answer is changed.")
        sent["bob"] += await keyboard.type("/answer too short now", expect="does not count until")
        sent["bob"] += await keyboard.type(f"/answer {BOB_AGAIN}", expect="Your answer is changed.")
        discussion = await keyboard.type("> does anyone know where the [-1, 1] bound comes from?", expect="private")
        assert any("answers here are private: press Answer" in line for line in discussion)
        await keyboard.type("@dan", expect="you are now @dan")  # who has not answered
        talk = await keyboard.type("> me neither, good question", expect="private")
        [talk_id] = [m.group(1) for line in talk if (m := re.match(r"\[#study › 1 \| (\d+)\] dan:", line))]
        edited = await keyboard.type(f"edit {talk_id} It is Cauchy-Schwarz: |cov| <= sd(x) sd(y)", expect="edited")
        assert not any("now scored" in line for line in edited)  # an edit in the thread is still discussion

        before_close = "\n".join(keyboard.output)
        for text in (ADA, BOB, BOB_AGAIN, CYD):
            assert text not in before_close  # nobody, the author included, was shown an answer before the close

        clock.advance(hours=49)
        await app.group.daily.close_expired(app.adapter.style)
        await keyboard.type("@you", expect="you are now @you")
        after = "\n".join(keyboard.output)
        revealed = re.findall(r"^\[#study › 1 \| (\d+)\] studybot: (\w+) answered:", after, re.MULTILINE)
        assert [name for _, name in revealed] == ["ada", "bob", "cyd"]  # in the order they came
        assert BOB_AGAIN in after and BOB not in after  # the edit, not the first text
        assert "@\u200beveryone" in after and "@everyone" not in after  # shown, never pinging
        assert after.index("cyd answered:") < after.index("Answers are closed for")
        assert "  Key points covered, from 1 self-check: 1.0 of 2 on average" in after
        assert f"  • {KEY_POINTS[0]}: 1 of 1" in after and f"  • {KEY_POINTS[1]}: 0 of 1" in after

        ids = {name: message_id for message_id, name in revealed}
        await keyboard.type("@cyd", expect="you are now @cyd")
        await keyboard.type(f"react {ids['bob']} 👍", expect=f"answer {ids['bob']} now has 15 points")
        await keyboard.type("@you", expect="you are now @you")
        await keyboard.type(f"react {ids['ada']} ✅", expect=f"answer {ids['ada']} now has 30 points")
        await keyboard.type(f"react {ids['cyd']} ✅", expect=f"answer {ids['cyd']} now has 26 points")
        board = await keyboard.type("/leaderboard period:all", expect="Leaderboard")
        assert board[1] == "  🥇 cyd: 26 pts (1 answer)"
        assert any("ada: 15 pts" in line for line in board[2:4])  # the second ✅ moved the +15 away from ada
        assert any("bob: 15 pts" in line for line in board[2:4])

        clock.advance(hours=48)  # the 👍 window after the reveal has passed
        await keyboard.type("@ada", expect="you are now @ada")
        late = await keyboard.type(f"react {ids['bob']} 👍", expect="no points")
        assert any("reactions count for 48 hours after the answers are shown" in line for line in late)


async def test_thread_replies_score_as_before_and_reveal_is_for_private_channels(
    tmp_path, clock: FixedClock, bank: Bank
) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (app, keyboard):
        await keyboard.type("/qotd setup time:09:00 days:daily", expect="Daily question set")
        await keyboard.type("/qotd now", expect="Posted today's question")
        await keyboard.type("@ada", expect="you are now @ada")
        refused = await keyboard.type(f"/answer {ADA}", expect="! ")
        assert any("This question takes answers in its thread: reply there" in line for line in refused)
        scored = await keyboard.type(f"> {ADA}", expect="scored: 15 points")
        assert any("(only ada sees this) Your answer counts. Press Check my answer" in line for line in scored)
        checked = await keyboard.type("click qotd:check:1", expect="How did you do?")
        assert f"  ☐ 1. {KEY_POINTS[0]}" in checked
        await keyboard.type("click qotd:rate:1:partly", expect="Noted: partly.")
        [review] = await app.group.context.store.review_history(
            member=MemberRef("console", "ada"), question_id="covariance-vs-correlation"
        )
        assert review.rating is Rating.HARD  # the self-rating replaces the daily answer's Good
        await keyboard.type("edit 2 never mind", expect="edited 2")
        board = await keyboard.type("/leaderboard period:all", expect="Leaderboard")
        assert not any("ada:" in line for line in board)  # too short now: it stops counting
        await keyboard.type(f"edit 2 {ADA} (and the units cancel)", expect="edited 2: now scored")
        board = await keyboard.type("/leaderboard period:all", expect="Leaderboard")
        assert "  🥇 ada: 15 pts (1 answer)" in board  # long enough again: its points whole
        await keyboard.type("@you", expect="you are now @you")
        refused = await keyboard.type("/qotd reveal", expect="! ")
        assert any("takes answers in the thread" in line for line in refused)
        wrong = await keyboard.type("/qotd setup answers:hidden", expect="! ")
        assert any("answers:" in line for line in wrong)

        await keyboard.type("react 2 ✅", expect="answer 2 now has 30 points")
        clock.advance(hours=49)
        await app.group.daily.close_expired(app.adapter.style)
        await keyboard.type("@you", expect="you are now @you")
        summary = "\n".join(keyboard.output)
        assert "  Key points covered, from 1 self-check: 0.0 of 2 on average" in summary
        assert "  Best answer ✅: ada" in summary


async def test_moderators_mark_answers_with_a_reason_and_their_own_mark_never_scores(
    tmp_path, clock: FixedClock, bank: Bank
) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (_, keyboard):
        await keyboard.type("/qotd setup time:09:00 days:daily", expect="Daily question set")
        await keyboard.type("/qotd now", expect="Posted today's question")
        for name, text in (("ada", ADA), ("bob", BOB), ("you", CYD)):
            await keyboard.type(f"@{name}", expect=f"you are now @{name}")
            await keyboard.type(f"> {text}", expect="scored")  # messages 2, 3 and 4
        own = await keyboard.type("react 4 ✅", expect="no points")
        assert any("a mark on your own answer does not count" in line for line in own)

        await keyboard.type("@ada", expect="you are now @ada")
        await keyboard.type("react 3 👍", expect="answer 3 now has 15 points")
        await keyboard.type("@you", expect="you are now @you")
        needs_more = await keyboard.type("mark 3 needs-more", expect="answer 3 now has 13 points")
        assert any(
            "(only bob sees this) A moderator marked your answer" in line and "needs more" in line
            for line in needs_more
        )
        await keyboard.type("@cyd", expect="you are now @cyd")
        refused = await keyboard.type("react 3 👍", expect="no points")
        assert any("an answer marked needs more gets no bonus" in line for line in refused)
        await keyboard.type("mark 2 off-topic", expect="only a moderator can mark an answer off topic")
        await keyboard.type("@you", expect="you are now @you")
        await keyboard.type("unreact 3 📝", expect="answer 3 now has 15 points")  # ada's 👍 counts again

        await keyboard.type("@you", expect="you are now @you")
        off = await keyboard.type("mark 2 off-topic", expect="answer 2 is off topic: it no longer scores")
        assert any("(only ada sees this)" in line and "off topic, so it no longer scores" in line for line in off)
        board = await keyboard.type("/leaderboard period:all", expect="Leaderboard")
        assert not any("ada:" in line for line in board)
        await keyboard.type("unreact 2 🚫", expect="answer 2 now has 15 points")  # the mark taken back
        wrong = await keyboard.type("mark 2 boring", expect="usage: mark MESSAGE-ID needs-more|off-topic")
        assert wrong


async def test_an_early_reveal_closes_private_answers(tmp_path, clock: FixedClock, bank: Bank) -> None:
    async with console_app(tmp_path / "console.db", clock, bank) as (_, keyboard):
        await keyboard.type("/qotd setup time:09:00 days:daily answers:private", expect="Daily question set")
        await keyboard.type("/qotd now", expect="Posted today's question")
        await keyboard.type("@ada", expect="you are now @ada")
        await keyboard.type(f"/answer {ADA}", expect="Your answer is saved")
        refused = await keyboard.type("/qotd reveal", expect="Only moderators")
        assert refused
        await keyboard.type("@you", expect="you are now @you")
        revealed = await keyboard.type("/qotd reveal", expect="Revealed 1 answer in the thread")
        assert any("studybot: ada answered:" in line for line in revealed) and any(ADA in line for line in revealed)
        await keyboard.type("/qotd reveal", expect="already shown in its thread")
        await keyboard.type("@bob", expect="you are now @bob")
        late = await keyboard.type(f"/answer {BOB}", expect="closed")
        assert any("Answers to this question are closed: discuss it in the thread" in line for line in late)
