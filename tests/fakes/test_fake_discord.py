"""The fake Discord, driven by the real discord.py client (no studybot code involved)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import discord.http
import pytest
from discord import app_commands
from discord.ext import commands

from .discord import FakeDiscord, Intents, MessageFlags

TIMEOUT = 5.0


class JoinView(discord.ui.View):
    def __init__(self, bot: ProbeBot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    @discord.ui.button(label="Join", custom_id="quiz:join", style=discord.ButtonStyle.primary)
    async def join(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.bot.events["click"].append((interaction.user.id, button.custom_id, interaction.message.id))
        await interaction.response.send_message("joined", ephemeral=True)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    answer: discord.ui.TextInput = discord.ui.TextInput(label="Your answer", custom_id="feedback:answer")

    def __init__(self, bot: ProbeBot) -> None:
        super().__init__(custom_id="feedback:modal")
        self.bot = bot

    async def on_submit(self, interaction: discord.Interaction) -> None:
        self.bot.events["modal"].append((interaction.user.id, self.answer.value))
        await interaction.response.send_message(f"thanks: {self.answer.value}", ephemeral=True)


def build_tree(bot: ProbeBot) -> app_commands.Group:
    study = app_commands.Group(name="study", description="Study group commands")
    quiz = app_commands.Group(name="quiz", description="Quiz commands", parent=study)

    @quiz.command(name="start", description="Start a quiz")
    @app_commands.describe(topic="What to study")
    async def start(interaction: discord.Interaction, topic: str, rounds: int = 1) -> None:
        perms = interaction.permissions
        bot.events["command"].append((interaction.user.id, topic, rounds, perms.manage_guild))
        await interaction.response.send_message(f"Starting {topic}", ephemeral=True)
        embed = discord.Embed(title=f"Quiz: {topic}", description="Reply in the thread.")
        embed.add_field(name="Rounds", value=str(rounds))
        message = await interaction.channel.send(embed=embed, view=JoinView(bot))
        thread = await message.create_thread(name=f"{topic} discussion")
        await thread.send("Question 1: what is a p-value?")
        bot.events["thread_started"].append(thread.id)

    @study.command(name="feedback", description="Leave feedback")
    async def feedback(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(FeedbackModal(bot))

    return study


class ProbeBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        # guild_ready_timeout: discord.py waits this long after the last GUILD_CREATE before on_ready (default 2s).
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild_id = guild_id
        self.events: dict[str, list[Any]] = defaultdict(list)
        self.setup_hook_runs = 0

    async def setup_hook(self) -> None:
        self.setup_hook_runs += 1
        self.tree.add_command(build_tree(self))
        await self.tree.sync()
        guild = discord.Object(self.guild_id)
        self.tree.copy_global_to(guild=guild)
        self.events["synced"] = await self.tree.sync(guild=guild)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s here before every non-initial IDENTIFY; skip that in tests."""

    async def on_ready(self) -> None:
        self.events["ready"].append(self.user.id)

    async def on_resumed(self) -> None:
        self.events["resumed"].append(True)

    async def on_message(self, message: discord.Message) -> None:
        self.events["message"].append(message)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        self.events["reaction_add"].append(payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        self.events["reaction_remove"].append(payload)

    async def on_thread_create(self, thread: discord.Thread) -> None:
        self.events["thread_create"].append(thread)


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    bot = ProbeBot(fake.guild.id)
    task = asyncio.create_task(bot.start(fake.token))
    try:
        await fake.wait_for(lambda: bot.is_ready() or task.done(), TIMEOUT, what="on_ready")
        if task.done():
            task.result()  # re-raise a login/connect failure
        yield bot
    finally:
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, TIMEOUT)


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(heartbeat_interval=0.5) as server:
        with server.patch_discord():
            yield server


@pytest.fixture
async def bot(fake: FakeDiscord) -> AsyncIterator[ProbeBot]:
    async with running_bot(fake) as client:
        yield client


@pytest.fixture
def alice(fake: FakeDiscord):
    return fake.add_member(fake.guild, "alice")


async def until(fake: FakeDiscord, predicate, what: str = "") -> Any:
    return await fake.wait_for(predicate, TIMEOUT, what=what)


# ---------------------------------------------------------------------------------------------- login


async def test_login_ready_guild_cache_and_identify(fake: FakeDiscord, bot: ProbeBot) -> None:
    assert bot.user.id == fake.bot_user.id and bot.user.bot
    assert bot.application_id == fake.application_id
    guild = bot.get_guild(fake.guild.id)
    assert guild is not None and guild.name == "Study Group"
    assert [c.name for c in guild.text_channels] == ["general"]
    assert guild.me is not None and guild.member_count == 2
    assert bot.events["ready"] == [fake.bot_user.id]

    assert fake.identify_count == 1
    ident = fake.identify
    assert ident.has_intent(Intents.MESSAGE_CONTENT)
    assert ident.has_intent(Intents.GUILD_MESSAGE_REACTIONS)
    assert not ident.has_intent(Intents.GUILD_MEMBERS)
    assert fake.gateway_connects[0]["v"] == "10" and fake.gateway_connects[0]["encoding"] == "json"
    assert [r.path for r in fake.requests[:2]] == ["/users/@me", "/oauth2/applications/@me"]
    assert all("Authorization" not in r.headers for r in fake.requests)
    assert fake.unknown_routes == []


async def test_setup_hook_syncs_subcommand_group(fake: FakeDiscord, bot: ProbeBot) -> None:
    for store in (fake.commands(), fake.commands(fake.guild)):
        study = store["study"]
        assert study["id"].isdigit()
        quiz = next(o for o in study["options"] if o["name"] == "quiz")
        assert quiz["type"] == 2 and quiz["options"][0]["name"] == "start" and quiz["options"][0]["type"] == 1
    synced = bot.events["synced"]
    assert [c.name for c in synced] == ["study"] and synced[0].id == int(fake.commands(fake.guild)["study"]["id"])
    assert len(fake.requests_matching("PUT", "/commands")) == 2


async def test_invalid_token_fails_login(fake: FakeDiscord) -> None:
    fake.invalid_token = True
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login(fake.token)
    await client.close()
    assert fake.requests[-1].path == "/users/@me" and fake.requests[-1].status == 401


# ---------------------------------------------------------------------------------------------- interactions


async def test_slash_command_ephemeral_reply_embed_thread_and_thread_message(
    fake: FakeDiscord, bot: ProbeBot, alice
) -> None:
    fake.add_member(fake.guild, alice, manage_guild=True)
    handle = await fake.slash_command(
        fake.guild, fake.channel, alice, "study", {"topic": "stats", "rounds": 3}, subcommand="quiz start"
    )
    response = await handle.wait_response(TIMEOUT)
    assert response["type"] == 4 and response["data"]["content"] == "Starting stats"
    assert response["data"]["flags"] & MessageFlags.EPHEMERAL and handle.ephemeral
    assert bot.events["command"] == [(alice.id, "stats", 3, True)]

    thread_id = (await until(fake, lambda: bot.events["thread_started"], "thread"))[0]
    posted = fake.messages_in(fake.channel)
    assert len(posted) == 1  # the ephemeral reply is not in the channel's history
    quiz_msg = posted[0]
    assert quiz_msg.embeds[0]["title"] == "Quiz: stats" and quiz_msg.embeds[0]["fields"][0]["value"] == "3"
    assert quiz_msg.components[0]["components"][0]["custom_id"] == "quiz:join"
    thread = fake.channels[thread_id]
    assert thread.id == quiz_msg.id and thread.type == 11 and thread.parent_id == fake.channel.id
    assert [m.content for m in fake.messages_in(thread)] == ["Question 1: what is a p-value?"]
    await until(fake, lambda: bot.events["thread_create"], "THREAD_CREATE")
    assert isinstance(bot.get_channel(thread_id), discord.Thread)

    mid = await fake.user_message(thread_id, alice, "the probability of data this extreme under H0")
    got = await until(fake, lambda: [m for m in bot.events["message"] if m.id == mid], "MESSAGE_CREATE")
    assert got[0].content.startswith("the probability")
    assert isinstance(got[0].channel, discord.Thread) and got[0].channel.id == thread_id
    assert got[0].author.id == alice.id and not got[0].author.bot


async def test_button_click_and_modal_submit_reach_callbacks(fake: FakeDiscord, bot: ProbeBot, alice) -> None:
    await fake.slash_command(fake.guild, fake.channel, alice, "study", {"topic": "ml"}, subcommand="quiz start")
    quiz_msg = await fake.wait_for_message(fake.channel, lambda m: bool(m.components), timeout=TIMEOUT)
    click = await fake.click_button(quiz_msg.id, "quiz:join", alice)
    assert (await click.wait_response(TIMEOUT))["data"]["content"] == "joined"
    assert bot.events["click"] == [(alice.id, "quiz:join", quiz_msg.id)]

    opened = await fake.slash_command(fake.guild, fake.channel, alice, "study", subcommand="feedback")
    assert (await opened.wait_response(TIMEOUT))["type"] == 9
    assert opened.modal["custom_id"] == "feedback:modal"
    submitted = await fake.submit_modal("feedback:modal", {"feedback:answer": "more stats please"})
    reply = await submitted.wait_response(TIMEOUT)
    assert reply["data"]["content"] == "thanks: more stats please" and submitted.ephemeral
    assert bot.events["modal"] == [(alice.id, "more stats please")]


async def test_default_member_permissions_are_enforced(fake: FakeDiscord, alice) -> None:
    async with running_bot(fake) as bot:

        @bot.tree.command(name="admin", description="Admins only")
        @app_commands.default_permissions(manage_guild=True)
        async def admin(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("ok", ephemeral=True)

        await bot.tree.sync()
        with pytest.raises(PermissionError):
            await fake.slash_command(fake.guild, fake.channel, alice, "admin")
        boss = fake.add_member(fake.guild, "boss", manage_guild=True)
        handle = await fake.slash_command(fake.guild, fake.channel, boss, "admin")
        assert (await handle.wait_response(TIMEOUT))["data"]["content"] == "ok"
        assert int(handle.payload["member"]["permissions"]) & discord.Permissions.manage_guild.flag


async def test_deferred_response_then_followup(fake: FakeDiscord, alice) -> None:
    async with running_bot(fake) as bot:

        @bot.tree.command(name="slow", description="Takes a while")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            await interaction.edit_original_response(content="done")
            await interaction.followup.send("and one more", ephemeral=True)

        await bot.tree.sync()
        handle = await fake.slash_command(fake.guild, fake.channel, alice, "slow")
        assert (await handle.wait_response(TIMEOUT))["type"] == 5
        original = await handle.wait_original(lambda m: m.content == "done", timeout=TIMEOUT)
        assert original.ephemeral and not original.flags & MessageFlags.LOADING
        followups = await handle.wait_followups(1, timeout=TIMEOUT)
        assert followups[0].content == "and one more" and followups[0].ephemeral


# ---------------------------------------------------------------------------------------------- messages


async def test_reactions_arrive_as_raw_events(fake: FakeDiscord, bot: ProbeBot, alice) -> None:
    mid = await fake.user_message(fake.channel, alice, "react to me")
    await fake.user_react(mid, alice, "👍")
    added = (await until(fake, lambda: bot.events["reaction_add"], "reaction add"))[0]
    assert (added.message_id, added.user_id, str(added.emoji)) == (mid, alice.id, "👍")
    assert added.member is not None and added.member.id == alice.id and added.guild_id == fake.guild.id
    await fake.user_unreact(mid, alice, "👍")
    removed = (await until(fake, lambda: bot.events["reaction_remove"], "reaction remove"))[0]
    assert (removed.message_id, removed.user_id) == (mid, alice.id)

    message = await bot.get_channel(fake.channel.id).fetch_message(mid)
    await message.add_reaction("✅")
    assert fake.messages[mid].reactions == {"✅": [fake.bot_user.id]}


async def test_who_reacted_is_listed_in_pages_of_at_most_100_by_user_id(
    fake: FakeDiscord, bot: ProbeBot, alice
) -> None:
    mid = await fake.user_message(fake.channel, alice, "react to me")
    reactors = [fake.add_user(f"reactor{n}") for n in range(130)]
    for user in reactors:
        await fake.user_react(mid, user, "👍")
    message = await bot.get_channel(fake.channel.id).fetch_message(mid)
    [reaction] = message.reactions
    assert reaction.count == 130
    listed = [user.id async for user in reaction.users()]
    assert sorted(listed) == sorted(user.id for user in reactors)
    pages = fake.requests_matching("GET", f"/messages/{mid}/reactions/👍")
    assert [(r.query["limit"], "after" in r.query) for r in pages] == [("100", False), ("30", True)]

    route = discord.http.Route("GET", f"/channels/{fake.channel.id}/messages/{mid}/reactions/%F0%9F%91%8D")
    with pytest.raises(discord.HTTPException) as too_many:
        await bot.http.request(route, params={"limit": 101})
    assert too_many.value.status == 400 and too_many.value.code == 50035
    first_three = [user["id"] for user in await bot.http.request(route, params={"limit": 3})]
    next_two = [user["id"] for user in await bot.http.request(route, params={"limit": 2, "after": first_three[0]})]
    assert next_two == first_three[1:]


async def test_history_is_newest_first_and_pages(fake: FakeDiscord, bot: ProbeBot, alice) -> None:
    ids = [await fake.user_message(fake.channel, alice, f"m{i}") for i in range(5)]
    channel = bot.get_channel(fake.channel.id)
    newest = [m.content async for m in channel.history(limit=3)]
    assert newest == ["m4", "m3", "m2"]
    after = [m.content async for m in channel.history(limit=10, after=discord.Object(ids[1]))]
    assert after == ["m2", "m3", "m4"]
    before = [m.content async for m in channel.history(limit=10, before=discord.Object(ids[2]))]
    assert before == ["m1", "m0"]


async def test_message_content_needs_the_intent(fake: FakeDiscord, alice) -> None:
    client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)  # no message_content
    seen: list[discord.Message] = []
    client.event(_collector(seen))
    task = asyncio.create_task(client.start(fake.token))
    try:
        await until(fake, client.is_ready, "ready")
        await fake.user_message(fake.channel, alice, "secret")
        await fake.user_message(fake.channel, alice, f"<@{fake.bot_user.id}> hello")
        await until(fake, lambda: len(seen) == 2, "two messages")
        assert [m.content for m in seen] == ["", f"<@{fake.bot_user.id}> hello"]
    finally:
        await client.close()
        await asyncio.wait_for(task, TIMEOUT)


def _collector(seen: list[discord.Message]):
    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    return on_message


# ---------------------------------------------------------------------------------------------- failures


async def test_rate_limit_is_waited_out_and_message_lands_once(fake: FakeDiscord, bot: ProbeBot) -> None:
    fake.rate_limit(f"POST /channels/{fake.channel.id}/messages", times=2, retry_after=0.05)
    sent = await asyncio.wait_for(bot.get_channel(fake.channel.id).send("after the storm"), TIMEOUT)
    posts = fake.requests_matching("POST", f"/channels/{fake.channel.id}/messages")
    assert [r.status for r in posts] == [429, 429, 200]
    assert [m.content for m in fake.messages_in(fake.channel)] == ["after the storm"]
    assert sent.id == fake.messages_in(fake.channel)[0].id


async def test_forbidden_and_unknown_channels(fake: FakeDiscord, bot: ProbeBot) -> None:
    locked = fake.add_text_channel(fake.guild, "locked")
    gone = fake.add_text_channel(fake.guild, "gone")
    fake.forbid_channel(locked)
    channel = await bot.fetch_channel(locked.id)
    with pytest.raises(discord.Forbidden) as forbidden:
        await channel.send("hi")
    assert forbidden.value.code == 50001 and forbidden.value.status == 403
    doomed = await bot.fetch_channel(gone.id)
    await fake.remove_channel(gone)
    with pytest.raises(discord.NotFound) as missing:
        await doomed.send("hi")
    assert missing.value.code == 10003
    with pytest.raises(discord.NotFound):
        await bot.http.request(discord.http.Route("GET", "/definitely/not/a/route"))
    assert fake.unknown_routes[-1].path == "/definitely/not/a/route"


# ---------------------------------------------------------------------------------------------- gateway


async def test_resume_replays_missed_events(fake: FakeDiscord, bot: ProbeBot, alice) -> None:
    hold = fake.hold_resumes()
    await fake.disconnect(resumable=True)
    missed = await fake.user_message(fake.channel, alice, "sent while you were away")
    await until(fake, lambda: fake.gateway.waiting_resumes, "the client to try RESUME")
    hold.set()
    await until(fake, lambda: bot.events["resumed"], "on_resumed")
    got = await until(fake, lambda: [m for m in bot.events["message"] if m.id == missed], "replayed message")
    assert got[0].content == "sent while you were away"
    assert fake.replayed and fake.replayed[0]["t"] == "MESSAGE_CREATE"
    assert (fake.identify_count, fake.resume_count) == (1, 1)
    assert bot.events["ready"] == [fake.bot_user.id] and bot.setup_hook_runs == 1

    await fake.disconnect(use_reconnect_op=True)  # op 7 RECONNECT also resumes
    await until(fake, lambda: fake.resume_count == 2, "second resume")
    assert fake.identify_count == 1


async def test_invalid_session_reidentifies(fake: FakeDiscord, bot: ProbeBot) -> None:
    await fake.disconnect(resumable=False)
    await until(fake, lambda: fake.identify_count == 2 and len(bot.events["ready"]) == 2, "re-IDENTIFY")
    assert bot.setup_hook_runs == 1 and fake.resume_count == 0


async def test_zlib_transport_compression() -> None:
    async with FakeDiscord(transport_compression=True) as fake:
        with fake.patch_discord():
            async with running_bot(fake) as bot:
                assert fake.gateway_connects[0]["compress"] == "zlib-stream"
                assert bot.get_guild(fake.guild.id) is not None


async def test_autocomplete_edit_delete_and_late_channel(fake: FakeDiscord, alice) -> None:
    async with running_bot(fake) as bot:

        @bot.tree.command(name="topic", description="Pick a topic")
        async def topic(interaction: discord.Interaction, name: str) -> None:
            await interaction.response.send_message(name)

        @topic.autocomplete("name")
        async def topic_names(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
            return [app_commands.Choice(name=t, value=t) for t in ("statistics", "stochastic") if t.startswith(current)]

        edits: list[discord.RawMessageUpdateEvent] = []
        deletes: list[discord.RawMessageDeleteEvent] = []
        channels: list[discord.abc.GuildChannel] = []
        bot.add_listener(_append_to(edits), "on_raw_message_edit")
        bot.add_listener(_append_to(deletes), "on_raw_message_delete")
        bot.add_listener(_append_to(channels), "on_guild_channel_create")
        await bot.tree.sync()

        handle = await fake.autocomplete(fake.guild, fake.channel, alice, "topic", {"name": "sta"}, focused="name")
        assert (await handle.wait_response(TIMEOUT))["type"] == 8
        assert handle.choices == [{"name": "statistics", "value": "statistics"}]

        mid = await fake.user_message(fake.channel, alice, "typo")
        await fake.user_edit(mid, "fixed")
        assert (await until(fake, lambda: edits, "edit"))[0].data["content"] == "fixed"
        await fake.user_delete(mid)
        assert (await until(fake, lambda: deletes, "delete"))[0].message_id == mid
        assert fake.messages_in(fake.channel) == []

        late = fake.add_text_channel(fake.guild, "late")
        await fake.announce_channel(late)
        await until(fake, lambda: channels, "CHANNEL_CREATE")
        assert bot.get_channel(late.id).name == "late"
        assert (await bot.http.get_bot_gateway())[1] == fake.gateway_url


def _append_to(sink: list[Any]):
    async def listener(event: Any) -> None:
        sink.append(event)

    return listener


# ---------------------------------------------------------------------------------------------- limits
def _option(**extra: Any) -> dict[str, Any]:
    return {"type": 3, "name": "topic", "description": "What to study", **extra}


def _command(*options: dict[str, Any], **extra: Any) -> list[dict[str, Any]]:
    return [{"type": 1, "name": "study", "description": "Study group commands", "options": list(options), **extra}]


def _choices(count: int, length: int = 5) -> list[dict[str, str]]:
    """`count` choices named with `length` characters (their values short: a command's text is capped in all)."""
    return [{"name": f"{n:0{length}d}", "value": str(n)} for n in range(count)]


def _buttons(count: int, **extra: Any) -> list[dict[str, Any]]:
    return [{"type": 2, "style": 1, "label": f"b{n}", "custom_id": f"probe:{n}", **extra} for n in range(count)]


def _rows(*counts: int) -> list[dict[str, Any]]:
    rows = [{"type": 1, "components": _buttons(count)} for count in counts]
    for number, row in enumerate(rows):  # custom ids unique across the message
        for button in row["components"]:
            button["custom_id"] += f":{number}"
    return rows


def _text_input(**extra: Any) -> dict[str, Any]:
    return {"type": 1, "components": [{"type": 4, "custom_id": "value", "label": "Your answer", "style": 2, **extra}]}


async def _refused(call: Any) -> str:
    with pytest.raises(discord.HTTPException) as refused:
        await call
    assert refused.value.status == 400 and refused.value.code == 50035
    return refused.value.text.splitlines()[-1]  # "In <field>: <why>", as discord.py flattens Discord's errors


async def test_commands_beyond_discords_limits_are_refused_with_the_field_named(
    fake: FakeDiscord, bot: ProbeBot
) -> None:
    put = functools.partial(bot.http.bulk_upsert_global_commands, fake.application_id)
    await put(_command(_option(choices=_choices(25, 100))))  # 25 choices of 100 characters: the most allowed
    assert await _refused(put(_command(_option(choices=_choices(26))))) == (
        "In 0.options.0.choices: Must be between 0 and 25 in length."
    )
    assert (await _refused(put(_command(_option(choices=_choices(1, 101)))))).startswith("In 0.options.0.choices.0.")
    assert (await _refused(put(_command(description="d" * 101)))).startswith("In 0.description:")
    assert (await _refused(put(_command(_option(name="n" * 33))))).startswith("In 0.options.0.name:")
    assert (await _refused(put(_command(_option(description="d" * 101))))).startswith("In 0.options.0.description:")
    assert (await _refused(put(_command(*[_option(name=f"o{n}") for n in range(26)])))).startswith("In 0.options:")
    big = [{"name": "n" * 100, "value": f"{n:0100d}"} for n in range(25)]  # 5,000 characters in one command
    assert "Command exceeds maximum size (4000)" in await _refused(put(_command(_option(choices=big))))
    late = _command(_option(name="first"), _option(name="second", required=True))
    assert (await _refused(put(late))).startswith("In 0.options.1.required:")
    assert [c["name"] for c in fake.commands().values()] == ["study"]  # what was refused changed nothing


async def test_components_modals_and_threads_beyond_discords_limits_are_refused(
    fake: FakeDiscord, bot: ProbeBot, alice
) -> None:
    channel = bot.get_channel(fake.channel.id)
    send = functools.partial(bot.http.send_message, fake.channel.id)
    await send(
        params=discord.http.MultipartParameters({"content": "5 by 5", "components": _rows(5, 5, 5, 5, 5)}, None, None)
    )
    for components, field in (
        (_rows(1, 1, 1, 1, 1, 1), "In components:"),
        (_rows(6), "In components.0.components:"),
        ([{"type": 1, "components": _buttons(1, label="l" * 81)}], "In components.0.components.0.label:"),
        ([{"type": 1, "components": _buttons(1, custom_id="c" * 101)}], "In components.0.components.0.custom_id:"),
    ):
        body = {"content": "buttons", "components": components}
        refused = await _refused(send(params=discord.http.MultipartParameters(body, None, None)))
        assert refused.startswith(field), refused

    message = await channel.send("start a thread here")
    start = functools.partial(bot.http.start_thread_with_message, fake.channel.id, message.id)
    assert (await _refused(start(name="n" * 101, auto_archive_duration=1440))).startswith("In name:")
    assert (await _refused(start(name="ok", auto_archive_duration=100))).startswith("In auto_archive_duration:")
    thread = await start(name="n" * 100, auto_archive_duration=10080)
    assert fake.channels[int(thread["id"])].auto_archive_duration == 10080

    raw = await channel.send("a button nobody handles", view=_RawButton())
    click = await fake.click_button(raw.id, "probe:raw", alice)  # ProbeBot ignores it: the callback is ours
    callback = f"{fake.api_base_url}/interactions/{click.id}/{click.token}/callback"
    for data, field in (
        ({"title": "t" * 46, "components": [_text_input()]}, "data.title"),
        ({"title": "Answer", "components": [_text_input()] * 6}, "data.components"),
        ({"title": "Answer", "components": [_text_input(label="l" * 46)]}, "data.components.0.components.0.label"),
        (
            {"title": "Answer", "components": [_text_input(max_length=4001)]},
            "data.components.0.components.0.max_length",
        ),
    ):
        async with (
            aiohttp.ClientSession() as session,
            session.post(callback, json={"type": 9, "data": {"custom_id": "m", **data}}) as response,
        ):
            body = await response.json()
        assert response.status == 400 and body["code"] == 50035 and _error_path(body["errors"]) == field, body
    assert fake.modals == []


class _RawButton(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.add_item(discord.ui.Button(label="Raw", custom_id="probe:raw"))
        self.stop()  # no callback: presses stay unanswered for the test to answer


def _error_path(errors: dict[str, Any]) -> str:
    """Where Discord's nested form errors point: ``{"data": {"title": {"_errors": [...]}}}`` is data.title."""
    path, node = [], errors
    while "_errors" not in node:
        key = next(iter(node))
        path.append(key)
        node = node[key]
    return ".".join(path)


async def _identified(fake: FakeDiscord, session: aiohttp.ClientSession, shard: list[int] | None) -> Any:
    """A raw gateway connection that IDENTIFYed with `shard`; its READY read, or its close code."""
    ws = await session.ws_connect(fake.gateway_url)
    hello = await ws.receive_json(timeout=5)
    assert hello["op"] == 10
    identify: dict[str, Any] = {
        "token": fake.token,
        "intents": Intents.GUILDS | Intents.GUILD_MESSAGES,
        "properties": {},
    }
    if shard is not None:
        identify["shard"] = shard
    await ws.send_json({"op": 2, "d": identify})
    return ws


async def _dispatches(ws: aiohttp.ClientWebSocketResponse, until: str) -> list[dict[str, Any]]:
    seen = []
    while True:
        frame = await ws.receive_json(timeout=5)
        seen.append(frame)
        if frame.get("t") == until:
            return seen


async def test_each_shard_gets_only_its_guilds_and_events_and_4011_when_sharding_is_required() -> None:
    async with FakeDiscord(guild_name=None, shards_required=2) as fake, aiohttp.ClientSession() as session:
        base = fake.application_id >> 22 << 22
        guilds = [fake.add_guild(f"g{n}", guild_id=base + (n << 22)) for n in range(4)]
        channels = [fake.add_text_channel(guild, "general") for guild in guilds]
        alice = fake.add_user("alice")
        for guild in guilds:
            fake.add_member(guild, alice)
        on_shard = {n: [g.id for g in guilds if (g.id >> 22) % 2 == n] for n in (0, 1)}

        unsharded = await _identified(fake, session, None)
        assert (await unsharded.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE and unsharded.close_code == 4011
        invalid = await _identified(fake, session, [2, 2])
        assert (await invalid.receive(timeout=5)).type == aiohttp.WSMsgType.CLOSE and invalid.close_code == 4010

        shards = {n: await _identified(fake, session, [n, 2]) for n in (0, 1)}
        for n, ws in shards.items():
            ready = (await _dispatches(ws, "READY"))[-1]["d"]
            assert ready["shard"] == [n, 2] and [int(g["id"]) for g in ready["guilds"]] == on_shard[n]
            created = [int(f["d"]["id"]) for f in await _dispatches(ws, "GUILD_CREATE") if f.get("t") == "GUILD_CREATE"]
            for _ in on_shard[n][1:]:
                created += [int((await _dispatches(ws, "GUILD_CREATE"))[-1]["d"]["id"])]
            assert created == on_shard[n]

        # a message in a guild of shard 1 reaches shard 1 only, though shard 0 IDENTIFYed first and is still live
        shard_one_channel = next(c for c in channels if (c.guild_id >> 22) % 2 == 1)
        await fake.user_message(shard_one_channel, alice, "hello")
        [message] = [f for f in await _dispatches(shards[1], "MESSAGE_CREATE") if f.get("t") == "MESSAGE_CREATE"]
        assert int(message["d"]["guild_id"]) == shard_one_channel.guild_id
        with pytest.raises(asyncio.TimeoutError):
            await shards[0].receive_json(timeout=0.2)
        assert fake.sharding_refusals == 1
        for ws in shards.values():
            await ws.close()


async def test_a_direct_message_opens_the_dm_channel_and_closed_dms_refuse_it_with_50007(
    fake: FakeDiscord, bot: ProbeBot, alice
) -> None:
    dm = await bot.create_dm(discord.Object(alice.id))
    await dm.send("hello")
    assert [m.content for m in fake.direct_messages(alice)] == ["hello"]
    fake.close_dms(alice)
    with pytest.raises(discord.Forbidden) as refused:
        await dm.send("again")
    assert (refused.value.status, refused.value.code, refused.value.text) == (
        403,
        50007,
        "Cannot send messages to this user",
    )
    assert len(fake.direct_messages(alice)) == 1
