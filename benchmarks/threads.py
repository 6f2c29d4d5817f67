"""How many threads this process runs right now: every OS thread, the interpreter's own and libraries' alike."""

from __future__ import annotations

import os


def running_threads() -> int:
    return len(os.listdir("/proc/self/task"))
