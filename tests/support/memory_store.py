"""Every store port in memory, for fast unit tests of the core without a database.

It keeps the contracts in `tests/contracts/` exactly as the SQLite store does (idempotent writes, one daily post
per channel per date, leaderboards always in step with the answers), so a core test on it says the same as on
SQLite. Leaderboards are summed from the answers on every read: slow at scale, exact at any size.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar

from bot.core.ports import AppInstall, Claim, Pick, ReplyFacts
from bot.core.private import AnswerMode, Hold, KeptAnswer, SelfCheck
from bot.core.recall import ForgettingCurve, TopicMap, TopicRecall
from bot.core.recaps import DayTally, RecapClaim, RecapRecord, RecapStatus
from bot.core.records import (
    AnswerRecord,
    Assessment,
    ChannelConfig,
    DailyPost,
    MemberAnswer,
    NewAnswer,
    PostStatus,
    QuizSession,
    Season,
    Standing,
)
from bot.core.refs import ChannelRef, MemberRef, ServerRef, ThreadRef
from bot.core.reminders import DueReminder, Reminder
from bot.core.review_cards import Goal, Memory, ReviewCard, ReviewEntry

R = TypeVar("R")


@dataclass
class _Answer:
    id: int
    post_id: int
    channel: ChannelRef
    message_id: str
    member: MemberRef
    answered_at: datetime
    rank: int
    base_points: int
    periods: dict[str, str]
    streak: int = 1
    reaction_bonus: int = 0
    best_bonus: int = 0
    deleted: bool = False

    @property
    def points(self) -> int:
        return 0 if self.deleted else self.base_points + self.reaction_bonus + self.best_bonus

    def record(self) -> AnswerRecord:
        return AnswerRecord(
            id=self.id,
            post_id=self.post_id,
            channel=self.channel,
            message_id=self.message_id,
            member=self.member,
            answered_at=self.answered_at,
            rank=self.rank,
            points=self.points,
            reaction_bonus=self.reaction_bonus,
            best=self.best_bonus > 0,
            deleted=self.deleted,
        )


@dataclass
class MemoryStore:
    """`ChannelStore`, `PostStore`, `AnswerStore`, `LeaderboardStore`, `QuizStore`, `ReviewStore`,
    `RecallStore`, `InstallStore`, `RecapStore`, `ReminderStore`, `PrivateAnswerStore` and `SelfCheckStore` in
    dictionaries."""

    channels: dict[ChannelRef, ChannelConfig] = field(default_factory=dict)
    posts: dict[int, DailyPost] = field(default_factory=dict)
    answers: dict[int, _Answer] = field(default_factory=dict)
    names: dict[MemberRef, str] = field(default_factory=dict)
    reactions: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    seasons: dict[ServerRef, list[Season]] = field(default_factory=dict)
    quizzes: dict[int, QuizSession] = field(default_factory=dict)
    # a member's reviews by key, each with the question it reviews, in the order first stored
    review_log: dict[MemberRef, dict[str, tuple[str, ReviewEntry]]] = field(default_factory=dict)
    cards: dict[tuple[MemberRef, str], ReviewCard] = field(default_factory=dict)
    goals: dict[MemberRef, Goal] = field(default_factory=dict)
    installs: dict[tuple[str, str, str, str, str], AppInstall] = field(default_factory=dict)
    install_states: dict[tuple[str, str], datetime] = field(default_factory=dict)
    recaps_on: set[ChannelRef] = field(default_factory=set)
    recaps: dict[int, RecapRecord] = field(default_factory=dict)
    reminders: dict[MemberRef, Reminder] = field(default_factory=dict)
    answer_modes: dict[ChannelRef, AnswerMode] = field(default_factory=dict)
    kept_texts: dict[int, str] = field(default_factory=dict)
    revealed_posts: dict[int, datetime] = field(default_factory=dict)
    revealed_answers: set[int] = field(default_factory=set)
    holds: dict[int, Hold] = field(default_factory=dict)
    checks: dict[int, SelfCheck] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def close(self) -> None:
        return None

    # ---------------------------------------------------------------------------------- channels
    async def save_channel(self, config: ChannelConfig) -> None:
        self.channels[config.ref] = config

    async def get_channel(self, ref: ChannelRef) -> ChannelConfig | None:
        return self.channels.get(ref)

    async def get_channels(self, refs: Sequence[ChannelRef]) -> list[ChannelConfig]:
        return [self.channels[ref] for ref in refs if ref in self.channels]

    async def list_channels(self, *, platform: str | None = None) -> list[ChannelConfig]:
        return [config for config in self.channels.values() if platform in (None, config.ref.platform)]

    # ------------------------------------------------------------------------------------- posts
    async def claim_post(
        self, *, channel: ChannelRef, local_date: date, now: datetime, choose: Callable[[int, set[str]], Pick | None]
    ) -> Claim | None:
        if channel not in self.channels:
            raise LookupError(f"channel {channel.channel_id} is not set up")
        existing = await self.get_post(channel=channel, local_date=local_date)
        if existing is not None:
            return Claim(existing, False)
        latest = await self.latest_post(channel=channel)
        cycle = latest.cycle if latest else 1
        pick = choose(cycle, await self.used_question_ids(channel=channel, cycle=cycle))
        if pick is None:
            return None
        post = DailyPost(next(self._ids), channel, local_date, pick.question_id, pick.cycle, PostStatus.CLAIMED, now)
        self.posts[post.id] = post
        return Claim(post, True)

    async def confirm_post(
        self,
        *,
        post_id: int,
        message_id: str,
        thread_id: str,
        url: str | None,
        posted_at: datetime,
        closes_at: datetime,
    ) -> DailyPost:
        post = self.posts[post_id]
        if post.status is PostStatus.CLAIMED:
            post = replace(
                post,
                status=PostStatus.POSTED,
                message_id=message_id,
                thread_id=thread_id,
                url=url,
                posted_at=posted_at,
                closes_at=closes_at,
            )
            self.posts[post_id] = post
        return post

    async def take_over_abandoned_claim(self, *, post_id: int, now: datetime) -> bool:
        return False  # every claim in memory is this process's own

    async def release_claim(self, *, post_id: int) -> None:
        if (post := self.posts.get(post_id)) is not None and post.status is PostStatus.CLAIMED:
            del self.posts[post_id]

    def _posts_of(self, channel: ChannelRef) -> list[DailyPost]:
        return [post for post in self.posts.values() if post.channel == channel]

    async def get_post(self, *, channel: ChannelRef, local_date: date) -> DailyPost | None:
        return next((post for post in self._posts_of(channel) if post.local_date == local_date), None)

    async def latest_post(self, *, channel: ChannelRef) -> DailyPost | None:
        return max(self._posts_of(channel), key=lambda post: post.local_date, default=None)

    async def find_post_by_thread(self, *, platform: str, thread_id: str) -> DailyPost | None:
        found = (p for p in self.posts.values() if p.channel.platform == platform and p.thread_id == thread_id)
        return next(found, None)

    async def post_by_id(self, *, post_id: int) -> DailyPost | None:
        return self.posts.get(post_id)

    async def used_question_ids(self, *, channel: ChannelRef, cycle: int) -> set[str]:
        return {post.question_id for post in self._posts_of(channel) if post.cycle == cycle}

    async def posts_with_status(self, status: str, *, platform: str | None = None) -> list[DailyPost]:
        return [
            post
            for post in sorted(self.posts.values(), key=lambda post: post.id)
            if post.status == status and platform in (None, post.channel.platform)
        ]

    async def mark_closed(self, *, post_id: int) -> bool:
        post = self.posts.get(post_id)
        if post is None or post.status is not PostStatus.POSTED:
            return False
        self.posts[post_id] = replace(post, status=PostStatus.CLOSED)
        return True

    async def posted_dates(self, *, channel: ChannelRef, until: date, limit: int) -> list[date]:
        days = [p.local_date for p in self._posts_of(channel) if p.status is not PostStatus.CLAIMED]
        return sorted((day for day in days if day <= until), reverse=True)[:limit]

    # ----------------------------------------------------------------------------------- answers
    async def record_reply(
        self, thread: ThreadRef, *, decide: Callable[[ReplyFacts], NewAnswer | R], early_bonus: Callable[[int], int]
    ) -> AnswerRecord | R | None:
        found = (p for p in self.posts.values() if p.channel.platform == thread.channel.platform)
        post = next((p for p in found if p.thread_id == thread.thread_id), None)
        decision = decide(_MemoryReplyFacts(self, post))
        if not isinstance(decision, NewAnswer):
            return decision
        return await self.record_answer(decision, early_bonus=early_bonus)

    async def record_answer(self, answer: NewAnswer, *, early_bonus: Callable[[int], int]) -> AnswerRecord | None:
        post = self.posts.get(answer.post_id)
        if post is None:
            return None
        for stored in self.answers.values():
            same_message = stored.channel.platform == answer.channel.platform and stored.message_id == answer.message_id
            live_answer = stored.post_id == answer.post_id and stored.member == answer.member and not stored.deleted
            if same_message or live_answer:
                return None
        of_post = [stored for stored in self.answers.values() if stored.post_id == answer.post_id]
        rank = 1 + sum(1 for stored in of_post if stored.answered_at <= answer.answered_at)
        for later in of_post:  # sent after this one: one rank down, with that rank's early bonus
            if later.answered_at > answer.answered_at:
                later.base_points += early_bonus(later.rank + 1) - early_bonus(later.rank)
                later.rank += 1
        periods = answer.periods
        keys = {"week": periods.week, "month": periods.month, "season": str(periods.season), "all": "all"}
        stored = _Answer(
            next(self._ids),
            post.id,
            post.channel,
            answer.message_id,
            answer.member,
            answer.answered_at,
            rank,
            answer.points + early_bonus(rank),
            keys,
            answer.streak,
        )
        self.answers[stored.id] = stored
        self.names[answer.member] = answer.display_name
        return stored.record()

    async def answer_by_message(self, *, platform: str, message_id: str) -> AnswerRecord | None:
        found = (a for a in self.answers.values() if a.channel.platform == platform and a.message_id == message_id)
        return next((answer.record() for answer in found), None)

    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None:
        answer = self.answers.get(answer_id)
        if answer is None:
            return None
        answer.deleted = True
        return answer.record()

    async def set_reaction(
        self, *, answer_id: int, reactor: MemberRef, emoji: str, present: bool, bonus_for: Callable[[int], int]
    ) -> int:
        reactors = self.reactions.setdefault((answer_id, emoji), set())
        if present:
            reactors.add(reactor.user_id)
        else:
            reactors.discard(reactor.user_id)
        if (answer := self.answers.get(answer_id)) is not None and not answer.deleted:
            answer.reaction_bonus = bonus_for(len(reactors))
        return len(reactors)

    async def set_best_answer(self, *, answer_id: int, best: bool, bonus: int) -> bool:
        answer = self.answers.get(answer_id)
        if answer is None:
            return False
        if best:
            for other in self.answers.values():
                if other.post_id == answer.post_id and other.id != answer_id and not other.deleted:
                    other.best_bonus = 0
        if answer.deleted:
            return False
        answer.best_bonus = bonus if best else 0
        return True

    async def answers_for_post(self, *, post_id: int) -> list[tuple[AnswerRecord, str]]:
        found = sorted((a for a in self.answers.values() if a.post_id == post_id), key=lambda answer: answer.rank)
        return [(answer.record(), self.names.get(answer.member, answer.member.user_id)) for answer in found]

    # ---------------------------------------------------------------------------- private answers
    async def set_answer_mode(self, *, channel: ChannelRef, mode: AnswerMode) -> None:
        self.answer_modes[channel] = mode

    async def answer_mode(self, *, channel: ChannelRef) -> AnswerMode:
        return self.answer_modes.get(channel, AnswerMode.THREAD)

    async def keep_answer_text(self, *, answer_id: int, text: str, now: datetime) -> None:
        if answer_id in self.answers:
            self.kept_texts[answer_id] = text

    async def answer_text(self, *, answer_id: int) -> str | None:
        return self.kept_texts.get(answer_id)

    async def kept_answers(self, *, post_id: int) -> list[KeptAnswer]:
        found = sorted(
            (a for a in self.answers.values() if a.post_id == post_id and a.id in self.kept_texts),
            key=lambda answer: (answer.answered_at, answer.id),
        )
        return [
            KeptAnswer(
                answer.record(),
                self.names.get(answer.member, answer.member.user_id),
                self.kept_texts[answer.id],
                None if answer.message_id.startswith("private-") else answer.message_id,
            )
            for answer in found
        ]

    async def claim_reveal(self, *, post_id: int, now: datetime) -> bool:
        if post_id in self.revealed_posts:
            return False
        self.revealed_posts[post_id] = now
        return True

    async def is_revealed(self, *, post_id: int) -> bool:
        return post_id in self.revealed_posts

    async def revealed_at(self, *, answer_id: int) -> datetime | None:
        answer = self.answers.get(answer_id)
        return self.revealed_posts.get(answer.post_id) if answer and answer_id in self.revealed_answers else None

    async def move_to_revealed(self, *, answer_id: int, message_id: str) -> None:
        self.answers[answer_id].message_id = message_id
        self.revealed_answers.add(answer_id)

    def _count_again(self, answer: _Answer) -> bool:
        if not answer.deleted:
            return True
        if any(
            other.post_id == answer.post_id and other.member == answer.member and not other.deleted
            for other in self.answers.values()
        ):
            return False
        answer.deleted = False
        return True

    async def hold(self, *, answer_id: int, reason: Hold) -> AnswerRecord | None:
        answer = self.answers.get(answer_id)
        if answer is None:
            return None
        if reason is Hold.NEEDS_MORE:
            if self.holds.get(answer_id) in (Hold.TOO_SHORT, Hold.OFF_TOPIC) and not self._count_again(answer):
                return answer.record()
            answer.reaction_bonus = answer.best_bonus = 0
        else:
            answer.deleted = True
        self.holds[answer_id] = reason
        return answer.record()

    async def release(self, *, answer_id: int) -> AnswerRecord | None:
        answer = self.answers.get(answer_id)
        if answer is None:
            return None
        if self.holds.get(answer_id) in (Hold.TOO_SHORT, Hold.OFF_TOPIC) and not self._count_again(answer):
            return None
        self.holds.pop(answer_id, None)
        return answer.record()

    async def hold_of(self, *, answer_id: int) -> Hold | None:
        return self.holds.get(answer_id)

    async def save_self_check(self, check: SelfCheck, *, now: datetime) -> None:
        self.checks[check.answer_id] = check

    async def self_check(self, *, answer_id: int) -> SelfCheck | None:
        return self.checks.get(answer_id)

    async def self_checks(self, *, post_id: int) -> list[SelfCheck]:
        found = sorted(
            (a for a in self.answers.values() if a.post_id == post_id and not a.deleted and a.id in self.checks),
            key=lambda answer: answer.answered_at,
        )
        return [self.checks[answer.id] for answer in found]

    # ------------------------------------------------------------------------------ leaderboards
    async def current_season(self, *, server: ServerRef, now: datetime) -> Season:
        seasons = self.seasons.setdefault(server, [])
        if not seasons:
            seasons.append(Season(server, 1, now))
        return seasons[-1]

    async def start_season(self, *, server: ServerRef, now: datetime) -> Season:
        current = await self.current_season(server=server, now=now)
        self.seasons[server].append(Season(server, current.number + 1, now))
        return self.seasons[server][-1]

    def _board(self, scope: ChannelRef | ServerRef, period: str, period_key: str) -> list[Standing]:
        """Points, answers and latest answer per member, ranked: what SQLite keeps up to date on every write."""
        totals: dict[MemberRef, list] = {}
        for answer in self.answers.values():
            in_scope = answer.channel == scope or answer.channel.server == scope
            if not in_scope or answer.periods[period] != period_key:
                continue
            total = totals.setdefault(answer.member, [0, 0, answer.answered_at])
            total[0] += answer.points
            total[1] += 0 if answer.deleted else 1
            total[2] = max(total[2], answer.answered_at)
        ranked = sorted(
            ((member, *total) for member, total in totals.items() if total[0] > 0),
            key=lambda row: (-row[1], row[3], row[0].user_id),
        )
        return [
            Standing(rank, member, self.names.get(member, member.user_id), points, answers)
            for rank, (member, points, answers, _) in enumerate(ranked, start=1)
        ]

    async def top_members(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, limit: int
    ) -> list[Standing]:
        return self._board(scope, period, period_key)[:limit]

    async def member_standing(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, member: MemberRef
    ) -> Standing | None:
        return next((s for s in self._board(scope, period, period_key) if s.member == member), None)

    async def member_answers(self, *, scope: ChannelRef | ServerRef, member: MemberRef) -> list[MemberAnswer]:
        server = scope if isinstance(scope, ServerRef) else scope.server
        found = [
            a for a in self.answers.values() if a.member == member and a.channel.server == server and not a.deleted
        ]
        found.sort(key=lambda answer: self.posts[answer.post_id].local_date)
        return [
            MemberAnswer(self.posts[a.post_id].local_date, self.posts[a.post_id].question_id, a.points, a.channel)
            for a in found
        ]

    # ----------------------------------------------------------------------------------- quizzes
    async def start_quiz(self, *, member: MemberRef, server: ServerRef, question_id: str, now: datetime) -> QuizSession:
        session = QuizSession(next(self._ids), member, server, question_id, now)
        self.quizzes[session.id] = session
        return session

    async def get_quiz(self, *, session_id: int) -> QuizSession | None:
        return self.quizzes.get(session_id)

    async def latest_quiz(self, *, member: MemberRef) -> QuizSession | None:
        return max((s for s in self.quizzes.values() if s.member == member), key=lambda s: s.id, default=None)

    async def update_quiz(
        self,
        *,
        session_id: int,
        hint_shown: int | None = None,
        revealed: bool | None = None,
        assessment: Assessment | None = None,
        submitted: str | None = None,
        correct: bool | None = None,
        now: datetime,
    ) -> QuizSession:
        session = self.quizzes[session_id]
        session = replace(
            session,
            hint_shown=session.hint_shown if hint_shown is None else hint_shown,
            revealed=session.revealed if revealed is None else revealed,
            assessment=session.assessment if assessment is None else assessment,
            submitted=session.submitted if submitted is None else submitted,
            correct=session.correct if correct is None else correct,
        )
        self.quizzes[session_id] = session
        return session

    async def quizzed_question_ids(self, *, member: MemberRef) -> set[str]:
        return {session.question_id for session in self.quizzes.values() if session.member == member}

    # ----------------------------------------------------------------------------------- reviews
    async def record_review(
        self,
        *,
        member: MemberRef,
        question_id: str,
        entry: ReviewEntry,
        replay: Callable[[list[ReviewEntry]], Memory],
    ) -> ReviewCard:
        log = {**self.review_log.get(member, {}), entry.key: (question_id, entry)}
        history = _history(log, question_id)
        card = ReviewCard(member, question_id, replay(history), len(history))  # a replay that fails stores nothing
        self.review_log[member] = log
        self.cards[member, question_id] = card
        return card

    async def review_cards(
        self, *, member: MemberRef, question_ids: Collection[str], limit: int | None = None
    ) -> list[ReviewCard]:
        mine = [card for (owner, question), card in self.cards.items() if owner == member and question in question_ids]
        return sorted(mine, key=lambda card: (card.due, card.question_id))[:limit]

    async def due_reviews(
        self, *, member: MemberRef, now: datetime, question_ids: Collection[str], limit: int
    ) -> tuple[int, list[ReviewCard]]:
        due = [card for card in await self.review_cards(member=member, question_ids=question_ids) if card.due <= now]
        return len(due), due[:limit]

    async def next_review(
        self, *, member: MemberRef, after: datetime, question_ids: Collection[str]
    ) -> ReviewCard | None:
        later = [card for card in await self.review_cards(member=member, question_ids=question_ids) if card.due > after]
        return later[0] if later else None

    async def review_history(self, *, member: MemberRef, question_id: str) -> list[ReviewEntry]:
        return _history(self.review_log.get(member, {}), question_id)

    async def save_goal(self, goal: Goal) -> None:
        self.goals[goal.member] = goal

    async def get_goal(self, *, member: MemberRef) -> Goal | None:
        return self.goals.get(member)

    async def drop_goal(self, *, member: MemberRef) -> bool:
        return self.goals.pop(member, None) is not None

    # ------------------------------------------------------------------------------- installations
    async def save_install(self, install: AppInstall) -> None:
        key = (install.platform, install.kind, install.enterprise_id, install.team_id, install.user_id)
        self.installs[key] = install

    async def find_install(
        self, *, platform: str, kind: str, enterprise_id: str, team_id: str, user_id: str | None = None
    ) -> AppInstall | None:
        found = [
            install
            for (p, k, e, t, u), install in self.installs.items()
            if (p, k, e, t) == (platform, kind, enterprise_id, team_id) and user_id in (None, u)
        ]
        return max(found, key=lambda install: install.installed_at, default=None)

    async def delete_installs(
        self, *, platform: str, enterprise_id: str, team_id: str, kind: str | None = None, user_id: str | None = None
    ) -> int:
        gone = [
            key
            for key in self.installs
            if key[0] == platform
            and key[2:4] == (enterprise_id, team_id)
            and kind in (None, key[1])
            and user_id in (None, key[4])
        ]
        for key in gone:
            del self.installs[key]
        return len(gone)

    async def issue_install_state(self, *, platform: str, state: str, expires_at: datetime) -> None:
        self.install_states[(platform, state)] = expires_at

    async def consume_install_state(self, *, platform: str, state: str, now: datetime) -> bool:
        expires_at = self.install_states.pop((platform, state), None)
        return expires_at is not None and expires_at > now

    # ------------------------------------------------------------------------------------ recaps
    async def set_recap(self, *, channel: ChannelRef, on: bool) -> bool:
        if channel not in self.channels:
            return False
        (self.recaps_on.add if on else self.recaps_on.discard)(channel)
        return True

    async def recap_is_on(self, *, channel: ChannelRef) -> bool:
        return channel in self.recaps_on

    async def recap_channels(self, *, platform: str) -> list[ChannelConfig]:
        return [config for ref, config in self.channels.items() if ref in self.recaps_on and ref.platform == platform]

    async def claim_recap(self, *, channel: ChannelRef, week: date, now: datetime) -> RecapClaim:
        if channel not in self.channels:
            raise LookupError(f"channel {channel.channel_id} is not set up")
        found = (recap for recap in self.recaps.values() if recap.channel == channel and recap.week == week)
        existing = next(found, None)
        if existing is not None:
            return RecapClaim(existing, False)
        recap = RecapRecord(next(self._ids), channel, week, RecapStatus.CLAIMED, now)
        self.recaps[recap.id] = recap
        return RecapClaim(recap, True)

    async def finish_recap(self, *, recap_id: int, message_id: str | None) -> RecapRecord:
        recap = self.recaps[recap_id]
        if recap.status is RecapStatus.CLAIMED:
            status = RecapStatus.SKIPPED if message_id is None else RecapStatus.POSTED
            recap = self.recaps[recap_id] = replace(recap, status=status, message_id=message_id)
        return recap

    async def take_over_abandoned_recap(self, *, recap_id: int, now: datetime) -> bool:
        return False  # every claim in memory is this process's own

    async def release_recap(self, *, recap_id: int) -> None:
        if (recap := self.recaps.get(recap_id)) is not None and recap.status is RecapStatus.CLAIMED:
            del self.recaps[recap_id]

    async def claimed_recaps(self, *, platform: str) -> list[RecapRecord]:
        return [
            recap
            for recap in sorted(self.recaps.values(), key=lambda recap: recap.id)
            if recap.status is RecapStatus.CLAIMED and recap.channel.platform == platform
        ]

    async def day_tallies(self, *, channel: ChannelRef, first: date, last: date) -> list[DayTally]:
        days = sorted(
            (
                p
                for p in self._posts_of(channel)
                if p.status is not PostStatus.CLAIMED and first <= p.local_date <= last
            ),
            key=lambda post: post.local_date,
        )
        tallies = []
        for post in days:
            live = sorted(
                (a for a in self.answers.values() if a.post_id == post.id and not a.deleted), key=lambda a: a.id
            )
            best = tuple(self.names.get(a.member, a.member.user_id) for a in live if a.best_bonus > 0)
            tallies.append(DayTally(post.local_date, post.question_id, len(live), best))
        return tallies

    # ------------------------------------------------------------------------------------ recall
    async def member_recall(
        self, *, member: MemberRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> list[TopicRecall]:
        by_topic: dict[str, list[ReviewCard]] = {}
        for (owner, question), card in self.cards.items():
            if owner == member and question in topics.topic_of:
                by_topic.setdefault(topics.topic_of[question], []).append(card)
        return [
            TopicRecall(
                topic,
                len(cards),
                sum(curve.recall(card.memory, now) for card in cards) / len(cards),
                sum(card.is_due(now) for card in cards),
                min((card.due for card in cards if not card.is_due(now)), default=None),
            )
            for topic, cards in sorted(by_topic.items())
        ]

    async def channel_recall(
        self, *, channel: ChannelRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> dict[str, float]:
        members = {a.member for a in self.answers.values() if a.channel == channel and not a.deleted}
        by_topic: dict[str, list[float]] = {}
        for (owner, question), card in self.cards.items():
            if owner in members and question in topics.topic_of:
                by_topic.setdefault(topics.topic_of[question], []).append(curve.recall(card.memory, now))
        return {topic: sum(recalls) / len(recalls) for topic, recalls in by_topic.items()}

    # --------------------------------------------------------------------------------- reminders
    async def save_reminder(self, reminder: Reminder) -> None:
        self.reminders[reminder.member] = reminder

    async def get_reminder(self, *, member: MemberRef) -> Reminder | None:
        return self.reminders.get(member)

    async def drop_reminder(self, *, member: MemberRef) -> bool:
        return self.reminders.pop(member, None) is not None

    async def due_reminders(
        self, *, platform: str, now: datetime, question_ids: Collection[str], limit: int
    ) -> list[DueReminder]:
        due = sorted(
            (r for r in self.reminders.values() if r.member.platform == platform and r.next_at <= now),
            key=lambda r: (r.next_at, r.member.user_id),
        )[:limit]
        return [
            DueReminder(r, (await self.due_reviews(member=r.member, now=now, question_ids=question_ids, limit=0))[0])
            for r in due
        ]

    async def move_reminder(
        self, *, member: MemberRef, due_at: datetime, next_at: datetime, last_day: date | None
    ) -> bool:
        reminder = self.reminders.get(member)
        if reminder is None or reminder.next_at != due_at:
            return False
        self.reminders[member] = replace(reminder, next_at=next_at, last_day=last_day)
        return True


def _history(log: dict[str, tuple[str, ReviewEntry]], question_id: str) -> list[ReviewEntry]:
    entries = [entry for question, entry in log.values() if question == question_id]
    return sorted(entries, key=lambda entry: entry.reviewed_at)  # stable: the first stored first on a tie


@dataclass
class _MemoryReplyFacts:
    """`ReplyFacts` read from the dictionaries."""

    store: MemoryStore
    found: DailyPost | None

    @property
    def post(self) -> DailyPost | None:
        return self.found

    def _the_post(self) -> DailyPost:
        assert self.found is not None, "the reply is not in a daily question's thread"
        return self.found

    def existing_answer(self, *, member: MemberRef, message_id: str) -> AnswerRecord | None:
        post_id, answers = self._the_post().id, self.store.answers.values()
        same = (a for a in answers if a.channel.platform == member.platform and a.message_id == message_id)
        live = (a for a in answers if a.post_id == post_id and a.member == member and not a.deleted)
        found = next(same, None) or next(live, None)
        return found.record() if found else None

    def channel(self) -> ChannelConfig | None:
        return self.store.channels.get(self._the_post().channel)

    def season(self, *, now: datetime) -> int:
        seasons = self.store.seasons.setdefault(self._the_post().channel.server, [])
        if not seasons:
            seasons.append(Season(self._the_post().channel.server, 1, now))
        return seasons[-1].number

    def previous_streak(self, *, member: MemberRef) -> int:
        post = self._the_post()
        earlier = [
            p
            for p in self.store._posts_of(post.channel)
            if p.status is not PostStatus.CLAIMED and p.local_date < post.local_date
        ]
        if not earlier:
            return 0
        day = max(earlier, key=lambda p: p.local_date)
        answers = self.store.answers.values()
        found = (a for a in answers if a.post_id == day.id and a.member == member and not a.deleted)
        answer = next(found, None)
        return answer.streak if answer else 0
