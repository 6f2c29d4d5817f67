"""focus:weakest: the weight of each topic of a channel's pool, from how well its members recall it, read once for
a day's choice."""

from __future__ import annotations

from datetime import date

from bot.core.focus import Focus, topic_weights
from bot.core.ports import PostStore, RecallStore
from bot.core.recall import TopicMap
from bot.core.records import ChannelConfig
from bot.core.selection import TopicRotations
from bot.core.usecases.context import StudyGroupContext


class WeakestTopics:
    def __init__(self, context: StudyGroupContext) -> None:
        self._ctx = context
        self._posts: PostStore = context.store
        self._recall: RecallStore = context.store
        self._rotations: dict[tuple[tuple[str, ...], tuple[str, ...]], TopicRotations] = {}
        self._bank: TopicMap | None = None

    async def weights(self, config: ChannelConfig, day: date) -> dict[str, float] | None:
        """With focus:weakest, each topic's weight for the channel's choice of `day` (none read when the day is
        posted or claimed already); None to choose evenly."""
        scheduler = self._ctx.scheduler
        if config.schedule.focus is not Focus.WEAKEST or scheduler is None:
            return None
        if await self._posts.get_post(channel=config.ref, local_date=day) is not None:
            return None
        if self._bank is None:
            self._bank = TopicMap.of(self._ctx.bank.questions)
        recall = await self._recall.channel_recall(
            channel=config.ref, topics=self._bank, now=self._ctx.now(), curve=scheduler.forgetting_curve()
        )
        return topic_weights(recall, self.rotations(config.schedule.topics, config.schedule.difficulties).by_topic)

    def rotations(self, topics: tuple[str, ...], difficulties: tuple[str, ...]) -> TopicRotations:
        """The pool of these topics and difficulties split by topic, made once per process (the bank never
        changes while it runs)."""
        key = (topics, difficulties)
        rotations = self._rotations.get(key)
        if rotations is None:
            pool = self._ctx.bank.filter(topics=topics or None, difficulties=difficulties or None)
            rotations = self._rotations[key] = TopicRotations.of(pool)
        return rotations
