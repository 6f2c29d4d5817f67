"""Which instances have a PostgreSQL database open, told by session advisory locks the server drops when a
connection ends, so a killed bot is known to be gone as soon as its connection is (the server notices a closed
socket at once; a host that vanishes is noticed within TCP keepalive, set short below).

Each instance holds, on a connection of its own, the advisory lock whose key is derived from its instance name;
any connection can see in `pg_locks` whether that lock is held, without taking it. The same role as
`bot.storage.presence`'s lock files beside a SQLite database.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from typing import Any

import psycopg

# Keeps the server's view of a vanished host short: with these, a dead peer's session ends within about 30 s.
KEEPALIVE: dict[str, Any] = {"keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3}

# The first half of every presence lock's key, so studybot's locks never meet another application's.
NAMESPACE = 0x57D7B07

_TAKE = "SELECT pg_try_advisory_lock(CAST(%s AS integer), CAST(%s AS integer))"
_RELEASE = "SELECT pg_advisory_unlock(CAST(%s AS integer), CAST(%s AS integer))"
# Whether an instance's lock is held: a shared hold of it is refused while its owner lives, and is let go at
# once when granted. (Reading pg_locks instead takes every lock partition of the server, a cost paid for every
# claim of another bot that a bot checks.) `lock_held(instance)` gives the parameters.
HELD = """
    SELECT CASE WHEN pg_try_advisory_lock_shared(CAST(?1 AS integer), CAST(?2 AS integer))
        THEN NOT pg_advisory_unlock_shared(CAST(?1 AS integer), CAST(?2 AS integer))
        ELSE true END
"""


def application_name(instance: str) -> str:
    """What each of an instance's connections is called in `pg_stat_activity`, so an operator can tell them."""
    return f"studybot {instance}"


def lock_key(instance: str) -> int | None:
    """The second half of an instance's lock key (never 0: the writers' lock has that); None for a name that is
    not an instance's."""
    try:
        return max(1, uuid.UUID(hex=instance).int & 0x7FFFFFFF)
    except ValueError:
        return None


class PostgresPresence:
    """This process's hold on the database, on a connection of its own: `take(url)` when opening it,
    `release()` when closed."""

    def __init__(self, connection: psycopg.Connection[tuple[object, ...]], instance: str, url: str) -> None:
        self.connection = connection
        self.instance = instance
        self._url = url

    @classmethod
    def take(cls, url: str) -> PostgresPresence:
        connection = psycopg.connect(url, autocommit=True, **KEEPALIVE)
        try:
            while True:  # a new name whose key no running instance holds
                instance = uuid.uuid4().hex
                row = connection.execute(_TAKE, (NAMESPACE, lock_key(instance)))
                if (found := row.fetchone()) is not None and found[0]:
                    connection.execute("SELECT set_config('application_name', %s, false)", [application_name(instance)])
                    return cls(connection, instance, url)
        except BaseException:
            connection.close()
            raise

    def keep(self) -> None:
        """Connect and take the lock again if the server dropped this instance's connection (an idle connection
        learns that only when used: hence the probe)."""
        with contextlib.suppress(psycopg.OperationalError):
            if not self.connection.closed and self.connection.execute("SELECT 1").fetchone():
                return
        self.connection.close()
        connection = psycopg.connect(self._url, autocommit=True, **KEEPALIVE)
        for _ in range(50):  # another instance may be checking it this very moment (see HELD)
            taken = connection.execute(_TAKE, (NAMESPACE, lock_key(self.instance))).fetchone()
            if taken and taken[0]:
                break
            time.sleep(0.01)
        else:  # unreachable unless a second process shares this name
            connection.close()
            raise psycopg.OperationalError(f"the presence lock of instance {self.instance} is held elsewhere")
        connection.execute("SELECT set_config('application_name', %s, false)", [application_name(self.instance)])
        self.connection = connection

    def release(self) -> None:
        """Let the lock go before closing: the server ends a closed session in its own time, and until then
        another instance would still see this one alive."""
        with contextlib.suppress(psycopg.Error):
            if not self.connection.closed:
                self.connection.execute(_RELEASE, (NAMESPACE, lock_key(self.instance)))
        self.connection.close()


def lock_held(instance: str) -> tuple[int, int] | None:
    """`HELD`'s parameters for the instance; None for a name that is not an instance's."""
    key = lock_key(instance)
    return None if key is None else (NAMESPACE, key)
