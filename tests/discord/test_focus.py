"""focus:weakest on Discord: a choice of /qotd setup as Discord shows it, for moderators, stored and shown."""

from __future__ import annotations

from bot.core.focus import Focus
from bot.core.refs import ChannelRef
from tests.fakes.discord import FakeDiscord

from .harness import Running, text_of


def _focus_option(fake: FakeDiscord) -> dict:  # type: ignore[type-arg]
    qotd = fake.commands()["qotd"]
    setup = next(option for option in qotd["options"] if option["name"] == "setup")
    return next(option for option in setup["options"] if option["name"] == "focus")


async def test_a_moderator_sets_focus_weakest_and_a_member_cannot(bot: Running, fake: FakeDiscord, people) -> None:
    option = _focus_option(fake)
    assert [choice["value"] for choice in option["choices"]] == ["off", "weakest"] and not option.get("required")
    channel = ChannelRef("discord", str(fake.guild.id), str(fake.channel.id))

    refused = await bot.command(people["alice"], "qotd", {"time": "09:00", "focus": "weakest"}, "setup")
    assert refused.ephemeral and text_of(refused) == "Only moderators can run /qotd setup."
    assert await bot.group.context.store.get_channel(channel) is None

    done = await bot.command(people["boss"], "qotd", {"time": "09:00", "focus": "weakest"}, "setup")
    assert done.ephemeral and text_of(done).endswith("focus: the weakest topics.")
    assert (await bot.group.context.store.get_channel(channel)).schedule.focus is Focus.WEAKEST  # type: ignore[union-attr]
    status = await bot.command(people["alice"], "qotd", sub="status")
    assert "focus: the weakest topics" in text_of(status)

    by_role = await bot.command(people["mod"], "qotd", {"focus": "off"}, "setup")
    assert "focus" not in text_of(by_role)
    assert (await bot.group.context.store.get_channel(channel)).schedule.focus is Focus.OFF  # type: ignore[union-attr]
