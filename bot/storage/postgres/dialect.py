"""SQLite's SQL as the store writes it, turned into PostgreSQL's: the one place the two dialects differ in queries.

The store's statements are written once, for SQLite's DB-API connection: `?` and `?N` placeholders, `:name`
parameters, and a few functions of SQLite's own. PostgreSQL (psycopg) takes `%s` and `%(name)s`, and a literal
`%` must be doubled. Text inside quotes is never changed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

from bot.storage.postgres.write_locks import EVERYTHING

# Statements of SQLite's own, and what PostgreSQL says instead.
_REWRITES = (
    # A JSON object's members as a table of `key` and `value`.
    (
        re.compile(r"SELECT key, value FROM json_each\((\?|:\w+)\)"),
        r"SELECT key, value FROM json_each_text(CAST(\1 AS json))",
    ),
    # A JSON array of text as a one-column table named `value`.
    (re.compile(r"json_each\((\?|:\w+)\)"), r"json_array_elements_text(CAST(\1 AS json))"),
    # Seconds since the epoch of an instant stored as ISO text.
    (
        re.compile(r"CAST\(strftime\('%s', ([\w.]+)\) AS INTEGER\)"),
        r"CAST(extract(epoch FROM CAST(\1 AS timestamptz)) AS BIGINT)",
    ),
    # SQLite's CROSS JOIN of a table ON a condition is a join whose order its planner keeps; PostgreSQL's planner
    # orders joins itself, and takes ON only after JOIN.
    (re.compile(r"\bCROSS JOIN (\w+(?: AS \w+)?) ON\b"), r"JOIN \1 ON"),
    # SQLite's one writer at a time: on PostgreSQL, the lock every instance's writers share (write_locks.py).
    (re.compile(r"^BEGIN IMMEDIATE$"), f"BEGIN; {EVERYTHING}"),
)

_TOKENS = re.compile(r"'(?:[^']|'')*'|\?(\d+)?|:([A-Za-z_]\w*)|::|%")


@lru_cache(maxsize=1024)
def _translate(sql: str) -> tuple[str, tuple[int, ...] | None, bool]:
    """(PostgreSQL's statement, the positions of SQLite's `?N` parameters in order or None, whether it names
    parameters)."""
    for pattern, replacement in _REWRITES:
        sql = pattern.sub(replacement, sql)
    order: list[int] = []
    numbered = named = False
    position = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal numbered, named, position
        token = match.group(0)
        if token.startswith("'"):
            return token.replace("%", "%%")  # psycopg reads % everywhere once there are parameters
        if token == "::":
            return token
        if token == "%":
            return "%%"
        if token.startswith(":"):
            named = True
            return f"%({match.group(2)})s"
        if match.group(1):
            numbered = True
            order.append(int(match.group(1)) - 1)
        else:
            order.append(position)
            position += 1
        return "%s"

    translated = _TOKENS.sub(replace, sql)
    return translated, (tuple(order) if numbered else None), named


def _value(value: object) -> object:
    """What SQLite would have stored: booleans as 0 and 1, dates as ISO text (the columns are integers and text)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def translate(
    sql: str, params: Sequence[object] | Mapping[str, object] = ()
) -> tuple[str, Sequence[object] | Mapping[str, object] | None]:
    """The statement and parameters for psycopg (None when there are none, so a `%` is left as it is)."""
    if not params:
        rewritten = sql
        for pattern, replacement in _REWRITES:
            rewritten = pattern.sub(replacement, rewritten)
        return rewritten, None
    translated, order, named = _translate(sql)
    if isinstance(params, Mapping):
        return translated, {key: _value(value) for key, value in params.items()}
    values = [_value(value) for value in params]
    if order is not None:
        values = [values[index] for index in order]
    if named:
        raise ValueError("named parameters need a mapping")
    return translated, values
