"""discord.py's own reconnect notice as one line: a lost network is news, its traceback on every attempt is not.

discord.py retries a lost gateway by itself (with backoff) and logs each attempt with the full traceback of why
the last one failed. This filter on its client logger keeps the line and the reason, drops the traceback, and makes
it a warning: the bot waits the outage out.
"""

from __future__ import annotations

import logging

RECONNECT_NOTICE = "Attempting a reconnect in"
CLIENT_LOGGER = "discord.client"


class OneLineReconnects(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and str(record.msg).startswith(RECONNECT_NOTICE):
            problem = record.exc_info[1]
            reason = str(problem) or type(problem).__name__
            record.msg = "lost the connection to Discord (%s): reconnecting in %.1f s"
            record.args = (reason, *(record.args if isinstance(record.args, tuple) else ()))
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"  # waited out, not a fault of the bot
        return True
