"""A whole study day through `studybot run`, driven as a subprocess on standard input."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ADA = "Covariance is unscaled joint variability; correlation divides it by both standard deviations."
BOB = "Correlation is covariance normalised to [-1, 1], so it is unit-free and comparable across pairs."
CYD = "Covariance depends on the units; correlation is the covariance of the standardised variables."

DAY = f"""\
/qotd setup time:09:00 tz:Europe/Berlin days:daily
/qotd now
@ada
> {ADA}
@bob
> too short
> {BOB}
@cyd
> {CYD}
@ada
> and one more thought, which is discussion rather than a second answer
@bob
react 2 👍
@cyd
react 2 👍
delete 5
@you
react 4 ✅
/leaderboard period:all
@ada
/stats
@you
/qotd now
"""


def run_console(tmp_path: Path, script: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "STUDYBOT_"))}
    env["STUDYBOT_DATABASE"] = str(tmp_path / "day.db")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_simulated_day_is_posted_answered_scored_and_ranked(tmp_path):
    out = run_console(tmp_path, DAY)
    assert "Daily question set in #study: 09:00 Europe/Berlin, every day." in out
    assert re.search(r"^\[#study \| 1\] studybot: Question of the day", out, re.MULTILINE)
    assert "(only you see this) Posted today's question." in out
    assert f"[#study › 1 | 2] ada: {ADA}" in out
    assert "(scored: 15 points)" in out  # ada first: 10 + 5
    assert "(too short to score: discussion)" in out
    assert "(scored: 13 points)" in out  # bob second: 10 + 3
    assert "(scored: 11 points)" in out  # cyd third: 10 + 1
    assert "(you already answered: discussion)" in out
    assert "(answer 2 now has 17 points)" in out and "(answer 2 now has 19 points)" in out
    assert "(deleted 5)" in out
    assert "(answer 4 now has 28 points)" in out  # bob's answer marked best by the moderator
    board = out[out.index("Leaderboard · this channel · all time") :]
    lines = board.splitlines()[1:3]
    assert lines == ["  🥇 bob: 28 pts (1 answer)", "  🥈 ada: 19 pts (1 answer)"]
    assert "cyd" not in "\n".join(board.splitlines()[:4])  # deleted answer, no points, not listed
    assert "Stats for ada" in out and "Points: 19 all time" in out and "Streak: 1 now, best 1" in out
    assert "Today's question is already posted." in out


def test_restart_keeps_the_day_and_bad_input_gets_clear_answers(tmp_path):
    run_console(tmp_path, "/qotd setup time:09:00 days:daily\n/qotd now\n")
    out = run_console(tmp_path, "/qotd now\n/qotd setup tz:Europe/Berln\nreact 99 👍\nfrobnicate\n@eve\n/qotd skip\n")
    assert "Today's question is already posted." in out
    assert "Did you mean Europe/Berlin?" in out
    assert "! there is no message 99" in out
    assert "is not something the console understands" in out
    assert "Only moderators can run /qotd skip." in out
    assert "Question of the day" not in out  # nothing posted twice on restart


def test_setup_names_its_channel_and_refuses_what_it_does_not_understand(tmp_path):
    script = (
        "/qotd setup time:09:00\n/qotd setup tme:10:00\n/qotd setup #other time:10:15\n"
        "/qotd setup channel:#other time:10:15\n/qotd status\n#other\n/qotd status\n"
    )
    out = run_console(tmp_path, script)
    assert "Daily question set in #study: 09:00 UTC, every day." in out
    assert "! /qotd setup has no option 'tme:'" in out and "Did you mean time:?" in out
    assert "! /qotd setup does not understand '#other'" in out and "write channel:#other" in out
    assert "Daily question set in #other: 10:15 UTC, every day." in out
    first, second = [line for line in out.splitlines() if "Schedule" in line or "schedule" in line][-2:]
    assert "09:00" in first and "10:15" in second


def test_lines_too_big_for_the_database_or_anyone_to_type_are_refused_and_the_console_goes_on(tmp_path):
    huge_id = "9" * 30  # past SQLite's integers
    script = (
        f"react {huge_id} 👍\n"
        f"edit {huge_id} some new text that is long enough\n"
        f"click quiz:hint:{huge_id}\n"
        f"/quiz answer {'x' * 1_000_000}\n"
        "/qotd status\n"
    )
    out = run_console(tmp_path, script)
    assert "a line may hold at most 4,000" in out
    assert out.count("! ") >= 3
    assert "No daily question here yet." in out  # the line after them still runs


def test_a_reaction_that_changes_nothing_says_why(tmp_path):
    script = f"""\
/qotd setup time:09:00 days:daily
/qotd now
@ada
> {ADA}
react 2 👍
@bob
react 2 ✅
react 2 🎉
react 1 👍
"""
    out = run_console(tmp_path, script)
    assert "(no points: a reaction to your own answer does not count)" in out
    assert "(no points: only a moderator's mark makes a best answer)" in out
    assert "(no points: only 👍 or ✅ count)" in out
    assert "(no points: that message is not a scored answer)" in out
