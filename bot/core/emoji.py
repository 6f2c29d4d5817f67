"""Emoji as the rules compare them: one spelling for the character a platform sends and for the name it uses.

Discord and the console send the character (👍), Slack sends its name (``+1``, ``white_check_mark``,
``+1::skin-tone-3``), and an operator may configure either. `canonical` turns all of them into the character,
so a configured 🔥 matches Slack's ``fire``. A name this table does not know (a workspace's custom emoji) is
kept as the name, so it can be configured by name.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A skin tone does not change what a reaction means: 👍🏽 (Discord) and +1::skin-tone-3 (Slack) are upvotes.
_SKIN_TONE = re.compile(r"[\U0001F3FB-\U0001F3FF]|::skin-tone-\d")
_VARIATION_SELECTOR = "\ufe0f"

# The names Slack (and most chat apps) give the emoji a study group is likely to react with.
NAMES: dict[str, str] = {
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "white_check_mark": "✅",
    "heavy_check_mark": "✔",
    "ballot_box_with_check": "☑",
    "fire": "🔥",
    "star": "⭐",
    "star2": "🌟",
    "sparkles": "✨",
    "heart": "❤",
    "100": "💯",
    "clap": "👏",
    "raised_hands": "🙌",
    "pray": "🙏",
    "ok_hand": "👌",
    "muscle": "💪",
    "tada": "🎉",
    "rocket": "🚀",
    "bulb": "💡",
    "brain": "🧠",
    "eyes": "👀",
    "trophy": "🏆",
    "medal": "🏅",
    "sports_medal": "🏅",
    "first_place_medal": "🥇",
    "dart": "🎯",
    "gem": "💎",
    "star-struck": "🤩",
    "exploding_head": "🤯",
    "nerd_face": "🤓",
    "thinking_face": "🤔",
    "slightly_smiling_face": "🙂",
    "smile": "😄",
    "joy": "😂",
    "heart_eyes": "😍",
    "white_circle": "⚪",
    "large_green_circle": "🟢",
    "green_heart": "💚",
    "blue_heart": "💙",
    "purple_heart": "💜",
    "yellow_heart": "💛",
    "heavy_plus_sign": "➕",
    "arrow_up": "⬆",
    "up": "🆙",
    "books": "📚",
    "mortar_board": "🎓",
    "pencil": "📝",
    "memo": "📝",
    "no_entry_sign": "🚫",
    "x": "❌",
    "question": "❓",
}


@lru_cache(maxsize=1024)
def canonical(emoji: str) -> str:
    """`emoji` as the character, without skin tone or variation selector; an unknown name stays the name."""
    bare = _SKIN_TONE.sub("", emoji.strip()).replace(_VARIATION_SELECTOR, "")
    name = bare.strip(":").lower() if bare.startswith(":") or bare.isascii() else bare
    return NAMES.get(name, name)


def same_emoji(emoji: str, choices: tuple[str, ...]) -> bool:
    """Whether `emoji`, spelt as any platform or operator spells it, is one of `choices`."""
    return canonical(emoji) in _canonical_set(choices)


@lru_cache(maxsize=64)
def _canonical_set(choices: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonical(choice) for choice in choices)
