"""Coverage and hygiene of the built-in question bank (`questions/*.yaml`).

The bank is built from two source documents: the public list `ml-interview-questions-2025` (items
1..189) and a candidate's `interview-notes`. These tests carry their own expectations about both
documents, so they never read the documents themselves.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "questions"

LIST_DOC = "ml-interview-questions-2025"
NOTES_DOC = "interview-notes"
LIST_ITEMS = 189

TOPICS = {
    "statistics",
    "probability",
    "classical-ml",
    "deep-learning",
    "nlp",
    "llm",
    "computer-vision",
    "search-and-recsys",
    "ml-system-design",
    "ml-infrastructure",
    "cs-fundamentals",
    "algorithms",
    "behavioral",
}

# The notes restart their numbering in each interview loop; every numbered item must be accounted for.
NOTES_NUMBERED_SECTIONS = {
    "ML fundamentals interview": 29,
    "Search interview": 5,
    "Behavioral": 14,
    "1st technical interview": 32,
}
EXPECTED_NOTES_NUMBERED = [
    (section, item) for section, count in NOTES_NUMBERED_SECTIONS.items() for item in range(1, count + 1)
]
# The unnumbered prompts of the notes, each recorded under its section with a short descriptive item.
EXPECTED_NOTES_UNNUMBERED = [
    ("ML fundamentals interview", "BERT's biggest innovation"),
    ("ML system design", "Star ratings for comment-only reviews"),
    ("ML system design", "LLM evaluation system"),
    ("1st technical interview", "System design: Street View images from taxis"),
    ("Role-related knowledge", "HVAC manuals assistant"),
    ("Role-related knowledge", "Complexities of training and serving large models"),
    ("Role-related knowledge", "Fine-tuning out of memory"),
    ("Role-related knowledge", "When an LLM is not the best choice"),
    ("Role-related knowledge", "Explaining LLMs to a non-technical CEO"),
    ("Role-related knowledge", "Key cost components"),
    ("Role-related knowledge", "What business leaders care about"),
    ("Role-related knowledge", "What the CEO needs to know to decide"),
    ("Role-related knowledge", "Out of the box vs building from scratch"),
]

# Questions asked in both documents: one bank question citing both.
OVERLAPS = {
    "covariance-vs-correlation": {(LIST_DOC, 3), (NOTES_DOC, ("ML fundamentals interview", 2))},
    "self-attention-complexity": {
        (LIST_DOC, 45),
        (NOTES_DOC, ("ML fundamentals interview", 17)),
        (NOTES_DOC, ("1st technical interview", 8)),
    },
    "bagging-vs-boosting": {(LIST_DOC, 108), (NOTES_DOC, ("ML fundamentals interview", 23))},
    "how-boosting-works": {(LIST_DOC, 104), (NOTES_DOC, ("ML fundamentals interview", 22))},
    "t-test-vs-z-test": {(LIST_DOC, 181), (NOTES_DOC, ("ML fundamentals interview", 6))},
    "rnn-vs-transformer": {(LIST_DOC, 38), (NOTES_DOC, ("ML fundamentals interview", 16))},
}
# Questions asked twice within the notes (or with conversational follow-ups), merged into one question.
NOTES_MERGES = {
    "how-attention-works": {
        ("ML fundamentals interview", 29),
        ("1st technical interview", 5),
        ("1st technical interview", 6),
    },
    "taking-a-big-risk": {("Behavioral", 11), ("Behavioral", 12)},
    "eight-queens": {("1st technical interview", 30), ("1st technical interview", 31), ("1st technical interview", 32)},
    "beyond-job-responsibility": {("Behavioral", 7), ("Behavioral", 8)},
}

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MOJIBAKE = ("‚Ä", "Ã", "√", "Â", "ðŸ", "ü", "�")
MOJIBAKE_ANY_FIELD = ("‚Ä", "Ã", "Â", "ðŸ", "�")
DEBRIS = ("**", "[[", "]]")


def _load_files() -> dict[str, dict]:
    files = {}
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        if path.name == "resources.yaml":
            continue
        with path.open(encoding="utf-8") as fh:
            files[path.stem] = yaml.safe_load(fh)
    return files


FILES = _load_files()
QUESTIONS = [q for doc in FILES.values() for q in doc["questions"]]
BY_ID = {q["id"]: q for q in QUESTIONS}


def _source_key(src: dict):
    if src["document"] == LIST_DOC:
        return (LIST_DOC, src["item"])
    return (src["document"], (src.get("section"), src.get("item")))


def _text_fields(q: dict):
    yield "title", q["title"]
    yield "prompt", q["prompt"]
    for part in q.get("parts") or []:
        yield "parts", part
    for hint in q.get("hints") or []:
        yield "hints", hint
    for point in q.get("key_points") or []:
        yield "key_points", point


def test_bank_is_not_empty():
    assert len(QUESTIONS) >= LIST_ITEMS


@pytest.mark.parametrize("stem", sorted(FILES))
def test_file_shape(stem):
    doc = FILES[stem]
    assert set(doc) == {"topic", "questions"}
    assert doc["topic"] == stem
    assert doc["topic"] in TOPICS
    assert doc["questions"], f"{stem}.yaml has no questions"
    for q in doc["questions"]:
        assert "topic" not in q, f"{q['id']} repeats the topic"
        for field in ("id", "title", "difficulty", "prompt", "sources"):
            assert q.get(field), f"{q.get('id')} lacks {field}"
        assert q["difficulty"] in {"easy", "medium", "hard"}


def test_every_list_item_is_the_source_of_exactly_one_question():
    counts = Counter()
    for q in QUESTIONS:
        for src in q["sources"]:
            if src["document"] == LIST_DOC:
                assert isinstance(src["item"], int), q["id"]
                assert "section" not in src, q["id"]
                counts[src["item"]] += 1
    assert set(counts) == set(range(1, LIST_ITEMS + 1))
    assert [item for item, n in counts.items() if n != 1] == []


def test_every_notes_item_is_accounted_for_exactly_once():
    counts = Counter()
    for q in QUESTIONS:
        for src in q["sources"]:
            if src["document"] == NOTES_DOC:
                assert src.get("section"), f"{q['id']}: notes sources need a section"
                counts[(src["section"], src.get("item"))] += 1
    expected = EXPECTED_NOTES_NUMBERED + EXPECTED_NOTES_UNNUMBERED
    assert len(expected) == len(set(expected))
    assert set(counts) == set(expected), (set(expected) - set(counts), set(counts) - set(expected))
    assert [key for key, n in counts.items() if n != 1] == []


def test_sources_name_known_documents():
    for q in QUESTIONS:
        for src in q["sources"]:
            assert src["document"] in {LIST_DOC, NOTES_DOC}, q["id"]
            assert set(src) <= {"document", "item", "section"}, q["id"]


def test_ids_are_unique_kebab_case():
    ids = [q["id"] for q in QUESTIONS]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for qid in ids:
        assert ID_RE.match(qid), qid
        assert 3 <= len(qid) <= 80, qid


@pytest.mark.parametrize("qid", sorted(BY_ID))
def test_text_is_clean(qid):
    q = BY_ID[qid]
    for field, text in _text_fields(q):
        assert isinstance(text, str) and text.strip(), (qid, field)
        markers = MOJIBAKE if field in {"title", "prompt", "parts"} else MOJIBAKE_ANY_FIELD
        for marker in markers:
            assert marker not in text, (qid, field, marker)
        for marker in DEBRIS:
            assert marker not in text, (qid, field, marker)
        assert not re.search(r"[ \t]+$", text, flags=re.MULTILINE), (qid, field, "trailing spaces")
        assert text == text.strip(), (qid, field)
    assert not re.match(r"^\[[^\]]+\]", q["title"]), qid
    assert not re.match(r"^\[[^\]]+\]", q["prompt"]), qid
    # The candidate's parenthesised self-assessments never make it into a prompt.
    for remark in ("didn’t properly", "didn't properly", "I mentioned", "struggled", "no idea", "(No)"):
        assert remark not in q["prompt"], (qid, remark)


@pytest.mark.parametrize("qid", sorted(BY_ID))
def test_companies_and_tags(qid):
    q = BY_ID[qid]
    for company in q.get("companies") or []:
        assert isinstance(company, str) and company.strip() == company and company, qid
        assert not any(ch in company for ch in "[]*"), (qid, company)
    for tag in q.get("tags") or []:
        assert tag == tag.lower() and " " not in tag, (qid, tag)


def test_companies_from_the_list_are_kept():
    assert BY_ID["clock-hands-angle"]["companies"] == ["Hedge Fund"]
    assert BY_ID["unfair-coin-posterior"]["companies"] == ["Facebook"]
    assert BY_ID["bagging-vs-boosting"]["companies"] == ["JPMorgan"]
    assert BY_ID["covariance-vs-correlation"]["companies"] == []


@pytest.mark.parametrize("qid", sorted(OVERLAPS))
def test_overlaps_cite_both_documents(qid):
    q = BY_ID[qid]
    keys = {_source_key(src) for src in q["sources"]}
    assert keys == OVERLAPS[qid]
    assert {src["document"] for src in q["sources"]} == {LIST_DOC, NOTES_DOC}


@pytest.mark.parametrize("qid", sorted(NOTES_MERGES))
def test_notes_merges_cite_every_item(qid):
    keys = {_source_key(src) for src in BY_ID[qid]["sources"]}
    assert {(NOTES_DOC, pair) for pair in NOTES_MERGES[qid]} <= keys


def test_follow_ups_are_parts():
    assert "Now explain the same in mathematical terms." in BY_ID["how-attention-works"]["parts"]
    assert "What's the complexity of the algorithm?" in BY_ID["eight-queens"]["parts"]
    assert any("done better" in part for part in BY_ID["beyond-job-responsibility"]["parts"])


def test_resources():
    with (QUESTIONS_DIR / "resources.yaml").open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    resources = doc["resources"]
    assert len(resources) == 11
    urls = [r["url"] for r in resources]
    assert len(set(urls)) == len(urls)
    for r in resources:
        assert r["title"].strip()
        assert re.match(r"^https?://\S+$", r["url"]), r["url"]
        assert set(r) <= {"title", "url", "description", "tags"}
    assert "https://github.com/donnemartin/system-design-primer/tree/master" in urls
    assert "https://huyenchip.com/ml-interviews-book/" in urls


@pytest.mark.parametrize("qid", [q["id"] for q in FILES["behavioral"]["questions"]])
def test_behavioral_answers_name_the_competency_and_how_to_structure_the_story(qid):
    points = BY_ID[qid].get("key_points") or []
    assert any(point.startswith("Competency probed: ") for point in points), qid
    assert any("STAR" in point for point in points), qid
