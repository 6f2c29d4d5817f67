"""Private answers on Discord, with the Message Content intent refused: the post's Answer button opens a form, the
answers stay with their authors until the close, then appear in the thread without a ping and score reactions."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.core.bank import Bank
from bot.core.clock import FixedClock
from bot.core.refs import MemberRef
from bot.core.review_cards import Rating
from bot.core.usecases.answers import Verdict
from tests.conftest import make_question
from tests.fakes.discord import FakeDiscord, InteractionHandle
from tests.fakes.discord.ids import Intents

from .harness import Running, discord_settings, running_bot, text_of

ALICE = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
BOB_AGAIN = "Correlation is covariance over both standard deviations: unit-free, always within [-1, 1]."
QUESTION = "covariance-vs-correlation"
KEY_POINTS = ("Covariance has units; correlation has none.", "Correlation lies within [-1, 1].")
CAROL = "Covariance depends on the units; correlation is the covariance of standardised variables, <@{alice}>"


@pytest.fixture
def bank() -> Bank:
    return Bank.of([make_question(QUESTION, key_points=KEY_POINTS)])


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(heartbeat_interval=0.5, allowed_privileged_intents=0) as server:
        yield server


@pytest.fixture
async def bot(
    fake: FakeDiscord, tmp_path: Path, now_clock: FixedClock, bank: Bank, people: dict
) -> AsyncIterator[Running]:
    settings = discord_settings(fake, tmp_path / "studybot.db")
    settings = dataclasses.replace(settings, discord=dataclasses.replace(settings.discord, message_content=False))
    async with running_bot(fake, settings, now_clock, bank) as running:
        yield running


def _buttons(message: Any) -> dict[str, str]:
    return {c["label"]: c["custom_id"] for row in message.components for c in row["components"]}


async def _answer(fake: FakeDiscord, post_id: int, user: Any, text: str) -> tuple[dict[str, Any], InteractionHandle]:
    """Press Answer on the post, read the form it opens, and send `text` with it."""
    custom_id = _buttons(fake.messages[post_id])["Answer"]
    opened = await fake.click_button(post_id, custom_id, user)
    assert (await opened.wait_response())["type"] == 9 and opened.modal is not None
    sent = await fake.submit_modal(opened.modal["custom_id"], {"value": text}, user)
    await sent.wait_response()
    return opened.modal, sent


def _form_value(modal: dict[str, Any]) -> str:
    stack = list(modal.get("components") or [])
    while stack:
        item = stack.pop()
        if item.get("type") == 4:
            return str(item.get("value") or "")
        stack += list(item.get("components") or []) + ([item["component"]] if "component" in item else [])
    return ""


async def test_three_private_answers_a_reveal_without_pings_and_reactions_that_score(
    bot: Running, fake: FakeDiscord, people
) -> None:
    boss, alice, bob, carol = (people[k] for k in ("boss", "alice", "bob", "carol"))
    carol_text = CAROL.format(alice=alice.user.id)
    done = await bot.command(boss, "qotd", {"time": "09:00", "timezone": "UTC", "answers": "private"}, "setup")
    assert "Answers are private until the question closes." in text_of(done)
    await bot.command(boss, "qotd", sub="now")
    [post] = bot.question_posts()
    assert "Press Answer to answer privately" in post.embeds[0]["footer"]["text"]
    assert list(_buttons(post)) == ["Answer", "Check my answer"]
    thread = fake.channels[post.id]

    seen: dict[str, list[str]] = {"alice": [], "bob": [], "carol": []}
    for name, user, text in (("alice", alice, ALICE), ("bob", bob, BOB), ("carol", carol, carol_text)):
        form, sent = await _answer(fake, post.id, user, text)
        assert sent.ephemeral and text_of(sent).startswith("Your answer is saved")
        seen[name] += [_form_value(form), text_of(sent)]
        assert KEY_POINTS[0] in text_of(sent)  # the self-check follows the first answer
        confirmation = fake.messages[sent.original_message_id]
        assert list(_buttons(confirmation)) == [
            "Edit my answer",
            "I covered 1",
            "I covered 2",
            "Got it",
            "Partly",
            "Missed",
        ]
        if name != "bob":
            for label in ("I covered 1", "Partly" if name == "alice" else "Got it"):
                pressed = await fake.click_button(confirmation.id, _buttons(confirmation)[label], user)
                await pressed.wait_response()
                assert pressed.ephemeral
                seen[name].append(text_of(pressed))
                confirmation = fake.messages[pressed.original_message_id]
            assert f"☑ 1. {KEY_POINTS[0]}" in text_of(pressed) and "☐ 2." in text_of(pressed)
    form, sent = await _answer(fake, post.id, bob, BOB_AGAIN)  # bob changes his answer: the form holds his own
    assert _form_value(form) == BOB and text_of(sent).startswith("Your answer is changed")
    seen["bob"] += [_form_value(form), text_of(sent)]

    _, verdict = await bot.say(thread, alice, "Does the bound come from Cauchy-Schwarz, anyone?")
    assert verdict is Verdict.IGNORED  # the thread is for discussion: nothing in it scores
    # the bot never asked for message text, so Discord (the fake) sent it every message empty
    assert all(not session.identify.has_intent(Intents.MESSAGE_CONTENT) for session in fake.gateway.sessions.values())

    texts = {"alice": ALICE, "bob": BOB + BOB_AGAIN, "carol": carol_text}
    for name, got in seen.items():
        for other, text in texts.items():
            if other != name:
                assert all(text not in shown and (shown == "" or shown not in text) for shown in got)
    public = [m.content for m in fake.messages_in(thread)] + [m.content for m in fake.messages_in(fake.channel)]
    assert not any(answer in shown for answer in (ALICE, BOB, BOB_AGAIN, carol_text) for shown in public)

    bot.clock.advance(hours=49)
    await bot.group.daily.close_expired(bot.app.adapter.style)
    shown = [m for m in fake.messages_in(thread) if m.author.id == fake.bot_user.id]
    assert [m.content.split(" answered:")[0] for m in shown[:3]] == ["**Alice A.**", "**bob**", "**carol**"]
    assert BOB_AGAIN in shown[1].content and BOB not in shown[1].content
    assert all(m.raw_body and m.raw_body["allowed_mentions"] == {"parse": []} for m in shown)
    assert shown[3].content.startswith("**Answers are closed for")
    assert "Key points covered, from 2 self-checks: 1.0 of 2 on average" in shown[3].content
    assert f"• {KEY_POINTS[0]}: 2 of 2" in shown[3].content and f"• {KEY_POINTS[1]}: 0 of 2" in shown[3].content

    store = bot.group.context.store
    for user, rating in ((alice, Rating.HARD), (carol, Rating.GOOD), (bob, Rating.GOOD)):  # bob: no self-check
        [review] = await store.review_history(member=MemberRef("discord", str(user.user.id)), question_id=QUESTION)
        assert review.rating is rating  # the self-rating, not the default Good, schedules the review
    await fake.user_react(shown[1].id, carol, "👍")
    assert (await bot.handled("reaction", shown[1].id)).result.verdict is Verdict.SCORED
    await fake.user_react(shown[0].id, boss, "✅")
    await bot.handled("reaction", shown[0].id)
    await fake.user_react(shown[2].id, boss, "✅")  # a second best answer: the +15 moves
    await bot.handled("reaction", shown[2].id)
    points = {
        m.id: answer.points
        for m in shown[:3]
        if (answer := await store.answer_by_message(platform="discord", message_id=str(m.id)))
    }
    assert points == {shown[0].id: 15, shown[1].id: 13 + 2, shown[2].id: 11 + 15}

    await fake.user_react(shown[2].id, people["mod"], "🚫")  # off topic, by a moderator's reaction
    assert (await bot.handled("reaction", shown[2].id, count=2)).result.verdict is Verdict.REMOVED
    removed = await store.answer_by_message(platform="discord", message_id=str(shown[2].id))
    assert removed is not None and removed.deleted
    told = await fake.wait_for(lambda: fake.messages_in(fake.dm_channel(carol)), 5.0, what="carol told why")
    assert "off topic, so it no longer scores" in told[-1].content


async def test_the_answer_button_works_after_a_restart(
    fake: FakeDiscord, tmp_path: Path, now_clock: FixedClock, bank: Bank, people
) -> None:
    settings = discord_settings(fake, tmp_path / "studybot.db")
    settings = dataclasses.replace(settings, discord=dataclasses.replace(settings.discord, message_content=False))
    async with running_bot(fake, settings, now_clock, bank) as first:
        await first.command(people["boss"], "qotd", {"time": "09:00", "answers": "private"}, "setup")
        await first.command(people["boss"], "qotd", sub="now")
        [post] = first.question_posts()
        _, sent = await _answer(fake, post.id, people["bob"], BOB)
        assert text_of(sent).startswith("Your answer is saved: 15 points.")
    # while the bot is down, a reply in the thread: discussion, which the read-back at start must not score
    await fake.user_message(fake.channels[post.id], people["carol"], CAROL.format(alice=people["alice"].user.id))
    async with running_bot(fake, settings, now_clock, bank) as second:
        _, sent = await _answer(fake, post.id, people["alice"], ALICE)
        assert sent.ephemeral and text_of(sent).startswith("Your answer is saved: 13 points.")
        answers = await second.group.context.store.answers_for_post(post_id=1)
        # bob's private answer, in no thread yet, was not taken for deleted; carol's reply did not score
        assert [(name, answer.deleted) for answer, name in answers] == [("bob", False), ("Alice A.", False)]


async def test_thread_mode_offers_the_self_check_privately_and_its_rating_schedules_the_review(
    tmp_path: Path, now_clock: FixedClock, bank: Bank
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5) as fake:  # thread answers: the bot reads message text
        alice = fake.add_member(fake.guild, "alice")
        boss = fake.add_member(fake.guild, "boss", manage_guild=True)
        async with running_bot(fake, discord_settings(fake, tmp_path / "studybot.db"), now_clock, bank) as bot:
            await bot.command(boss, "qotd", {"time": "09:00"}, "setup")
            await bot.command(boss, "qotd", sub="now")
            [post] = bot.question_posts()
            assert list(_buttons(post)) == ["Check my answer"]
            _, verdict = await bot.say(fake.channels[post.id], alice, ALICE)
            assert verdict is Verdict.SCORED
            offer = await fake.wait_for(lambda: fake.messages_in(fake.dm_channel(alice)), 5.0, what="the offer")
            assert "Press Check my answer" in offer[-1].content

            check = await fake.click_button(post.id, _buttons(post)["Check my answer"], alice)
            await check.wait_response()
            assert check.ephemeral and f"☐ 1. {KEY_POINTS[0]}" in text_of(check)
            shown = fake.messages[check.original_message_id]
            missed = await fake.click_button(shown.id, _buttons(shown)["Missed"], alice)
            await missed.wait_response()
            assert text_of(missed).startswith("Noted: missed.")
            member = MemberRef("discord", str(alice.user.id))
            [review] = await bot.group.context.store.review_history(member=member, question_id=QUESTION)
            assert review.rating is Rating.AGAIN
