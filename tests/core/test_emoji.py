"""Every spelling of an emoji the platforms send, or an operator configures, is one emoji to the rules."""

from __future__ import annotations

import pytest

from bot.core.emoji import canonical
from bot.core.rules import ScoringRules


@pytest.mark.parametrize("spelling", ["👍", "👍🏽", "+1", "thumbsup", "+1::skin-tone-3", ":+1:", ":thumbsup:"])
def test_every_spelling_of_thumbs_up_is_an_upvote_by_default(spelling: str) -> None:
    assert canonical(spelling) == "👍"
    assert ScoringRules().is_upvote(spelling)
    assert not ScoringRules().is_best_answer_mark(spelling)


def test_a_configured_character_matches_its_name_and_the_other_way_round() -> None:
    by_character, by_name = ScoringRules(upvote_emoji=("🔥",)), ScoringRules(upvote_emoji=("fire",))
    for rules in (by_character, by_name):
        assert rules.is_upvote("🔥") and rules.is_upvote("fire")
        assert not rules.is_upvote("👍") and not rules.is_upvote("+1")
    assert ScoringRules(best_answer_emoji=("❤️",)).is_best_answer_mark("heart")  # with or without U+FE0F


def test_a_custom_emoji_is_matched_by_its_name() -> None:
    rules = ScoringRules(upvote_emoji=("partyparrot",))
    assert rules.is_upvote("partyparrot") and rules.is_upvote(":partyparrot:") and not rules.is_upvote("parrot")
