"""What can be wrong with a bank file, and the one error that reports all of it at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.errors import StudybotError


@dataclass(frozen=True)
class BankProblem:
    """One thing to fix: where it is (file, 1-based line), which question, and what to do."""

    path: str
    line: int | None
    question_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        who = f"question '{self.question_id}': " if self.question_id else ""
        return f"{where}: {who}{self.message}"


class BankError(StudybotError):
    """A bank that cannot be used; `problems` lists every problem found across all its files."""

    def __init__(self, problems: Iterable[BankProblem]) -> None:
        self.problems: list[BankProblem] = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """One line per problem, in file order: `path:line: question 'id': what to fix`."""
        return "\n".join(str(problem) for problem in self.problems)

    def summary(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'s' if count != 1 else ''} in the question bank"
