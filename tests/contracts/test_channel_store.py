"""`ChannelStore`: a channel's settings, saved and read back whole, one row per channel."""

from __future__ import annotations

from datetime import date

from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule, parse_time
from tests.contracts.conftest import CHANNEL, OTHER_CHANNEL


async def test_settings_are_read_back_as_saved_and_a_second_save_replaces_them(store):
    assert await store.get_channel(CHANNEL) is None
    first = ChannelConfig(CHANNEL, Schedule(at=parse_time("07:30"), timezone="Europe/Berlin"), name="study", seed="s")
    await store.save_channel(first)
    assert await store.get_channel(CHANNEL) == first
    paused = ChannelConfig(
        CHANNEL,
        first.schedule.with_changes(paused=True, skip_dates=frozenset({date(2026, 11, 24)})),
        name="study",
        seed="s",
    )
    await store.save_channel(paused)
    assert await store.get_channel(CHANNEL) == paused
    assert await store.list_channels() == [paused]


async def test_channels_are_listed_in_the_order_they_were_set_up_and_by_platform(store):
    slack = ChannelRef("slack", "w", "c")
    for ref in (CHANNEL, slack, OTHER_CHANNEL):
        await store.save_channel(ChannelConfig(ref, Schedule()))
    assert [c.ref for c in await store.list_channels()] == [CHANNEL, slack, OTHER_CHANNEL]
    assert [c.ref for c in await store.list_channels(platform="test")] == [CHANNEL, OTHER_CHANNEL]


async def test_many_channels_are_read_at_once_in_the_order_asked_and_only_those_set_up(store):
    refs = [ChannelRef("test", f"g{n % 3}", f"c{n}") for n in range(1_203)]  # more than one read's worth
    for ref in refs[::2]:
        await store.save_channel(ChannelConfig(ref, Schedule(), name=ref.channel_id))
    asked = [*reversed(refs[:600]), ChannelRef("slack", "g0", "c0"), *refs[600:]]
    found = await store.get_channels(asked)
    assert [config.name for config in found] == [ref.channel_id for ref in asked if ref in refs[::2]]


async def test_listed_channels_keep_every_setting_of_their_own_when_most_share_one_schedule(store):
    shared = Schedule(at=parse_time("08:00"), timezone="Asia/Tokyo", days=("mon", "wed"), topics=("statistics",))
    differing = {
        "paused": shared.with_changes(paused=True),
        "skip": shared.with_changes(skip_dates=frozenset({date(2026, 12, 2)})),
        "later": shared.with_changes(at=parse_time("08:15")),
        "harder": shared.with_changes(difficulties=("hard",)),
    }
    saved = [ChannelConfig(ChannelRef("test", "g", f"same{n}"), shared, name=f"same{n}", seed=str(n)) for n in range(3)]
    saved += [ChannelConfig(ChannelRef("test", "g", name), schedule, name=name) for name, schedule in differing.items()]
    for config in saved:
        await store.save_channel(config)
    assert await store.list_channels(platform="test") == saved
