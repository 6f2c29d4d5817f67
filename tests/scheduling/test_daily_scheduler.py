"""The APScheduler wrapper: one cron job per channel in its timezone, rebuilt at start, re-planned on change; and
the minute's review reminders."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.core.style import TextStyle
from bot.scheduling.scheduler import DailyScheduler, cron_trigger
from tests.core.test_daily_loop import CHANNEL, mod, run
from tests.core.test_reminders import ADA, berlin, due_card, remind


def test_cron_trigger_fires_at_local_time_across_the_dst_change():
    config = ChannelConfig(
        ChannelRef("t", "g", "c"), Schedule(at=time(9, 0), timezone="America/New_York", days=("sat", "sun", "mon"))
    )
    trigger = cron_trigger(config)
    before = datetime(2026, 10, 31, 14, 0, tzinfo=UTC)  # Saturday 10:00 EDT
    fires = []
    previous = None
    now = before
    for _ in range(3):
        fire = trigger.get_next_fire_time(previous, now)
        fires.append(fire.astimezone(UTC))
        previous, now = fire, fire
    # Sun 1 Nov 09:00 EDT is 13:00 UTC... the clocks fall back that night, so 09:00 EST is 14:00 UTC
    assert fires == [
        datetime(2026, 11, 1, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 2, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 7, 14, 0, tzinfo=UTC),
    ]
    assert all(f.astimezone(ZoneInfo("America/New_York")).hour == 9 for f in fires)


async def test_jobs_are_rebuilt_from_the_database_and_follow_schedule_changes(group):
    await run(group, mod(), "/qotd setup time:09:00 tz:Europe/Berlin days:mon-fri")
    scheduler = DailyScheduler(group, TextStyle())
    await scheduler.start()
    try:
        first = scheduler.next_run(CHANNEL)
        assert first is not None and first.astimezone(ZoneInfo("Europe/Berlin")).time() == time(9, 0)
        await run(group, mod(), "/qotd setup time:18:30 tz:Asia/Tokyo")
        changed = scheduler.next_run(CHANNEL)
        assert changed.astimezone(ZoneInfo("Asia/Tokyo")).time() == time(18, 30)
        assert changed.astimezone(ZoneInfo("Asia/Tokyo")).weekday() < 5
    finally:
        scheduler.shutdown()


async def test_every_minute_the_scheduler_sends_the_review_reminders_due(group, platform, clock):
    await due_card(group, ADA, berlin(2027, 1, 1, 12))
    await remind(group, clock, "/review remind time:08:00 tz:Europe/Berlin", now=berlin(2027, 1, 4, 7))
    scheduler = DailyScheduler(group, TextStyle())
    await scheduler.start()
    try:
        next_run = scheduler.next_reminders_run()
        assert next_run is not None and next_run - datetime.now(UTC) <= timedelta(minutes=1)
        clock.set(berlin(2027, 1, 4, 8))
        await scheduler.send_reminders()
        assert platform.direct_messages == [(ADA.member.ref, "1 review due: /review")]
    finally:
        scheduler.shutdown()
