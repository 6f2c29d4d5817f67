"""The bot starts without loading the maths reader: it is loaded by the first quiz answer it grades."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from bot.app import GraderOnFirstUse
from bot.core.questions import Answer
grader = GraderOnFirstUse()
print("sympy" in sys.modules)
print(grader.grade(Answer(value=0.5, tolerance=0.01, accepted=("1/2",), explanation="half"), "50%").correct)
print("sympy" in sys.modules)
"""


def test_the_maths_reader_loads_with_the_first_answer_graded_not_at_start():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.split() == ["False", "True", "True"]
