"""Repair text that went through the wrong encoding (mojibake) and tidy its whitespace."""

from __future__ import annotations

import re

import ftfy

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def repair_text(text: str) -> str:
    """Fix mojibake (`What‚Äôs` → `What's`, `üíπ` → `💹`), then tidy the whitespace.

    ftfy also straightens curly quotes, which keeps ids, search and duplicate checks simple.
    """
    return tidy_whitespace(ftfy.fix_text(text))


def tidy_whitespace(text: str) -> str:
    """Collapse runs of spaces (including no-break spaces) inside lines, strip every line and the
    ends, and keep at most one blank line between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def repair_lines(text: str) -> str:
    """Mojibake repaired, no-break spaces made plain and line ends stripped -- but each line's
    indentation kept (in markdown lists it marks an item's continuation lines)."""
    fixed = ftfy.fix_text(text).replace("\u00a0", " ")
    return "\n".join(line.rstrip() for line in fixed.splitlines())
