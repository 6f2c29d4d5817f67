"""The one object adapters talk to: platform events in, command responses out, scheduled work on demand."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.core.actions import QuizAction, QuizMove
from bot.core.answer_actions import AnswerAction
from bot.core.answer_desk import AnswerDesk
from bot.core.catalogue import help_text
from bot.core.commands import Command
from bot.core.errors import InvalidInput, NotAllowed, NotFound, StorageFull, StudybotError
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.marks import mark_of
from bot.core.messages import Action, ActionStyle, Response, error
from bot.core.pictures import Attachment, Picture, StatsPicture, board_picture
from bot.core.private import AnswerMode
from bot.core.records import AnswerRecord, Assessment, ChannelConfig
from bot.core.refs import Actor, ChannelRef
from bot.core.render import (
    card_text,
    key_points_text,
    question_card,
    resources_text,
    standings_text,
)
from bot.core.review_cards import answer_key, daily_answer, self_assessed
from bot.core.review_text import (
    FIRST_REVIEW,
    comes_back,
    goal_text,
    how_soon,
    nothing_due,
    readiness_text,
    review_footer,
)
from bot.core.style import TextStyle
from bot.core.usecases.answers import Answers, ReplyResult, Verdict
from bot.core.usecases.channels import Channels
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.daily import DailyQuestions, Outcome, PostResult
from bot.core.usecases.kept import KeptEvents
from bot.core.usecases.marks import Marks
from bot.core.usecases.private_answers import PrivateAnswers
from bot.core.usecases.quiz import QuizStep, Quizzes
from bot.core.usecases.recaps import WeeklyRecaps, parse_switch
from bot.core.usecases.reminders import Reminders
from bot.core.usecases.reviews import Reviews, TopicReadiness
from bot.core.usecases.standings import MemberStats, Standings, parse_period
from bot.core.usecases.thread_changes import ThreadChanges

log = logging.getLogger(__name__)

# What a member is told when the disk is full: about their answer or reaction, and about a command.
DISK_FULL = "the disk is full"
KEPT_NOTE = DISK_FULL + ": your {what} is kept and will count once there is room"
REFUSED_NOTE = DISK_FULL + " and too much is waiting already: your {what} could not be kept; try again later"
COMMAND_REFUSED = "The disk is full, so {label} could not be saved: try again once there is room."

MOST_NEXT_REVIEWS = 3  # on the /stats card and in its text

_ASSESSMENTS = {QuizMove.GOT: Assessment.GOT_IT, QuizMove.PARTLY: Assessment.PARTLY, QuizMove.MISSED: Assessment.MISSED}


class StudyGroup:
    def __init__(self, context: StudyGroupContext) -> None:
        self.context = context
        self.channels = Channels(context)
        self.daily = DailyQuestions(context)
        self.answers = Answers(context)
        self.thread_changes = ThreadChanges(context, self.answers)
        self.standings = Standings(context)
        self.reviews = Reviews(context)
        self.quizzes = Quizzes(context, self.reviews)
        self.reminders = Reminders(context)
        self.kept = KeptEvents()
        self.recaps = WeeklyRecaps(context, self.picture)
        self.marks = Marks(context)
        self.desk = AnswerDesk(context, PrivateAnswers(context, self.answers))
        self.daily.dress_card = self.desk.dress_card
        self.daily.closing_lines = self.desk.closing_lines

    # ------------------------------------------------------------------------------ platform events
    # Each waits behind the events kept while the disk was full, and is kept itself if the disk refuses it.
    async def on_reply(self, reply: Reply) -> ReplyResult:
        return await self.in_order("answer", lambda: self._answered(reply))

    async def on_edit(self, edit: ReplyEdited) -> ReplyResult:
        return await self.in_order("edit", lambda: self.answers.record_edit(edit))

    async def on_delete(self, deleted: ReplyDeleted) -> ReplyResult:
        return await self.in_order("deletion", lambda: self.answers.record_delete(deleted))

    async def on_reaction(self, reaction: ReactionChanged) -> ReplyResult:
        return await self.in_order("reaction", lambda: self._reacted(reaction))

    async def _answered(self, reply: Reply) -> ReplyResult:
        """A scored daily answer is a review of the member's card for the day's question, at the time answered."""
        result = await self.answers.record_reply(reply)
        if result.verdict is Verdict.SCORED and result.answer is not None:
            await self._rate_daily_answer(result.answer)
            await self.desk.offer_self_check(reply)
        elif result.verdict is Verdict.DUPLICATE:
            # stored before, maybe without its review (the disk filled up in between): rating again changes nothing
            # when the review is there
            stored = await self.context.store.answer_by_message(
                platform=reply.thread.channel.platform, message_id=reply.message_id
            )
            if stored is not None and not stored.deleted:
                await self._rate_daily_answer(stored)
        return result

    async def _reacted(self, reaction: ReactionChanged) -> ReplyResult:
        """A moderator's best-answer mark raises the answer's review to Easy; taking it away lowers it again."""
        if (hold := mark_of(reaction.emoji)) is not None:
            return await self.marks.mark(
                platform=reaction.platform,
                message_id=reaction.message_id,
                hold=hold,
                added=reaction.added,
                by_moderator=reaction.reactor_is_moderator and not reaction.reactor.is_bot,
            )
        result = await self.answers.record_reaction(reaction)
        marked = self.context.rules.is_best_answer_mark(reaction.emoji)
        if marked and result.verdict is Verdict.SCORED and result.answer is not None:
            await self._rate_daily_answer(result.answer)
            if reaction.added:
                await self._rate_moved_mark(result.answer)
        return result

    async def _rate_moved_mark(self, marked: AnswerRecord) -> None:
        """The answer a moved best-answer mark left goes back to its own review rating."""
        for other, _ in await self.context.store.answers_for_post(post_id=marked.post_id):
            if other.id != marked.id and not other.best and not other.deleted:
                await self._rate_daily_answer(other)

    async def _rate_daily_answer(self, answer: AnswerRecord) -> None:
        """Good, Easy when marked best; the member's own self-check rating replaces the Good."""
        post = await self.context.store.post_by_id(post_id=answer.post_id)
        if post is not None:
            own = None if answer.best else await self.desk.checks.rating_of(answer.id)
            await self.reviews.rate(
                answer.member,
                post.question_id,
                self_assessed(own) if own else daily_answer(marked_best=answer.best),
                at=answer.answered_at,
                key=answer_key(answer.id),
            )

    async def in_order(self, what: str, event: Callable[[], Awaitable[ReplyResult]]) -> ReplyResult:
        """One member event, run behind those kept while the disk was full (or kept itself): a platform whose
        own messages live in the database (the console) runs its write and the event it carries as one."""
        attempt = await self.kept.store_in_order(what, event)
        if attempt.result is not None:
            return attempt.result
        note = KEPT_NOTE if attempt.kept else REFUSED_NOTE
        return ReplyResult(Verdict.KEPT if attempt.kept else Verdict.IGNORED, reason=note.format(what=what))

    async def retry_kept(self) -> int:
        """Store what was kept while the disk was full, in order; how many were stored (the rest wait)."""
        return await self.kept.retry() if self.kept else 0

    # ----------------------------------------------------------------------------- scheduled work
    async def post_if_due(self, config: ChannelConfig) -> PostResult:
        return await self.daily.post_if_due(config)

    async def sweep(self, style: TextStyle, configs: Sequence[ChannelConfig] | None = None) -> list[PostResult]:
        """Make every due post that is missing (within the grace window) and close expired questions; `configs`
        are the platform's channels if the caller has just read them."""
        if configs is None:
            configs = await self.context.store.list_channels(platform=self.context.platform.name)
        results = [
            result
            for result in await self.daily.post_due(configs)
            if result.outcome in (Outcome.POSTED, Outcome.RECOVERED, Outcome.UNAVAILABLE)
        ]
        await self.daily.close_expired(style)
        await self.recaps.post_due(style)
        return results

    async def catch_up(
        self, style: TextStyle, configs: Sequence[ChannelConfig] | None = None
    ) -> tuple[list[PostResult], int]:
        """At start: the posts a crash left claimed, the posts missed while down, then the replies made while down,
        then the reactions and deletions made while down (on platforms that can show them)."""
        await self.recaps.recover_abandoned()
        results = await self.daily.recover_abandoned() + await self.sweep(style, configs)
        read_back = await self.answers.read_back()
        await self.thread_changes.read_back()
        return results, read_back

    async def read_back(self) -> int:
        """The replies made while the platform delivered nothing (a new session after an outage), scored once;
        then the reactions and deletions made meanwhile (on platforms that can show them). Returns the replies
        scored."""
        scored = await self.answers.read_back()
        await self.thread_changes.read_back()
        return scored

    # ----------------------------------------------------------------------------------- commands
    async def handle(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        handler = self._handlers().get(command.name)
        if handler is None:
            return error(f"unknown command /{command.name}: try /help")
        if command.needs_moderator and not actor.is_moderator:
            return error(f"Only moderators can run {command.label}.")
        try:
            response = await handler(actor, command, style)
        except (InvalidInput, NotAllowed, NotFound) as problem:
            return error(str(problem)[:1].upper() + str(problem)[1:])
        except StorageFull as problem:
            self.kept.disk_full(problem)
            return error(COMMAND_REFUSED.format(label=command.label))
        except StudybotError as problem:
            log.warning("%s failed: %s", command.label, problem)
            return error(f"{command.label} failed: {problem}")
        return dataclasses.replace(response, private=not command.public) if response.ok else response

    def _handlers(self) -> dict[str, Callable[[Actor, Command, TextStyle], Awaitable[Response]]]:
        return {
            "qotd": self._qotd,
            "quiz": self._quiz,
            "review": self._review,
            "goal": self._goal,
            "leaderboard": self._leaderboard,
            "stats": self._stats,
            "resources": self._resources,
            "bank": self._bank,
            "answer": self._answer,
            "help": self._help,
        }

    async def _answer(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        response = await self.desk.answer_command(actor, command.text)
        post = await self.context.store.latest_post(channel=actor.channel)
        if post is not None:
            await self._rate_own_answer(actor, post.id)
        return response

    async def _rate_own_answer(self, actor: Actor, post_id: int) -> None:
        """A private answer is a review of the member's card as a thread answer is, rated again with a self-check."""
        own = await self.desk.own_answer(actor.member.ref, post_id)
        if own is not None:
            await self._rate_daily_answer(own)

    async def _help(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        return Response(help_text())

    async def _qotd(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        channel = command.target_channel or actor.channel
        sub = command.sub or "status"
        if sub == "setup":
            recap = command.options.get("recap")
            recap_on = parse_switch("recap", recap) if recap is not None else None  # before anything is saved
            mode = AnswerMode.parse(command.options["answers"]) if "answers" in command.options else None
            config = await self.channels.setup(channel, command.options, name=command.options.get("channel", ""))
            how = await self.desk.set_mode(channel, mode)
            where = style.channel(channel, config.name)
            text = f"Daily question set in {where}: {config.schedule.describe()}.{how}"
            if recap_on is not None:
                await self.recaps.switch(channel, recap_on)
                text += " " + await self.recaps.describe(config)
            return Response(text)
        if sub == "reveal":
            return await self.desk.reveal_now(channel, style)
        if sub == "now":
            return await self._post_now(channel)
        if sub == "skip":
            day = await self.channels.skip_next(channel)
            return Response(f"The question of {day:%a %d %b} will be skipped.")
        if sub in ("pause", "resume"):
            await self.channels.set_paused(channel, sub == "pause")
            return Response("Daily questions paused." if sub == "pause" else "Daily questions resumed.")
        if sub == "season":
            season = await self.standings.new_season(channel.server)
            return Response(f"Season {season.number} has started: everyone's season points are back to 0.")
        return await self._status(channel)

    async def _post_now(self, channel: ChannelRef) -> Response:
        config = await self.context.store.get_channel(channel)
        if config is None:
            raise InvalidInput("this channel has no daily question yet: run /qotd setup first")
        result = await self.daily.post_for_date(config, config.schedule.local_date(self.context.now()))
        link = result.post.url if result.post else None
        messages = {
            Outcome.POSTED: "Posted today's question.",
            Outcome.RECOVERED: "Today's question was already posted.",
            Outcome.ALREADY_POSTED: "Today's question is already posted.",
            Outcome.IN_PROGRESS: "Today's question is being posted right now.",
            Outcome.NO_QUESTIONS: f"No question to post: {result.reason}.",
            Outcome.UNAVAILABLE: f"I can't post in this channel: {result.reason}.",
        }
        text = messages.get(result.outcome, "Nothing to post.")
        if link:
            text += f" {link}"
        return Response(
            text,
            link=link,
            ok=result.outcome in (Outcome.POSTED, Outcome.ALREADY_POSTED, Outcome.RECOVERED, Outcome.IN_PROGRESS),
        )

    async def _status(self, channel: ChannelRef) -> Response:
        status = await self.channels.status(channel)
        if status.config is None:
            return Response("No daily question here yet. A moderator can start one with /qotd setup.")
        lines = [f"Schedule: {status.config.schedule.describe()}."]
        if status.config.schedule.paused:
            lines.append("Paused.")
        elif status.next_post is None:
            lines.append("Next question: none in the next two weeks (every scheduled day is skipped).")
        else:
            lines.append(f"Next question: {status.next_post}.")
        if status.today_title:
            lines.append(
                f"Today's question: {status.today_title}" + (f" {status.today_url}" if status.today_url else "")
            )
        lines.append(await self.recaps.describe(status.config))
        return Response("\n".join(lines), link=status.today_url)

    async def _quiz(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        member = actor.member.ref
        sub = command.sub or "start"
        if sub == "start":
            step = await self.quizzes.start(
                member,
                actor.channel.server,
                topic=command.options.get("topics"),
                difficulty=command.options.get("difficulty"),
            )
            return self.quiz_card(step, style)
        try:
            move = QuizMove(sub)
        except ValueError:
            raise InvalidInput(f"unknown quiz step '{sub}'") from None
        return await self.quiz_action(actor, move, command.text, None, style)

    async def quiz_action(
        self, actor: Actor, move: QuizMove, text: str, session_id: int | None, style: TextStyle
    ) -> Response:
        """One move of the member's quiz: the session the button named, or with `session_id` None their latest."""
        member = actor.member.ref
        if move is QuizMove.HINT:
            step, hint = await self.quizzes.hint(member, session_id)
            return Response(
                f"Hint: {hint}" if hint else "No more hints for this one: try Reveal.", actions=self._quiz_actions(step)
            )
        if move is QuizMove.REVEAL:
            step = await self.quizzes.reveal(member, session_id)
            return Response(
                key_points_text(step.question, style) + "\nHow did you do?", actions=self._assessment_actions(step)
            )
        if move is QuizMove.ANSWER:
            step, result = await self.quizzes.answer(member, text, session_id)
            verdict = "✅ Right!" if result.correct else f"❌ Not quite: the answer is {result.expected}."
            if not result.correct and result.reason:
                verdict += f"\nYour answer {result.reason}."
            return Response(f"{verdict}\n{result.explanation}\n{await self._comes_back(step)}")
        step = await self.quizzes.assess(member, _ASSESSMENTS[move], session_id)
        return Response(await self._comes_back(step))

    async def _comes_back(self, step: QuizStep) -> str:
        queue = await self.reviews.queue(step.session.member) if step.card is not None else None
        return comes_back(step.card, queue, self.context.now())

    async def _review(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        """The member's most overdue question as a quiz; when none is due, when the next is; a first question
        for a member with no card yet."""
        if command.sub == "remind":
            return await self._remind(actor, command)
        member = actor.member.ref
        topic = command.options.get("topics")
        topics = self.channels.validate_topics(topic) if topic else ()
        queue = await self.reviews.queue(member, topics)
        if queue.first is not None:
            _, question = queue.first
            step = await self.quizzes.ask(member, actor.channel.server, question)
            return self._card(step, "Review", review_footer(question.id, queue), style)
        if queue.next is not None:
            return Response(nothing_due(queue, self.context.now(), ", ".join(topics) or None))
        step = await self.quizzes.start(member, actor.channel.server, topic=topic)
        return self._card(step, "Review", f"{FIRST_REVIEW}\nid: {step.question.id}", style)

    async def _remind(self, actor: Actor, command: Command) -> Response:
        when = (command.options.get("time") or command.text).strip()
        if when.lower() == "off":
            dropped = await self.reminders.off(actor.member.ref)
            return Response("Review reminders are off." if dropped else "You have no review reminder to switch off.")
        if not when or command.text:
            raise InvalidInput("say when: /review remind time:HH:MM timezone:Area/City, or time:off to stop")
        reminder = await self.reminders.set(actor, when, command.options.get("timezone"))
        first = reminder.next_at.astimezone(reminder.zone)
        return Response(
            f"Reminder set: {reminder.describe()}, in a private message on days you have reviews due "
            f"(the first can come {first:%a %d %b %H:%M}). /review remind time:off stops it."
        )

    async def press(self, actor: Actor, action_id: str, value: str, style: TextStyle) -> Response:
        """A button press (or a modal's text for an action that needs input)."""
        if AnswerAction.claims(action_id):
            return await self._answer_press(actor, action_id, value)
        action = QuizAction.parse(action_id)
        if action is None:
            return error("That button is no longer valid.")
        try:
            return await self.quiz_action(actor, action.move, value, action.session_id, style)
        except (InvalidInput, NotAllowed, NotFound) as problem:
            return error(str(problem)[:1].upper() + str(problem)[1:])
        except StorageFull as problem:
            self.kept.disk_full(problem)
            return error(COMMAND_REFUSED.format(label="that step of your quiz"))

    async def _answer_press(self, actor: Actor, action_id: str, value: str) -> Response:
        action = AnswerAction.parse(action_id)
        if action is None:
            return error("That button is no longer valid.")
        try:
            response = await self.desk.press(actor, action, value)
            await self._rate_own_answer(actor, action.number)  # a new answer, or a new self-rating
            return response
        except (InvalidInput, NotAllowed, NotFound) as problem:
            return error(str(problem)[:1].upper() + str(problem)[1:])
        except StorageFull as problem:
            self.kept.disk_full(problem)
            return error(COMMAND_REFUSED.format(label="your answer"))

    def quiz_card(self, step: QuizStep, style: TextStyle) -> Response:
        return self._card(step, "Quiz", f"id: {step.question.id}", style)

    def _card(self, step: QuizStep, heading: str, footer: str, style: TextStyle) -> Response:
        card = question_card(step.question, heading=heading, footer=footer)
        return Response(card_text(card, style), card=card, actions=self._quiz_actions(step))

    def _quiz_actions(self, step: QuizStep) -> tuple[Action, ...]:
        def id_of(move: QuizMove) -> str:
            return QuizAction(move, step.session.id).encode()

        actions = [Action(id_of(QuizMove.HINT), "Hint")] if step.question.hints else []
        if step.question.answer is not None:
            actions.append(
                Action(
                    id_of(QuizMove.ANSWER), "Answer", ActionStyle.PRIMARY, needs_input=True, input_label="Your answer"
                )
            )
        actions.append(Action(id_of(QuizMove.REVEAL), "Reveal"))
        return tuple(actions)

    def _assessment_actions(self, step: QuizStep) -> tuple[Action, ...]:
        def id_of(move: QuizMove) -> str:
            return QuizAction(move, step.session.id).encode()

        return (
            Action(id_of(QuizMove.GOT), "Got it", ActionStyle.SUCCESS),
            Action(id_of(QuizMove.PARTLY), "Partly"),
            Action(id_of(QuizMove.MISSED), "Missed", ActionStyle.DANGER),
        )

    async def _goal(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        member = actor.member.ref
        if command.sub == "off":
            dropped = await self.reviews.drop_goal(member)
            return Response("Your goal is dropped." if dropped else "You have no goal to drop.")
        ready_by = command.options.get("date") or command.text
        if not ready_by:
            raise InvalidInput("say the day to be ready by: /goal date:YYYY-MM-DD")
        topic = command.options.get("topics")
        topics = self.channels.validate_topics(topic) if topic else ()
        plan = await self.reviews.set_goal(member, ready_by, topics)
        return Response(goal_text(plan) + "\n/stats shows it, adjusted as you go; /goal off drops it.")

    async def _leaderboard(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        period = parse_period(command.options.get("period"))
        scope = command.options.get("scope", "channel").lower()
        if scope not in ("channel", "server", "workspace"):
            raise InvalidInput(f"scope '{scope}' is not channel or server")
        board = await self.standings.leaderboard(
            actor.channel, actor.member.ref, period=period, server_wide=scope != "channel"
        )
        text = standings_text(board.title, board.standings, board.own, style)
        return Response(text, attachment=await self.picture(board_picture(board.title, board.standings, board.own)))

    async def _stats(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        stats = await self.standings.stats(actor.channel, actor.member.ref)
        name = style.mention(actor.member.ref, actor.member.display_name)
        lines = [
            style.bold(f"Stats for {name}"),
            f"Points: {stats.points} all time, {stats.season_points} this season"
            + (f" (rank {stats.rank})" if stats.rank else ""),
            f"Answers: {stats.answers}",
            f"Streak: {stats.current_streak} now, best {stats.best_streak}",
        ]
        if stats.topics:
            lines.append("Topics: " + ", ".join(f"{topic} {count}" for topic, count in stats.topics))
        topic = command.options.get("topics")
        topics = self.channels.validate_topics(topic) if topic else ()
        readiness = await self.reviews.readiness(actor.member.ref, topics) if self.context.scheduler else None
        upcoming = await self._next_reviews(actor, topics)
        picture = self._stats_picture(actor, stats, readiness or (), upcoming)
        response = await self._with_stats_picture(Response("\n".join(lines)), picture)
        more = ["Next reviews: " + ", ".join(f"{title} ({when})" for title, when in upcoming)] if upcoming else []
        if readiness is not None:
            more += await self._readiness_lines(actor, readiness, topics, style)
        return dataclasses.replace(response, text="\n".join([response.text, *more]))

    async def _next_reviews(self, actor: Actor, topics: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """The member's next reviews for the card and the text: (question title, when it is due)."""
        if self.context.scheduler is None:
            return ()
        now = self.context.now()
        upcoming = await self.reviews.upcoming(actor.member.ref, topics, limit=MOST_NEXT_REVIEWS)
        return tuple((question.title, how_soon(card.due, now)) for card, question in upcoming)

    def _stats_picture(
        self,
        actor: Actor,
        stats: MemberStats,
        readiness: Sequence[TopicReadiness],
        upcoming: tuple[tuple[str, str], ...],
    ) -> StatsPicture | None:
        if stats.today is None:
            return None
        return StatsPicture(
            name=actor.member.display_name,
            points=stats.points,
            season_points=stats.season_points,
            rank=stats.rank,
            answers=stats.answers,
            current_streak=stats.current_streak,
            best_streak=stats.best_streak,
            answered_days=stats.answered_days,
            today=stats.today,
            topics=stats.topics,
            readiness=tuple((entry.topic, entry.recall) for entry in readiness),
            next_reviews=upcoming,
        )

    async def _with_stats_picture(self, response: Response, picture: StatsPicture | None) -> Response:
        """The /stats card beside the text, and the one fact the card adds (the heatmap's days) said in words."""
        if picture is None:
            return response
        shown = picture.days_answered_shown()
        days = f"Answered on {shown} day{'' if shown == 1 else 's'} in the last {picture.weeks} weeks"
        return dataclasses.replace(response, text=f"{response.text}\n{days}", attachment=await self.picture(picture))

    async def picture(self, picture: Picture) -> Attachment | None:
        """The picture drawn, or None (no renderer, or drawing failed): the text goes out either way."""
        renderer = self.context.pictures
        if renderer is None:
            return None
        try:
            return await renderer.render(picture)
        except Exception:
            log.exception("drawing %s failed; the text is sent without it", picture.filename)
            return None

    async def _readiness_lines(
        self, actor: Actor, readiness: Sequence[TopicReadiness], topics: Sequence[str], style: TextStyle
    ) -> list[str]:
        """Readiness by topic from the member's review cards, and their goal (its plan reuses the readiness when it
        covers the whole bank)."""
        plan = await self.reviews.plan(actor.member.ref, whole_bank=None if topics else readiness)
        return readiness_text(readiness, self.context.now(), style) + ([goal_text(plan)] if plan else [])

    async def _resources(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        return Response(resources_text(self.context.bank.resources, style))

    async def _bank(self, actor: Actor, command: Command, style: TextStyle) -> Response:
        bank = self.context.bank
        if command.sub == "topics":
            lines = [f"{topic}: {len(bank.filter(topics=[topic]))} questions" for topic in sorted(bank.topics())]
            return Response("\n".join(lines))
        if command.sub == "show":
            question_id = command.options.get("id") or command.text
            question = bank.get(question_id.strip())
            if question is None:
                raise NotFound(f"no question has id '{style.user_text(question_id)}'")
            card = question_card(question, heading="Question", footer=f"id: {question.id}")
            return Response(card_text(card, style), card=card)
        query = command.options.get("query") or command.options.get("search") or command.text
        topic = command.options.get("topics")
        found = bank.search(query) if query else list(bank.questions)
        if topic:
            wanted = set(self.channels.validate_topics(topic))
            found = [question for question in found if question.topic in wanted]
        if not found:
            return Response(f"No question matches '{style.user_text(query)}'.")
        lines = [
            f"{style.code(question.id)} {question.title} ({question.topic}, {question.difficulty})"
            for question in found[:15]
        ]
        if len(found) > 15:
            lines.append(f"… and {len(found) - 15} more; narrow it with search:TEXT or topics:T")
        return Response("\n".join(lines))
