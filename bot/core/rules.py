"""The rules of the game. Every number is configurable; the defaults are the product's."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.emoji import same_emoji


@dataclass(frozen=True, slots=True)
class ScoringRules:
    min_answer_chars: int = 30
    open_hours: int = 48
    answer_points: int = 10
    early_bonuses: tuple[int, ...] = (5, 3, 1)
    reaction_points: int = 2
    reaction_cap: int = 10
    best_answer_points: int = 15
    streak_bonus_points: int = 5
    streak_bonus_every: int = 7
    # characters or names (🔥 or fire); a platform's spelling with or without a skin tone matches (bot.core.emoji)
    upvote_emoji: tuple[str, ...] = ("👍",)
    best_answer_emoji: tuple[str, ...] = ("✅",)

    def early_bonus(self, rank: int) -> int:
        """Bonus for the `rank`-th scoring answer to a question (1-based)."""
        return self.early_bonuses[rank - 1] if 1 <= rank <= len(self.early_bonuses) else 0

    def reaction_bonus(self, distinct_reactors: int) -> int:
        return min(self.reaction_cap, self.reaction_points * distinct_reactors)

    def streak_bonus(self, streak: int) -> int:
        if self.streak_bonus_every <= 0 or streak <= 0:
            return 0
        return self.streak_bonus_points if streak % self.streak_bonus_every == 0 else 0

    def is_upvote(self, emoji: str) -> bool:
        return same_emoji(emoji, self.upvote_emoji)

    def is_best_answer_mark(self, emoji: str) -> bool:
        return same_emoji(emoji, self.best_answer_emoji)
