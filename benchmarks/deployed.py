"""Start-up as deployed: `studybot run` on Discord, a fresh process, against the fake Discord server of the
tests (`tests/fakes/discord`, the real discord.py client on 127.0.0.1), with every REST request answered after
50 ms, and 1,000 channels (full run) whose question of today is due and not posted yet.

Printed: the seconds from exec to "studybot ready" (platform imported, database open, gateway connected,
commands synced, servers received) and to "caught up" (every due question posted with its thread, the open
threads read back), both from the process's own log lines; its peak RSS and threads once caught up. Baselines:
a bare `python -c "import discord"` in the same run, and the catch-up's requests one after another at 50 ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from aiohttp import web

from benchmarks.common import Report, median, say, scale
from benchmarks.machine import Machine
from bot.core.records import ChannelConfig
from bot.core.refs import ChannelRef
from bot.core.schedule import Schedule
from bot.storage.store import SqliteStore
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.rest import RestApi

ROOT = Path(__file__).resolve().parents[1]
ROUND_TRIP = 0.05  # seconds before the fake answers each REST request
CHANNELS_PER_SERVER = 250  # Discord allows 500 channels in a server


class SlowRest(RestApi):
    """The fake's REST routes, each answered `ROUND_TRIP` seconds late."""

    async def handle(self, request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(ROUND_TRIP)
        return await super().handle(request)


def due_schedule(now: datetime) -> Schedule:
    """A schedule whose time today passed half an hour ago, in a zone where it is midday (no date change)."""
    offset = max(-12, min(14, 12 - now.hour))
    zone = "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"
    local = now + timedelta(hours=offset) - timedelta(minutes=30)
    return Schedule(at=clock_time(local.hour, local.minute), timezone=zone)


async def prepare(fake: FakeDiscord, path: Path, channels: int) -> None:
    schedule = due_schedule(datetime.now(UTC))
    refs = []
    for number in range(channels):
        if number % CHANNELS_PER_SERVER == 0:
            guild = fake.add_guild(f"Study {number // CHANNELS_PER_SERVER}")
        channel = fake.add_text_channel(guild, f"study-{number}")
        refs.append(ChannelRef("discord", str(guild.id), str(channel.id)))
    store = await SqliteStore.open(path)
    await asyncio.gather(
        *(store.save_channel(ChannelConfig(ref, schedule, seed=f"deployed:{ref.channel_id}")) for ref in refs)
    )
    await store.close()


def peak(pid: int) -> tuple[float, int]:
    """VmHWM (MB) and threads of a running process."""
    rss = 0.0
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    try:
        threads = len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        threads = 0
    return rss, threads


async def start_once(fake: FakeDiscord, path: Path, folder: Path) -> dict[str, float]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("STUDYBOT_", "DISCORD_", "SLACK_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        STUDYBOT_DATABASE=str(path),
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE_URL=fake.api_base_url,
        DISCORD_GATEWAY_URL=fake.gateway_url,
    )
    requests_before = len(fake.requests)
    started = time.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--platform", "discord", "--log-format", "json",
        cwd=folder, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stderr is not None
    seen: dict[str, float] = {}
    lines = []
    try:
        async with asyncio.timeout(600):
            while "caught_up" not in seen:
                raw = await process.stderr.readline()
                if not raw:
                    raise RuntimeError("studybot ended before it caught up:\n" + "".join(lines[-20:]))
                lines.append(raw.decode(errors="replace"))
                with contextlib.suppress(ValueError):
                    message = str(json.loads(raw).get("message", ""))
                    if message.startswith("studybot ready"):
                        seen["ready"] = time.time() - started
                        seen["requests_at_ready"] = len(fake.requests) - requests_before
                    elif message.startswith("caught up"):
                        seen["caught_up"] = time.time() - started
        seen["rss_mb"], seen["threads"] = peak(process.pid)
        seen["catch_up_requests"] = len(fake.requests) - requests_before - seen.get("requests_at_ready", 0)
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                async with asyncio.timeout(30):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
    return seen


async def bare_import() -> float:
    started = time.time()
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "import discord", cwd=ROOT)
    await process.wait()
    return time.time() - started


async def run(report: Report, machine: Machine, folder: Path, quick: bool) -> None:
    channels = scale(quick, 1_000, 20)
    say(
        f"\n[start-up as deployed] `studybot run` on Discord against the fake Discord, each REST request "
        f"{ROUND_TRIP * 1000:.0f} ms, {channels:,} channels whose question is due and not posted"
    )
    async with FakeDiscord(guild_name=None) as fake:
        fake.rest = SlowRest(fake)
        path = folder / "deployed.db"
        await prepare(fake, path, channels)
        seen = await start_once(fake, path, folder)
        threads_made = len(fake.requests_matching("POST", "/threads"))
    bare = median([await bare_import() for _ in range(1 if quick else 3)])
    requests = int(seen.get("catch_up_requests", 0))
    sequential = requests * ROUND_TRIP
    catch_up = seen["caught_up"] - seen.get("ready", 0.0)
    offered = f"{channels:,} channels due, {ROUND_TRIP * 1000:.0f} ms a REST request"
    report.add(
        "startup_deployed_ready_s",
        seen.get("ready", 0.0),
        "s",
        target="printed",
        load=offered,
        baseline=f'a bare `python -c "import discord"`: {bare:.2f} s; '
        f"{int(seen.get('requests_at_ready', 0))} REST requests before ready",
        ratio=f"{seen.get('ready', 0.0) / bare:.1f}x the bare import",
    )
    report.add(
        "startup_deployed_caught_up_s",
        seen["caught_up"],
        "s",
        target="printed",
        load=offered,
        baseline=f"the catch-up's {requests:,} REST requests one after another: {sequential:.1f} s; it took "
        f"{catch_up:.1f} s after ready; {threads_made:,} threads opened; peak RSS {seen['rss_mb']:.0f} MB, "
        f"{int(seen['threads'])} threads",
        ratio=f"{catch_up / sequential:.2f}x one after another" if sequential else "",
    )
    report.extra("startup_deployed_rss_mb", seen["rss_mb"])
    report.extra("startup_deployed_threads", seen["threads"])
