"""`python -m benchmarks [--quick] [--json] [--only NAME ...]`: run the benchmarks, print every figure."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import (
    bank,
    commands,
    deployed,
    fanout,
    history,
    ingest,
    leaderboard,
    openloop,
    pictures,
    postgres,
    reminders,
    reviews,
    startup,
)
from benchmarks.common import Report, say
from benchmarks.cpu import CpuSpan
from benchmarks.machine import Machine

BENCHMARKS = {
    "ingest": ingest.run,
    "openloop": openloop.run,
    "leaderboard": leaderboard.run,
    "fanout": fanout.run,
    "history": history.run,
    "commands": commands.run,
    "startup": startup.run,
    "deployed": deployed.run,
    "bank": bank.run,
    "pictures": pictures.run,
    "reviews": reviews.run,
    "reminders": reminders.run,
    "postgres": postgres.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run at small scale (CI runs it)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of every figure on stdout")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    args = parser.parse_args(argv)
    if args.json:
        os.environ["STUDYBOT_BENCH_JSON"] = "1"
    report = Report(quick=args.quick)
    machine = Machine()
    started = time.perf_counter()
    say(f"studybot benchmarks ({'quick' if args.quick else 'full'} run)")
    machine.measure(report, args.quick)
    with tempfile.TemporaryDirectory(prefix="studybot-bench-") as folder:
        for name in args.only or BENCHMARKS:
            work = Path(folder) / name
            work.mkdir()
            span = CpuSpan.start()
            asyncio.run(BENCHMARKS[name](report, machine, work, args.quick))
            span.stop()
            say(f"  [{name}] {span.line()}")
            report.extra(f"cpu_others_cores_{name}", span.others_cores)
            report.extra(f"seconds_{name}", span.seconds)
    elapsed = time.perf_counter() - started
    missed = [figure.key for figure in report.lines if figure.met is False]
    say(f"\n{len(report.lines)} figures in {elapsed:.0f} s; targets missed: {', '.join(missed) or 'none'}")
    report.extra("benchmarks_total_s", elapsed)
    if args.json:
        json.dump(report.figures, sys.stdout, indent=2, sort_keys=True)
        sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
