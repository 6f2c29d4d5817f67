"""Turn a numbered markdown list of interview questions into draft bank questions.

Two styles are understood, also mixed in one file:

* the public-list style -- a bold title with an optional `[Company]` tag, the question on the
  indented line(s) below::

      3. **[Amazon] Covariance vs Correlation**
        What is the difference between covariance and correlation?

* the interview-notes style -- the question on the numbered line, the candidate's remarks in
  trailing parentheses (they become hints, not part of the prompt), spacer lines between items
  and numbering that restarts per interview::

      12. Why accuracy can be bad for NER? (class imbalance)

Text is repaired (mojibake, no-break spaces) first. Every draft gets a readable unique kebab-case
id, a title (made from the prompt's first words when the source has none), `difficulty: medium`
and `sources: [{document: <name>, item: N}]`. Items that are near-duplicates of a question already
in the bank (or earlier in the same file) are skipped and reported with the id they matched.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.banks.mojibake import repair_lines, tidy_whitespace
from bot.banks.similarity import THRESHOLD, best_match, find_near_duplicates
from bot.core.questions import Difficulty, Question, Source, Topic

__all__ = [
    "ImportResult",
    "SeedItem",
    "SkippedItem",
    "find_near_duplicates",
    "import_file",
    "import_markdown",
    "make_id",
    "parse_numbered_list",
    "short_title",
    "split_remarks",
]

log = logging.getLogger(__name__)

_ITEM = re.compile(r"^ {0,3}(\d+)[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_BOLD_TITLE = re.compile(r"^\*\*\s*(?:\[(?P<company>[^\]]+)\]\s*)?(?P<title>.+?)\s*\*\*\s*(?P<rest>.*)$")
_ID_STOP_WORDS_TEXT = """a an the of and or to is are was be do does did in on at for with by from what whats which how
    why when who you your youre we our i me my it its this that these those can could would should
    will tell about time some any"""
_ID_STOP_WORDS = frozenset(_ID_STOP_WORDS_TEXT.split())
_ABBREVIATIONS = re.compile(r"\b(vs|e\.g|i\.e|etc|approx|cf)\.", flags=re.IGNORECASE)
MAX_ID_WORDS = 5
MAX_TITLE_CHARS = 60


@dataclass(frozen=True)
class SeedItem:
    """One numbered item as found in the source, already repaired."""

    number: int
    line: int
    prompt: str
    title: str | None = None
    company: str | None = None
    hints: tuple[str, ...] = ()
    section: str | None = None


@dataclass(frozen=True)
class SkippedItem:
    """An item left out because the bank already has it (as `matched_id`)."""

    item: SeedItem
    matched_id: str
    score: float

    def __str__(self) -> str:
        return (
            f"item {self.item.number} (line {self.item.line}) '{self.item.title or self.item.prompt[:60]}' "
            f"is already in the bank as '{self.matched_id}' (similarity {self.score:.2f})"
        )


@dataclass(frozen=True)
class ImportResult:
    questions: tuple[Question, ...]
    skipped: tuple[SkippedItem, ...] = ()


@dataclass
class _Draft:
    number: int
    line: int
    head: str
    section: str | None
    more: list[str] = field(default_factory=list)
    closed: bool = False


def parse_numbered_list(text: str) -> list[SeedItem]:
    """Every numbered item of a markdown document, in order (other text is ignored)."""
    lines = repair_lines(text).splitlines()
    items: list[SeedItem] = []
    draft: _Draft | None = None
    section: str | None = None
    for number, line in enumerate(lines, start=1):
        match = _ITEM.match(line)
        if match:
            if draft:
                items.append(_finish(draft))
            draft = _Draft(int(match[1]), number, match[2].strip(), section)
        elif not line.strip():
            if draft:
                draft.closed = True
        elif line[:1].isspace() and draft and not draft.closed:
            draft.more.append(line.strip())
        else:
            if draft:
                items.append(_finish(draft))
                draft = None
            heading = _HEADING.match(line)
            if heading:
                section = heading[1].strip("*_ ")
            else:
                log.debug("line %d is not part of a numbered item: %.60s", number, line)
    if draft:
        items.append(_finish(draft))
    return [item for item in items if item.prompt]


def _finish(draft: _Draft) -> SeedItem:
    bold = _BOLD_TITLE.match(draft.head)
    if bold:
        prompt = tidy_whitespace(" ".join([bold["rest"], *draft.more]))
        title = tidy_whitespace(bold["title"])
        return SeedItem(
            draft.number,
            draft.line,
            prompt or title,
            title,
            bold["company"].strip() if bold["company"] else None,
            (),
            draft.section,
        )
    prompt, hints = split_remarks(tidy_whitespace(" ".join([draft.head, *draft.more])))
    return SeedItem(draft.number, draft.line, prompt, None, None, hints, draft.section)


def split_remarks(text: str) -> tuple[str, tuple[str, ...]]:
    """Split trailing parenthesised remarks off a question: `Why? (class imbalance)` →
    (`Why?`, (`class imbalance`,)). Parentheses inside the question are kept."""
    remarks: list[str] = []
    while text.endswith(")"):
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(text[index], 0)
            if depth == 0:
                break
        else:
            break  # unbalanced: leave it
        before, remark = text[:index].rstrip(), text[index + 1 : -1].strip()
        if not before:
            break
        if remark:
            remarks.insert(0, remark[0].upper() + remark[1:])
        text = before
    return text, tuple(remarks)


def short_title(prompt: str) -> str:
    """A title from the prompt's first sentence, cut at a word boundary."""
    protected = _ABBREVIATIONS.sub(lambda m: m[1] + "\0", prompt)
    first = re.split(r"(?<=[?.!])\s", protected, maxsplit=1)[0].replace("\0", ".").rstrip("?!: ")
    first = first if first.endswith(("vs.", "etc.")) else first.rstrip(".")
    if len(first) > MAX_TITLE_CHARS:
        first = first[:MAX_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-– ") + "…"
    return first[:1].upper() + first[1:]


def make_id(text: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable kebab-case id from a title, not in `taken` (`-2`, `-3`, ... added if needed)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text.replace("'", ""))
    if len(words) > MAX_ID_WORDS:
        words = [w for w in words if w not in _ID_STOP_WORDS] or words
    # Prefer more words over a number suffix to tell two similar titles apart.
    for count in range(min(MAX_ID_WORDS, len(words)), len(words) + 1):
        candidate = _slug(words[:count])
        if candidate not in taken:
            return candidate
    base, counter = _slug(words[:MAX_ID_WORDS]), 2
    while f"{base}-{counter}" in taken:
        counter += 1
    return f"{base}-{counter}"


def _slug(words: list[str]) -> str:
    base = "-".join(words)[:80].strip("-") or "question"
    return base if len(base) >= 3 else f"{base}-question"


def import_markdown(
    text: str,
    topic: Topic | str,
    document: str,
    existing: Iterable[Question] = (),
    difficulty: Difficulty = Difficulty.MEDIUM,
    threshold: float = THRESHOLD,
) -> ImportResult:
    """Draft questions for every numbered item not already in `existing` (or earlier in `text`)."""
    topic = Topic(topic)
    known = list(existing)
    taken = {question.id for question in known}
    drafts: list[Question] = []
    skipped: list[SkippedItem] = []
    for item in parse_numbered_list(text):
        title = item.title or short_title(item.prompt)
        match = best_match((title, item.prompt), [*known, *drafts], threshold)
        if match:
            skipped.append(SkippedItem(item, match[0].id, round(match[1], 3)))
            continue
        question = Question(
            id=make_id(title, taken),
            topic=topic,
            difficulty=difficulty,
            title=title,
            prompt=item.prompt,
            companies=(item.company,) if item.company else (),
            sources=(Source(document=document, item=item.number, section=item.section),),
            hints=item.hints,
        )
        taken.add(question.id)
        drafts.append(question)
    log.info("imported %d questions from %s, skipped %d already in the bank", len(drafts), document, len(skipped))
    return ImportResult(tuple(drafts), tuple(skipped))


def import_file(
    path: Path,
    topic: Topic | str,
    document: str | None = None,
    existing: Iterable[Question] = (),
    difficulty: Difficulty = Difficulty.MEDIUM,
) -> ImportResult:
    """`import_markdown` on a file; the document name defaults to the file's stem."""
    text = path.read_text(encoding="utf-8", errors="replace")
    return import_markdown(text, topic, document or path.stem, existing, difficulty)
