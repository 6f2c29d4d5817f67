"""Syncing the slash commands only when their definitions changed, and never letting a refused sync stop the bot.

Discord rate-limits command syncs and caps command creations per day; a bot that syncs at every start and dies on
the refusal is restarted by its supervisor into the same refusal. So the digest of what was last synced (with the
application it went to) is kept in a small file beside the database: the adapter may not use the store, and the
file goes wherever the database goes. A failed sync is one log line; Discord keeps serving the commands it has.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import aiohttp
import discord
from discord import app_commands

log = logging.getLogger(__name__)


def definitions_digest(tree: app_commands.CommandTree, application_id: int | None) -> str:
    """What a sync would send, as one hash: the same commands for the same application hash the same."""
    payload = [command.to_dict(tree) for command in tree.get_commands()]
    text = json.dumps({"application": application_id, "commands": payload}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _last_synced(record: Path) -> str | None:
    try:
        return record.read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None  # never synced from here, or unreadable: syncing again is always safe


def _remember(record: Path, digest: str) -> None:
    partial = record.with_name(record.name + ".tmp")
    try:
        partial.write_text(digest + "\n", encoding="utf-8")
        os.replace(partial, record)
    except OSError as problem:
        log.warning(
            "could not remember the synced slash commands in %s (%s): the next start syncs again", record, problem
        )


def _why(problem: BaseException) -> str:
    if isinstance(problem, discord.RateLimited):
        return f"rate limited by Discord for {problem.retry_after:.0f} s"
    if isinstance(problem, discord.HTTPException):
        return f"Discord answered {problem.status} {problem.text or type(problem).__name__}"
    return f"could not reach Discord: {problem or type(problem).__name__}"


async def sync_if_changed(tree: app_commands.CommandTree, application_id: int | None, record: Path | None) -> bool:
    """Sync the tree's commands unless `record` says these very definitions were synced; True when synced now."""
    digest = definitions_digest(tree, application_id)
    if record is not None and _last_synced(record) == digest:
        log.info("slash commands unchanged since the last sync: not syncing")
        return False
    try:
        synced = await tree.sync()
    except (discord.RateLimited, discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError) as problem:
        log.error(
            "could not sync slash commands (%s): serving with the commands Discord already has; "
            "the next start tries again",
            _why(problem),
        )
        return False
    log.info("synced %d slash commands", len(synced))
    if record is not None:
        _remember(record, digest)
    return True
