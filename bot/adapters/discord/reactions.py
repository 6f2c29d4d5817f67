"""Who reacts to the answers in a question's thread now, as Discord lists them: the read-back of reactions made
while the bot was away (`ReadsWholeThreads`).

Costs are kept to what the rules need: one history pass over the thread (100 messages a page), the reactor lists
only of answers and only for the emoji that count (100 users a page), and a member look-up only for those who
put a best-answer mark, once each, as only a moderator's mark counts.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import discord

from bot.adapters.discord.members import REPLY_TYPES, is_moderator, member_of
from bot.core.ports import Reactor, SeenReaction, ThreadMessage


def emoji_name(emoji: str | discord.Emoji | discord.PartialEmoji) -> str:
    """How the rules name an emoji: the character itself, or a custom emoji's name."""
    return emoji if isinstance(emoji, str) else emoji.name or str(emoji)


class ThreadReader:
    """One read-back of one thread; remembers the moderator look-ups it made."""

    def __init__(self, guild: discord.Guild | None, moderator_roles: tuple[str, ...]) -> None:
        self._guild = guild
        self._moderator_roles = moderator_roles
        self._moderators: dict[int, bool] = {}

    async def messages(
        self,
        history: discord.abc.Messageable,
        *,
        answers: Collection[str],
        counts: Callable[[str], bool],
        marks: Callable[[str], bool],
    ) -> list[ThreadMessage]:
        found = []
        async for message in history.history(limit=None):
            if message.type not in REPLY_TYPES or message.author.bot:
                continue
            reactions: list[SeenReaction] = []
            if str(message.id) in answers:
                try:
                    for reaction in message.reactions:
                        name = emoji_name(reaction.emoji)
                        if counts(name):
                            reactions.append(SeenReaction(name, await self._reactors(reaction, marks(name))))
                except discord.NotFound:
                    continue  # deleted while being read: gone, like one the history no longer shows
            found.append(ThreadMessage(str(message.id), tuple(reactions)))
        return found

    async def _reactors(self, reaction: discord.Reaction, mark: bool) -> tuple[Reactor, ...]:
        users = [user async for user in reaction.users()]
        if reaction.burst_count:  # super reactions are listed apart from the normal ones
            users += [user async for user in reaction.users(type=discord.ReactionType.burst)]
        distinct = {user.id: user for user in users}.values()
        return tuple([Reactor(member_of(user), mark and await self._is_moderator(user.id)) for user in distinct])

    async def _is_moderator(self, user_id: int) -> bool:
        if user_id not in self._moderators:
            member = await self._member(user_id)
            self._moderators[user_id] = member is not None and is_moderator(member, self._moderator_roles)
        return self._moderators[user_id]

    async def _member(self, user_id: int) -> discord.Member | None:
        if self._guild is None:
            return None  # a server the gateway has not sent: its roles are unknown, so nobody's mark counts yet
        try:
            return await self._guild.fetch_member(user_id)
        except discord.NotFound:
            return None  # left the server: no longer a moderator
