"""Spaced repetition from the member's side: what counts as a review, its rating, /review and readiness in /stats."""

from __future__ import annotations

import dataclasses
from datetime import UTC, timedelta

import fsrs

from bot.core.events import ReactionChanged, Reply
from bot.core.refs import Actor
from bot.core.review_cards import Rating
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import Verdict
from bot.review.fsrs_scheduler import default_scheduler
from tests.core.test_daily_loop import CHANNEL, LONG, STYLE, member, run, setup_and_post

ADA = Actor(member("ada"), CHANNEL)
CLOCK_HANDS = "/quiz topic:probability difficulty:easy"  # the one easy probability question: hints and an answer


async def press(group, label, response, text=""):  # type: ignore[no-untyped-def]
    action = next(action for action in response.actions if action.label == label)
    return await group.press(ADA, action.id, text, STYLE)


async def rate_by_hand(group, response, label):  # type: ignore[no-untyped-def]
    """Reveal the question on this card and assess it with the button `label`."""
    revealed = await press(group, "Reveal", response)
    return await press(group, label, revealed)


async def history(group, question_id="clock-hands"):  # type: ignore[no-untyped-def]
    return [
        entry.rating
        for entry in await group.context.store.review_history(member=ADA.member.ref, question_id=question_id)
    ]


async def card(group, question_id="clock-hands"):  # type: ignore[no-untyped-def]
    cards = await group.context.store.review_cards(member=ADA.member.ref, question_ids={question_id})
    return next(found for found in cards if found.question_id == question_id)


async def test_a_missed_question_comes_back_within_a_day_through_review(group, clock):
    quiz = await run(group, ADA, CLOCK_HANDS)
    noted = await rate_by_hand(group, quiz, "Missed")
    assert "comes back in 1 day" in noted.text
    clock.advance(hours=2)
    waiting = await run(group, ADA, "/review")
    assert "Nothing to review now" in waiting.text and "Clock Hands" in waiting.text and "in 22 hours" in waiting.text
    clock.advance(days=1)
    due = await run(group, ADA, "/review")
    assert due.card is not None and due.card.heading == "Review" and due.card.title == "Clock Hands"
    assert due.private and [action.label for action in due.actions] == ["Hint", "Answer", "Reveal"]
    assert "comes back in" in (await rate_by_hand(group, due, "Got it")).text
    assert await history(group) == [Rating.AGAIN, Rating.GOOD]


async def test_a_question_got_right_three_times_is_not_due_for_weeks(group, clock):
    response = await run(group, ADA, CLOCK_HANDS)
    for turn in range(3):
        await rate_by_hand(group, response, "Got it")
        if turn < 2:
            clock.set((await card(group)).due)
            response = await run(group, ADA, "/review")
            assert response.card is not None and response.card.title == "Clock Hands"
    reviewed = await card(group)
    assert reviewed.reviews == 3 and reviewed.due - clock.now() > timedelta(weeks=3)
    clock.advance(weeks=2)
    assert "Nothing to review now" in (await run(group, ADA, "/review")).text


async def test_the_schedule_is_the_fsrs_packages_own_for_the_same_history(group, clock):
    start = clock.now()
    steps = [(timedelta(0), "Missed", fsrs.Rating.Again), (timedelta(days=1), "Partly", fsrs.Rating.Hard)]
    steps += [(timedelta(days=4), "Got it", fsrs.Rating.Good), (timedelta(days=30), "Missed", fsrs.Rating.Again)]
    expected = fsrs.Card(card_id=1, due=start)
    scheduler = default_scheduler()
    response = await run(group, ADA, CLOCK_HANDS)
    for after, label, rating in steps:
        clock.set(start + after)
        await rate_by_hand(group, response, label)
        expected, _ = scheduler.review_card(expected, rating, clock.now().astimezone(UTC))
        stored = await card(group)
        assert (stored.due, stored.memory.stability, stored.memory.difficulty) == (
            expected.due,
            expected.stability,
            expected.difficulty,
        )
        response = await run(group, ADA, CLOCK_HANDS)
    assert await history(group) == [Rating.AGAIN, Rating.HARD, Rating.GOOD, Rating.AGAIN]
    assert (await card(group)).due - clock.now() == timedelta(minutes=10)  # forgotten: back the same day


async def test_a_typed_answer_is_easy_when_quick_and_unaided_good_with_a_hint_and_again_after_a_miss(group, clock):
    quick = await run(group, ADA, CLOCK_HANDS)
    clock.advance(seconds=40)
    await press(group, "Answer", quick, "15/2")
    aided = await run(group, ADA, CLOCK_HANDS)
    await press(group, "Hint", aided)
    await press(group, "Answer", aided, "7.5")
    slow = await run(group, ADA, CLOCK_HANDS)
    clock.advance(minutes=5)
    await press(group, "Answer", slow, "7.5")
    retried = await run(group, ADA, CLOCK_HANDS)
    wrong = await press(group, "Answer", retried, "90")
    assert "Not quite" in wrong.text and "comes back in" in wrong.text
    await press(group, "Answer", retried, "7.5")  # right on the second try: still a miss
    assert await history(group) == [Rating.EASY, Rating.GOOD, Rating.GOOD, Rating.AGAIN]


async def test_a_second_assessment_of_the_same_quiz_replaces_the_first(group):
    quiz = await run(group, ADA, CLOCK_HANDS)
    revealed = await press(group, "Reveal", quiz)
    await press(group, "Got it", revealed)
    await press(group, "Partly", revealed)
    assert await history(group) == [Rating.HARD]


async def test_a_daily_answer_is_good_at_the_time_answered_and_a_moderators_mark_makes_it_easy(group, clock):
    posted = await setup_and_post(group, clock)
    sent = clock.now() + timedelta(minutes=3)
    scored = await group.on_reply(Reply(posted.post.thread, "m1", ADA.member, LONG, sent))
    question = posted.post.question_id
    assert await history(group, question) == [Rating.GOOD]
    assert (await card(group, question)).memory.last_review == sent
    mark = ReactionChanged("test", "m1", member("mod"), "✅", added=True, reactor_is_moderator=True)
    await group.on_reaction(mark)
    assert await history(group, question) == [Rating.EASY]
    await group.on_reaction(ReactionChanged("test", "m1", member("mod"), "✅", added=False, reactor_is_moderator=True))
    assert await history(group, question) == [Rating.GOOD]
    await group.on_reaction(ReactionChanged("test", "m1", member("bob"), "👍", added=True))
    assert await history(group, question) == [Rating.GOOD] and scored.answer is not None


async def test_an_answer_stored_without_its_review_gets_it_when_delivered_again(group, clock):
    posted = await setup_and_post(group, clock)
    reply = Reply(posted.post.thread, "m1", ADA.member, LONG, clock.now())
    unscheduled = StudyGroup(dataclasses.replace(group.context, scheduler=None))  # as before reviews existed
    assert (await unscheduled.on_reply(reply)).verdict is Verdict.SCORED
    assert await history(group, posted.post.question_id) == []
    assert (await group.on_reply(reply)).verdict is Verdict.DUPLICATE
    assert await history(group, posted.post.question_id) == [Rating.GOOD]
    assert (await group.on_reply(reply)).verdict is Verdict.DUPLICATE
    assert await history(group, posted.post.question_id) == [Rating.GOOD]  # still one review


async def test_a_member_with_nothing_yet_gets_an_explanation_and_a_first_question_of_the_topic(group):
    first = await run(group, ADA, "/review topic:classical-ml")
    assert first.card is not None and first.card.title == "Bias Variance"
    assert (
        first.card.footer.startswith("Nothing to review here yet, so here is a new question.")
        and "just before you would forget" in first.card.footer
    )
    assert "Reveal" in [action.label for action in first.actions]
    unknown = await run(group, ADA, "/review topic:astrology")
    assert not unknown.ok and "astrology" in unknown.text


async def test_review_of_a_topic_serves_only_that_topics_due_questions(group, clock):
    await rate_by_hand(group, await run(group, ADA, CLOCK_HANDS), "Missed")
    await rate_by_hand(group, await run(group, ADA, "/quiz topic:classical-ml"), "Missed")
    clock.advance(days=1)
    due = await run(group, ADA, "/review topic:classical-ml")
    assert due.card is not None and due.card.title == "Bias Variance" and "more due" not in due.card.footer
    both = await run(group, ADA, "/review")
    assert both.card is not None and "1 more due after this one" in both.card.footer


async def test_stats_shows_readiness_by_topic_weakest_first_with_what_to_do_next(group, clock):
    nothing = await run(group, ADA, "/stats")
    assert "Readiness: no question met yet" in nothing.text
    await rate_by_hand(group, await run(group, ADA, CLOCK_HANDS), "Missed")
    await rate_by_hand(group, await run(group, ADA, "/quiz topic:classical-ml"), "Got it")
    clock.advance(days=1)
    lines = (await run(group, ADA, "/stats")).text.splitlines()
    readiness = lines[lines.index("Readiness (weakest first)") + 1 :]
    assert readiness[0].startswith("probability: 1/2 met, ")
    assert "1 review due: /review topic:probability" in readiness[0]
    assert readiness[1].startswith("classical-ml: 1/1 met, ") and "all met, next review in 1 day" in readiness[1]
    recalls = [int(line.split("met, ")[1].split("%")[0]) for line in readiness]
    assert recalls[0] < recalls[1] <= 100
    only = (await run(group, ADA, "/stats topic:classical-ml")).text
    assert "classical-ml: 1/1 met" in only and "probability:" not in only


async def test_a_goal_spreads_the_questions_not_met_over_the_days_left_and_follows_what_is_met(group, clock):
    # the bank has 5 questions, 2 in probability; today is Mon 23 Nov 2026
    whole = await run(group, ADA, "/goal date:2026-11-26")
    assert (
        whole.ok and "Goal: ready by Thu 26 Nov 2026, 3 days left: 2 new questions a day (5 not met yet" in whole.text
    )
    topics = await run(group, ADA, "/goal date:2026-11-25 topics:probability")
    assert "ready by Wed 25 Nov 2026 in probability, 2 days left: 1 new question a day (2 not met yet" in topics.text
    await rate_by_hand(group, await run(group, ADA, CLOCK_HANDS), "Missed")
    clock.advance(days=1)
    stats = (await run(group, ADA, "/stats")).text
    assert "in probability, 1 day left: 1 new question a day (1 not met yet: /quiz), and the reviews" in stats
    assert "1 review due now (/review)" in stats
    await rate_by_hand(group, await run(group, ADA, "/quiz topic:probability difficulty:hard"), "Got it")
    assert "every question met; keep up with the reviews" in (await run(group, ADA, "/stats")).text
    clock.advance(days=1)
    assert "has come: set the next one with /goal date:YYYY-MM-DD" in (await run(group, ADA, "/stats")).text
    assert (await run(group, ADA, "/goal off")).text == "Your goal is dropped."
    assert "Goal:" not in (await run(group, ADA, "/stats")).text
    assert (await run(group, ADA, "/goal off")).text == "You have no goal to drop."


async def test_a_goal_refuses_a_day_that_is_not_a_date_or_not_ahead_in_one_line(group):
    for line, problem in (
        ("/goal date:15.01.2027", "'15.01.2027' is not a date: write it as YYYY-MM-DD, for example 2027-01-15"),
        ("/goal date:2026-11-23", "2026-11-23 is not in the future: choose a day from tomorrow on"),
        ("/goal date:2027-01-15 topics:astrology", "Unknown topic astrology"),
    ):
        refused = await run(group, ADA, line)
        assert not refused.ok and problem in refused.text and "\n" not in refused.text
    assert await group.context.store.get_goal(member=ADA.member.ref) is None


async def test_a_goals_today_is_the_members_own_once_their_reminder_says_where_they_are(group, clock):
    # 22:00 UTC on Mon 23 Nov is already Tuesday in Auckland
    clock.set(clock.now().replace(hour=22))
    assert "2 days left" in (await run(group, ADA, "/goal date:2026-11-25")).text
    assert (await run(group, ADA, "/review remind time:07:00 tz:Pacific/Auckland")).ok
    assert "1 day left" in (await run(group, ADA, "/stats")).text
    refused = await run(group, ADA, "/goal date:2026-11-24")
    assert refused.text == "2026-11-24 is not in the future: choose a day from tomorrow on"
