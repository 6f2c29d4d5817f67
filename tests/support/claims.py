"""Claiming a day for a given question in tests, as the daily use case's choice would."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.ports import Pick


def asking(question_id: str, cycle: int = 1) -> Callable[[int, set[str]], Pick]:
    """A `choose` for `PostStore.claim_post` that always picks `question_id` in `cycle`."""
    return lambda current_cycle, used: Pick(question_id, cycle)
