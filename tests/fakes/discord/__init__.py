"""A fake Discord (REST ``/api/v10`` + gateway websocket) for testing bots on the real discord.py client.

    async with FakeDiscord(heartbeat_interval=0.5) as fake:
        with fake.patch_discord():  # Route.BASE + DiscordWebSocket.DEFAULT_GATEWAY -> the fake
            bot = commands.Bot(..., guild_ready_timeout=0.05)  # else on_ready comes 2 s after GUILD_CREATE
            task = asyncio.create_task(bot.start(fake.token))
            await fake.wait_for(bot.is_ready)
            handle = await fake.slash_command(fake.guild, fake.channel, alice, "study", {"topic": "x"}, "quiz start")
            await handle.wait_response()

discord.py gotchas the fake copes with / tests must know:
* a non-sharded Client never calls GET /gateway/bot: it connects to ``DiscordWebSocket.DEFAULT_GATEWAY`` (and
  falls back to it after INVALID_SESSION); RESUME goes to READY's ``resume_gateway_url``.
* every re-IDENTIFY (not the first) sleeps 5 s in ``Client.before_identify_hook``: override it in tests.
* JSON bodies must be ``Content-Type: application/json`` exactly, and a 429 needs a ``Via`` header or discord.py
  treats it as a Cloudflare ban.

See ``server.FakeDiscord`` for the API.
"""

from .ids import CallbackType, ChannelType, Intents, InteractionType, MessageFlags, Permissions, snowflake
from .interactions import InteractionHandle
from .models import Channel, Guild, Identify, Member, Message, RecordedRequest, Role, User
from .server import FakeDiscord

__all__ = [
    "CallbackType",
    "Channel",
    "ChannelType",
    "FakeDiscord",
    "Guild",
    "Identify",
    "Intents",
    "InteractionHandle",
    "InteractionType",
    "Member",
    "Message",
    "MessageFlags",
    "Permissions",
    "RecordedRequest",
    "Role",
    "User",
    "snowflake",
]
