"""In-process platforms with real round trips and the platforms' published rate limits, for fan-out.

- Discord (https://docs.discord.com/developers/topics/rate-limits): a global limit of 50 requests/s per bot,
  and per-route limits that Discord does not publish ("parse the response headers"); the one commonly observed
  for creating messages, 5 per 5 s per channel, is modelled. A question is two requests: the message, then its
  thread. A refused message is `RateLimited` (the core retries it after Retry-After); a refused thread is
  waited out and retried by the platform itself, as `DiscordPlatform._open_thread` does.
- Slack (https://docs.slack.dev/apis/web-api/rate-limits): chat.postMessage "generally allows posting one
  message per second per channel", short bursts allowed, and a workspace-wide limit Slack gives no figure for
  (not modelled). A question is one request.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from benchmarks.common import InstantPlatform
from bot.core.ports import PostedQuestion, QuestionCard, RateLimited
from bot.core.refs import ChannelRef


@dataclass(frozen=True)
class Limits:
    name: str
    round_trip: float
    requests_per_post: int
    global_per_s: int | None = None
    per_channel: int | None = None  # requests per channel per `channel_window` s
    channel_window: float = 1.0
    channel_burst: int = 0  # Slack: short bursts over the per-channel rate


ROUND_TRIP = Limits("100 ms round trip, no limit", 0.1, 1)
DISCORD = Limits("Discord", 0.1, 2, global_per_s=50, per_channel=5, channel_window=5.0)
SLACK = Limits("Slack", 0.1, 1, per_channel=1, channel_window=1.0, channel_burst=2)


class RoundTripPlatform(InstantPlatform):
    """Each request takes `round_trip` (half out, half back) and is admitted or refused on arrival."""

    def __init__(self, limits: Limits, *, first_id: int = 1) -> None:
        super().__init__(first_id=first_id)
        self.limits = limits
        self._global_start, self._global_count = 0.0, 0
        self._channels: dict[str, tuple[float, int]] = {}

    def _refusal(self, channel_id: str | None) -> float | None:
        """Seconds to wait before retrying, or None when the request is admitted (and counted)."""
        now = time.monotonic()
        limits = self.limits
        if limits.global_per_s is not None:
            if now - self._global_start >= 1.0:
                self._global_start, self._global_count = now, 0
            if self._global_count >= limits.global_per_s:
                return self._global_start + 1.0 - now
        if channel_id is not None and limits.per_channel is not None:
            start, count = self._channels.get(channel_id, (0.0, 0))
            if now - start >= limits.channel_window:
                start, count = now, 0
            if count >= limits.per_channel + limits.channel_burst:
                return start + limits.channel_window - now
            self._channels[channel_id] = (start, count + 1)
        if limits.global_per_s is not None:
            self._global_count += 1
        self.requests += 1
        return None

    async def _request(self, channel_id: str | None) -> float | None:
        await asyncio.sleep(self.limits.round_trip / 2)
        refused = self._refusal(channel_id)
        await asyncio.sleep(self.limits.round_trip / 2)
        if refused is not None:
            self.refused += 1
        return refused

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        retry = await self._request(channel.channel_id)
        if retry is not None:
            raise RateLimited(retry)
        for _ in range(self.limits.requests_per_post - 1):  # the thread: waited out here, as the adapter does
            while (retry := await self._request(None)) is not None:
                await asyncio.sleep(retry)
        message_id = f"m{next(self._ids)}"
        self.posts[post_key] = self.posts.get(post_key, 0) + 1
        self.posted_channels.append(channel.channel_id)
        return PostedQuestion(message_id=message_id, thread_id=f"t-{message_id}", url=None)
