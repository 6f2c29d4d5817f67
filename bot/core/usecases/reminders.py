"""Review reminders: a member opts in with a local time, and gets a private message at it on days reviews are due.

Each minute the reminders whose instant has come are read by that instant (one indexed query per batch, each with
its member's due count) and sent many at once, as the daily fan-out posts. Each is claimed before it is sent:
moving it to its next day in the store is the claim, so a reminder goes out at most once whichever worker or
restart gets to it. One missed while the bot was down is made up within the grace window, and passed over beyond.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, datetime
from enum import StrEnum

from bot.core.concurrency import at_most
from bot.core.errors import InvalidInput
from bot.core.ports import MemberUnreachable, MessagesMembers, RateLimited, ReminderStore
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.refs import Actor, Member, MemberRef
from bot.core.reminders import DueReminder, Reminder, next_reminder, reviews_due_text
from bot.core.schedule import parse_time, parse_timezone
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import FAN_OUT_CONCURRENCY

log = logging.getLogger(__name__)

BATCH = 1000  # reminders read at a time: a few fan-outs' worth
NOT_AVAILABLE = "reminders need direct messages, which this platform does not offer"
DMS_CLOSED = (
    "I can't send you direct messages, so your review reminders are off. Allow direct messages from this "
    "server's members, then run /review remind again to have them back."
)


class Sent(StrEnum):
    SENT = "sent"
    NOTHING_DUE = "nothing-due"  # passed over for the day: no review due
    MISSED = "missed"  # passed over: its time is further back than the grace window
    SWITCHED_OFF = "switched-off"  # the member takes no direct messages
    TAKEN = "taken"  # another worker claimed it first
    FAILED = "failed"


class Reminders:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._store: ReminderStore = context.store
        self._bank_ids: frozenset[str] | None = None

    async def set(self, actor: Actor, time_text: str, timezone_text: str | None) -> Reminder:
        """The member's reminder at `time_text` in `timezone_text` (or the timezone they chose before, else UTC)."""
        if not isinstance(self._ctx.platform, MessagesMembers):
            raise InvalidInput(NOT_AVAILABLE)
        at = parse_time(time_text)
        member = actor.member.ref
        existing = await self._store.get_reminder(member=member)
        zone = parse_timezone(timezone_text or (existing.timezone if existing else "UTC"))
        last_day = existing.last_day if existing else None  # changing the time never brings a second one that day
        _, next_at = next_reminder(at, zone, after=self._ctx.now(), last_day=last_day)
        reminder = Reminder(member, at, zone.key, actor.channel, actor.member.display_name, next_at, last_day)
        await self._store.save_reminder(reminder)
        return reminder

    async def off(self, member: MemberRef) -> bool:
        return await self._store.drop_reminder(member=member)

    async def send_due(self, *, concurrency: int = FAN_OUT_CONCURRENCY, batch: int = BATCH) -> Counter[Sent]:
        """Every reminder whose time has come: sent when its member has reviews due, else passed over for the day.
        Returns how many ended each way."""
        outcomes: Counter[Sent] = Counter()
        platform = self._ctx.platform
        if not isinstance(platform, MessagesMembers):
            return outcomes
        seen: set[MemberRef] = set()  # one given back (rate limited) waits for the next minute
        while True:
            found = await self._store.due_reminders(
                platform=platform.name, now=self._ctx.now(), question_ids=self._question_ids(), limit=batch
            )
            fresh = [due for due in found if due.reminder.member not in seen]
            seen.update(due.reminder.member for due in fresh)
            outcomes.update(await at_most(concurrency, fresh, lambda due: self._one(platform, due)))
            if len(found) < batch or not fresh:
                return outcomes

    def _question_ids(self) -> frozenset[str]:
        """The bank's questions: a card whose question has left the bank is not a review due."""
        if self._bank_ids is None:
            self._bank_ids = frozenset(question.id for question in self._ctx.bank.questions)
        return self._bank_ids

    async def _one(self, platform: MessagesMembers, due: DueReminder) -> Sent:
        try:
            return await self._send(platform, due)
        except Exception:
            log.exception("the review reminder of member %s failed", due.reminder.member.user_id)
            return Sent.FAILED

    async def _send(self, platform: MessagesMembers, due: DueReminder) -> Sent:
        reminder, now = due.reminder, self._ctx.now()
        day = reminder.next_at.astimezone(reminder.zone).date()
        _, next_at = next_reminder(reminder.at, reminder.zone, after=max(now, reminder.next_at), last_day=day)
        if not await self._claim(reminder, next_at, day):
            return Sent.TAKEN
        if now - reminder.next_at > self._ctx.policy.grace:
            return Sent.MISSED
        if due.reviews_due == 0:
            return Sent.NOTHING_DUE
        text = reviews_due_text(due.reviews_due)
        try:
            await waiting_out_rate_limits(
                lambda: platform.message_member(reminder.member, text),
                at_most=self._ctx.policy.claim_lease.total_seconds(),
            )
        except MemberUnreachable as problem:
            await self._switch_off(platform, reminder, str(problem))
            return Sent.SWITCHED_OFF
        except RateLimited:  # refused, so nothing went out: give it back for the next minute
            await self._store.move_reminder(
                member=reminder.member, due_at=next_at, next_at=reminder.next_at, last_day=reminder.last_day
            )
            return Sent.FAILED
        return Sent.SENT

    async def _claim(self, reminder: Reminder, next_at: datetime, day: date) -> bool:
        return await self._store.move_reminder(
            member=reminder.member, due_at=reminder.next_at, next_at=next_at, last_day=day
        )

    async def _switch_off(self, platform: MessagesMembers, reminder: Reminder, why: str) -> None:
        """Off, and said once where it was set up: the reminder is gone, so nothing tells them again."""
        log.info("review reminders of member %s switched off: %s", reminder.member.user_id, why)
        await self._store.drop_reminder(member=reminder.member)
        try:
            await platform.tell_in_channel(reminder.channel, Member(reminder.member, reminder.display_name), DMS_CLOSED)
        except Exception as problem:
            log.warning("could not tell member %s their reminders are off: %s", reminder.member.user_id, problem)
