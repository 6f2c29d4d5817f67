"""The console's message history: kept in the bot's database (`bot.storage.console`), so ids survive restarts.

A running console opens the database once: hand it `SqliteStore.console_messages`.
"""

from __future__ import annotations

from bot.storage.console import ConsoleMessage
from bot.storage.console import SqliteConsoleMessages as ConsoleHistory

__all__ = ["ConsoleHistory", "ConsoleMessage"]
