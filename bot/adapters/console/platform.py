"""The console as a platform: channels are names, messages live in the history, output goes to a stream; direct
messages (review reminders) are printed for the member they are to."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.adapters.console.pictures import PictureFiles
from bot.core.chatlog import ChatLog, LoggedMessage
from bot.core.clock import Clock
from bot.core.ports import PostedQuestion, QuestionCard, ThreadReply
from bot.core.recaps import RecapPost
from bot.core.refs import ChannelRef, Member, MemberRef, ThreadRef
from bot.core.render import card_text
from bot.core.style import TextStyle

SERVER_ID = "local"
BOT_ID = "studybot"


class ConsolePlatform:
    name = "console"

    def __init__(
        self, history: ChatLog, clock: Clock, write: Callable[[str], None], *, pictures: PictureFiles | None = None
    ) -> None:
        self.history = history
        self._clock = clock
        self._write = write
        self._pictures = pictures  # None: cards are not saved
        self.style = TextStyle()

    def channel(self, name: str) -> ChannelRef:
        return ChannelRef(self.name, SERVER_ID, name)

    def show(self, message: LoggedMessage) -> None:
        where = f"#{message.channel}" + (f" › {message.thread_id}" if message.thread_id else "")
        lines = message.text.splitlines() or [""]
        self._write(f"[{where} | {message.id}] {message.author_name}: {lines[0]}")
        for line in lines[1:]:
            self._write(f"    {line}")

    async def say(self, channel: str, text: str, *, thread_id: str | None = None) -> LoggedMessage:
        message = await self.history.add(
            channel=channel,
            thread_id=thread_id,
            author_id=BOT_ID,
            author_name=BOT_ID,
            text=text,
            sent_at=self._clock.now(),
            is_bot=True,
        )
        self.show(message)
        return message

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        message = await self.history.add(
            channel=channel.channel_id,
            thread_id=None,
            author_id=BOT_ID,
            author_name=BOT_ID,
            text=card_text(card, self.style),
            sent_at=self._clock.now(),
            is_bot=True,
            post_key=post_key,
        )
        self.show(message)
        if card.answer_button:
            self._write(f"    (answer privately with: /answer your answer · discuss in thread {message.id}: > text)")
        else:
            self._write(f"    (reply with: > your answer · the thread is {message.id})")
        if card.check_button:
            self._write(f"    (once you have answered, check it against the key points: click {card.check_button})")
        return PostedQuestion(message_id=str(message.id), thread_id=str(message.id), url=f"console://{message.id}")

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        message = await self.history.find_post(post_key)
        if message is None:
            return None
        return PostedQuestion(message_id=str(message.id), thread_id=str(message.id), url=f"console://{message.id}")

    async def post_recap(self, channel: ChannelRef, recap: RecapPost, *, post_key: str) -> str:
        message = await self.history.add(
            channel=channel.channel_id,
            thread_id=None,
            author_id=BOT_ID,
            author_name=BOT_ID,
            text=recap.text,
            sent_at=self._clock.now(),
            is_bot=True,
            post_key=post_key,
        )
        self.show(message)
        if recap.picture is not None and self._pictures is not None:
            await self._pictures.show(recap.picture, self._write)
        return str(message.id)

    async def find_recap(self, channel: ChannelRef, *, post_key: str) -> str | None:
        message = await self.history.find_post(post_key)
        return str(message.id) if message is not None else None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        await self.say(thread.channel.channel_id, text, thread_id=thread.thread_id)

    async def post_answer(self, thread: ThreadRef, text: str) -> str:
        message = await self.say(thread.channel.channel_id, text, thread_id=thread.thread_id)
        return str(message.id)

    async def tell(self, member: MemberRef, text: str, *, channel: ChannelRef | None = None) -> None:
        self._write(f"(only {member.user_id} sees this) {text}")

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        return [
            ThreadReply(
                str(message.id),
                Member(MemberRef(self.name, message.author_id), message.author_name, message.is_bot),
                message.text,
                message.sent_at,
            )
            for message in await self.history.thread(thread.thread_id)
        ]

    async def message_member(self, member: MemberRef, text: str) -> None:
        self._write(f"[direct message to @{member.user_id}] {BOT_ID}: {text}")

    async def tell_in_channel(self, channel: ChannelRef, member: Member, text: str) -> None:
        self._write(f"[#{channel.channel_id}] (only @{member.display_name} sees this) {BOT_ID}: {text}")
