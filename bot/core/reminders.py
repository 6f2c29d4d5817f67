"""A member's review reminder: the local time and timezone they chose, and the instant it next comes.

Pure calendar rules (zoneinfo only). A wall time a DST jump skips comes at the first instant after the jump; a
wall time that happens twice (the clocks go back) comes at the first of the two, and once: a reminder belongs
to a local day, and the next is always on a later one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.refs import ChannelRef, MemberRef


@dataclass(frozen=True, slots=True)
class Reminder:
    member: MemberRef
    at: time  # local wall time
    timezone: str  # IANA name
    channel: ChannelRef  # where it was set up: a member whose direct messages are closed is told there
    display_name: str
    next_at: datetime  # the instant (UTC) it comes next
    last_day: date | None = None  # the local day of the last one sent or passed over

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        return f"{self.at:%H:%M} {self.timezone}"


@dataclass(frozen=True, slots=True)
class DueReminder:
    reminder: Reminder
    reviews_due: int  # the member's cards due now, of questions still in the bank


def comes_on(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant (UTC) of `day`'s reminder at local `at`."""
    wall = datetime.combine(day, at)
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first  # it exists (the first of two when the clocks go back)
    # Skipped by the clocks going forward: the jump is between the instant read with the offset after it and
    # the one read with the offset before it; the first instant whose wall time has passed `at` is the jump.
    instant = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while instant.astimezone(zone).replace(tzinfo=None) < wall:
        instant += timedelta(minutes=1)
    return instant


def next_reminder(at: time, zone: ZoneInfo, *, after: datetime, last_day: date | None) -> tuple[date, datetime]:
    """The local day and instant of the first reminder later than `after`, on a day after `last_day`."""
    day = after.astimezone(zone).date()
    if last_day is not None and day <= last_day:
        day = last_day + timedelta(days=1)
    while (instant := comes_on(day, at, zone)) <= after:
        day += timedelta(days=1)
    return day, instant


def reviews_due_text(count: int) -> str:
    return f"{count} review{'' if count == 1 else 's'} due: /review"
