"""The grader reads what people type, whatever the question: spellings of numbers, maths, bounds and words.

These use answer blocks made here, so a group writing its own questions gets the same reading.
"""

from __future__ import annotations

import random
import time

import pytest

from bot.banks.loading import load_bank
from bot.core.questions import Answer
from bot.grading import AnswerGrader

GRADER = AnswerGrader()


def right(answer: Answer, *texts: str) -> None:
    missed = [(text, GRADER.grade(answer, text).reason) for text in texts if not GRADER.grade(answer, text).correct]
    assert missed == []


def wrong(answer: Answer, *texts: str) -> None:
    accepted = [(text, GRADER.grade(answer, text).reason) for text in texts if GRADER.grade(answer, text).correct]
    assert accepted == []


def test_thousands_separators_and_word_and_si_suffixes() -> None:
    count = Answer(value=1_250_000.0, explanation="counted")
    right(count, "1,250,000", "1 250 000", "1_250_000", "1.25M", "1.25 million", "1250K", "1250 thousand", "1.25e6")
    wrong(count, "1,250", "1.25B", "125,000", "1.25", "12.5M")
    billions = Answer(value=7e9, tolerance=5e8, explanation="people")
    right(billions, "7B", "7 billion", "7bn", "7G", "7,000,000,000", "7 × 10^9", "7x10⁹", "7e9", "7.2B")
    wrong(billions, "7M", "7", "8B", "70B")


def test_scientific_notation_in_every_common_spelling_with_unicode_minus() -> None:
    tiny = Answer(value=3.5532e-11, tolerance=1e-12, explanation="ruin")
    right(
        tiny,
        "3.55e-11",
        "3.55E-11",
        "3.55 e-11",
        "3.55x10^-11",
        "3.55 x 10^(-11)",
        "3.55 × 10⁻¹¹",
        "3.55·10^−11",
        "3.55*10**-11",
        "3.55 \\times 10^{-11}",
        "3.55e−11",
    )
    wrong(tiny, "3.55e11", "3.55x10^11", "3.55 × 10¹¹", "3.55e-12", "-3.55e-11")


def test_percentages_fractions_and_rounding_to_two_significant_figures() -> None:
    share = Answer(value=0.7734, tolerance=0.001, explanation="sampling")
    right(share, "77%", "77 percent", "0.77", "77.3%", "0.773", "≈0.77", "~77%", "0.7734", "about 77%")
    wrong(share, "78%", "0.78", "0.8", "80%", "0.7", "1", "7.7", "77")
    half = Answer(value=0.5, accepted=("1/2",), explanation="coin")
    right(half, "1/2", "2/4", "0.5", "50%", "½", ".5")
    wrong(half, "1/3", "0.05", "5%", "2")


def test_a_question_that_asks_for_precision_rejects_a_rounded_answer() -> None:
    precise = Answer(value=0.7734, significant_figures=4, explanation="asked for 4 figures")
    right(precise, "0.7734", "77.34%")
    wrong(precise, "0.77", "77%", "0.773")


def test_an_exact_count_is_not_rounded() -> None:
    queens = Answer(value=92.0, unit="solutions", explanation="backtracking")
    right(queens, "92", "92 solutions", "ninety-two")
    wrong(queens, "90", "9.3e1", "100", "91")


def test_units_where_the_question_has_one() -> None:
    memory = Answer(value=16384.0, unit="bytes", explanation="sharding")
    right(memory, "16 KiB", "16KiB", "16 KB", "16kB", "16384 B", "16,384 bytes", "2^14 bytes", "0.015625 MiB")
    wrong(memory, "16 MB", "16 GB", "16", "32 KiB")
    angle = Answer(value=7.5, tolerance=0.01, unit="degrees", explanation="clock")
    right(angle, "7.5°", "7.5 °", "7.5 degrees", "7.5deg", "7,5")
    wrong(angle, "75°", "0.75 degrees")


def test_symbolic_answers_are_compared_by_value_not_spelling() -> None:
    general = Answer(value="C*e^(-x)", constants=("C",), explanation="f' = -f")
    right(general, "Ce^(-x)", "A*exp(-x)", "k e^{-x}", "C·e^(−x)", "C/e^x", "C exp(-x)", "K*e**(-x)", "C e^-x")
    wrong(general, "C e^x", "Ce^(-2x)", "C x e^(-x)", "C + e^(-x)")
    product = Answer(value="a^2 - b^2", explanation="difference of squares")
    right(product, "(a-b)(a+b)", "(a+b)*(a-b)", "-b² + a²", "a^2-b^2")
    wrong(product, "(a-b)^2", "a^2+b^2", "(a+b)^2")


def test_a_letter_that_is_not_a_declared_constant_is_not_renamed() -> None:
    slope = Answer(value="b", explanation="same slope")
    right(slope, "b", "the slope is b")
    wrong(slope, "c", "a", "1/b")


def test_big_o_in_every_common_spelling_and_equivalent_forms() -> None:
    attention = Answer(value="O(n²·d)", explanation="QKᵀ")
    right(
        attention,
        "O(n^2 d)",
        "O(n**2 * d)",
        "O(d·n²)",
        "O(n²d)",
        "O(N^2 D)",
        "Θ(n^2 d)",
        "big-O of... O(n^2 d)",
        "O(2n^2 d + n d)",
        "o(n^2d)",
        r"$O(n^{2} d)$",
    )
    wrong(attention, "O(n^2)", "O(n d^2)", "O(n^2 d^2)", "O(n d)", "O(n^3 d)", "not O(n^2 d)")
    sort = Answer(value="O(n log n)", explanation="merge sort")
    right(sort, "O(nlogn)", "O(n log(n))", "O(n·log n)", "n log n", "linearithmic", "O(N log N + N)")
    wrong(sort, "O(n)", "O(log n)", "O(n^2)", "linear")


def test_word_answers_in_a_sentence_with_negation_and_synonyms() -> None:
    metric = Answer(value="MAE", wrong=("MSE", "RMSE"), explanation="linear in the residual")
    right(metric, "mean absolute error", "not MSE, MAE", "I'd pick MAE.", "MAE rather than MSE", "L1 loss (MAE)")
    right(metric, "MAE is more robust than MSE", "MSE is less robust than MAE", "MAE; MSE isn't")
    wrong(metric, "not MAE, MSE", "MSE", "MSE rather than MAE", "either MAE or RMSE", "root mean squared error")
    wrong(metric, "MAE is less robust than MSE", "MSE is more robust than MAE")
    verdict = Answer(value="No", explanation="a density can exceed 1")
    right(verdict, "no, a density can exceed 1", "No!", "false", "Not true: Uniform(0, 0.5) is 2", "It's false.")
    wrong(verdict, "yes", "True, it is bounded", "yep", "Correct")
    truth = Answer(value="Yes", explanation="always")
    right(truth, "yes", "True", "correct", "Yes, because ...")
    wrong(truth, "no", "not true", "false", "Not correct")


def test_a_number_in_a_sentence_is_read_when_it_is_the_only_one_asserted() -> None:
    days = Answer(value=43.96, tolerance=0.5, unit="days", explanation="geometric")
    right(days, "I'd say about 44 days", "44, not 40", "the answer is 44 days")
    wrong(days, "40, not 44", "somewhere between 40 and 44 days")
    several = AnswerGrader().grade(days, "about 44 days since P(X > 2) ≈ 0.0228")
    assert not several.correct
    assert several.reason == "names several numbers (44, 2, 0.0228): give the one answer"


def test_empty_and_overlong_answers_are_wrong_with_a_reason() -> None:
    answer = Answer(value=0.5, explanation="half")
    for text in ("", "   ", "0.5 " * 200):
        grade = GRADER.grade(answer, text)
        assert not grade.correct and grade.reason


HOSTILE = [
    "10**10**10",
    "10^10^10",
    "9^9^9^9",
    "2^2^2^2^2^2^2^2^2^2",
    "(10^1000)^1000^1000",
    "10^(10^(10^10))",
    "e^(10^400)",
    "1e999999",
    "9" * 499,
    "x" * 499,
    "(" * 250 + ")" * 250,
    "(a+b+c+d)^1000",
    "O((n+1)^1000)",
    "O((a+b)(c+d)(e+f)(g+h)(i+j)(k+l)(m+n)(o+p)(q+r)(s+t))",
    "exp(exp(exp(exp(1000))))",
    "x^x^x^x^x^x^x^x^x^x",
    "x is " * 100,
    "O(n^3 d) " * 55,
    "__import__('os').system('true')",
    "x.__class__.__bases__",
    "lambda: 1",
    "1/0",
    "0/0",
]


@pytest.mark.parametrize(
    "answer",
    [
        Answer(value="C*e^(-x)", constants=("C",), explanation="e"),
        Answer(value="O(n²·d)", explanation="o"),
        Answer(value=3.5532e-11, tolerance=1e-12, explanation="n"),
        Answer(value="n / Σx_i", explanation="mle"),
    ],
    ids=["formula", "big-o", "number", "sum"],
)
def test_hostile_input_is_refused_quickly(answer: Answer) -> None:
    slowest = 0.0
    for text in HOSTILE:
        started = time.perf_counter()
        grade = GRADER.grade(answer, text)
        slowest = max(slowest, time.perf_counter() - started)
        assert not grade.correct, text
    assert slowest < 0.5


PIECES = [
    *("x", "n", "d", "C", "e", "exp", "log", "sqrt", "Σ", "x_i", "O(", "Θ(", "(", ")", "()", "^", "**", "*", "/"),
    *("+", "-", "−", "²", "⁻¹¹", "10", "0", "1.5", "e-11", "%", "=", "≈", " ", "not", "no", "yes", "MAE", "B"),
    *("billion", "K", "KiB", "°", "\\frac{", "}{", "}", "\\cdot", "√", "!", "[", "]", "{", "|", ",", ".", "__"),
    *("'", '"', "lambda", "ln", "0^0", "1/0", "log(0)", "(-1)^0.5", "1e308", "9" * 30, "zoo", "nan", "I", "pi"),
]


@pytest.mark.filterwarnings("error")  # nor a warning in the bot's log
def test_any_jumble_of_maths_and_words_gets_a_grade_never_an_error() -> None:
    rng = random.Random(2026)
    blocks = [question.answer for question in load_bank(()).questions if question.answer is not None]
    slowest = 0.0
    for _ in range(400):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        started = time.perf_counter()
        grade = GRADER.grade(rng.choice(blocks), text)
        slowest = max(slowest, time.perf_counter() - started)
        assert grade.reason
    assert slowest < 0.5
