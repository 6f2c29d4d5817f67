"""The markdown importer on excerpts of both seed documents, mojibake repair and duplicate skipping."""

from __future__ import annotations

import pytest

from bot.banks.importing import (
    import_file,
    import_markdown,
    make_id,
    parse_numbered_list,
    short_title,
    split_remarks,
)
from bot.banks.loading import load_paths
from bot.banks.mojibake import repair_lines, repair_text, tidy_whitespace
from bot.banks.similarity import find_near_duplicates, question_similarity, text_similarity
from bot.core.questions import ID_PATTERN, Difficulty, Question, Source, Topic

from .conftest import BANKS, SEEDS

PUBLIC = SEEDS / "public_list_excerpt.md"
NOTES = SEEDS / "interview_notes_excerpt.md"


def test_mojibake_is_in_the_fixture_and_repaired() -> None:
    raw = PUBLIC.read_text(encoding="utf-8")
    assert "‚Äî" in raw and "üíπ" in raw  # the excerpt keeps the seed's mojibake
    fixed = repair_text(raw)
    assert "‚Äî" not in fixed and "üíπ" not in fixed
    assert "batch size—especially" in fixed and "💹" in fixed


def test_tidy_whitespace() -> None:
    assert tidy_whitespace("  a\u00a0\u00a0 b  \n\n\n\n c \t") == "a b\n\nc"
    assert repair_lines("1. x\u00a0\n    \n  more  ") == "1. x\n\n  more"


def test_public_list_style() -> None:
    result = import_file(PUBLIC, Topic.CLASSICAL_ML)
    by_item = {q.sources[0].item: q for q in result.questions}
    assert sorted(by_item) == [1, 2, 3, 4, 188, 189]
    first = by_item[1]
    assert first.id == "learning-rate-significance"
    assert first.title == "Learning Rate Significance"
    assert first.companies == ("Startup",)
    assert first.prompt.startswith("Why do we take smaller values of the learning rate")
    assert first.difficulty is Difficulty.MEDIUM and first.topic is Topic.CLASSICAL_ML
    assert first.sources == (Source(document="public_list_excerpt", item=1, section="ML Interview Questions"),)
    assert by_item[3].companies == ()  # no [Company] tag
    assert by_item[189].companies == ("Meta",)
    assert "batch size—especially when scaling out" in by_item[189].prompt  # repaired
    assert result.skipped == ()


def test_interview_notes_style_remarks_become_hints() -> None:
    result = import_file(NOTES, "statistics", document="interview-notes")
    questions = {q.prompt: q for q in result.questions}
    ner = questions["Why accuracy can be bad for NER?"]
    assert ner.hints == ("Class imbalance",)
    assert ner.title == "Why accuracy can be bad for NER"
    assert ner.sources == (Source(document="interview-notes", item=12),)
    medicines = next(q for q in result.questions if q.prompt.startswith("You are given two medicines"))
    assert medicines.prompt.endswith("How would you approach this problem")
    assert medicines.hints == ("Randomized Controlled Trials, stat tests",)
    attention = questions["How does the attention mechanism work?"]
    assert attention.hints == ("Queries, keys, values, etc.",)
    assert "What's p-value?" in questions  # curly apostrophe straightened
    # numbering restarts per section: two items numbered 1 and the unnumbered paragraph is not an item
    assert sorted(q.sources[0].item for q in result.questions).count(1) == 2
    assert not any("BERT" in q.prompt for q in result.questions)
    assert len(result.questions) == 15


def test_ids_are_unique_readable_kebab_case() -> None:
    result = import_file(NOTES, "statistics")
    ids = [q.id for q in result.questions]
    assert len(set(ids)) == len(ids)
    assert all(__import__("re").match(ID_PATTERN, i) for i in ids)
    assert "pearson-correlation" in ids
    assert "covariance-vs-correlation" in ids


def test_make_id_prefers_more_words_then_a_number() -> None:
    assert make_id("What's p-value") == "whats-p-value"
    assert make_id("Tell me about a time when you took a calculated risk") == "took-calculated-risk"
    long = "Alpha beta gamma delta epsilon zeta"
    assert make_id(long, {"alpha-beta-gamma-delta-epsilon"}) == "alpha-beta-gamma-delta-epsilon-zeta"
    assert make_id("Alpha beta", {"alpha-beta"}) == "alpha-beta-2"
    assert make_id("Ä?") == "a-question"


def test_short_title() -> None:
    assert short_title("Covariance vs. correlation") == "Covariance vs. correlation"
    assert short_title("What's p-value? Explain.") == "What's p-value"
    title = short_title("Suppose you build lags for both time series and measure partial correlations. How?")
    assert title.endswith("…") and len(title) <= 61


def test_split_remarks_keeps_inner_parentheses() -> None:
    assert split_remarks("Rank documents (product descriptions). How? (pairwise (query, doc) loss)") == (
        "Rank documents (product descriptions). How?",
        ("Pairwise (query, doc) loss",),
    )
    assert split_remarks("(only a remark)") == ("(only a remark)", ())


def test_parse_ignores_text_outside_numbered_items() -> None:
    items = parse_numbered_list("# Title\nIntro text\n\n1. **[Acme] Thing**\n  Why?\n\nTrailing paragraph\n")
    assert [(i.number, i.title, i.company, i.prompt, i.section) for i in items] == [
        (1, "Thing", "Acme", "Why?", "Title")
    ]


def test_skips_questions_already_in_the_bank_and_says_which() -> None:
    bank = load_paths([BANKS / "valid"])
    result = import_file(PUBLIC, "statistics", existing=bank.questions)
    skipped = {s.item.number: s.matched_id for s in result.skipped}
    assert skipped == {3: "covariance-vs-correlation"}
    assert "already in the bank as 'covariance-vs-correlation'" in str(result.skipped[0])
    assert 3 not in {q.sources[0].item for q in result.questions}


def test_the_two_seed_styles_overlap_is_detected() -> None:
    notes = import_file(NOTES, "statistics", document="interview-notes")
    public = import_file(PUBLIC, "statistics", existing=notes.questions)
    [skipped] = public.skipped
    assert skipped.item.title == "Covariance vs Correlation"
    assert skipped.matched_id == "covariance-vs-correlation"


def test_duplicates_within_the_imported_file_are_skipped() -> None:
    text = "1. What is the difference between covariance and correlation?\n2. Covariance vs. correlation\n"
    result = import_markdown(text, "statistics", "doc")
    assert len(result.questions) == 1 and result.skipped[0].item.number == 2


def test_near_duplicate_similarity() -> None:
    assert (
        text_similarity("What is the difference between covariance and correlation?", "Covariance vs. correlation")
        == 1.0
    )
    assert text_similarity("Pearson correlation", "Covariance vs. correlation") < 0.8
    assert text_similarity("What?", "What?") == 0.0  # too few content words to judge


def make(qid: str, title: str, prompt: str) -> Question:
    return Question(
        id=qid,
        topic=Topic.STATISTICS,
        difficulty=Difficulty.EASY,
        title=title,
        prompt=prompt,
        sources=[Source(document="d")],
    )


def test_find_near_duplicates() -> None:
    questions = [
        make("cov-corr", "Covariance vs correlation", "What is the difference between covariance and correlation?"),
        make("cov-corr-2", "Two measures", "Covariance vs. correlation"),
        make("big-risk", "Big risk", "Tell me about a time when you took a big risk."),
        make("calculated-risk", "Calculated risk", "Tell me about a time when you took a calculated risk."),
    ]
    pairs = find_near_duplicates(questions)
    assert [(p.first, p.second, p.score) for p in pairs] == [("cov-corr", "cov-corr-2", 1.0)]
    assert question_similarity(questions[2], questions[3]) < 0.8


@pytest.mark.parametrize("style", [PUBLIC, NOTES])
def test_imported_drafts_have_no_near_duplicates(style) -> None:  # type: ignore[no-untyped-def]
    assert find_near_duplicates(import_file(style, "statistics").questions) == []
