"""Fixture banks and seed excerpts for the bank tests (nothing here reads /work/shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BANKS = FIXTURES / "banks"
SEEDS = FIXTURES / "seeds"


@pytest.fixture
def builtin_is_valid_fixture(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the fixture bank `valid/` stand in for the built-in bank."""
    import bot.banks.loading
    import bot.cli.bank

    folder = BANKS / "valid"
    monkeypatch.setattr(bot.banks.loading, "builtin_bank_path", lambda: folder)
    monkeypatch.setattr(bot.cli.bank, "builtin_bank_path", lambda: folder)
    return folder
