"""`studybot run` on Slack as an operator starts it: a subprocess, tokens from the environment, a clean stop."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys

from tests.fakes.slack import FakeSlack
from tests.slack.helpers import command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def read_until(stream: asyncio.StreamReader, marker: str, seen: list[str]) -> None:
    while marker not in (line := (await stream.readline()).decode()):
        if not line:
            raise AssertionError("the bot stopped early:\n" + "".join(seen))
        seen.append(line)
    seen.append(line)


async def test_studybot_run_serves_slack_and_stops_cleanly_on_sigterm(fake: FakeSlack, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "STUDYBOT_"))}
    env.update(STUDYBOT_DATABASE=str(tmp_path / "slack.db"), SLACK_BOT_TOKEN=fake.bot_token, SLACK_API_URL=fake.api_url)
    port = free_port()
    if fake.mode == "socket":
        env["SLACK_APP_TOKEN"] = fake.app_token
    else:
        env.update(SLACK_SIGNING_SECRET=fake.signing_secret, STUDYBOT_HTTP_PORT=str(port))
        fake.app_url = f"http://127.0.0.1:{port}/slack/events"
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert bot.stderr is not None
    seen: list[str] = []
    try:
        await asyncio.wait_for(read_until(bot.stderr, "studybot is on Slack", seen), 30)
        status = await command(fake, fake.alice, fake.general, "/qotd status")
        assert status.body["text"].startswith("No daily question here yet.")
        bot.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(bot.communicate(), 30)
    finally:
        if bot.returncode is None:
            bot.kill()
            await bot.wait()
    logs = "".join(seen) + rest.decode()
    assert bot.returncode == 0, logs
    assert ("Socket Mode" if fake.mode == "socket" else f"HTTP mode on port {port}") in logs
    assert "stopping on SIGTERM" in logs and "studybot stopped" in logs
    assert fake.bot_token not in logs and fake.app_token not in logs and fake.signing_secret not in logs
    assert "token` will be unused" not in logs
    assert fake.messages_in(fake.general) == []  # starting posts nothing that is not due
