"""Every answer block in the shipped bank: the forms members type are right, the near misses are wrong.

Each block has hand-written cases (the ways people write the answer, and the wrong answers they are likely to
give), and cases generated from the block itself: its own forms, the value rounded, its rivals, the opposite
yes or no, a bound or formula off by a factor.
"""

from __future__ import annotations

import pytest

from bot.banks.loading import load_bank
from bot.core.questions import Answer
from bot.grading import AnswerGrader
from bot.grading.grader import BIG_O, FORMULA, NUMBER, WORDS, YES_NO, kind_of

BANK = load_bank(())
BLOCKS: dict[str, Answer] = {q.id: q.answer for q in BANK.questions if q.answer is not None}
GRADER = AnswerGrader()

# question id -> (right forms, wrong forms)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "mae-mse-rmse-outliers": (
        [
            "MAE",
            "mae",
            "mean absolute error",
            "not MSE, MAE",
            "MAE, not MSE",
            "MAE is more robust than MSE",
            "Mean-absolute-error (L1)",
            "neither MSE nor RMSE: MAE",
        ],
        ["MSE", "RMSE", "MAE or MSE", "not MAE", "MSE, because it squares the errors", "mean squared error"],
    ),
    "exponential-lifetime-mle": (
        ["n/Σx_i", "λ = n / sum(x_i)", "1/x̄", "1/mean(x)", "n/∑xᵢ", r"\frac{n}{\sum_i x_i}", "1 / xbar", "λ̂ = n/Σx"],
        ["Σx_i/n", "mean(x)", "1/n", "n/Σx_i^2", "x̄", "n"],
    ),
    "regression-slope-inversion": (
        ["b", "B", "the slope is b", "b as well", "also b", "not 1/b but b", "slope = b"],
        ["1/b", "-b", "b^2", "b or 1/b", "1", "a"],
    ),
    "variance-of-duplicated-data": (
        ["unchanged", "it stays the same", "the variance doesn't change", "no change", "Same", "remains the same"],
        ["it doubles", "it halves", "not the same", "increases", "twice as large"],
    ),
    "clock-hands-angle": (
        ["7.5°", "7.5", "7.5 degrees", "15/2", "7.5 deg", "about 7.5°", "97.5 - 90 = 7.5"],
        ["7 degrees", "8", "82.5", "0", "90", "7.5 or 82.5"],
    ),
    "function-plus-derivative-zero": (
        [
            "Ce^(-x)",
            "C·e^(−x)",
            "C e^-x",
            "A*exp(-x)",
            "k e^{-x}",
            "f(x) = Ce^(-x) for any constant C",
            "y = C e^{-x}",
            "e^-x",
            "C*exp(−x)",
            "c/e^x",
        ],
        ["C e^x", "e^x", "e^(-2x)", "-x", "C", "C x e^(-x)", "sin(x)"],
    ),
    "unfair-coin-posterior": (
        ["32/33", "0.97", "97%", "≈ 0.97", "0.9697", "96.97%", "0,97", "about 97 percent"],
        ["1/2", "0.5", "1", "0.9", "33/32", "3%"],
    ),
    "days-until-normal-above-2": (
        ["44", "44 days", "about 44 days", "1/0.02275 ≈ 44", "43.96", "≈44", "forty-four"],
        ["40", "20", "45", "2", "0.02275", "44 or 40"],
    ),
    "feature-shipping-probability": (
        ["77%", "0.77", "0.7734", "77.3%", "0.773", "0.95^5", "≈ 0.77", "C(950,5)/C(1000,5) ≈ 0.7734"],
        ["0.78", "0.8", "95%", "0.95", "0.7", "23%"],
    ),
    "gambling-ruin-probability": (
        [
            "3.55 × 10^-11",
            "3.55 × 10⁻¹¹",
            "3.55x10^-11",
            "3.5532e-11",
            "((√5-1)/2)^50",
            "3.6e-11",
            "3.55E-11",
            "3.55*10**-11",
            "((sqrt(5)-1)/2)^50",
            "0.618^50",
        ],
        ["3.55e-10", "1e-11", "0", "0.618", "((√5-1)/2)^49", "3.55"],
    ),
    "pdf-value-range": (
        [
            "no, a density can exceed 1",
            "No",
            "false",
            "not true",
            "Nope: Uniform(0, 0.5) has density 2",
            "That's false",
            "It is not true",
        ],
        ["yes", "true", "It's true", "correct", "Uniform(0, 0.5) has density 2"],
    ),
    "mutual-information-feature-count": (
        ["100", "100 features", "one hundred", "a hundred features"],
        ["50", "1000", "150", "10"],
    ),
    "polynomial-degree-4-vs-6": (
        [
            "B",
            "model B",
            "Model B, since degree 6 contains degree 5",
            "not A, B",
            "the degree 6 one",
            "B is better than A",
            "Model B (degree 6)",
        ],
        ["A", "model A", "degree 4", "A or B", "Model A, it is simpler", "not B"],
    ),
    "logistic-regression-overlapping-gaussians": (
        ["no", "impossible", "not possible", "No: the two Gaussians overlap everywhere"],
        ["yes", "possible", "Yes, with enough data"],
    ),
    "sgd-loss-always-decrease": (
        ["no", "not necessarily", "not always", "No, a mini-batch step can go uphill", "nope"],
        ["yes", "always", "Yes it always decreases"],
    ),
    "activation-highest-output": (
        ["ReLU and ELU", "both ReLU and ELU output 2", "ELU, ReLU", "ReLU/ELU tie", "rectified linear unit and ELU"],
        ["ReLU", "tanh", "ReLU, ELU and tanh", "sigmoid", "ELU"],
    ),
    "softmax-scaling": (
        ["No", "incorrect", "you are wrong", "not correct", "No: softmax(c·y) sharpens for c > 1"],
        ["yes", "correct", "you are right", "true"],
    ),
    "conv-bias-before-batchnorm": (
        ["no", "no effect", "it would not be affected", "No, BN subtracts the mean", "unaffected"],
        ["yes", "Yes, it would be worse"],
    ),
    "self-attention-complexity": (
        [
            "O(n²)",
            "O(n^2 d)",
            "O(n²·d)",
            "O(d n**2)",
            "O(N^2 D)",
            "quadratic",
            "It is O(n^2 d) because of QK^T",
            "not O(n), O(n^2 d)",
            "O(n^2 * d_k)",
            "Θ(n²d)",
            "O(n²d + nd²)",
            "O(3 n^2 d + n d)",
            r"O(n^2 \cdot d)",
        ],
        ["O(n)", "linear", "O(n d^2)", "O(n^2 d^2)", "O(n^3)", "O(n log n)", "O(d)"],
    ),
    "ffn-dimension": (
        [
            "4",
            "4d",
            "4 × d_model",
            "4x",
            "four times the model width",
            "4 * d_model",
            "4 times d_model",
            "4 × d_model in the original Transformer",
        ],
        ["2", "8", "d_model", "1", "0.25", "8/3", "8/3 d_model"],
    ),
    "transformer-parameter-count": (
        [
            "16B",
            "17.4 billion",
            "17,442,275,328",
            "1.74e10",
            "17B",
            "17.4 × 10^9",
            "17 442 275 328",
            "17.44B params",
            "about 17 billion parameters",
        ],
        ["13B", "20B", "7B", "17.4M", "1.74e9", "174B"],
    ),
    "sharded-array-memory": (
        ["16 KiB", "16KB", "16,384 bytes", "2^14 bytes", "16384 B", "16k", "16 KiB per device", "16384"],
        ["32 KiB", "512 KiB", "8 KiB", "16 MB", "2048 bytes", "16"],
    ),
    "dot-product-complexity": (
        ["O(n)", "O(N)", "linear", "It is linear in N", "O(2N - 1)", "Θ(n)"],
        ["O(n^2)", "O(1)", "O(log n)", "quadratic", "O(n log n)"],
    ),
}


def test_every_answer_block_in_the_shipped_bank_has_cases() -> None:
    assert set(CASES) == set(BLOCKS)


CASES.update(
    {
        "dropout-during-inference": (
            [
                "No",
                "no, dropout is off at inference",
                "No, all neurons are used and activations are scaled",
                "we don't",
                "dropout is turned off",
                "not at inference, unless you want MC dropout",
            ],
            ["yes", "Yes, the same neurons are dropped", "yes, we drop them too"],
        ),
        "large-batch-sharp-minima": (
            ["No", "not always", "no, large batches can generalise worse", "No: they find sharp minima", "it depends"],
            ["Yes", "yes, always", "Yes, bigger is always better"],
        ),
        "high-training-loss-more-data": (
            ["No", "not correct", "No, it's underfitting: increase model capacity", "incorrect, the model underfits"],
            ["yes", "Yes, more data will help", "correct"],
        ),
        "constant-weight-initialization": (
            ["No", "no, symmetry is never broken", "bad idea", "not a good idea", "No: all units learn the same"],
            ["yes", "Yes it is fine", "good idea", "yes, 0.5 is a good starting point"],
        ),
    }
)


@pytest.mark.parametrize(("qid", "text"), [(qid, text) for qid, (right, _) in CASES.items() for text in right])
def test_a_right_form_is_accepted(qid: str, text: str) -> None:
    grade = GRADER.grade(BLOCKS[qid], text)
    assert grade.correct, (qid, text, grade.reason)


@pytest.mark.parametrize(("qid", "text"), [(qid, text) for qid, (_, wrong) in CASES.items() for text in wrong])
def test_a_near_miss_is_wrong(qid: str, text: str) -> None:
    grade = GRADER.grade(BLOCKS[qid], text)
    assert not grade.correct, (qid, text, grade.reason)
    assert grade.reason


def _generated(answer: Answer) -> tuple[list[str], list[str]]:
    """Right and wrong forms made from the block alone."""
    right = [str(answer.value), *answer.accepted]
    wrong = list(answer.wrong)
    kind = kind_of(answer)
    if kind == NUMBER:
        assert isinstance(answer.value, float)
        value = answer.value
        exact_count = value == int(value) and not answer.tolerance
        if not exact_count:
            right += [f"{value:.2g}", f"{value:.3g}", f"{value:.4g}"]
        right += [f"{value:.6g}", f"≈ {value:.6g}"]
        if answer.unit:
            right.append(f"{value:.6g} {answer.unit}")
        off = max(3 * answer.tolerance, 0.1 * abs(value))
        wrong += [f"{value + off:.6g}", f"{value - off:.6g}", f"{value * 10:.6g}", f"-{value:.6g}"]
    elif kind == YES_NO:
        wrong += ["yes" if str(answer.value).lower() == "no" else "no"]
    elif kind == FORMULA:
        tail = str(answer.value).split("=")[-1]
        wrong += [f"1/({tail})", f"({tail})^2", f"({tail}) + 1"]
    elif kind == BIG_O:
        inside = str(answer.value)[2:-1]
        wrong += [f"O(({inside}) * n)", "O(1)", f"not {answer.value}"]
    else:
        assert kind == WORDS
        wrong += [f"not {answer.value}"]
    return right, wrong


@pytest.mark.parametrize("qid", sorted(BLOCKS))
def test_forms_generated_from_the_block(qid: str) -> None:
    answer = BLOCKS[qid]
    right, wrong = _generated(answer)
    accepted_wrongly = [text for text in wrong if GRADER.grade(answer, text).correct]
    rejected = [(text, GRADER.grade(answer, text).reason) for text in right if not GRADER.grade(answer, text).correct]
    assert rejected == [] and accepted_wrongly == []
