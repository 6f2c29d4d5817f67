"""Starting up: endpoints from settings, one clear line and a non-zero exit when Discord says no, the invite URL."""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import discord
import discord.gateway
import discord.http
import pytest

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.invite import client_id_from_token, invite_url, required_permissions
from bot.app import App
from bot.cli import main
from bot.config import ConfigError, Settings
from bot.core.bank import Bank
from bot.core.clock import FixedClock
from tests.fakes.discord import FakeDiscord, Intents

from .harness import TIMEOUT, discord_app, discord_settings, running_bot


async def test_gateway_is_learned_from_the_api_base_and_endpoints_are_restored(
    fake: FakeDiscord, tmp_path: Path, now_clock: FixedClock, bank: Bank
) -> None:
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    settings = discord_settings(fake, tmp_path / "db.sqlite", gateway=False)
    async with running_bot(fake, settings, now_clock, bank) as bot:
        assert [r.path for r in fake.requests[:1]] == ["/gateway"]
        assert fake.requests[0].headers.get("Authorization") is None
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == fake.gateway_url
        ident = fake.identify
        assert ident.has_intent(Intents.MESSAGE_CONTENT) and ident.has_intent(Intents.GUILD_MESSAGE_REACTIONS)
        assert not ident.has_intent(Intents.GUILD_MEMBERS) and not ident.has_intent(Intents.GUILD_PRESENCES)
        assert set(fake.commands()) == {"qotd", "quiz", "leaderboard", "review", "goal", "stats", "resources", "bank"}
        assert all(c["default_member_permissions"] is None for c in fake.commands().values())
        assert bot.client.startup_runs == 1
    assert bot.task.result() == 0
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


async def test_a_missing_token_is_a_clear_error_before_connecting(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        await App(Settings(platform="discord", database=tmp_path / "db.sqlite")).run()
    assert not (tmp_path / "db.sqlite").exists()


def test_run_without_a_token_exits_2_with_the_message(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.delenv("STUDYBOT_CONFIG", raising=False)
    monkeypatch.setenv("STUDYBOT_DATABASE", str(tmp_path / "db.sqlite"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("bot.cli.run.configure_logging", lambda *args, **kwargs: None)  # keep pytest's handlers
    assert main(["run", "--platform", "discord"]) == 2
    assert "DISCORD_TOKEN is not set" in capsys.readouterr().err


async def _run_until_exit(settings: Settings, clock: FixedClock, bank: Bank) -> int:
    return await asyncio.wait_for(discord_app(settings, clock, bank).run(), TIMEOUT)


async def test_an_invalid_token_logs_one_line_and_exits_1(
    fake: FakeDiscord, settings: Settings, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    fake.invalid_token = True
    with caplog.at_level(logging.ERROR, logger="bot"):
        assert await _run_until_exit(settings, now_clock, bank) == 1
    errors = [r for r in caplog.records if r.name.startswith("bot") and r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "Discord rejected the token (401 Unauthorized): check DISCORD_TOKEN; studybot will not retry"
    ]
    assert len(fake.requests_matching("GET", "/users/@me")) == 1  # no retry loop


async def test_disallowed_message_content_intent_logs_the_fix_and_exits_1(
    tmp_path: Path, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    async with FakeDiscord(allowed_privileged_intents=0) as fake:
        with caplog.at_level(logging.ERROR, logger="bot"):
            code = await _run_until_exit(discord_settings(fake, tmp_path / "db.sqlite"), now_clock, bank)
        assert code == 1
        assert "close 4014" in caplog.text and "Message Content intent" in caplog.text
        assert len(fake.gateway_connects) == 1  # no reconnect loop


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_without_a_network_the_bot_says_so_once_and_connects_when_discord_is_back(
    tmp_path: Path, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    port = _free_port()  # nothing listens there until the fake starts: as with the network down
    offline = FakeDiscord(port=port)
    offline.port = port
    settings = discord_settings(offline, tmp_path / "db.sqlite")
    adapter = DiscordAdapter(
        settings.discord, now_clock, client_options={"guild_ready_timeout": 0.05}, retry_delays=(0.05, 0.2)
    )
    app = App(settings, adapter=lambda store: adapter, clock=now_clock, bank=bank)
    with caplog.at_level(logging.INFO, logger="bot"):
        task = asyncio.create_task(app.run())
        await asyncio.sleep(0.6)  # several attempts
        assert not task.done(), "the bot gave up without a network"
        async with offline as fake:
            await fake.wait_for(app.ready.is_set, TIMEOUT, what="the bot to connect once Discord is reachable")
            app.stop()
            assert await asyncio.wait_for(task, TIMEOUT) == 0
    ours = [r for r in caplog.records if r.name.startswith("bot")]
    problems = [r.getMessage() for r in ours if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and problems[0].startswith("cannot reach Discord"), problems
    assert "retrying" in problems[0] and not any(r.exc_info for r in ours)
    assert any(r.getMessage().startswith("reached Discord") for r in ours)


async def test_a_stop_while_discord_is_unreachable_ends_the_bot_at_once(
    tmp_path: Path, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    offline = FakeDiscord()
    offline.port = _free_port()
    settings = discord_settings(offline, tmp_path / "db.sqlite")
    adapter = DiscordAdapter(settings.discord, now_clock, retry_delays=(30.0, 60.0))
    app = App(settings, adapter=lambda store: adapter, clock=now_clock, bank=bank)
    with caplog.at_level(logging.WARNING, logger="bot"):
        task = asyncio.create_task(app.run())
        await offline.wait_for(lambda: "cannot reach Discord" in caplog.text, TIMEOUT, what="the first attempt")
        app.stop()
        assert await asyncio.wait_for(task, 2.0) == 0


async def test_a_network_lost_while_running_is_one_line_per_retry_and_the_session_resumes(
    tmp_path: Path, now_clock: FixedClock, bank: Bank, caplog
) -> None:
    async with FakeDiscord(heartbeat_interval=0.5, port=_free_port()) as fake:
        fake.add_member(fake.guild, "alice")
        async with running_bot(fake, discord_settings(fake, tmp_path / "db.sqlite"), now_clock, bank):
            with caplog.at_level(logging.INFO):
                await fake.close()  # the network goes: nothing answers on Discord's address
                await fake.wait_for(lambda: "lost the connection to Discord" in caplog.text, 8.0, what="the line")
                await fake.start()
                await fake.wait_for(lambda: fake.resume_count == 1, 8.0, what="the session to resume")
    lost = [r for r in caplog.records if r.name == "discord.client" and "reconnect" in r.getMessage()]
    assert lost and all(r.getMessage().startswith("lost the connection to Discord (") for r in lost)
    assert not any(r.exc_info for r in lost) and {r.levelname for r in lost} == {"WARNING"}


def test_invite_url_has_the_scopes_and_exactly_the_permissions(capsys) -> None:
    url = invite_url(123456789012345678)
    query = parse_qs(urlsplit(url).query)
    assert query["client_id"] == ["123456789012345678"]
    assert query["scope"] == ["bot applications.commands"]
    granted = discord.Permissions(int(query["permissions"][0]))
    needed = (
        "view_channel",
        "send_messages",
        "send_messages_in_threads",
        "create_public_threads",
        "embed_links",
        "attach_files",
        "read_message_history",
    )
    assert granted.value == sum(getattr(discord.Permissions, name).flag for name in needed)
    assert granted == required_permissions()

    assert main(["discord", "invite-url", "--client-id", "123456789012345678"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == url and "Message Content" in out


def test_invite_url_reads_the_client_id_from_the_token(monkeypatch, capsys) -> None:
    token = base64.b64encode(b"987654321098765432").decode().rstrip("=") + ".GhIjKl.secret-part"
    assert client_id_from_token(token) == "987654321098765432"
    assert client_id_from_token("not a token") is None
    monkeypatch.setenv("DISCORD_TOKEN", token)
    monkeypatch.delenv("STUDYBOT_CONFIG", raising=False)
    assert main(["discord", "invite-url"]) == 0
    assert "client_id=987654321098765432" in capsys.readouterr().out
    monkeypatch.delenv("DISCORD_TOKEN")
    assert main(["discord", "invite-url"]) == 2
    assert "--client-id" in capsys.readouterr().err


def test_the_invite_guide_leaves_the_message_content_intent_off_when_the_bot_asks_none(
    monkeypatch, capsys, tmp_path
) -> None:
    config = tmp_path / "studybot.toml"
    config.write_text("[discord]\nmessage_content = false\n")
    monkeypatch.setenv("STUDYBOT_CONFIG", str(config))
    assert main(["discord", "invite-url", "--client-id", "123456789012345678"]) == 0
    out = capsys.readouterr().out
    assert "intent is not needed (message_content = false): leave it off" in out and "enable the" not in out
