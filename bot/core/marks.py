"""A moderator's mark with a reason, as one reaction on every platform: 📝 needs more (the answer still counts,
without bonuses), 🚫 off topic (out of scoring). The member is told privately why."""

from __future__ import annotations

from bot.core.emoji import same_emoji
from bot.core.private import Hold

MARK_EMOJI: dict[Hold, tuple[str, ...]] = {Hold.NEEDS_MORE: ("📝",), Hold.OFF_TOPIC: ("🚫",)}

MARK_NAMES = {Hold.NEEDS_MORE: "needs more", Hold.OFF_TOPIC: "off topic"}

TOLD = {
    Hold.NEEDS_MORE: (
        "A moderator marked your answer to “{title}” needs more: it still counts, but gets no bonus. "
        "Compare it with the key points (Check my answer) to see what it misses."
    ),
    Hold.OFF_TOPIC: (
        "A moderator marked your answer to “{title}” off topic, so it no longer scores. "
        "Answer what the question asks to score next time."
    ),
}


def mark_of(emoji: str) -> Hold | None:
    """The mark a reaction makes, or None for any other emoji."""
    return next((hold for hold, choices in MARK_EMOJI.items() if same_emoji(emoji, choices)), None)


def parse_mark(text: str) -> Hold | None:
    """`needs-more`, `needs more`, `off-topic`, `off topic` as moderators type them."""
    wanted = " ".join(text.lower().replace("-", " ").split())
    return next((hold for hold, name in MARK_NAMES.items() if name == wanted), None)
