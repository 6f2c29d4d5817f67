"""`studybot leaderboard --channel ID`: print a channel's (or a server's) leaderboard from the database."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Sequence
from typing import Any

from bot.app import load_checked_bank, study_group
from bot.cli.common import settings_from
from bot.core.clock import SystemClock
from bot.core.errors import ConfigError
from bot.core.ports import ChannelUnavailable, PostedQuestion, QuestionCard, ThreadReply
from bot.core.records import Period
from bot.core.refs import ChannelRef, ThreadRef
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


class _Offline:
    """The platform of a study group read from its database alone: it never posts."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def post_question(self, channel: ChannelRef, card: QuestionCard, *, post_key: str) -> PostedQuestion:
        raise ChannelUnavailable("the leaderboard command does not post")

    async def find_question_post(self, channel: ChannelRef, *, post_key: str) -> PostedQuestion | None:
        return None

    async def post_in_thread(self, thread: ThreadRef, text: str) -> None:
        raise ChannelUnavailable("the leaderboard command does not post")

    async def thread_replies(self, thread: ThreadRef) -> Sequence[ThreadReply]:
        return ()


async def _print(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    platform_name = args.platform or settings.platform
    bank = load_checked_bank(settings)
    async with await SqliteStore.open(settings.store_location) as store:
        configs = [c for c in await store.list_channels(platform=platform_name) if c.ref.channel_id == args.channel]
        if args.server:
            configs = [c for c in configs if c.ref.server_id == args.server]
        if not configs:
            raise ConfigError(f"no {platform_name} channel '{args.channel}' is set up in {settings.database}")
        group = study_group(settings, bank, store, _Offline(platform_name), SystemClock())
        board = await group.standings.leaderboard(
            configs[0].ref, None, period=Period(args.period), server_wide=args.server_wide, limit=args.limit
        )
    print(standings_text(board.title, board.standings, board.own, TextStyle()))
    return 0
