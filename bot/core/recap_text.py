"""The weekly recap in words: complete on its own (the picture only shows it), naming members by display name
so that posting it pings nobody."""

from __future__ import annotations

from bot.core.pictures import BoardRow, RecapPicture
from bot.core.recaps import WeekRecap
from bot.core.style import TextStyle

MEDALS = ("🥇", "🥈", "🥉")
NO_QUESTION = "–"
EMPTY_WEEK = "Nobody answered last week. A new week starts today: answer its first question to open the podium."


def recap_title(recap: WeekRecap) -> str:
    return f"Weekly recap · {recap.week:%a %d %b} – {recap.last_day:%a %d %b}"


def recap_text(recap: WeekRecap, style: TextStyle) -> str:
    lines = [style.bold(recap_title(recap))]
    if recap.is_empty:
        return "\n".join([*lines, _days_line(recap), EMPTY_WEEK])
    podium = " · ".join(
        f"{medal} {style.user_text(entry.display_name)} {entry.points} pts"
        for medal, entry in zip(MEDALS, recap.podium, strict=False)
    )
    if podium:
        lines.append(f"Podium: {podium}")
    lines.append(_days_line(recap))
    most = recap.most_answered
    if most is not None and most.title is not None:
        lines.append(f"Most answers: “{most.title}” ({most.day:%a}, {_answers(most.answers)})")
    best = recap.best_answers
    if best:
        marked = "; ".join(f"{day.day:%a} “{day.title}”: {style.user_text(name)}" for day, name in best)
        lines.append(f"Best answers ✅: {marked}")
    else:
        lines.append("Best answers ✅: none marked last week.")
    return "\n".join(lines)


def _days_line(recap: WeekRecap) -> str:
    days = " · ".join(f"{day.day:%a} {day.answers if day.title is not None else NO_QUESTION}" for day in recap.days)
    return f"Answers by day: {days}" + (f" ({NO_QUESTION}: no question)" if recap.questions < 7 else "")


def _answers(count: int) -> str:
    return f"{count} answer{'' if count == 1 else 's'}"


def recap_picture(recap: WeekRecap) -> RecapPicture:
    most = recap.most_answered
    return RecapPicture(
        title=recap_title(recap),
        podium=tuple(BoardRow(entry.rank, entry.display_name, entry.points, entry.answers) for entry in recap.podium),
        days=tuple((f"{day.day:%a}", day.answers if day.title is not None else None) for day in recap.days),
        most_answered=(most.title, most.answers) if most is not None and most.title is not None else None,
        best=tuple((name, day.title or "") for day, name in recap.best_answers),
    )
