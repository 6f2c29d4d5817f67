"""The interfaces the core depends on: store ports by area for what it remembers, a platform to speak, and a
grader to read typed answers.

Adapters implement `Platform` (and `ReadsWholeThreads`, `MessagesMembers` when they can); `bot.storage`
implements the store ports (`ChannelStore`, `PostStore`, `AnswerStore`, `ReactionStore`, `LeaderboardStore`,
`QuizStore`, `ReviewStore`, `RecallStore`, `RecapStore`, `ReminderStore`, and `InstallStore` for an app installed
in many workspaces); `bot.grading` implements `Grader` and `bot.review` `ReviewScheduler`. The core never imports
any of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar, runtime_checkable

from bot.core.errors import StudybotError
from bot.core.grading import Grade
from bot.core.private import AnswerMode, Hold, KeptAnswer, SelfCheck
from bot.core.questions import Answer
from bot.core.recall import ForgettingCurve, TopicMap, TopicRecall
from bot.core.recaps import DayTally, RecapClaim, RecapPost, RecapRecord
from bot.core.records import (
    AnswerRecord,
    Assessment,
    ChannelConfig,
    DailyPost,
    MemberAnswer,
    NewAnswer,
    QuizSession,
    Season,
    Standing,
)
from bot.core.refs import ChannelRef, Member, MemberRef, ServerRef, ThreadRef
from bot.core.reminders import DueReminder, Reminder
from bot.core.review_cards import Goal, Memory, ReviewCard, ReviewEntry


# ---------------------------------------------------------------------------------------- platform
@dataclass(frozen=True, slots=True)
class QuestionCard:
    """Everything a platform needs to show a question, already worded."""

    question_id: str
    title: str
    prompt: str
    topic: str
    difficulty: str
    companies: tuple[str, ...] = ()
    parts: tuple[str, ...] = ()
    heading: str = "Question of the day"
    footer: str = ""
    answer_button: str = ""  # the action id of a daily post's Answer button (it asks for text first), if any
    check_button: str = ""  # the action id of a daily post's Check my answer button, if any


@dataclass(frozen=True, slots=True)
class PostedQuestion:
    message_id: str
    thread_id: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """A message found in a question's thread when reading it back after downtime."""

    message_id: str
    author: Member
    text: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class Reactor:
    member: Member
    is_moderator: bool


@dataclass(frozen=True, slots=True)
class SeenReaction:
    """One emoji on a message as the platform shows it now, with who reacted with it."""

    emoji: str
    reactors: tuple[Reactor, ...]


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """A reply still in a question's thread, with its reactions, when reading the thread back after downtime."""

    message_id: str
    reactions: tuple[SeenReaction, ...]


@runtime_checkable
class ReadsWholeThreads(Protocol):
    """A platform that can show a question's thread as it is now: every reply still in it, each with its
    reactions. With it, reactions and deletions made while the bot was away are read back too."""

    async def thread_now(
        self,
        thread: ThreadRef,
        *,
        answers: Collection[str],
        counts: Callable[[str], bool],
        marks: Callable[[str], bool],
    ) -> Sequence[ThreadMessage]:
        """Every reply by a member still in the thread; a reply missing was deleted. Reactions are needed only on
        the replies whose message ids are in `answers`, and only those `counts(emoji)` picks, with their
        reactors. A reactor's `is_moderator` matters only for the emoji `marks(emoji)` picks (best-answer
        marks); for the others it may be False without a look-up."""
        ...


@runtime_checkable
class ServesSomeChannels(Protocol):
    """A platform connection that carries only some servers' channels (one process's share of Discord's gateway
    shards): the daily posts and closing summaries of the others are made by the processes that carry them."""

    def serves(self, channel: ChannelRef) -> bool: ...


@runtime_checkable
class PostsRecaps(Protocol):
    """A platform that can post the weekly recap: one channel message with its text, and its picture where the
    platform shows one, carrying `post_key` so that a recap posted just before a crash can be found again."""

    async def post_recap(self, channel: ChannelRef, recap: RecapPost, *, post_key: str) -> str:
        """Post it; the message's id. Raises `ChannelUnavailable` or `RateLimited` as `post_question` does."""
        ...

    async def find_recap(self, channel: ChannelRef, *, post_key: str) -> str | None:
        """The id of the recap posted with `post_key`, or None."""
        ...


class ChannelUnavailable(StudybotError):
    """The platform will not let the bot post in a channel (no access, deleted, not a member)."""


class RateLimited(StudybotError):
    """The platform refused the request for now (HTTP 429) and nothing was posted: retry after `retry_after` s.

    A platform raises it only when the request was rejected before taking effect, so retrying cannot
    post twice. The core waits it out and retries the same request.
    """

    def __init__(self, retry_after: float, message: str = "") -> None:
        super().__init__(message or f"rate limited: retry after {retry_after:.3f}s")
        self.retry_after = max(0.0, float(retry_after))


class MemberUnreachable(StudybotError):
    """The member takes no direct messages from the bot (closed, a bot, gone): nothing was sent."""


@runtime_checkable
class MessagesMembers(Protocol):
    """A platform that can say something to one member privately, on its own initiative."""

    async def message_member(self, member: MemberRef, text: str) -> None:
        """A direct message (review reminders). Raises `MemberUnreachable` when the member takes none,
        `RateLimited` when the platform rejected the request for now (nothing sent)."""
        ...

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        """Tell the member in `channel`, as privately as the platform allows there and pinging nobody (what a
        member who takes no direct messages is told instead)."""
        ...

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        """A private note (the self-check's offer, a moderator's mark): in `channel` where only they see it if the
        platform can, else in a direct message."""
        ...


class Platform(Protocol):
    """What the core asks of a chat platform on its own initiative (scheduled posts, summaries)."""

    name: str  # "console", "discord" or "slack": the `platform` of every ref it hands the core

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        """Post the question as an ordinary channel message and open its thread.

        Raises `ChannelUnavailable` when the bot may not post there, `RateLimited` when the platform
        rejected the request for now (nothing posted)."""
        ...

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        """Find a question post made with `post_key` (after a crash mid-post), or None."""
        ...

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None: ...

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        """Every reply in the thread, oldest first (used to catch up after downtime)."""
        ...


# ----------------------------------------------------------------------------------------- grading
class Grader(Protocol):
    """Whether a typed answer means the question's one right answer, and why.

    It must return within a bounded time for any text (hostile text included): the quiz runs it off the event
    loop, but a grader that can hang would still hold a worker thread."""

    def grade(self, answer: Answer, submitted: str) -> Grade: ...


# ------------------------------------------------------------------------------------------- store
@dataclass(frozen=True, slots=True)
class Pick:
    """The question a new day's post is to ask, and the cycle of the channel's rotation it belongs to."""

    question_id: str
    cycle: int


@dataclass(frozen=True, slots=True)
class Claim:
    post: DailyPost
    created: bool


class ChannelStore(Protocol):
    """Channels and their settings. Every read sees every write committed before it, by any process."""

    async def save_channel(self, config: ChannelConfig) -> None: ...
    async def get_channel(self, ref: ChannelRef) -> ChannelConfig | None: ...
    async def get_channels(self, refs: Sequence[ChannelRef]) -> list[ChannelConfig]:
        """The settings of each of `refs` that is set up, in the order of `refs`, in as few reads as it takes."""
        ...

    async def list_channels(self, *, platform: str | None = None) -> list[ChannelConfig]: ...


class PostStore(Protocol):
    """Daily posts: one per channel per local date, claimed before it is made, then confirmed or released."""

    async def claim_post(
        self, *, channel: ChannelRef, local_date: date, now: datetime, choose: Callable[[int, set[str]], Pick | None]
    ) -> Claim | None:
        """The channel's post for the day in one step: the one already made or claimed (`created` False), else a
        new claim of the question `choose(cycle, used)` picks, given the channel's current cycle (its latest
        post's, 1 at first) and the ids its posts used in that cycle. None when `choose` picks nothing.
        `choose` runs on the store's own thread: plain code, no I/O. LookupError if the channel is not set up."""
        ...

    async def confirm_post(
        self,
        *,
        post_id: int,
        message_id: str,
        thread_id: str,
        url: str | None,
        posted_at: datetime,
        closes_at: datetime,
    ) -> DailyPost: ...
    async def take_over_abandoned_claim(self, *, post_id: int, now: datetime) -> bool:
        """If the process that claimed the post has ended (it crashed mid-post), make the claim this process's,
        claimed `now`, and return True. False while its process runs, for this process's own claims, and for
        claims whose process is not known."""
        ...

    async def release_claim(self, *, post_id: int) -> None: ...
    async def get_post(self, *, channel: ChannelRef, local_date: date) -> DailyPost | None: ...
    async def latest_post(self, *, channel: ChannelRef) -> DailyPost | None: ...
    async def find_post_by_thread(self, *, platform: str, thread_id: str) -> DailyPost | None: ...
    async def post_by_id(self, *, post_id: int) -> DailyPost | None: ...
    async def used_question_ids(self, *, channel: ChannelRef, cycle: int) -> set[str]: ...
    async def posts_with_status(self, status: str, *, platform: str | None = None) -> list[DailyPost]: ...
    async def mark_closed(self, *, post_id: int) -> bool: ...
    async def posted_dates(self, *, channel: ChannelRef, until: date, limit: int) -> list[date]: ...


class ReplyFacts(Protocol):
    """What the store knows about a reply in a thread, read inside the transaction that would store its answer,
    so nothing it says can change before the answer is stored. Read only what the decision needs."""

    @property
    def post(self) -> DailyPost | None:
        """The daily post whose thread the reply is in, or None."""
        ...

    def existing_answer(self, *, member: MemberRef, message_id: str) -> AnswerRecord | None:
        """The stored answer with this message id if there is one, else the member's live answer to the post."""
        ...

    def channel(self) -> ChannelConfig | None:
        """The post's channel's settings (None once the channel is gone)."""
        ...

    def season(self, *, now: datetime) -> int:
        """The number of the post's server's current season (the first one starts now if there is none)."""
        ...

    def previous_streak(self, *, member: MemberRef) -> int:
        """The streak of the member's answer to the channel's posted day right before the post's (0 if they did
        not answer that day): this answer's streak is one more."""
        ...


R = TypeVar("R")


class AnswerStore(Protocol):
    """Scored answers and what changes their points. Each call is one event, stored whole or not at all, with
    the leaderboards it changes: a leaderboard read after it returns counts it.

    An answer's rank among its post's answers is by the time it was sent (`answered_at`), not by when it was
    stored: one sent earlier but stored later takes its place, and the answers after it move down a rank, their
    early bonuses with them (`early_bonus(rank)` is added to the answer's own `points`)."""

    async def record_reply(
        self, thread: ThreadRef, *, decide: Callable[[ReplyFacts], NewAnswer | R], early_bonus: Callable[[int], int]
    ) -> AnswerRecord | R | None:
        """One reply in one transaction: `decide` reads the facts it needs and returns the answer to store, or
        anything else to store nothing (returned as it is). Returns the stored answer, or None when the post
        is gone or the answer is already stored. `decide` runs on the store's own thread: plain code, no I/O."""
        ...

    async def record_answer(self, answer: NewAnswer, *, early_bonus: Callable[[int], int]) -> AnswerRecord | None:
        """Store a scoring answer once; None when the message or the member's answer is already stored (or the
        post is gone)."""
        ...

    async def answer_by_message(self, *, platform: str, message_id: str) -> AnswerRecord | None: ...
    async def delete_answer(self, *, answer_id: int) -> AnswerRecord | None: ...
    async def set_reaction(
        self, *, answer_id: int, reactor: MemberRef, emoji: str, present: bool, bonus_for: Callable[[int], int]
    ) -> int:
        """Add or remove one reaction and set the answer's reaction bonus to `bonus_for(distinct reactors)`, in
        one step; return how many distinct members now react with `emoji`."""
        ...

    async def set_best_answer(self, *, answer_id: int, best: bool, bonus: int) -> bool:
        """Mark (or unmark) the best answer of its question; marking another answer of it moves the mark."""
        ...

    async def answers_for_post(self, *, post_id: int) -> list[tuple[AnswerRecord, str]]: ...


class ReactionStore(Protocol):
    """Who reacted to an answer, as stored (what `AnswerStore.set_reaction` added and did not remove)."""

    async def reactors(self, *, answer_id: int, emoji: str) -> list[MemberRef]: ...


class LeaderboardStore(Protocol):
    """Seasons and the leaderboards (per channel or server, per period), always in step with the answers."""

    async def current_season(self, *, server: ServerRef, now: datetime) -> Season: ...
    async def start_season(self, *, server: ServerRef, now: datetime) -> Season: ...
    async def top_members(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, limit: int
    ) -> list[Standing]: ...
    async def member_standing(
        self, *, scope: ChannelRef | ServerRef, period: str, period_key: str, member: MemberRef
    ) -> Standing | None: ...
    async def member_answers(self, *, scope: ChannelRef | ServerRef, member: MemberRef) -> list[MemberAnswer]: ...


class QuizStore(Protocol):
    """Quiz sessions: never on a leaderboard."""

    async def start_quiz(
        self, *, member: MemberRef, server: ServerRef, question_id: str, now: datetime
    ) -> QuizSession: ...
    async def get_quiz(self, *, session_id: int) -> QuizSession | None: ...
    async def latest_quiz(self, *, member: MemberRef) -> QuizSession | None: ...
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
    ) -> QuizSession: ...
    async def quizzed_question_ids(self, *, member: MemberRef) -> set[str]: ...


class ReviewStore(Protocol):
    """Each member's review cards (one per question they met) and every review of them."""

    async def record_review(
        self,
        *,
        member: MemberRef,
        question_id: str,
        entry: ReviewEntry,
        replay: Callable[[list[ReviewEntry]], Memory],
    ) -> ReviewCard:
        """Store `entry` (or, when the member has a review with its key, change that one's rating and time to
        its), then set the card's memory to `replay(every review of the card, oldest first)`, in one step.
        `replay` runs on the store's own thread: plain code, no I/O."""
        ...

    async def review_cards(
        self, *, member: MemberRef, question_ids: Collection[str], limit: int | None = None
    ) -> list[ReviewCard]:
        """The member's cards of `question_ids`, the soonest due first (only the first `limit`, when given)."""
        ...

    async def due_reviews(
        self, *, member: MemberRef, now: datetime, question_ids: Collection[str], limit: int
    ) -> tuple[int, list[ReviewCard]]:
        """How many of the member's cards of `question_ids` are due at `now`, and the `limit` most overdue."""
        ...

    async def next_review(
        self, *, member: MemberRef, after: datetime, question_ids: Collection[str]
    ) -> ReviewCard | None:
        """The member's card of `question_ids` due soonest after `after`, or None."""
        ...

    async def review_history(self, *, member: MemberRef, question_id: str) -> list[ReviewEntry]:
        """The reviews of one card, oldest first."""
        ...

    async def save_goal(self, goal: Goal) -> None:
        """Set the member's goal (replacing the one they had)."""
        ...

    async def get_goal(self, *, member: MemberRef) -> Goal | None: ...
    async def drop_goal(self, *, member: MemberRef) -> bool:
        """Forget the member's goal; False when they had none."""
        ...


@dataclass(frozen=True, slots=True)
class AppInstall:
    """One installation of the bot's app in a workspace, kept as the platform's own library describes it.

    `kind` tells the records of one workspace apart ("bot": its bot token; "installation": who installed it,
    with what); `user_id` is "" for a bot, `enterprise_id` "" outside an enterprise, `team_id` "" for an
    enterprise-wide installation. `data` is the library's record (JSON text), read back as it was saved."""

    platform: str
    kind: str
    enterprise_id: str
    team_id: str
    user_id: str
    installed_at: datetime
    data: str


class InstallStore(Protocol):
    """Installations of the app, one set per workspace, and the one-time states of install flows under way,
    shared by every process on the database (a flow begun on one may finish on another)."""

    async def save_install(self, install: AppInstall) -> None:
        """Keep `install`, replacing the one of the same platform, kind, enterprise, team and user."""
        ...

    async def find_install(
        self, *, platform: str, kind: str, enterprise_id: str, team_id: str, user_id: str | None = None
    ) -> AppInstall | None:
        """The workspace's record of `kind` for `user_id`, or with `user_id` None its latest one installed."""
        ...

    async def delete_installs(
        self, *, platform: str, enterprise_id: str, team_id: str, kind: str | None = None, user_id: str | None = None
    ) -> int:
        """Forget the workspace's records (only those of `kind`, only `user_id`'s, when given); how many."""
        ...

    async def issue_install_state(self, *, platform: str, state: str, expires_at: datetime) -> None: ...
    async def consume_install_state(self, *, platform: str, state: str, now: datetime) -> bool:
        """True once for a state issued and not yet expired at `now`: it is used up either way."""


class RecallStore(Protocol):
    """How well members recall each topic now, each answer one aggregate read of their cards: the store evaluates
    `curve` on every card itself and counts only cards of the questions in `topics`."""

    async def member_recall(
        self, *, member: MemberRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> list[TopicRecall]:
        """Per topic the member has cards in: how many, their average recall at `now`, how many are due at `now`,
        and the soonest due after `now`; by topic name."""
        ...

    async def channel_recall(
        self, *, channel: ChannelRef, topics: TopicMap, now: datetime, curve: ForgettingCurve
    ) -> dict[str, float]:
        """Per topic that the channel's members (everyone with an answer standing in the channel) have cards in: the
        average recall at `now` over all their cards in it."""
        ...


class ReminderStore(Protocol):
    """Members' review reminders, found by the instant each comes next."""

    async def save_reminder(self, reminder: Reminder) -> None:
        """Set the member's reminder (replacing the one they had)."""
        ...

    async def get_reminder(self, *, member: MemberRef) -> Reminder | None: ...
    async def drop_reminder(self, *, member: MemberRef) -> bool:
        """Switch the member's reminder off; False when they had none."""
        ...

    async def due_reminders(
        self, *, platform: str, now: datetime, question_ids: Collection[str], limit: int
    ) -> list[DueReminder]:
        """The platform's reminders whose instant is at or before `now`, the earliest first, at most `limit`, each
        with how many of its member's cards of `question_ids` are due at `now`."""
        ...

    async def move_reminder(
        self, *, member: MemberRef, due_at: datetime, next_at: datetime, last_day: date | None
    ) -> bool:
        """Move the member's reminder from `due_at` to `next_at` (with its `last_day`) if it still comes at
        `due_at`, in one step: True for the one caller that moved it (its claim on that reminder), False when it
        had moved already (or is gone)."""
        ...


class ReviewScheduler(Protocol):
    """Spaced repetition: when a card is due again and how likely the member is to recall it."""

    def replay(self, history: Sequence[ReviewEntry]) -> Memory:
        """The memory of a card after these reviews (in any order: they are taken oldest first)."""
        ...

    def retrievability(self, memories: Sequence[Memory], at: datetime) -> list[float]:
        """For each memory, the probability (0 to 1) that the member recalls its question at `at`."""
        ...

    def forgetting_curve(self) -> ForgettingCurve:
        """The curve `retrievability` follows, for a store to evaluate over many cards in one read."""
        ...


class RecapStore(Protocol):
    """Weekly recaps: each channel's setting (off until set), and one recap per channel and week, claimed before it
    is posted, then finished (posted, or skipped when there was nothing to recap) or released."""

    async def set_recap(self, *, channel: ChannelRef, on: bool) -> bool:
        """Turn the channel's recap on or off; False when the channel is not set up."""
        ...

    async def recap_is_on(self, *, channel: ChannelRef) -> bool: ...
    async def recap_channels(self, *, platform: str) -> list[ChannelConfig]:
        """The platform's channels whose recap is on."""
        ...

    async def claim_recap(self, *, channel: ChannelRef, week: date, now: datetime) -> RecapClaim:
        """The channel's recap of the week starting `week` (a Monday) in one step: the one already claimed or
        made (`created` False), else a new claim in this process's name. LookupError if the channel is not set up."""
        ...

    async def finish_recap(self, *, recap_id: int, message_id: str | None) -> RecapRecord:
        """A claimed recap posted as `message_id`, or with None skipped (nothing to recap)."""
        ...

    async def take_over_abandoned_recap(self, *, recap_id: int, now: datetime) -> bool:
        """As `PostStore.take_over_abandoned_claim`, for a recap."""
        ...

    async def release_recap(self, *, recap_id: int) -> None: ...
    async def claimed_recaps(self, *, platform: str) -> list[RecapRecord]: ...
    async def day_tallies(self, *, channel: ChannelRef, first: date, last: date) -> list[DayTally]:
        """Each day from `first` to `last` the channel's question was posted, oldest first: its live answers and
        the display names of those marked best."""
        ...


@runtime_checkable
class PostsAnswers(Protocol):
    """A platform that can post a member's revealed answer in a thread without pinging anyone, and say which
    message it became (reactions on it then count for the answer)."""

    async def post_answer(self, thread: ThreadRef, text: str) -> str: ...


class PrivateAnswerStore(Protocol):
    """Channels' answer modes, private answers' text until and after their reveal, and holds that take an answer
    out of scoring for a while."""

    async def set_answer_mode(self, *, channel: ChannelRef, mode: AnswerMode) -> None: ...
    async def answer_mode(self, *, channel: ChannelRef) -> AnswerMode:
        """The channel's mode; thread when it was never set."""
        ...

    async def keep_answer_text(self, *, answer_id: int, text: str, now: datetime) -> None: ...
    async def answer_text(self, *, answer_id: int) -> str | None: ...
    async def kept_answers(self, *, post_id: int) -> list[KeptAnswer]:
        """The post's private answers in the order they were sent, deleted or held ones too."""
        ...

    async def claim_reveal(self, *, post_id: int, now: datetime) -> bool:
        """True the first time only: the caller reveals the post's answers."""
        ...

    async def is_revealed(self, *, post_id: int) -> bool: ...
    async def revealed_at(self, *, answer_id: int) -> datetime | None:
        """When the private answer was shown in its thread; None for a thread answer or one not yet shown."""
        ...

    async def move_to_revealed(self, *, answer_id: int, message_id: str) -> None:
        """The revealed message becomes the answer's message: reactions on it count for the answer."""
        ...

    async def hold(self, *, answer_id: int, reason: Hold) -> AnswerRecord | None:
        """Hold the answer: out of scoring (too short, off topic), or without its peer and best-answer bonuses
        (needs more). Replaces an earlier hold."""
        ...

    async def release(self, *, answer_id: int) -> AnswerRecord | None:
        """Count the held answer again; None (and still held) when the member has another live answer now."""
        ...

    async def hold_of(self, *, answer_id: int) -> Hold | None: ...


class SelfCheckStore(Protocol):
    """Members' self-checks of their daily answers: never on a leaderboard."""

    async def save_self_check(self, check: SelfCheck, *, now: datetime) -> None: ...
    async def self_check(self, *, answer_id: int) -> SelfCheck | None: ...
    async def self_checks(self, *, post_id: int) -> list[SelfCheck]: ...


class Store(
    ChannelStore,
    PostStore,
    AnswerStore,
    ReactionStore,
    LeaderboardStore,
    QuizStore,
    ReviewStore,
    RecapStore,
    RecallStore,
    ReminderStore,
    PrivateAnswerStore,
    SelfCheckStore,
    Protocol,
):
    """Every store port in one object, as one engine implements them; use cases each take only their own."""
