"""Where members hand in private answers (the Answer button, `/answer`) and moderators reveal them: the study
group's replies for these, worded here."""

from __future__ import annotations

import dataclasses

from bot.core.answer_actions import AnswerAction, AnswerMove
from bot.core.errors import InvalidInput, NotFound
from bot.core.messages import Action, ActionStyle, Response
from bot.core.ports import QuestionCard
from bot.core.private import AnswerMode
from bot.core.records import DailyPost
from bot.core.refs import Actor, ChannelRef, MemberRef
from bot.core.style import TextStyle
from bot.core.usecases.context import StudyGroupContext
from bot.core.usecases.private_answers import PrivateAnswers, Submitted, answer_button

THREAD_FOOTER_START = "Reply in the thread with"


class AnswerDesk:
    def __init__(self, context: StudyGroupContext, private: PrivateAnswers) -> None:
        self._ctx = context
        self.private = private

    async def dress_card(self, post: DailyPost, card: QuestionCard) -> QuestionCard:
        """A private channel's post carries the Answer button, and its footer says how answers work there."""
        if await self.private.mode(post.channel) is not AnswerMode.PRIVATE:
            return card
        footer = card.footer.replace(
            THREAD_FOOTER_START, "Press Answer to answer privately (nobody sees it before the close) with", 1
        )
        return dataclasses.replace(
            card, footer=footer + " Answers are then shown in the thread.", answer_button=answer_button(post)
        )

    async def answer_command(self, actor: Actor, text: str) -> Response:
        """`/answer TEXT`: the member's private answer to the channel's latest question."""
        if not text.strip():
            raise InvalidInput("write your answer after /answer, for example /answer The mean is ...")
        post = await self.private.open_post(actor.channel)
        return self._submitted(await self.private.submit(actor.member, post, text), post)

    async def press(self, actor: Actor, action: AnswerAction, value: str) -> Response:
        if action.move is AnswerMove.ANSWER:
            post = await self._ctx.store.post_by_id(post_id=action.number)
            if post is None:
                raise NotFound("that question is gone")
            return self._submitted(await self.private.submit(actor.member, post, value), post)
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
        answers = "answer" if count == 1 else "answers"
        return Response(f"Revealed {count} {answers} in the thread; new answers are closed.", link=post.url)

    def _submitted(self, submitted: Submitted, post: DailyPost) -> Response:
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
        return Response(text, actions=(edit,))
