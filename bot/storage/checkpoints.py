"""Copying a file's write-ahead log back into it, off the write path, so the log starts over."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from bot.storage.connections import connect

log = logging.getLogger(__name__)


CHECKPOINT_EVERY_S = 0.5
# Past this many frames (about 128 MB) the writer finishes the checkpoint itself, so the WAL starts over. Each
# finish holds writes up for a few to tens of milliseconds: 32,768 against 8,192 took ingest p99 from 68 to 57 ms.
WAL_RESTART_FRAMES = 32768
CAUGHT_UP_S = 0.01


class Checkpointer:
    """Copies a file's WAL back into it from its own thread, off the write path.

    With SQLite's automatic checkpoints, the commit that crosses 1,000 WAL pages copies them and syncs the
    file, stalling every write queued behind it. Here the writer never checkpoints (`wal_autocheckpoint = 0`)
    and this thread runs a PASSIVE checkpoint (it never blocks readers or the writer) twice a second after
    writes. SQLite also checkpoints when the last connection closes.

    A checkpoint running beside a busy writer never catches up with it, and SQLite only starts the WAL over
    when a write transaction begins with every frame copied back; without that the WAL grows for as long as
    writes keep coming (gigabytes in an hour of steady replies, each commit slower than the last). So when
    the WAL is longer than `WAL_RESTART_FRAMES`, this thread sets `wal_is_long` and the writer, between two
    of its transactions, copies the few frames still left (`finish_checkpoint`).
    """

    def __init__(self, path: str) -> None:
        self._connection = connect(path)
        self._stop = threading.Event()
        self.written = threading.Event()
        self.wal_is_long = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studybot-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(CHECKPOINT_EVERY_S):
            if not self.written.is_set():
                continue
            self.written.clear()
            try:
                if self._checkpoint() > WAL_RESTART_FRAMES:
                    # Catch up with the writer first (each pass copies what came during the one before, so
                    # they get shorter), leaving it only a few milliseconds' worth of frames to copy.
                    for _ in range(10):
                        started = time.monotonic()
                        self._checkpoint()
                        if time.monotonic() - started < CAUGHT_UP_S or self._stop.is_set():
                            break
                    self.wal_is_long.set()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed", exc_info=True)
        self._connection.close()

    def _checkpoint(self) -> int:
        """A PASSIVE checkpoint; returns how many frames the WAL holds."""
        _, frames, _ = self._connection.execute("PRAGMA main.wal_checkpoint(PASSIVE)").fetchone()
        return int(frames)

    def finish_checkpoint(self, writer: sqlite3.Connection) -> None:
        """On the writer's thread, between transactions: no frame is added while this copies the rest."""
        if self.wal_is_long.is_set():
            self.wal_is_long.clear()
            try:
                writer.execute("PRAGMA main.wal_checkpoint(PASSIVE)").fetchall()
            except sqlite3.Error:
                log.warning("WAL checkpoint failed", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
