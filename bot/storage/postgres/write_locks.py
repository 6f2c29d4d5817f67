"""The advisory locks that keep every instance's writes on one PostgreSQL database as safe as SQLite's one writer.

A work function reads and then writes (a claim reads the channel's posts, then inserts the day's), so two
instances' transactions must not interleave where they touch the same rows. Two levels of lock, taken when a
transaction begins and let go at its end:

- **Everything**: a transaction whose work does not say what it touches takes the writers' lock alone
  (exclusive), as SQLite's `BEGIN IMMEDIATE` does.
- **Named parts**: a transaction whose every work names what it touches (`Database.write(touching=...)`) takes the
  writers' lock shared, and one exclusive lock per part, in key order, so two such transactions wait for each
  other only when they touch the same part, and never deadlock. A fan-out of many channels shared by several
  instances writes in parallel this way.

Two parts whose names hash to one key merely wait for each other.
"""

from __future__ import annotations

import zlib

from bot.storage.postgres.presence import NAMESPACE

# The writers' lock: second key 0, which no instance's presence lock has (see presence.py).
EVERYTHING = f"SELECT pg_advisory_xact_lock({NAMESPACE}, 0)"
_SHARED = f"SELECT pg_advisory_xact_lock_shared({NAMESPACE}, 0)"
_PARTS = NAMESPACE + 1  # the first half of a part's key: apart from the presence locks


def part_key(part: str) -> int:
    """A part's name as the second half of its lock's key (PostgreSQL's 32-bit integer)."""
    return zlib.crc32(part.encode()) - 2**31


def begin(touching: list[str | None]) -> str:
    """The statements that begin a transaction of work touching these (None: it does not say)."""
    if not touching or None in touching:
        return f"BEGIN; {EVERYTHING}"
    keys = sorted({part_key(part) for part in touching if part is not None})
    return "; ".join(["BEGIN", _SHARED, *(f"SELECT pg_advisory_xact_lock({_PARTS}, {key})" for key in keys)])
