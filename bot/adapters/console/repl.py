"""The console's line language: slash commands, member and channel switches, replies, reactions, edits."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.adapters.console.pictures import PictureFiles
from bot.adapters.console.platform import ConsolePlatform
from bot.core.actions import MAX_ID_DIGITS
from bot.core.chatlog import LoggedMessage
from bot.core.commands import Command, parse_command
from bot.core.errors import InvalidInput, StorageFull
from bot.core.events import ReactionChanged, Reply, ReplyDeleted, ReplyEdited
from bot.core.marks import MARK_EMOJI, parse_mark
from bot.core.messages import Response
from bot.core.refs import Actor, Member, MemberRef, ThreadRef
from bot.core.studygroup import StudyGroup
from bot.core.usecases.answers import ReplyResult, Verdict

T = TypeVar("T")

HELP = """\
Console study group: you are @you, a moderator, in #study.
  /COMMAND ...          run a slash command (try /help for the list)
  @name                 become member `name` (created on first use; only @you moderates)
  #name                 switch to channel `name`
  > text                reply in the thread of this channel's latest question
  /answer text          answer it privately, in a channel set up with answers:private
  react ID EMOJI        react to message ID (👍 to upvote, ✅ to mark a best answer)
  mark ID REASON        mark answer ID needs-more (no bonus) or off-topic (no points); same as 📝 or 🚫
  unreact ID EMOJI      take a reaction back
  edit ID text          edit your message ID
  delete ID             delete your message ID
  click ACTION [text]   press a button shown as [ACTION]
  help                  this text;  quit  leave"""

_VERDICT_NOTES = {
    Verdict.SCORED: "scored",
    Verdict.TOO_SHORT: "too short to score: discussion",
    Verdict.ALREADY_ANSWERED: "you already answered: discussion",
    Verdict.CLOSED: "answers are closed: discussion",
}

MAX_LINE = 4_000  # Discord's longest message: more is no answer anyone types


class ConsoleSession:
    """One person at the keyboard playing every member of a local study group."""

    def __init__(
        self,
        group: StudyGroup,
        platform: ConsolePlatform,
        write: Callable[[str], None],
        pictures: PictureFiles | None = None,
    ) -> None:
        self._group = group
        self._platform = platform
        self._write = write
        self._pictures = pictures
        self.member = Member(MemberRef(platform.name, "you"), "you")
        self.channel = "study"

    @property
    def actor(self) -> Actor:
        return Actor(self.member, self._platform.channel(self.channel), is_moderator=self.member.ref.user_id == "you")

    async def handle(self, line: str) -> bool:
        """Run one line; False when the person asked to leave."""
        text = line.strip()
        if not text:
            return True
        if len(text) > MAX_LINE:
            self._write(f"! That line is {len(text):,} characters; a line may hold at most {MAX_LINE:,}.")
            return True
        if text in ("quit", "exit"):
            return False
        try:
            await self._dispatch(text)
        except InvalidInput as problem:
            self._write(f"! {problem}")
        except StorageFull:
            self._write("! The disk is full, so that was not saved: try again once there is room.")
        return True

    async def _dispatch(self, text: str) -> None:
        if text == "help":
            self._write(HELP)
        elif text.startswith("/"):
            command = self._with_channel(parse_command(text))
            response = await self._group.handle(self.actor, command, self._platform.style)
            self._show(response)
            await self._save_picture(response)
        elif re.fullmatch(r"@[\w.-]+", text):
            name = text[1:]
            self.member = Member(MemberRef(self._platform.name, name.lower()), name)
            self._write(f"(you are now @{name})")
        elif re.fullmatch(r"#[\w-]+", text):
            self.channel = text[1:].lower()
            self._write(f"(you are now in #{self.channel})")
        elif text.startswith(">"):
            await self._reply(text[1:].strip())
        else:
            await self._message_action(text)

    def _with_channel(self, command: Command) -> Command:
        """`channel:#name` (or `channel:name`) runs the command for that channel."""
        raw = command.options.get("channel")
        if raw is None:
            return command
        name = raw.strip().removeprefix("#").lower()
        if not re.fullmatch(r"[\w-]+", name):
            raise InvalidInput(f"'{raw}' is not a channel name: write channel:#name, for example channel:#study")
        options = {**command.options, "channel": name}
        return dataclasses.replace(command, options=options, target_channel=self._platform.channel(name))

    async def _reply(self, body: str) -> None:
        question = await self._platform.history.latest_question(self.channel)
        if question is None:
            raise InvalidInput(f"#{self.channel} has no question yet: a moderator runs /qotd now")
        if not body:
            raise InvalidInput("write your answer after the >")
        member, channel, sent_at = self.member, self.channel, self._group.context.now()

        async def say() -> LoggedMessage:
            message = await self._platform.history.add(
                channel=channel,
                thread_id=str(question.id),
                author_id=member.ref.user_id,
                author_name=member.display_name,
                text=body,
                sent_at=sent_at,
            )
            self._platform.show(message)
            return message

        add = _once(say)

        async def answer() -> ReplyResult:
            message = await add()
            thread = ThreadRef(self._platform.channel(channel), str(question.id))
            return await self._group.on_reply(Reply(thread, str(message.id), member, body, sent_at))

        def note(result: ReplyResult) -> str | None:
            if verdict := _VERDICT_NOTES.get(result.verdict):
                return verdict + (f": {result.answer.points} points" if result.answer else "")
            return result.reason or None

        await self._in_order("answer", answer, note)

    async def _in_order(
        self, what: str, event: Callable[[], Awaitable[ReplyResult]], note: Callable[[ReplyResult], str | None]
    ) -> None:
        """Run a member's event, its console message included, behind those kept while the disk was full, and say
        what it became (`note`). Kept itself, it says so now, and what it became once it is stored."""
        late = False

        async def run() -> ReplyResult:
            result = await event()
            if late and (said := note(result)):
                self._write(f"    (kept {what} stored: {said})")
            return result

        result = await self._group.in_order(what, run)
        if result.verdict is Verdict.KEPT:
            late = True
            self._write(f"    ({result.reason})")
        elif said := note(result):
            self._write(f"    ({said})")

    async def _message_action(self, text: str) -> None:
        verb, _, rest = text.partition(" ")
        platform = self._platform.name
        if verb == "mark":  # a moderator's mark with a reason is its reaction
            message_id, _, reason = rest.strip().partition(" ")
            hold = parse_mark(reason)
            if hold is None:
                raise InvalidInput("usage: mark MESSAGE-ID needs-more|off-topic, for example mark 12 off-topic")
            verb, rest = "react", f"{message_id} {MARK_EMOJI[hold][0]}"
        if verb in ("react", "unreact"):
            message_id, _, emoji = rest.strip().partition(" ")
            if not message_id.isdigit() or not emoji.strip():
                raise InvalidInput(f"usage: {verb} MESSAGE-ID EMOJI, for example {verb} 12 👍")
            await self._require(message_id)
            change = ReactionChanged(
                platform,
                message_id,
                self.member,
                emoji.strip(),
                added=verb == "react",
                reactor_is_moderator=self.actor.is_moderator,
            )

            def reacted(result: ReplyResult) -> str | None:
                if result.answer is not None and result.verdict is Verdict.REMOVED:
                    return f"answer {message_id} is off topic: it no longer scores"
                if result.answer is not None and result.verdict is Verdict.SCORED:
                    return f"answer {message_id} now has {result.answer.points} points"
                return f"no points: {result.reason}" if result.reason else None

            await self._in_order("reaction", lambda: self._group.on_reaction(change), reacted)
        elif verb == "edit":
            message_id, _, body = rest.strip().partition(" ")
            message = await self._require(message_id)
            if message.author_id != self.member.ref.user_id:
                raise InvalidInput("you can only edit your own messages")
            thread = (
                ThreadRef(self._platform.channel(message.channel), message.thread_id) if message.thread_id else None
            )
            edited = ReplyEdited(platform, message_id, self.member, body, self._group.context.now(), thread)
            change_text = _once(lambda: self._platform.history.edit(message.id, body))

            async def edit() -> ReplyResult:
                await change_text()
                return await self._group.on_edit(edited)

            def was_edited(result: ReplyResult) -> str:
                return f"edited {message_id}" + (": now scored" if result.verdict is Verdict.SCORED else "")

            await self._in_order("edit", edit, was_edited)
        elif verb == "delete":
            message = await self._require(rest.strip())
            if message.author_id != self.member.ref.user_id and not self.actor.is_moderator:
                raise InvalidInput("you can only delete your own messages")
            remove = _once(lambda: self._platform.history.delete(message.id))

            async def delete() -> ReplyResult:
                await remove()
                return await self._group.on_delete(ReplyDeleted(platform, str(message.id)))

            await self._in_order("deletion", delete, lambda result: f"deleted {message.id}")
        elif verb == "click":
            action, _, value = rest.strip().partition(" ")
            self._show(await self._group.press(self.actor, action, value, self._platform.style))
        else:
            raise InvalidInput(f"'{text[:40]}' is not something the console understands: type help")

    async def _require(self, message_id: str):  # type: ignore[no-untyped-def]
        known = message_id.isascii() and message_id.isdigit() and len(message_id) <= MAX_ID_DIGITS
        message = await self._platform.history.get(int(message_id)) if known else None
        if message is None:
            raise InvalidInput(f"there is no message {message_id}")
        return message

    def _show(self, response: Response) -> None:
        prefix = "(only you see this) " if response.private else ""
        marker = "! " if not response.ok else ""
        lines = response.text.splitlines() or [""]
        self._write(f"{marker}{prefix}{lines[0]}")
        for line in lines[1:]:
            self._write(f"  {line}")
        if response.actions:
            self._write("  buttons: " + "  ".join(f"[{action.id}] {action.label}" for action in response.actions))

    async def _save_picture(self, response: Response) -> None:
        if response.attachment is not None and self._pictures is not None:
            await self._pictures.show(response.attachment, self._write)


def _once(step: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
    """`step` done at most once: a kept event is retried whole, and its console message is written only once."""
    done: list[T] = []

    async def run() -> T:
        if not done:
            done.append(await step())
        return done[0]

    return run
