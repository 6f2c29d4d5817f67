"""`studybot leaderboard --channel ID`: print a channel's (or a server's) leaderboard from the database."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.cli.common import settings_from
from bot.config import ConfigError
from bot.core.records import Period
from bot.core.refs import ChannelRef
from bot.core.render import standings_text
from bot.core.style import TextStyle
from bot.storage.store import SqliteStore


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("leaderboard", help="print a leaderboard", description=__doc__)
    parser.add_argument("--channel", required=True, help="channel id (the console's channels are names: study)")
    parser.add_argument("--platform", help="console, discord or slack (default: the configured platform)")
    parser.add_argument("--server", help="server/workspace id (default: the one the channel belongs to)")
    parser.add_argument("--period", choices=[p.value for p in Period], default="all")
    parser.add_argument("--server-wide", action="store_true", help="rank the whole server, not the channel")
    parser.add_argument("--limit", type=int, default=10)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_print(args))


async def _print(args: argparse.Namespace) -> int:
    from bot.app import load_checked_bank, open_runtime

    settings = settings_from(args)
    platform_name = args.platform or settings.platform
    async with await SqliteStore.open(settings.database) as store:
        configs = [c for c in await store.list_channels(platform=platform_name) if c.ref.channel_id == args.channel]
        if args.server:
            configs = [c for c in configs if c.ref.server_id == args.server]
    if not configs:
        raise ConfigError(f"no {platform_name} channel '{args.channel}' is set up in {settings.database}")
    channel: ChannelRef = configs[0].ref

    class _Offline:
        name = platform_name

    async with open_runtime(settings, _Offline(), bank=load_checked_bank(settings)) as runtime:  # type: ignore[arg-type]
        board = await runtime.group.standings.leaderboard(
            channel, None, period=Period(args.period), server_wide=args.server_wide, limit=args.limit
        )
    print(standings_text(board.title, board.standings, board.own, TextStyle()))
    return 0
