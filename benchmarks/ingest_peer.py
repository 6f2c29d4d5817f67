"""Ingest through the real use case on two storage shapes, in one run: this store, and a peer that commits
each write in its own aiosqlite transaction (no group commit). `python -m benchmarks.ingest_peer [--quick]`.

Prints replies/s of each, their ratio, p99 per event, and raw sqlite3 executemany of the same rows.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks import ingest
from benchmarks.common import percentile
from bot.storage.database import Database

T = TypeVar("T")


class PerWriteTransactions(Database):
    """The peer: every write is BEGIN, its statements, COMMIT on the aiosqlite connection, one at a time."""

    def __init__(self, reader: Any, path: str) -> None:
        super().__init__(reader, path)
        self._one_at_a_time = asyncio.Lock()

    async def write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        async with self._one_at_a_time:
            await self.reader.execute("BEGIN IMMEDIATE")
            try:
                result: T = await self.reader._execute(work, self.reader._conn)
            except BaseException:
                await self.reader.execute("ROLLBACK")
                raise
            await self.reader.execute("COMMIT")
            self.batches += 1
            return result


async def measure(folder: Path, quick: bool, peer: bool) -> tuple[float, float, int]:
    load = ingest.workload(quick)
    path = folder / ("peer.db" if peer else "ours.db")
    if peer:
        original = Database.open.__func__  # type: ignore[attr-defined]

        async def open_peer(cls: type[Database], target: Path | str) -> Database:
            return await original(PerWriteTransactions, target)

        Database.open = classmethod(open_peer)  # type: ignore[method-assign, assignment]
    try:
        group, _, posts = await ingest.open_questions(path, load)
    finally:
        if peer:
            Database.open = classmethod(original)  # type: ignore[method-assign, assignment]
    stream, replies = ingest.events(load, posts)
    started = time.perf_counter()
    latencies, _, _ = await ingest.deliver(group, stream)
    elapsed = time.perf_counter() - started
    await group.context.store.close()  # type: ignore[attr-defined]
    return replies / elapsed, percentile(latencies, 99) * 1000, replies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    quick = parser.parse_args().quick
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ours, peers, raws = [], [], []
        for round_ in range(rounds):
            sub = folder / str(round_)
            sub.mkdir()
            rate, p99, _ = asyncio.run(measure(sub, quick, peer=False))
            ours.append((rate, p99))
            peer_rate, peer_p99, _ = asyncio.run(measure(sub, quick, peer=True))
            peers.append((peer_rate, peer_p99))
            raw, answers = ingest.raw_baseline_upserts(sub / "raw.db", sub / "ours.db")
            raws.append(answers / raw)
            print(
                f"round {round_ + 1}: ours {rate:,.0f}/s (p99 {p99:.1f} ms), peer {peer_rate:,.0f}/s "
                f"(p99 {peer_p99:.1f} ms), raw executemany {answers / raw:,.0f} answers/s"
            )
        ours.sort()
        peers.sort()
        raws.sort()
        mid = rounds // 2
        print(
            f"median: ours {ours[mid][0]:,.0f}/s, peer {peers[mid][0]:,.0f}/s = {ours[mid][0] / peers[mid][0]:.1f}x; "
            f"raw {raws[mid]:,.0f}/s = {ours[mid][0] / raws[mid]:.2f}x raw"
        )


if __name__ == "__main__":
    main()
