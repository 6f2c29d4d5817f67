"""How reviews and readiness are worded for members: when a question comes back, the queue, readiness by topic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.core.review_cards import ReviewCard
from bot.core.style import TextStyle
from bot.core.usecases.reviews import GoalPlan, ReviewQueue, TopicReadiness

FIRST_REVIEW = (
    "Nothing to review here yet, so here is a new question. /review brings back every question you have met "
    "(daily answers, quizzes, reviews) just before you would forget it; rate yourself after Reveal and it is "
    "scheduled for you."
)


def how_soon(then: datetime, now: datetime) -> str:
    """`in 10 minutes`, `in 5 hours`, `in 3 days`, `now`: how long until `then`, rounded to what reads well."""
    left = then - now
    if left <= timedelta(0):
        return "now"
    if left < timedelta(hours=1):
        return _count(max(1, round(left / timedelta(minutes=1))), "minute")
    if left < timedelta(days=1):
        return _count(round(left / timedelta(hours=1)), "hour")
    return _count(round(left / timedelta(days=1)), "day")


def _count(number: int, unit: str) -> str:
    return f"in {number} {unit}{'' if number == 1 else 's'}"


def comes_back(card: ReviewCard | None, queue: ReviewQueue | None, now: datetime) -> str:
    """After a rating: when the question is due again and what to do next."""
    if card is None:
        return "Noted. Another one? Run /quiz."
    due = queue.due if queue else 0
    follow = f"{due} more due: run /review." if due else "Another one? Run /quiz."
    return f"Noted: this one comes back {how_soon(card.due, now)}. {follow}"


def review_footer(question_id: str, queue: ReviewQueue) -> str:
    more = queue.due - 1
    return f"id: {question_id}" + (f" · {more} more due after this one" if more > 0 else "")


def nothing_due(queue: ReviewQueue, now: datetime, topic: str | None) -> str:
    assert queue.next is not None
    card, question = queue.next
    where = f" in {topic}" if topic else ""
    return (
        f"Nothing to review{where} now: the next ({question.title}) comes back {how_soon(card.due, now)}. "
        "Meanwhile /quiz brings a new one."
    )


def readiness_text(readiness: Sequence[TopicReadiness], now: datetime, style: TextStyle) -> list[str]:
    """The readiness lines of /stats: per topic met, recall today, the weakest first, and what to do next."""
    if not readiness:
        return ["Readiness: no question met yet: run /review or /quiz to start."]
    lines = [style.bold("Readiness (weakest first)")]
    for topic in readiness:
        lines.append(
            f"{topic.topic}: {topic.met}/{topic.questions} met, {round(topic.recall * 100)}% recall today · "
            + _next_step(topic, now)
        )
    return lines


def _next_step(topic: TopicReadiness, now: datetime) -> str:
    if topic.due:
        return f"{topic.due} review{'' if topic.due == 1 else 's'} due: /review topic:{topic.topic}"
    if topic.met < topic.questions:
        new = topic.questions - topic.met
        return f"{new} new question{'' if new == 1 else 's'}: /quiz topic:{topic.topic}"
    soon = f"next review {how_soon(topic.next_due, now)}" if topic.next_due else "nothing due"
    return f"all met, {soon}"


def goal_text(plan: GoalPlan) -> str:
    """The goal line of /stats and of /goal: what each day left asks."""
    goal = plan.goal
    scope = f" in {', '.join(goal.topics)}" if goal.topics else ""
    if plan.days_left == 0:
        return f"Goal: {goal.ready_by:%a %d %b %Y}{scope} has come: set the next one with /goal date:YYYY-MM-DD."
    head = f"Goal: ready by {goal.ready_by:%a %d %b %Y}{scope}, {_plural(plan.days_left, 'day')} left: "
    reviews = f"{_plural(plan.due, 'review')} due now (/review)"
    if plan.not_met == 0:
        return head + f"every question met; keep up with the reviews, {reviews}."
    new = f"{_plural(plan.new_per_day, 'new question')} a day ({plan.not_met} not met yet: /quiz)"
    return head + f"{new}, and the reviews as they come due, {reviews}."


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
