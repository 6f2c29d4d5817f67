"""Every gradable question's answer, recomputed independently.

Each checker derives the answer from scratch (exact fractions, brute force, simulation or a closed
form worked out here) and compares it with the `answer` stored in `questions/*.yaml`. If a stored
value and a computation disagree, the computation wins: fix the YAML.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from fractions import Fraction
from math import comb
from pathlib import Path

import pytest
import yaml

QUESTIONS_DIR = Path(__file__).resolve().parent.parent / "questions"


def _load_questions() -> dict[str, dict]:
    out = {}
    for path in sorted(QUESTIONS_DIR.glob("*.yaml")):
        if path.name == "resources.yaml":
            continue
        with path.open(encoding="utf-8") as fh:
            for q in yaml.safe_load(fh)["questions"]:
                out[q["id"]] = q
    return out


QUESTIONS = _load_questions()
GRADABLE = {qid: q for qid, q in QUESTIONS.items() if q.get("answer")}

MUST_BE_GRADABLE = [
    "clock-hands-angle",
    "unfair-coin-posterior",
    "days-until-normal-above-2",
    "gambling-ruin-probability",
    "regression-slope-inversion",
    "feature-shipping-probability",
    "mutual-information-feature-count",
    "sharded-array-memory",
    "transformer-parameter-count",
    "function-plus-derivative-zero",
]
# Open questions whose source asks for an explanation, never a number: grading them would reward a fact
# the interviewer did not ask for.
MUST_NOT_BE_GRADABLE = [
    "eight-queens",
]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()


# ---------------------------------------------------------------------------------------------
# Parsing of the numeric forms a member may type ("32/33", "97%", "16 KiB", "17.4B", "2^14 bytes").

_UNIT_WORDS = r"(?:°|degrees?|days?|features?|bytes?|solutions?|parameters?|params)"


def parse_number(form: str) -> float | None:
    """The number a typed answer denotes, or None when the form is not purely numeric."""
    text = form.strip().replace("−", "-").replace(",", "")
    text = re.sub(rf"\s*{_UNIT_WORDS}\s*(?:per device)?$", "", text, flags=re.IGNORECASE)
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    elif re.search(r"\d\s*KiB$", text):
        text, scale = re.sub(r"\s*KiB$", "", text), 1024.0
    elif re.search(r"\d\s*B$", text):
        text, scale = re.sub(r"\s*B$", "", text), 1e9
    text = re.sub(r"√(\d+(?:\.\d+)?)", r"sqrt(\1)", text).replace("√", "sqrt").replace("^", "**")
    if not re.fullmatch(r"[0-9.eE+\-*/() sqrt]+", text) or not re.search(r"\d", text):
        return None
    try:
        value = eval(text, {"__builtins__": {}}, {"sqrt": math.sqrt})  # restricted: digits and sqrt only
    except (SyntaxError, ZeroDivisionError, TypeError, NameError):
        return None
    return float(value) * scale


# ---------------------------------------------------------------------------------------------
# Independent computations, one per gradable question.


def clock_hands_angle() -> float:
    hours, minutes = 3, 15
    minute_hand = Fraction(360, 60) * minutes
    hour_hand = Fraction(360, 12) * hours + Fraction(360, 12 * 60) * minutes
    diff = abs(hour_hand - minute_hand)
    return float(min(diff, 360 - diff))


def unfair_coin_posterior() -> float:
    prior = Fraction(1, 2)
    like_unfair = Fraction(1) ** 5
    like_fair = Fraction(1, 2) ** 5
    return float(prior * like_unfair / (prior * like_unfair + prior * like_fair))


def days_until_normal_above_2() -> float:
    p_above = 0.5 * math.erfc(2 / math.sqrt(2))
    # Expected waiting time of a geometric distribution, summed explicitly.
    expected = sum(k * p_above * (1 - p_above) ** (k - 1) for k in range(1, 20_000))
    assert abs(expected - 1 / p_above) < 1e-6
    return expected


def gambling_ruin_probability() -> float:
    # p = P(ever going $1 below the current wealth). From any wealth: a tail (1/2) does it at once;
    # a head (1/2) moves +2, after which three such drops are needed. p is the smallest fixed point
    # of p = 1/2 + p^3 / 2, reached by iterating from 0.
    p = 0.0
    for _ in range(10_000):
        p = 0.5 + 0.5 * p**3
    assert abs(p - 0.5 - 0.5 * p**3) < 1e-15
    # Cross-check with a truncated Markov chain: wealth 0..cap-1, ruin at 0, safe at >= cap.
    cap = 200
    ruin = [1.0] + [0.0] * (cap - 1)
    for _ in range(5_000):
        ruin = [1.0] + [0.5 * (ruin[w + 2] if w + 2 < cap else 0.0) + 0.5 * ruin[w - 1] for w in range(1, cap)]
    assert abs(ruin[1] - p) < 1e-9
    assert abs(ruin[50] - p**50) < 1e-3 * p**50
    return p**50


def regression_slope_inversion() -> str:
    rng = random.Random(7)
    xs, ys = [], []
    for _ in range(5_000):
        x = rng.gauss(0, 1)
        xs.append(x)
        ys.append(0.6 * x + 0.8 * rng.gauss(0, 1))

    def standardise(v):
        m = sum(v) / len(v)
        s = math.sqrt(sum((a - m) ** 2 for a in v) / len(v))
        return [(a - m) / s for a in v]

    xs, ys = standardise(xs), standardise(ys)
    sxy = sum(a * b for a, b in zip(xs, ys, strict=True))
    slope_y_on_x = sxy / sum(a * a for a in xs)
    slope_x_on_y = sxy / sum(b * b for b in ys)
    assert abs(slope_y_on_x - slope_x_on_y) < 1e-9
    return "b"


def feature_shipping_probability() -> float:
    sequential = Fraction(1)
    for i in range(5):
        sequential *= Fraction(950 - i, 1000 - i)
    assert sequential == Fraction(comb(950, 5), comb(1000, 5))
    return float(sequential)


def mutual_information_feature_count() -> float:
    # Label Y ~ Bernoulli(1/2); informative feature = Y flipped with probability 0.2; copies are
    # identical to their originals; noise features are independent fair bits.
    def entropy(p):
        return 0.0 if p in (0, 1) else -(p * math.log2(p) + (1 - p) * math.log2(1 - p))

    mi_informative = 1 - entropy(0.2)
    mi_copy = mi_informative
    mi_noise = 0.0
    scores = [mi_informative] * 50 + [mi_copy] * 50 + [mi_noise] * 900
    threshold = mi_informative / 2
    return float(sum(score > threshold for score in scores))


def sharded_array_memory() -> float:
    rows, cols, itemsize = 128, 2048, 1  # int8
    mesh = {"X": 2, "Y": 8, "Z": 2}
    per_device = {}
    for x in range(mesh["X"]):
        for y in range(mesh["Y"]):
            for z in range(mesh["Z"]):
                shard = x * mesh["Y"] + y  # I is split over X then Y; J is whole; Z replicates
                n_shards = mesh["X"] * mesh["Y"]
                lo, hi = shard * rows // n_shards, (shard + 1) * rows // n_shards
                per_device[(x, y, z)] = (hi - lo) * cols * itemsize
    assert len(per_device) == 32 and len(set(per_device.values())) == 1
    total = sum(per_device.values())
    assert total == 512 * 1024 == 2 * rows * cols
    return float(next(iter(per_device.values())))


def transformer_parameter_count() -> float:
    D, V, L = 4096, 32_000, 64
    F = 4 * D
    N = 32
    H = D // N  # N·H = D
    attention = {"q": D * N * H, "k": D * N * H, "v": D * N * H, "o": N * H * D}
    mlp = {"gate": D * F, "up": D * F, "down": F * D}  # gated MLP
    norm = D
    per_layer = sum(attention.values()) + sum(mlp.values()) + norm
    total = L * per_layer + 2 * V * D  # untied embedding and unembedding
    assert sum(attention.values()) / (sum(attention.values()) + sum(mlp.values())) == 0.25
    return float(total)


def function_plus_derivative_zero() -> str:
    return "C*e^(-x)"


def _eval_function_form(form: str) -> Callable[[float], float]:
    text = form.replace(" ", "")
    text = re.sub(r"^f\(x\)=", "", text)
    text = text.replace("−", "-").replace("{", "(").replace("}", ")").replace("^", "**")
    text = re.sub(r"(?<=[0-9A-Za-z)])(?=e\*\*|exp\()", "*", text)
    assert re.fullmatch(r"[Cc0-9.*()\-+/xe]*(exp)?[Cc0-9.*()\-+/xe]*", text), form
    return lambda x: eval(text, {"__builtins__": {}}, {"C": 1.7, "c": 1.7, "e": math.e, "exp": math.exp, "x": x})


def ffn_dimension() -> float:
    # (d_model, d_ff) of the original transformer (base and big) and BERT-base / GPT-2 small.
    configs = [(512, 2048), (1024, 4096), (768, 3072)]
    ratios = {Fraction(d_ff, d_model) for d_model, d_ff in configs}
    assert len(ratios) == 1
    return float(ratios.pop())


def dot_product_complexity() -> str:
    def ops(n):
        a, b = [1.0] * n, [2.0] * n
        count, acc = 0, 0.0
        for i in range(n):
            acc += a[i] * b[i]
            count += 2
        return count

    assert ops(2_000) == 2 * ops(1_000) == 4 * ops(500)
    return "O(N)"


def exponential_lifetime_mle() -> str:
    rng = random.Random(3)
    data = [rng.expovariate(0.25) for _ in range(500)]

    def loglik(lam):
        return len(data) * math.log(lam) - lam * sum(data)

    lo, hi = 1e-4, 5.0
    for _ in range(200):  # ternary search on the concave log-likelihood
        m1, m2 = lo + (hi - lo) / 3, hi - (hi - lo) / 3
        lo, hi = (m1, hi) if loglik(m1) < loglik(m2) else (lo, m2)
    assert abs((lo + hi) / 2 - len(data) / sum(data)) < 1e-6
    return "λ̂ = n / Σx_i"


def self_attention_complexity() -> str:
    def multiply_adds(n, d):
        scores = n * n * d  # Q Kᵀ: n×d times d×n
        weighted = n * n * d  # softmax(·) V: n×n times n×d
        return scores + weighted

    assert multiply_adds(200, 64) == 4 * multiply_adds(100, 64)
    assert multiply_adds(100, 128) == 2 * multiply_adds(100, 64)
    return "O(n²·d)"


def activation_highest_output() -> str:
    x = 2.0
    values = {
        "tanh": math.tanh(x),
        "relu": max(0.0, x),
        "sigmoid": 1 / (1 + math.exp(-x)),
        "elu": x if x > 0 else math.exp(x) - 1,
    }
    best = max(values.values())
    assert {name for name, v in values.items() if v == best} == {"relu", "elu"}
    return "ReLU and ELU"


def variance_of_duplicated_data() -> str:
    data = [Fraction(v) for v in (1, 4, 4, 7, 12, 3)]
    doubled = data + data

    def pop_var(v):
        m = sum(v) / len(v)
        return sum((a - m) ** 2 for a in v) / len(v)

    def sample_var(v):
        m = sum(v) / len(v)
        return sum((a - m) ** 2 for a in v) / (len(v) - 1)

    assert pop_var(doubled) == pop_var(data)
    n = len(data)
    assert sample_var(doubled) == sample_var(data) * Fraction(2 * (n - 1), 2 * n - 1)
    return "unchanged"


def _least_squares_poly(xs, ys, degree):
    k = degree + 1
    gram = [[sum(x ** (i + j) for x in xs) for j in range(k)] for i in range(k)]
    rhs = [sum(y * x**i for x, y in zip(xs, ys, strict=True)) for i in range(k)]
    for col in range(k):  # Gaussian elimination with partial pivoting
        piv = max(range(col, k), key=lambda r: abs(gram[r][col]))
        gram[col], gram[piv] = gram[piv], gram[col]
        rhs[col], rhs[piv] = rhs[piv], rhs[col]
        for r in range(col + 1, k):
            f = gram[r][col] / gram[col][col]
            gram[r] = [a - f * b for a, b in zip(gram[r], gram[col], strict=True)]
            rhs[r] -= f * rhs[col]
    coef = [0.0] * k
    for r in range(k - 1, -1, -1):
        coef[r] = (rhs[r] - sum(gram[r][c] * coef[c] for c in range(r + 1, k))) / gram[r][r]
    return coef


def polynomial_degree_4_vs_6() -> str:
    rng = random.Random(11)
    true = [0.3, -1.0, 0.5, 2.0, -1.5, 3.0]  # degree 5

    def poly(c, x):
        return sum(ci * x**i for i, ci in enumerate(c))

    wins_b = 0
    trials = 10
    for _ in range(trials):
        train_x = [rng.uniform(-1, 1) for _ in range(1000)]
        test_x = [rng.uniform(-1, 1) for _ in range(100)]
        train_y = [poly(true, x) + rng.gauss(0, 0.3) for x in train_x]
        test_y = [poly(true, x) + rng.gauss(0, 0.3) for x in test_x]
        errors = {}
        for name, degree in (("A", 4), ("B", 6)):
            c = _least_squares_poly(train_x, train_y, degree)
            errors[name] = sum((poly(c, x) - y) ** 2 for x, y in zip(test_x, test_y, strict=True))
        wins_b += errors["B"] < errors["A"]
    assert wins_b >= 8
    return "Model B"


def _softmax(v):
    m = max(v)
    exps = [math.exp(a - m) for a in v]
    return [e / sum(exps) for e in exps]


def softmax_scaling() -> str:
    y = [0.0, 1.0, 3.0]
    assert max(abs(a - b) for a, b in zip(_softmax(y), _softmax([2 * a for a in y]), strict=True)) > 0.05
    assert max(abs(a - b) for a, b in zip(_softmax(y), _softmax([a + 5 for a in y]), strict=True)) < 1e-12
    return "No"


def logistic_regression_overlapping_gaussians() -> str:
    # Bayes error of an equal mixture of N(2, 2) and N(0, 3) (read as variances or as std devs):
    # positive whenever the densities overlap, so no classifier reaches 100%.
    def pdf(x, mu, sd):
        return math.exp(-((x - mu) ** 2) / (2 * sd * sd)) / (sd * math.sqrt(2 * math.pi))

    for sd1, sd2 in ((math.sqrt(2), math.sqrt(3)), (2.0, 3.0)):
        step = 0.001
        bayes_error = sum(
            0.5 * min(pdf(-30 + i * step, 2, sd1), pdf(-30 + i * step, 0, sd2)) * step for i in range(60_000)
        )
        assert bayes_error > 0.1
    return "No"


def pdf_value_range() -> str:
    density = 2.0  # Uniform(0, 0.5)
    n = 10_000
    integral = sum(density * (0.5 / n) for _ in range(n))
    assert abs(integral - 1) < 1e-9 and density > 1
    return "No"


def conv_bias_before_batchnorm() -> str:
    rng = random.Random(5)
    batch = [rng.gauss(1.0, 2.0) for _ in range(64)]  # one channel's conv outputs without bias

    def bn(v, eps=1e-5):
        m = sum(v) / len(v)
        var = sum((a - m) ** 2 for a in v) / len(v)
        return [(a - m) / math.sqrt(var + eps) for a in v]

    with_bias = bn([a + 3.7 for a in batch])
    assert max(abs(a - b) for a, b in zip(bn(batch), with_bias, strict=True)) < 1e-9
    return "No"


def sgd_loss_always_decrease() -> str:
    targets = [1.0, -1.0]

    def full_loss(w):
        return sum(0.5 * (w - t) ** 2 for t in targets) / len(targets)

    w, lr = 0.5, 0.5
    step = w - lr * (w - targets[0])  # SGD step on the first example only
    assert full_loss(step) > full_loss(w)
    return "No"


def mae_mse_rmse_outliers() -> str:
    # One outlier among small residuals: the share of the total loss it carries, per metric.
    residuals = [0.5, -0.3, 0.2, -0.4, 10.0]
    mae = sum(abs(r) for r in residuals) / len(residuals)
    mse = sum(r * r for r in residuals) / len(residuals)
    shares = {
        "MAE": abs(residuals[-1]) / len(residuals) / mae,
        "MSE": residuals[-1] ** 2 / len(residuals) / mse,
        "RMSE": residuals[-1] ** 2 / len(residuals) / mse,  # a monotone transform of MSE: the same ranking
    }
    return min(shares, key=lambda name: shares[name])


CHECKERS: dict[str, Callable[[], float | str]] = {
    "mae-mse-rmse-outliers": mae_mse_rmse_outliers,
    "clock-hands-angle": clock_hands_angle,
    "unfair-coin-posterior": unfair_coin_posterior,
    "days-until-normal-above-2": days_until_normal_above_2,
    "gambling-ruin-probability": gambling_ruin_probability,
    "regression-slope-inversion": regression_slope_inversion,
    "feature-shipping-probability": feature_shipping_probability,
    "mutual-information-feature-count": mutual_information_feature_count,
    "sharded-array-memory": sharded_array_memory,
    "transformer-parameter-count": transformer_parameter_count,
    "function-plus-derivative-zero": function_plus_derivative_zero,
    "ffn-dimension": ffn_dimension,
    "dot-product-complexity": dot_product_complexity,
    "exponential-lifetime-mle": exponential_lifetime_mle,
    "self-attention-complexity": self_attention_complexity,
    "activation-highest-output": activation_highest_output,
    "variance-of-duplicated-data": variance_of_duplicated_data,
    "polynomial-degree-4-vs-6": polynomial_degree_4_vs_6,
    "softmax-scaling": softmax_scaling,
    "logistic-regression-overlapping-gaussians": logistic_regression_overlapping_gaussians,
    "pdf-value-range": pdf_value_range,
    "conv-bias-before-batchnorm": conv_bias_before_batchnorm,
    "sgd-loss-always-decrease": sgd_loss_always_decrease,
}


def test_must_have_questions_are_gradable():
    missing = [qid for qid in MUST_BE_GRADABLE if qid not in GRADABLE]
    assert missing == []


def test_open_questions_are_not_gradable():
    graded = [qid for qid in MUST_NOT_BE_GRADABLE if qid in GRADABLE]
    assert graded == []


def test_every_gradable_question_has_a_checker():
    assert set(GRADABLE) == set(CHECKERS)


@pytest.mark.parametrize("qid", sorted(GRADABLE))
def test_answer(qid):
    answer = GRADABLE[qid]["answer"]
    assert set(answer) <= {
        "value",
        "tolerance",
        "significant_figures",
        "unit",
        "accepted",
        "wrong",
        "constants",
        "explanation",
    }
    assert str(answer["explanation"]).strip()
    expected = CHECKERS[qid]()
    value = answer["value"]
    tolerance = float(answer.get("tolerance", 0.0))
    accepted = answer.get("accepted") or []
    assert len({_norm(a) for a in accepted}) == len(accepted), "duplicate accepted forms"
    if isinstance(expected, float):
        assert isinstance(value, float), f"{qid}: numeric answers are stored as floats"
        assert tolerance >= 0
        assert abs(value - expected) <= tolerance, (value, expected, tolerance)
        # The tolerance is about rounding, not a licence for a different answer.
        assert tolerance <= 0.1 * abs(expected), (qid, tolerance)
        for form in accepted:
            number = parse_number(form)
            if number is not None:
                assert abs(number - expected) <= max(tolerance, 1e-12 * abs(expected)), (qid, form, number)
    else:
        assert isinstance(value, str)
        assert tolerance == 0
        assert _norm(value) == _norm(expected), (value, expected)
        for form in accepted:
            assert parse_number(form) is None, (qid, form)


def test_accepted_numeric_forms_parse():
    # The forms the product owner named must be understood by the checks above.
    assert parse_number("32/33") == pytest.approx(32 / 33)
    assert parse_number("7.5°") == 7.5
    assert parse_number("97%") == pytest.approx(0.97)
    assert parse_number("16 KiB") == 16384
    assert parse_number("2^14 bytes") == 16384
    assert parse_number("17.4B") == pytest.approx(17.4e9)
    assert parse_number("((√5-1)/2)^50") == pytest.approx(((5**0.5 - 1) / 2) ** 50, rel=1e-12, abs=0)
    assert parse_number("ReLU and ELU") is None


def test_derivative_sum_forms_solve_the_equation():
    answer = GRADABLE["function-plus-derivative-zero"]["answer"]
    forms = [answer["value"], *answer["accepted"]]
    h = 1e-5
    for form in forms:
        f = _eval_function_form(form)
        for x in (-1.0, 0.0, 0.5, 2.0):
            derivative = (f(x + h) - f(x - h)) / (2 * h)
            assert abs(f(x) + derivative) < 1e-6, (form, x)
        assert abs(f(0.3)) > 1e-3, form  # not the trivial zero function


def test_string_answers_for_the_exponential_mle_mean_n_over_sum():
    accepted = {_norm(a) for a in GRADABLE["exponential-lifetime-mle"]["answer"]["accepted"]}
    assert "n/sum(x)" in accepted and "1/mean(x)" in accepted


def test_explanations_mention_the_secondary_results():
    # Parts of two-part questions that the single `value` cannot hold.
    assert "512 KiB" in GRADABLE["sharded-array-memory"]["answer"]["explanation"]
    assert "1/4" in GRADABLE["transformer-parameter-count"]["answer"]["explanation"]
    total = transformer_parameter_count()
    attention = 64 * 4 * 4096 * 4096
    share = f"{100 * attention / total:.1f}%"
    assert share in GRADABLE["transformer-parameter-count"]["answer"]["explanation"]


# ---------------------------------------------------------------------------------------------
# Yes/no questions of the deep-learning bank, each shown on a network small enough to compute by hand.


def dropout_during_inference() -> str:
    # Inverted dropout keeps a unit with probability 1 - p and scales it by 1/(1 - p) while training, so the
    # expected training-time activation is the plain one: inference uses every unit, with no dropping.
    p, activation = 0.3, 2.5
    expected = (1 - p) * (activation / (1 - p)) + p * 0.0
    assert abs(expected - activation) < 1e-12
    return "No"


def large_batch_sharp_minima() -> str:
    # One epoch of least squares on y = 3x at the same learning rate: batch 1 takes 64 steps, batch 64 one.
    xs = [i / 64 for i in range(1, 65)]

    def loss(w: float) -> float:
        return sum((w * x - 3 * x) ** 2 for x in xs) / len(xs)

    def epoch(batch: int, lr: float = 0.5) -> float:
        w = 0.0
        for start in range(0, len(xs), batch):
            chunk = xs[start : start + batch]
            w -= lr * sum(2 * (w * x - 3 * x) * x for x in chunk) / len(chunk)
        return loss(w)

    assert epoch(64) > 2 * epoch(1)
    return "No"


def high_training_loss_more_data() -> str:
    # A linear classifier on XOR underfits: its best logistic loss is log 2 on 20 points and on 10,000.
    def best_linear_loss(n: int) -> float:
        rng = random.Random(n)
        points = [((rng.choice((-1, 1)), rng.choice((-1, 1)))) for _ in range(n)]
        data = [(a, b, 1 if a * b > 0 else 0) for a, b in points]
        w = [0.0, 0.0, 0.0]
        for _ in range(50):
            grad = [0.0, 0.0, 0.0]
            for a, b, y in data:
                z = w[0] * a + w[1] * b + w[2]
                err = 1 / (1 + math.exp(-z)) - y
                grad = [grad[0] + err * a, grad[1] + err * b, grad[2] + err]
            w = [wi - 0.5 * gi / n for wi, gi in zip(w, grad, strict=True)]
        return sum(math.log(1 + math.exp(-(2 * y - 1) * (w[0] * a + w[1] * b + w[2]))) for a, b, y in data) / n

    assert best_linear_loss(20) > 0.5 and best_linear_loss(10_000) > 0.68
    return "No"


def constant_weight_initialization() -> str:
    # Two hidden units with identical incoming weights get identical gradients, so they never differ.
    x, target = (0.7, -1.2), 1.0
    hidden_weights = [[0.5, 0.5], [0.5, 0.5]]
    output_weights = [0.5, 0.5]
    hidden = [math.tanh(sum(w * xi for w, xi in zip(row, x, strict=True))) for row in hidden_weights]
    error = sum(v * h for v, h in zip(output_weights, hidden, strict=True)) - target
    grads = [[error * output_weights[j] * (1 - hidden[j] ** 2) * xi for xi in x] for j in range(2)]
    assert grads[0] == grads[1]
    return "No"


CHECKERS.update(
    {
        "dropout-during-inference": dropout_during_inference,
        "large-batch-sharp-minima": large_batch_sharp_minima,
        "high-training-loss-more-data": high_training_loss_more_data,
        "constant-weight-initialization": constant_weight_initialization,
    }
)
