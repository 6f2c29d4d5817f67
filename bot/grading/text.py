"""What people type, brought to one spelling before anything is read: superscripts, Unicode signs, LaTeX."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 500  # longer than any answer a member types; past it nothing is read, so nothing can be slow

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣᵈ⁽⁾", "0123456789-+nxd()")
_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣᵈ⁽⁾]+")
_SIGNS = {
    "−": "-",  # minus sign
    "–": "-",  # en dash, typed for a minus
    "‐": "-",
    "×": "*",
    "·": "*",
    "⋅": "*",
    "∙": "*",
    "÷": "/",
    "⁄": "/",  # fraction slash: what NFKC makes of ½
    "∑": "Σ",
    "√": "sqrt",
    "≈": "≈",
    "’": "'",
    "“": '"',
    "”": '"',
}
_LATEX = (
    (r"\\left|\\right|\\,|\\;|\\!|\$", ""),
    (r"\\(?:cdot|times)", "*"),
    (r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}", r"((\1)/(\2))"),
    (r"\\sqrt\s*\{([^{}]*)\}", r"sqrt(\1)"),
    (r"\\bar\s*\{\s*x\s*\}|\\bar\s*x|\\overline\s*\{\s*x\s*\}", "xbar"),
    (r"\\hat\s*\{([^{}]*)\}", r"\1"),
    (r"\\sum", "Σ"),
    (r"\\lambda", "λ"),
    (r"\\(exp|log|ln|sin|cos|tan|pi)\b", r"\1"),
    (r"\\approx", "≈"),
)


def normalise(text: str) -> str:
    """One spelling for what means the same: `n²` -> `n^(2)`, `−` -> `-`, `\\cdot` -> `*`, `{` -> `(`."""
    text = _SUPERSCRIPTS.sub(lambda run: f"^({run[0].translate(_SUPERSCRIPT)})", text[:MAX_LENGTH])
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"√\s*(\d+(?:\.\d+)?|[^\W\d_])", r"sqrt(\1)", text)
    for sign, plain in _SIGNS.items():
        text = text.replace(sign, plain)
    for pattern, replacement in _LATEX:
        text = re.sub(pattern, replacement, text)
    text = text.replace("{", "(").replace("}", ")").replace("[", "(").replace("]", ")")
    text = text.replace("`", "").replace("**", "^")
    return re.sub(r"\s+", " ", text).strip()


def compact(text: str) -> str:
    """No spaces, case or decoration: `f(x) = C * e^(-x).` -> `f(x)=c*e^(-x)`."""
    return re.sub(r"[\s\"']+", "", normalise(text).lower()).rstrip(".")
