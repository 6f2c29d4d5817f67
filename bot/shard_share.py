"""Which Discord shards the bots on one database run between them, told by their heartbeats.

Processes sharing a sharded Discord bot each run the shards in their `DISCORD_SHARD_IDS`; a shard that none of
them runs leaves its servers without daily posts and with their answers unread, and nothing else would say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ShardShare:
    """The shards one process runs (`ids`) of how many in all (`count`)."""

    ids: tuple[int, ...]
    count: int

    def text(self) -> str:
        """As the heartbeat keeps it: `0,1/4`."""
        return f"{','.join(map(str, self.ids))}/{self.count}"

    @classmethod
    def read(cls, text: str) -> ShardShare | None:
        """The share a heartbeat names; None for a bot that runs every shard (or is not on Discord)."""
        ids, _, count = text.partition("/")
        if not ids or not count.isdigit():
            return None
        return cls(tuple(int(part) for part in ids.split(",") if part.isdigit()), int(count))


def _listed(shards: Iterable[int]) -> str:
    return ", ".join(map(str, sorted(shards)))


def shard_problem(own: ShardShare, others: Iterable[ShardShare | None]) -> str | None:
    """What is wrong with the shards this process (`own`) and the other running Discord bots (each `others`' share,
    None for one that runs them all) run between them, or None when every shard is run."""
    shares = [own]
    for share in others:
        if share is None:
            return None  # a bot that runs every shard leaves none out
        shares.append(share)
    counts = {share.count for share in shares}
    if len(counts) > 1:
        return (
            f"the Discord bots on this database split the gateway into different numbers of shards "
            f"({_listed(counts)}): give every process the same DISCORD_SHARD_COUNT"
        )
    run = {shard for share in shares for shard in share.ids}
    missing = set(range(own.count)) - run
    if not missing:
        return None
    which = "shard {} of {} is" if len(missing) == 1 else "shards {} of {} are"
    return (
        f"Discord {which.format(_listed(missing), own.count)} run by no bot on this database: their servers get "
        "no daily posts and their answers are not read until a process runs them (DISCORD_SHARD_IDS)"
    )
