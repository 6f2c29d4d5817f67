"""The wording of everything the bot says, shared by every platform (each brings its `TextStyle`)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.grading import format_expected
from bot.core.ports import QuestionCard
from bot.core.questions import Difficulty, Question, Resource, Topic
from bot.core.records import AnswerRecord, Standing
from bot.core.style import TextStyle


def question_card(question: Question, *, heading: str, footer: str = "") -> QuestionCard:
    return QuestionCard(
        question_id=question.id,
        title=question.title,
        prompt=question.prompt,
        topic=Topic(question.topic).label,
        difficulty=Difficulty(question.difficulty).value,
        companies=question.companies,
        parts=question.parts,
        heading=heading,
        footer=footer,
    )


def card_text(card: QuestionCard, style: TextStyle) -> str:
    lines = [style.bold(f"{card.heading}: {card.title}"), card.prompt]
    lines += [f"  {number}. {part}" for number, part in enumerate(card.parts, start=1)]
    meta = f"{card.topic} · {card.difficulty}"
    if card.companies:
        meta += " · asked at " + ", ".join(card.companies)
    lines.append(style.italic(meta))
    if card.footer:
        lines.append(card.footer)
    return "\n".join(lines)


def key_points_text(question: Question, style: TextStyle) -> str:
    lines: list[str] = []
    if question.answer is not None:
        lines.append(f"{style.bold('Answer:')} {format_expected(question.answer)}")
        lines.append(question.answer.explanation)
    if question.key_points:
        lines.append(style.bold("A good answer covers:"))
        lines += [f"• {point}" for point in question.key_points]
    if not lines:
        lines.append("This one has no single right answer: compare notes in the thread.")
    return "\n".join(lines)


def closing_summary(
    question: Question, answers: Sequence[tuple[AnswerRecord, str]], style: TextStyle, *, top: int = 3
) -> str:
    lines = [style.bold(f"Answers are closed for “{question.title}”."), key_points_text(question, style)]
    live = [(answer, name) for answer, name in answers if not answer.deleted]
    if not live:
        lines.append("Nobody answered this time.")
        return "\n".join(lines)
    names = ", ".join(style.mention(answer.member, name) for answer, name in live)
    lines.append(f"{len(live)} answered: {names}.")
    best = sorted(live, key=lambda pair: (-pair[0].points, pair[0].rank))[:top]
    lines.append(style.bold("Top answers:"))
    lines += [
        f"{place}. {style.mention(answer.member, name)}: {answer.points} pts" + (" ✅" if answer.best else "")
        for place, (answer, name) in enumerate(best, start=1)
    ]
    return "\n".join(lines)


def standings_text(title: str, standings: Sequence[Standing], own: Standing | None, style: TextStyle) -> str:
    if not standings:
        return f"{style.bold(title)}\nNo points yet: answer the question of the day to get on the board."
    lines = [style.bold(title)]
    lines += [_standing_line(entry, style) for entry in standings]
    if own is not None and all(entry.member != own.member for entry in standings):
        lines.append("…")
        lines.append(_standing_line(own, style) + " (you)")
    return "\n".join(lines)


def _standing_line(entry: Standing, style: TextStyle) -> str:
    medal = {1: "🥇", 2: "🥈", 3: "🥉"}.get(entry.rank, f"{entry.rank}.")
    answers = "answer" if entry.answers == 1 else "answers"
    return f"{medal} {style.mention(entry.member, entry.display_name)}: {entry.points} pts ({entry.answers} {answers})"


def resources_text(resources: Sequence[Resource], style: TextStyle) -> str:
    if not resources:
        return "No study resources are configured."
    lines = [style.bold("Study resources")]
    for resource in resources:
        line = f"• {style.link(resource.url, resource.title)}"
        if resource.description:
            line += f": {resource.description}"
        lines.append(line)
    return "\n".join(lines)
