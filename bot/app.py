"""The composition root: settings in, a running study group out. Everything is wired here and only here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.banks.loading import load_bank
from bot.config import ConfigError, Settings
from bot.core.bank import Bank
from bot.core.bank_problems import BankError
from bot.core.clock import Clock, SystemClock
from bot.core.ports import Platform
from bot.core.studygroup import StudyGroup
from bot.core.usecases.context import StudyGroupContext
from bot.storage.store import SqliteStore

log = logging.getLogger(__name__)


def load_checked_bank(settings: Settings) -> Bank:
    """The built-in bank plus the configured ones; an invalid bank stops start-up with its report."""
    try:
        bank = load_bank(settings.extra_banks)
    except BankError as problem:
        raise ConfigError(f"the question bank is invalid, so studybot will not start:\n{problem}") from None
    known = {str(topic) for topic in bank.topics()}
    unknown = [topic for topic in settings.policy.default_schedule.topics if topic not in known]
    if unknown:
        raise ConfigError(
            f"[schedule] topics: unknown topic {', '.join(unknown)}; choose from {', '.join(sorted(known))}"
        )
    return bank


@dataclass
class Runtime:
    settings: Settings
    store: SqliteStore
    bank: Bank
    group: StudyGroup


@asynccontextmanager
async def open_runtime(
    settings: Settings, platform: Platform, *, clock: Clock | None = None, bank: Bank | None = None
) -> AsyncIterator[Runtime]:
    """Open the database and build the study group for `platform`; closes the database on the way out."""
    bank = load_checked_bank(settings) if bank is None else bank
    store = await SqliteStore.open(settings.database)
    try:
        context = StudyGroupContext(
            bank=bank,
            store=store,
            platform=platform,
            rules=settings.rules,
            policy=settings.policy,
            clock=clock or SystemClock(),
        )
        log.info("studybot ready: %d questions, database %s, platform %s", len(bank), settings.database, platform.name)
        yield Runtime(settings, store, bank, StudyGroup(context))
    finally:
        await store.close()
