"""A channel's posting schedule: time of day, weekdays and IANA timezone, and the dates it fires on.

Pure calendar logic (zoneinfo only), so that what the scheduler does can be checked without it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.errors import InvalidInput
from bot.core.focus import Focus

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_ALIASES = {
    "daily": WEEKDAYS,
    "every": WEEKDAYS,
    "all": WEEKDAYS,
    "weekdays": WEEKDAYS[:5],
    "weekends": WEEKDAYS[5:],
}


def parse_time(text: str) -> time:
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text or "")
    if not match:
        raise InvalidInput(f"time '{text}' is not HH:MM (24-hour clock), for example 09:00 or 18:30")
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise InvalidInput(f"time '{text}' is out of range: hours go 00-23 and minutes 00-59")
    return time(hour, minute)


MAX_TIMEZONE_CHARS = 64  # the longest IANA name has 32


def parse_timezone(name: str) -> ZoneInfo:
    cleaned = (name or "").strip()
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or len(cleaned) > MAX_TIMEZONE_CHARS:
            raise ZoneInfoNotFoundError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name the file system cannot even look up
        suggestion = _closest_timezone(cleaned) if len(cleaned) <= MAX_TIMEZONE_CHARS else None
        hint = f" Did you mean {suggestion}?" if suggestion else ""
        shown = name if len(name) <= MAX_TIMEZONE_CHARS else f"{name[:20]}... ({len(name)} characters)"
        raise InvalidInput(
            f"timezone '{shown}' is not an IANA timezone name such as Europe/Berlin, America/New_York or UTC.{hint}"
        ) from None


def _closest_timezone(name: str) -> str | None:
    import difflib

    lowered = {zone.lower(): zone for zone in available_timezones()}
    matches = difflib.get_close_matches(name.lower().replace(" ", "_"), list(lowered), n=1, cutoff=0.6)
    return lowered[matches[0]] if matches else None


def parse_days(text: str | Iterable[str]) -> tuple[str, ...]:
    """Parse `mon-fri`, `mon,wed,fri`, `weekdays`, `daily` (or a list of those) into weekday names."""
    parts = re.split(r"[\s,]+", text.strip().lower()) if isinstance(text, str) else [p.lower() for p in text]
    chosen: set[str] = set()
    for part in filter(None, parts):
        if part in _DAY_ALIASES:
            chosen.update(_DAY_ALIASES[part])
        elif "-" in part:
            start, _, end = part.partition("-")
            first, last = _day_index(start, text), _day_index(end, text)
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)]
            chosen.update(WEEKDAYS[i] for i in span)
        else:
            chosen.add(WEEKDAYS[_day_index(part, text)])
    if not chosen:
        raise InvalidInput(
            "days is empty, so the question would never be posted: give days such as mon-fri, "
            "mon,wed,fri, weekdays or daily"
        )
    return tuple(day for day in WEEKDAYS if day in chosen)


def _day_index(token: str, whole: object) -> int:
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    for index, name in enumerate(names):
        if len(token) >= 3 and name.startswith(token):
            return index
    raise InvalidInput(f"days '{whole}': '{token}' is not a weekday; use mon, tue, wed, thu, fri, sat, sun")


@dataclass(frozen=True, slots=True)
class Schedule:
    """When a channel gets its daily question."""

    at: time = time(9, 0)
    timezone: str = "UTC"
    days: tuple[str, ...] = WEEKDAYS
    topics: tuple[str, ...] = ()
    difficulties: tuple[str, ...] = ()
    paused: bool = False
    skip_dates: frozenset[date] = field(default_factory=frozenset)
    focus: Focus = Focus.OFF  # how the daily pick chooses among the questions these allow

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def with_changes(self, **changes: object) -> Schedule:
        return replace(self, **changes)  # type: ignore[arg-type]

    def fires_on(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.days

    def local_date(self, when: datetime) -> date:
        return when.astimezone(self.zone).date()

    def fire_time(self, day: date) -> datetime:
        """The aware instant of `day`'s post; a wall time skipped by a DST jump resolves forward."""
        local = datetime.combine(day, self.at, tzinfo=self.zone)
        # Round-trip through UTC normalises times that do not exist on this date (spring forward).
        return local.astimezone(UTC).astimezone(self.zone)

    def latest_due(self, now: datetime) -> tuple[date, datetime] | None:
        """The most recent scheduled (date, instant) at or before `now`, looking back one week."""
        today = self.local_date(now)
        for back in range(8):
            day = today - timedelta(days=back)
            if self.fires_on(day) and (fires := self.fire_time(day)) <= now:
                return day, fires
        return None

    def next_due(self, now: datetime) -> tuple[date, datetime] | None:
        today = self.local_date(now)
        for ahead in range(8):
            day = today + timedelta(days=ahead)
            if self.fires_on(day) and (fires := self.fire_time(day)) > now:
                return day, fires
        return None

    def describe(self) -> str:
        days = "every day" if self.days == WEEKDAYS else ", ".join(self.days)
        text = f"{self.at:%H:%M} {self.timezone}, {days}"
        if self.topics:
            text += f"; topics: {', '.join(self.topics)}"
        if self.difficulties:
            text += f"; difficulty: {', '.join(self.difficulties)}"
        if self.focus is Focus.WEAKEST:
            text += "; focus: the weakest topics"
        return text
