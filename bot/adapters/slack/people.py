"""Who a Slack user is: display name, bot or not, moderator or not (`users.info`, cached briefly)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.core.refs import Member, MemberRef

log = logging.getLogger(__name__)

PLATFORM = "slack"
CACHE_SECONDS = 120.0
CACHE_SIZE = 5000  # beyond this many entries, expired ones are dropped


@dataclass(frozen=True, slots=True)
class Person:
    member: Member
    is_admin: bool  # a workspace admin or owner


class People:
    """Looks users up once per `ttl` seconds; concurrent look-ups of one user share a single call."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        moderators: Iterable[str] = (),
        ttl: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._moderators = frozenset(moderators)
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, Person]] = {}
        self._pending: dict[str, asyncio.Task[Person]] = {}

    async def member(self, user_id: str) -> Member:
        return (await self.person(user_id)).member

    async def is_moderator(self, user_id: str) -> bool:
        """A workspace admin or owner, or a user listed in `[slack] moderators`."""
        if user_id in self._moderators:
            return True
        return (await self.person(user_id)).is_admin

    async def person(self, user_id: str) -> Person:
        cached = self._cache.get(user_id)
        if cached and self._clock() - cached[0] < self._ttl:
            return cached[1]
        task = self._pending.get(user_id)
        if task is None:
            task = asyncio.ensure_future(self._look_up(user_id))
            self._pending[user_id] = task
            task.add_done_callback(lambda _: self._pending.pop(user_id, None))
        return await asyncio.shield(task)

    async def _look_up(self, user_id: str) -> Person:
        try:
            user = (await self._client.users_info(user=user_id))["user"]
        except SlackApiError as problem:
            log.warning("users.info %s failed: %s", user_id, problem.response.get("error"))
            return Person(Member(MemberRef(PLATFORM, user_id), user_id), is_admin=False)
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
        person = Person(
            Member(
                MemberRef(PLATFORM, user_id),
                str(name or user_id),
                is_bot=bool(user.get("is_bot")) or user_id == "USLACKBOT",
            ),
            is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
        )
        now = self._clock()
        if len(self._cache) >= CACHE_SIZE:
            self._cache = {key: entry for key, entry in self._cache.items() if now - entry[0] < self._ttl}
        self._cache[user_id] = (now, person)
        return person
