"""The CPU other processes used while a benchmark ran: the whole machine's busy time (/proc/stat) minus this
process's and its reaped children's (/proc/self/stat), so a noisy machine shows beside every figure."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine() -> tuple[float, float]:
    """(busy, stolen) seconds of every CPU since boot; (0, 0) where /proc is missing."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except OSError:
        return 0.0, 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq) / _TICKS, steal / _TICKS


def _ours() -> float:
    """Seconds of CPU this process and the children it has waited for used (utime, stime, cutime, cstime)."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system
    return sum(int(value) for value in fields[11:15]) / _TICKS


@dataclass
class CpuSpan:
    """Started by `CpuSpan.start()`; `stop()` fixes the figures."""

    wall: float
    busy: float
    steal: float
    ours: float
    others_cores: float = 0.0
    ours_cores: float = 0.0
    steal_cores: float = 0.0
    seconds: float = 0.0

    @classmethod
    def start(cls) -> CpuSpan:
        busy, steal = _machine()
        return cls(time.monotonic(), busy, steal, _ours())

    def stop(self) -> CpuSpan:
        busy, steal = _machine()
        ours = _ours()
        self.seconds = max(1e-9, time.monotonic() - self.wall)
        self.ours_cores = (ours - self.ours) / self.seconds
        self.others_cores = max(0.0, (busy - self.busy) - (ours - self.ours)) / self.seconds
        self.steal_cores = (steal - self.steal) / self.seconds
        return self

    def line(self) -> str:
        cpus = os.cpu_count() or 1
        return (
            f"CPU over {self.seconds:.1f} s: other processes {self.others_cores:.2f} of {cpus} cores, "
            f"this benchmark {self.ours_cores:.2f}, stolen by the host {self.steal_cores:.2f}"
        )
