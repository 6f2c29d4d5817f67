"""Find every place where PyYAML and yaml-rs could read the same bank text differently.

The line-tracking loader reads YAML with PyYAML (libyaml), which follows YAML 1.1; the fast path reads it
with yaml-rs, which follows YAML 1.2 with resolution rules of its own. On the plain block-style YAML a bank
is written in they build equal values. They can differ on:

- plain scalars that one of them reads as something other than text: YAML 1.1's `yes`/`no`/`on`/`off`,
  merge keys `<<` and `=`; numbers other than plain decimals (`012`, `0o12`, `0x1F`, `1_000`, `1e3`, `-.5`,
  `1:20`, `.inf`); dates and times;
- tags (`!!binary`, `!custom`), anchors and aliases (yaml-rs reads an undefined alias as null), `%` directives;
- characters that only YAML 1.1 counts as line breaks (NEL, U+2028, U+2029), a lone CR, a byte order mark,
  and tabs, whose handling the two specs word differently;
- the end of the file: an empty block scalar there (`key: |` and nothing after it: PyYAML reads '', yaml-rs
  '\\n'), or no line break at the end (yaml-rs then still ends a last block scalar with one).

`first_risk` names the first of these found in a text, or returns None when there is none: only then is
the fast path allowed to read the file. The screen is conservative: prose can trip it (a line ending with a
lone "on"), which only sends that file the slower way. Its patterns run on pydantic-core's Rust regex
engine, which scans a 3 MB bank file in a few milliseconds where `re` needs a tenth of a second.
"""

from __future__ import annotations

from pydantic_core import SchemaValidator, core_schema

# What can stand right before a scalar: the indentation at a line start, or an indicator ('- ', ': ', '? ',
# '[', '{', ',', or the ':' of a JSON-like key) and blanks.
_BEFORE = r"(?:^[ \t]*|[\-?][ \t]+|[:\[{,][ \t]*)"
# What can end a plain scalar: the line end or a comment, a flow indicator, or a key's ':'.
_AFTER = r"(?:[ \t\r]*(?:$|[#,\]}])|:(?:[ \t\r,\[\]{}]|$))"
# Characters of a number in either reader: digits, signs, '.', '_', ':', base prefixes, hex digits, exponents.
_NUM = r"[0-9_.:+\-xXoOa-fA-F]"
# A number other than a plain decimal `[-+]?(0|[1-9][0-9]*)(\.[0-9]*)?`, `.5` or `1.5e-3`, on which both agree.
# (A scalar with any other character in it is text to both, apart from dates and .inf/.nan.)
_ODD_NUMBER = "|".join(
    (
        rf"[\-+.0-9]{_NUM}*[_:]{_NUM}*",  # 1_000, 1:20 (sexagesimal in YAML 1.1), 12:30:00
        rf"[\-+]?[0-9]+[eE]{_NUM}*",  # an exponent without a dot: 1e3 is a float only for yaml-rs
        rf"[\-+]?[0-9]*\.[0-9]*[eE](?:[0-9_.:xXoOa-fA-F]{_NUM}*)?",  # an exponent without a sign: 1.0e3 likewise
        rf"[\-+]?0[0-9xXoObB]{_NUM}*",  # a leading zero or a base: 012 (octal in YAML 1.1), 0o12, 0X1F
        r"[\-+]?\.(?:[iI][nN][fF]|[nN][aA][nN])",  # .inf and .nan in any case (yaml-rs ignores case)
        rf"[\-+]\.{_NUM}*",  # a sign then a dot: -.5 is a float only for yaml-rs
    )
)

RISKS: dict[str, str] = {
    "a plain scalar YAML 1.1 reads as a boolean or merge key": rf"{_BEFORE}(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|<<|=){_AFTER}",
    "a date": rf"{_BEFORE}[0-9]{{4}}-[0-9]{{1,2}}-[0-9]{{1,2}}",
    "a number other than a plain decimal": rf"{_BEFORE}(?:{_ODD_NUMBER}){_AFTER}",
    "a tag, anchor or alias": rf"{_BEFORE}(?:[&*][^\s]|!)",
    # '?x' is text to yaml-rs; in a flow collection libyaml reads the '?' as the start of a key.
    "a scalar starting with '?'": rf"{_BEFORE}\?[^ \t\r\n]",
    "a directive": r"^%",
    "a tab, byte order mark, lone CR or YAML 1.1 line break": "[\t\x85\u2028\u2029\ufeff]|\r(?:[^\n]|\\z)",
    # A block scalar header with only blank lines after it to the end (anywhere else both read '').
    "an empty block scalar at the end": r"[|>][\-+0-9]*[ \t]*(?:#[^\r\n]*)?\r?\n(?:[ \t]*\r?\n)*\z",
}


def _searcher(pattern: str) -> SchemaValidator:
    """A validator that accepts a text exactly when `pattern` occurs somewhere in it (Rust `is_match`)."""
    return SchemaValidator(core_schema.str_schema(pattern=f"(?m){pattern}", regex_engine="rust-regex"))


_ANY_RISK = _searcher("|".join(f"(?:{pattern})" for pattern in RISKS.values()))
_EACH_RISK = {name: _searcher(pattern) for name, pattern in RISKS.items()}


def first_risk(text: str) -> str | None:
    """What in `text` PyYAML and yaml-rs might read differently, or None when nothing is."""
    if text and not text.endswith("\n"):
        return "no line break at the end of the file"
    if not _ANY_RISK.isinstance_python(text):
        return None
    return next(name for name, search in _EACH_RISK.items() if search.isinstance_python(text))
