"""Where members hand in private answers (the Answer button, `/answer`) and moderators reveal them: the study
group's replies for these, worded here."""

from __future__ import annotations

import dataclasses
import logging

from bot.core.answer_actions import AnswerAction, AnswerMove
from bot.core.errors import InvalidInput, NotFound
from bot.core.events import Reply
from bot.core.messages import Action, ActionStyle, Response
from bot.core.ports import MessagesMembers, QuestionCard
from bot.core.private import AnswerMode
from bot.core.records import AnswerRecord, Assessment, DailyPost
from bot.core.refs import Actor, ChannelRef, MemberRef
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.private_answers import PrivateAnswers, Submitted, answer_button
from bot.core.usecases.self_check import CheckStep, SelfChecks

log = logging.getLogger(__name__)

THREAD_FOOTER_START = "Reply in the thread with"
SELF_CHECK_OFFER = (
    "Your answer counts. Press Check my answer on the question to compare it with the key points "
    "(only you see it; it changes no points)."
)
RATED = {Assessment.GOT_IT: "got it", Assessment.PARTLY: "partly", Assessment.MISSED: "missed"}


class AnswerDesk:
    def __init__(self, context: StudyGroupContext, private: PrivateAnswers) -> None:
        self._ctx = context
        self.private = private
        self.checks = SelfChecks(context)

    async def dress_card(self, post: DailyPost, card: QuestionCard) -> QuestionCard:
        """Every post carries Check my answer; a private channel's also the Answer button, and its footer says how
        answers work there."""
        card = dataclasses.replace(card, check_button=AnswerAction(AnswerMove.CHECK, post.id).encode())
        if await self.private.mode(post.channel) is not AnswerMode.PRIVATE:
            return card
        footer = card.footer.replace(
            THREAD_FOOTER_START, "Press Answer to answer privately (nobody sees it before the close) with", 1
        )
        return dataclasses.replace(
            card, footer=footer + " Answers are then shown in the thread.", answer_button=answer_button(post)
        )

    async def set_mode(self, channel: ChannelRef, mode: AnswerMode | None) -> str:
        """Set the channel's answer mode (None: keep it); what the setup's reply adds about it."""
        if mode is not None:
            await self._ctx.store.set_answer_mode(channel=channel, mode=mode)
        private = await self.private.mode(channel) is AnswerMode.PRIVATE
        return " Answers are private until the question closes." if private else ""

    async def own_answer(self, member: MemberRef, post_id: int) -> AnswerRecord | None:
        """The member's live answer to the post, in either mode."""
        answers = await self._ctx.store.answers_for_post(post_id=post_id)
        return next((answer for answer, _ in answers if answer.member == member and not answer.deleted), None)

    async def offer_self_check(self, reply: Reply) -> None:
        """After a member's first answer in a thread, privately: the self-check is a button away."""
        platform = self._ctx.platform
        if not isinstance(platform, MessagesMembers):
            return
        try:
            await platform.tell(reply.author.ref, SELF_CHECK_OFFER, channel=reply.thread.channel)
        except Exception:  # the answer is scored either way
            log.warning("could not offer the self-check to %s", reply.author.ref.user_id, exc_info=True)

    async def answer_command(self, actor: Actor, text: str) -> Response:
        """`/answer TEXT`: the member's private answer to the channel's latest question."""
        if not text.strip():
            raise InvalidInput("write your answer after /answer, for example /answer The mean is ...")
        post = await self.private.open_post(actor.channel)
        return await self._submitted(await self.private.submit(actor.member, post, text), post)

    async def press(self, actor: Actor, action: AnswerAction, value: str) -> Response:
        post = await self._ctx.store.post_by_id(post_id=action.number)
        if post is None:
            raise NotFound("that question is gone")
        member = actor.member.ref
        if action.move is AnswerMove.ANSWER:
            return await self._submitted(await self.private.submit(actor.member, post, value), post)
        if action.move is AnswerMove.CHECK:
            return self._check(await self.checks.of_post(member, post))
        if action.move is AnswerMove.COVER and action.detail.isdigit():
            return self._check(await self.checks.toggle(member, post, int(action.detail)))
        if action.move is AnswerMove.RATE and action.detail in {a.value for a in Assessment}:
            step = await self.checks.rate(member, post, Assessment(action.detail))
            return self._check(step, note=f"Noted: {RATED[step.check.rating or Assessment.PARTLY]}.")
        raise InvalidInput("that button is no longer valid")

    async def draft(self, member: MemberRef, action_id: str) -> str:
        """What the answer form starts with: the member's kept answer, to change it."""
        action = AnswerAction.parse(action_id)
        if action is None or action.move is not AnswerMove.ANSWER:
            return ""
        post = await self._ctx.store.post_by_id(post_id=action.number)
        return await self.private.own_text(member, post) if post else ""

    async def reveal_now(self, channel: ChannelRef, style: TextStyle) -> Response:
        """`/qotd reveal`: the channel's latest question's private answers, shown in its thread now."""
        post = await self.private.open_post(channel)
        if await self.private.mode(channel) is not AnswerMode.PRIVATE:
            raise InvalidInput("this channel takes answers in the thread, where everyone sees them already")
        if await self._ctx.store.is_revealed(post_id=post.id):
            return Response("The answers to this question are already shown in its thread.")
        count = await self.private.reveal(post, style)
        await self._ctx.store.claim_reveal(post_id=post.id, now=self._ctx.now())  # closed even with none to show
        answers = "answer" if count == 1 else "answers"
        return Response(f"Revealed {count} {answers} in the thread; new answers are closed.", link=post.url)

    def _check(self, step: CheckStep, *, note: str = "") -> Response:
        """The self-check as the member sees it: each key point with whether they covered it, and their rating."""
        post_id = step.answer.post_id
        lines = [note] if note else []
        lines.append("Check your answer against the key points (only you see this; it changes no points):")
        actions: list[Action] = []
        for index, point in enumerate(step.question.key_points):
            covered = index in step.check.covered
            lines.append(f"{'☑' if covered else '☐'} {index + 1}. {point}")
            move = AnswerAction(AnswerMove.COVER, post_id, str(index)).encode()
            actions.append(Action(move, f"{'✓ ' if covered else ''}I covered {index + 1}"))
        if not step.question.key_points:
            lines.append("This question lists no key points: compare notes in the thread.")
        rating = step.check.rating
        lines.append("How did you do?" + (f" Now: {RATED[rating]}." if rating else ""))
        for assessment, label, style in (
            (Assessment.GOT_IT, "Got it", ActionStyle.SUCCESS),
            (Assessment.PARTLY, "Partly", ActionStyle.SECONDARY),
            (Assessment.MISSED, "Missed", ActionStyle.DANGER),
        ):
            actions.append(Action(AnswerAction(AnswerMove.RATE, post_id, assessment.value).encode(), label, style))
        return Response("\n".join(lines), actions=tuple(actions))

    async def _submitted(self, submitted: Submitted, post: DailyPost) -> Response:
        edit = Action(
            answer_button(post), "Edit my answer", ActionStyle.SECONDARY, needs_input=True, input_label="Your answer"
        )
        minimum = self._ctx.rules.min_answer_chars
        if not submitted.counts:
            text = (
                f"Your answer is changed, but it is shorter than {minimum} characters, so it does not count "
                "until it is long enough again."
            )
        elif submitted.edited:
            text = "Your answer is changed. Nobody else sees it until the question closes."
        else:
            text = (
                f"Your answer is saved: {submitted.answer.points} points. Nobody else sees it until the question "
                "closes; you can change it until then."
            )
        if not submitted.first:
            return Response(text, actions=(edit,))
        check = self._check(await self.checks.of_post(submitted.answer.member, post))
        return Response(f"{text}\n\n{check.text}", actions=(edit, *check.actions))

    async def closing_lines(self, post: DailyPost, style: TextStyle) -> list[str]:
        """What the close adds under the summary: the private answers revealed first, then how many answers
        covered each key point, and the best answer."""
        await self.private.reveal(post, style)
        question = self._ctx.question(post.question_id)
        lines = await self.checks.coverage(post, question) if question else []
        answers = await self._ctx.store.answers_for_post(post_id=post.id)
        best = next((name for answer, name in answers if answer.best and not answer.deleted), None)
        if best is not None:
            lines.append(f"Best answer ✅: {style.user_text(best)}")
        return lines
