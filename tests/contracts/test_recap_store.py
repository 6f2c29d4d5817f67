"""`RecapStore`: the channel's setting, one recap per channel and week, and the week's days as the recap counts them."""

from __future__ import annotations

from datetime import timedelta

from bot.core.recaps import RecapStatus
from bot.core.records import ChannelConfig
from bot.core.schedule import Schedule
from tests.contracts.conftest import CHANNEL, NOW, OTHER_CHANNEL, TODAY, answer, no_bonus, posted

WEEK = TODAY - timedelta(weeks=1)  # a Monday


async def test_the_recap_is_off_until_turned_on_and_only_for_a_channel_set_up(store):
    assert not await store.set_recap(channel=CHANNEL, on=True)  # not set up: nothing to turn on
    await store.save_channel(ChannelConfig(CHANNEL, Schedule()))
    await store.save_channel(ChannelConfig(OTHER_CHANNEL, Schedule()))
    assert not await store.recap_is_on(channel=CHANNEL)
    assert await store.set_recap(channel=CHANNEL, on=True)
    assert await store.recap_is_on(channel=CHANNEL)
    await store.save_channel(ChannelConfig(CHANNEL, Schedule(days=("mon",))))  # a new schedule keeps it on
    assert [config.ref for config in await store.recap_channels(platform="test")] == [CHANNEL]
    assert await store.recap_channels(platform="slack") == []
    assert await store.set_recap(channel=CHANNEL, on=False)
    assert await store.recap_channels(platform="test") == []


async def test_a_week_is_claimed_once_then_posted_skipped_or_released(store):
    await store.save_channel(ChannelConfig(CHANNEL, Schedule()))
    first = await store.claim_recap(channel=CHANNEL, week=WEEK, now=NOW)
    again = await store.claim_recap(channel=CHANNEL, week=WEEK, now=NOW + timedelta(minutes=1))
    assert first.created and not again.created and again.recap == first.recap
    assert first.recap.status is RecapStatus.CLAIMED and first.recap.post_key == "studybot-recap-c-2026-11-16"
    assert [recap.id for recap in await store.claimed_recaps(platform="test")] == [first.recap.id]
    assert not await store.take_over_abandoned_recap(recap_id=first.recap.id, now=NOW)  # this process's own
    await store.release_recap(recap_id=first.recap.id)
    retry = await store.claim_recap(channel=CHANNEL, week=WEEK, now=NOW)
    assert retry.created
    done = await store.finish_recap(recap_id=retry.recap.id, message_id="m1")
    assert done.status is RecapStatus.POSTED and done.message_id == "m1"
    assert await store.finish_recap(recap_id=retry.recap.id, message_id="m2") == done  # finished once
    await store.release_recap(recap_id=retry.recap.id)  # a posted recap is never given back
    assert not (await store.claim_recap(channel=CHANNEL, week=WEEK, now=NOW)).created
    assert await store.claimed_recaps(platform="test") == []
    later = await store.claim_recap(channel=CHANNEL, week=WEEK + timedelta(weeks=1), now=NOW)
    skipped = await store.finish_recap(recap_id=later.recap.id, message_id=None)
    assert skipped.status is RecapStatus.SKIPPED


async def test_the_days_of_a_week_count_live_answers_and_name_the_best(store):
    monday = await posted(store, day=WEEK, thread="t1")
    wednesday = await posted(store, day=WEEK + timedelta(days=2), thread="t2")
    await posted(store, day=WEEK + timedelta(weeks=1), thread="t3")  # the next week: not in it
    ada = await store.record_answer(answer(monday, "m1", "ada"), early_bonus=no_bonus)
    bob = await store.record_answer(answer(monday, "m2", "bob"), early_bonus=no_bonus)
    await store.record_answer(answer(wednesday, "m3", "cyd"), early_bonus=no_bonus)
    gone = await store.record_answer(answer(wednesday, "m4", "dee"), early_bonus=no_bonus)
    assert ada and bob and gone
    await store.set_best_answer(answer_id=bob.id, best=True, bonus=15)
    await store.delete_answer(answer_id=gone.id)
    tallies = await store.day_tallies(channel=CHANNEL, first=WEEK, last=WEEK + timedelta(days=6))
    assert [(t.local_date, t.question_id, t.answers, t.best) for t in tallies] == [
        (WEEK, f"q-{WEEK}", 2, ("Bob",)),
        (WEEK + timedelta(days=2), f"q-{WEEK + timedelta(days=2)}", 1, ()),
    ]
    assert await store.day_tallies(channel=OTHER_CHANNEL, first=WEEK, last=WEEK + timedelta(days=6)) == []
