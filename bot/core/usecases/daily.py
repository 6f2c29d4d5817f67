"""The daily question: choosing it, claiming the day, posting it once, and closing it with a summary."""

from __future__ import annotations

import functools
import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TypeVar

from bot.core.concurrency import at_most
from bot.core.errors import StorageFull
from bot.core.ports import (
    AnswerStore,
    ChannelUnavailable,
    Pick,
    PostedQuestion,
    PostStore,
    QuestionCard,
    RateLimited,
)
from bot.core.rate_limits import waiting_out_rate_limits
from bot.core.records import ChannelConfig, DailyPost, PostStatus
from bot.core.refs import ChannelRef
from bot.core.render import closing_summary, question_card
from bot.core.schedule import Schedule
from bot.core.selection import Rotation, choose_daily, choose_weighted
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.weakest import WeakestTopics

log = logging.getLogger(__name__)

T = TypeVar("T")

# How many channels the fan-out posts at once: enough to hide the platform's round trips, few enough that
# a platform's rate limit is met with a handful of waiting requests rather than a storm of 429s.
FAN_OUT_CONCURRENCY = 32


class Outcome(StrEnum):
    POSTED = "posted"
    ALREADY_POSTED = "already-posted"
    IN_PROGRESS = "in-progress"  # another worker claimed the day moments ago
    RECOVERED = "recovered"  # the post went out before a crash; it was found and recorded
    NO_QUESTIONS = "no-questions"
    UNAVAILABLE = "unavailable"
    NOT_DUE = "not-due"


@dataclass(frozen=True, slots=True)
class PostResult:
    outcome: Outcome
    post: DailyPost | None = None
    reason: str = ""


class DailyQuestions:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._posts: PostStore = context.store
        self._answers: AnswerStore = context.store
        self._rotations: dict[tuple[tuple[str, ...], tuple[str, ...]], Rotation] = {}
        self._weakest = WeakestTopics(context)
        # The day each channel was last reported unavailable: the sweep tries it every minute of the grace window,
        # and one line a day says all there is to say.
        self._reported_unavailable: dict[ChannelRef, date] = {}
        # How a channel's answer mode changes its post (its buttons and footer), and what its close does before the
        # summary (the reveal of private answers) and adds under it: set by the study group.
        self.dress_card: Callable[[DailyPost, QuestionCard], Awaitable[QuestionCard]] | None = None
        self.closing_lines: Callable[[DailyPost, TextStyle], Awaitable[list[str]]] | None = None

    async def post_for_date(self, config: ChannelConfig, local_date: date) -> PostResult:
        """Post `local_date`'s question in the channel unless it is already there. Safe to call again."""
        now = self._ctx.now()
        weights = await self._weakest.weights(config, local_date)
        claim = await self._posts.claim_post(
            channel=config.ref,
            local_date=local_date,
            now=now,
            choose=functools.partial(self._choose, config, local_date, weights),
        )
        if claim is None:
            return PostResult(Outcome.NO_QUESTIONS, reason="no question matches this channel's topics")
        post = claim.post
        if not claim.created:
            if post.status is not PostStatus.CLAIMED:
                return PostResult(Outcome.ALREADY_POSTED, post)
            fresh = now - post.claimed_at < self._ctx.policy.claim_lease
            if fresh and not await self._posts.take_over_abandoned_claim(post_id=post.id, now=now):
                return PostResult(Outcome.IN_PROGRESS, post)
            found = await self._find_lost_post(post)
            if found is not None:
                return PostResult(Outcome.RECOVERED, await self._confirm(post, found))
        return await self._publish(post, config.schedule.zone)

    def _choose(
        self, config: ChannelConfig, day: date, weights: Mapping[str, float] | None, cycle: int, used: set[str]
    ) -> Pick | None:
        """The channel's next question, given its current cycle and the questions used in it (no I/O)."""
        seed = config.seed or self._ctx.policy.seed
        pool = (config.schedule.topics, config.schedule.difficulties)
        if weights is None:
            choice = choose_daily(self._rotation(*pool), used=used, cycle=cycle, seed=seed)
        else:
            rotations = self._weakest.rotations(*pool)
            choice = choose_weighted(rotations, used=used, cycle=cycle, seed=seed, day=day, weights=weights)
        return None if choice is None else Pick(choice.question.id, choice.cycle)

    def _rotation(self, topics: tuple[str, ...], difficulties: tuple[str, ...]) -> Rotation:
        """The rotation of the questions a channel's topics and difficulties allow, built once per process: the
        bank never changes while it runs, and a few filters cover every channel."""
        key = (topics, difficulties)
        rotation = self._rotations.get(key)
        if rotation is None:
            pool = self._ctx.bank.filter(topics=topics or None, difficulties=difficulties or None)
            rotation = self._rotations[key] = Rotation.of(pool)
        return rotation

    async def recover_abandoned(self) -> list[PostResult]:
        """At start: every day claimed by a process that has since ended is settled at once, not after the
        lease. A post that went out is found on the platform and recorded, so replies in its thread count; a
        post that did not is given back, for the schedule to make."""
        results, serves = [], self._ctx.served()
        for post in await self._posts.posts_with_status(PostStatus.CLAIMED, platform=self._ctx.platform.name):
            if not serves(post.channel):
                continue
            if not await self._posts.take_over_abandoned_claim(post_id=post.id, now=self._ctx.now()):
                continue
            found = await self._find_lost_post(post)
            if found is not None:
                results.append(PostResult(Outcome.RECOVERED, await self._confirm(post, found)))
            else:
                await self._posts.release_claim(post_id=post.id)
        return results

    async def _find_lost_post(self, post: DailyPost) -> PostedQuestion | None:
        try:
            return await self._waiting_out_rate_limits(
                lambda: self._ctx.platform.find_question_post(post.channel, post_key=post.post_key)
            )
        except ChannelUnavailable:
            return None

    async def _publish(self, post: DailyPost, zone: tzinfo) -> PostResult:
        question = self._ctx.question(post.question_id)
        if question is None:  # the bank changed under a claimed day; give the day back
            await self._posts.release_claim(post_id=post.id)
            return PostResult(Outcome.NO_QUESTIONS, reason=f"question {post.question_id} left the bank")
        closes_at = (self._ctx.now() + timedelta(hours=self._ctx.rules.open_hours)).astimezone(zone)
        footer = (
            f"Reply in the thread with at least {self._ctx.rules.min_answer_chars} characters; "
            f"answers close {closes_at:%a %d %b %H:%M} {_zone_name(zone, closes_at)}."
        )
        card = question_card(question, heading=f"Question of the day · {post.local_date:%a %d %b}", footer=footer)
        if self.dress_card is not None:
            card = await self.dress_card(post, card)
        try:
            posted = await self._waiting_out_rate_limits(
                lambda: self._ctx.platform.post_question(post.channel, card, post_key=post.post_key)
            )
        # Gone, forbidden, or still rate limited after waiting a whole claim lease: give the day back.
        except (RateLimited, ChannelUnavailable) as problem:
            await self._posts.release_claim(post_id=post.id)
            self._report_skipped(post, problem)
            return PostResult(Outcome.UNAVAILABLE, post, reason=str(problem))
        self._reported_unavailable.pop(post.channel, None)  # should it be lost again, that is news
        log.info(
            "posted the question of %s in channel %s: %s",
            post.local_date,
            post.channel.channel_id,
            question.id,
            extra={"channel": post.channel.channel_id, "question": question.id},
        )
        return PostResult(Outcome.POSTED, await self._confirm(post, posted))

    def _report_skipped(self, post: DailyPost, problem: RateLimited | ChannelUnavailable) -> None:
        """One warning per channel and day for a channel the bot may not post in; a rate limit every time."""
        again = isinstance(problem, ChannelUnavailable) and self._reported_unavailable.get(post.channel) == (
            post.local_date
        )
        if isinstance(problem, ChannelUnavailable):
            self._reported_unavailable[post.channel] = post.local_date
        log.log(
            logging.DEBUG if again else logging.WARNING,
            "skipped channel %s: %s",
            post.channel.channel_id,
            problem,
            extra={"channel": post.channel.channel_id, "reason": str(problem)},
        )

    async def _waiting_out_rate_limits(self, request: Callable[[], Awaitable[T]]) -> T:
        """`request`, waiting out rate limits until the claim lease would pass, when another worker may take the
        day over."""
        return await waiting_out_rate_limits(request, at_most=self._ctx.policy.claim_lease.total_seconds())

    async def post_due(
        self, configs: Iterable[ChannelConfig], *, concurrency: int = FAN_OUT_CONCURRENCY
    ) -> list[PostResult]:
        """`post_if_due` for many channels at once (the fan-out when many channels share a minute).

        At most `concurrency` channels are in progress at a time; each still claims its day before posting,
        so a channel is posted at most once however often this runs. Results are in the order of `configs`; the
        channels another process serves (`ServesSomeChannels`) are left out.
        """
        now = self._ctx.now()
        # Channels usually share a few schedules (the store hands out one `Schedule` per distinct setting), and
        # whether a schedule is due now is the costly part of a sweep over thousands of channels that are not.
        verdicts: dict[Schedule, date | PostResult] = {}

        async def post(config: ChannelConfig) -> PostResult:
            due = verdicts.get(config.schedule)
            if due is None:
                due = verdicts[config.schedule] = self._due_date(config.schedule, now)
            if isinstance(due, PostResult):
                return due
            try:
                return await self.post_for_date(config, due)
            except StorageFull as problem:  # the sweep tries again while the day is in its grace window
                log.warning("not posting in channel %s: %s", config.ref.channel_id, problem)
                return PostResult(Outcome.UNAVAILABLE, reason=f"failed: {problem}")
            except Exception as problem:
                log.exception("posting in channel %s failed", config.ref.channel_id)
                return PostResult(Outcome.UNAVAILABLE, reason=f"failed: {problem}")

        serves = self._ctx.served()
        mine = [config for config in configs if serves(config.ref)]
        # In an order of this call's own: other processes sharing the channels go through them in theirs, so they
        # mostly claim different channels at once rather than queue for the same claims one after another.
        order = random.sample(range(len(mine)), len(mine))
        results = await at_most(concurrency, [mine[index] for index in order], post)
        by_index = dict(zip(order, results, strict=True))
        return [by_index[index] for index in range(len(mine))]

    async def _confirm(self, post: DailyPost, posted: PostedQuestion) -> DailyPost:
        now = self._ctx.now()
        return await self._posts.confirm_post(
            post_id=post.id,
            message_id=posted.message_id,
            thread_id=posted.thread_id,
            url=posted.url,
            posted_at=now,
            closes_at=now + timedelta(hours=self._ctx.rules.open_hours),
        )

    async def post_if_due(self, config: ChannelConfig) -> PostResult:
        """The scheduled post: today's question if its time has come, within the grace window, not skipped.

        `config` must be freshly read from the store (the sweep lists the channels, a slot's job reads each of
        its channels when it fires), so a pause or a skip made by this process or another is honoured."""
        due = self._due_date(config.schedule, self._ctx.now())
        if isinstance(due, PostResult):
            return due
        return await self.post_for_date(config, due)

    def _due_date(self, schedule: Schedule, now: datetime) -> date | PostResult:
        """The local date whose post is due at `now`, or why there is none."""
        if schedule.paused:
            return PostResult(Outcome.NOT_DUE, reason="paused")
        due = schedule.latest_due(now)
        if due is None:
            return PostResult(Outcome.NOT_DUE, reason="nothing scheduled")
        local_date, fire_time = due
        if local_date in schedule.skip_dates:
            return PostResult(Outcome.NOT_DUE, reason=f"{local_date} was skipped")
        if now - fire_time > self._ctx.policy.grace:
            return PostResult(Outcome.NOT_DUE, reason="missed by more than the grace window")
        return local_date

    async def close_expired(self, style: TextStyle) -> list[DailyPost]:
        """Close every question whose answer window has ended, posting its key points in the thread once."""
        closed, serves = [], self._ctx.served()
        now = self._ctx.now()
        for post in await self._posts.posts_with_status(PostStatus.POSTED, platform=self._ctx.platform.name):
            if post.closes_at is None or post.closes_at > now or post.thread is None or not serves(post.channel):
                continue
            if not await self._posts.mark_closed(post_id=post.id):
                continue  # someone else closed it
            question = self._ctx.question(post.question_id)
            extra = await self.closing_lines(post, style) if self.closing_lines is not None else []
            if question is not None:
                answers = await self._answers.answers_for_post(post_id=post.id)
                thread, text = post.thread, "\n".join([closing_summary(question, answers, style), *extra])
                try:
                    await self._waiting_out_rate_limits(
                        functools.partial(self._ctx.platform.post_in_thread, thread, text)
                    )
                except (ChannelUnavailable, RateLimited) as problem:
                    log.warning("cannot post the summary in channel %s: %s", post.channel.channel_id, problem)
            closed.append(post)
        return closed


def _zone_name(zone: tzinfo, when: datetime) -> str:
    """Europe/Berlin as members set it (the abbreviation, CET, is ambiguous and often a bare offset)."""
    return str(getattr(zone, "key", None) or when.tzname() or "UTC")
