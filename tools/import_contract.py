"""The import contract: what each package under bot/ may import, as an allow-list.

`python tools/import_contract.py [ROOT]` reads every module under bot/ (without importing it), checks every
`import` and `from ... import` in it, at the top or inside a function, and prints each one the contract does
not allow as `bot/x/y.py:LINE imports Z, which bot.x may not import`; it exits 1 if there is any.
tests/test_import_contract.py runs the same check in the suite.

The rules, most specific package first:

- `bot.core`: the rules of the game; only the standard library, pydantic and itself.
- `bot.storage`, `bot.scheduling`, `bot.banks`, `bot.grading`: the standard library, themselves, `bot.core` and
  their own libraries (sympy for `bot.grading`, which reads typed maths; psycopg for `bot.storage` on PostgreSQL).
- `bot.review`: the standard library, itself, `bot.core` and the `fsrs` package (the core's review schedule).
- `bot.adapters.<platform>`: the standard library, `bot.core`, themselves and their platform's libraries.
- `bot.pictures`: the standard library, `bot.core`, itself, Pillow and the font package it draws with.
- `bot.shard_share` (which Discord shards the running bots run between them): the standard library only.
- the composition root and the command line (`bot.app`, `bot.cli`, `bot.config`, `bot.lifecycle`, `bot.logs`,
  `bot.__main__`): anything.

A module in no package of the contract is itself a violation: a new package needs its rule here.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STDLIB = "stdlib"
ANYTHING = "anything"

# package -> what its modules may import: STDLIB, ANYTHING, or a module whose submodules are allowed too.
RULES: dict[str, tuple[str, ...]] = {
    "bot.core": (STDLIB, "pydantic", "bot.core"),
    "bot.storage": (STDLIB, "bot.storage", "bot.core", "sqlite3", "aiosqlite", "psycopg"),
    "bot.scheduling": (STDLIB, "bot.scheduling", "bot.core", "apscheduler"),
    # pydantic: the loader validates with the core's pydantic models and explains their ValidationErrors.
    "bot.banks": (STDLIB, "bot.banks", "bot.core", "yaml", "ftfy", "pydantic"),
    "bot.grading": (STDLIB, "bot.grading", "bot.core", "sympy"),
    "bot.review": (STDLIB, "bot.review", "bot.core", "fsrs"),
    # yarl: discord.py keeps the gateway url as a yarl.URL (aiohttp's url type)
    "bot.adapters.discord": (STDLIB, "bot.core", "bot.adapters.discord", "discord", "aiohttp", "yarl"),
    "bot.adapters.slack": (STDLIB, "bot.core", "bot.adapters.slack", "slack_bolt", "slack_sdk", "aiohttp"),
    "bot.adapters.console": (STDLIB, "bot.core", "bot.adapters.console"),
    "bot.pictures": (STDLIB, "bot.core", "bot.pictures", "PIL", "fontpkg"),
    "bot.shard_share": (STDLIB,),
    "bot.app": (ANYTHING,),
    "bot.cli": (ANYTHING,),
    "bot.config": (ANYTHING,),
    "bot.lifecycle": (ANYTHING,),
    "bot.logs": (ANYTHING,),
    "bot.__main__": (ANYTHING,),
}

# The packages above the others, whose own __init__ is a docstring: the rule is for that module alone, so that
# a new package under them still needs its rule.
OWN_MODULE_ONLY: dict[str, tuple[str, ...]] = {
    "bot": (STDLIB,),
    "bot.adapters": (STDLIB,),
}


@dataclass(frozen=True)
class Violation:
    """One line to fix: where, and what is wrong there."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} {self.message}"


def module_name(path: Path, root: Path = ROOT) -> str:
    """`bot/core/bank.py` -> `bot.core.bank`; `bot/core/__init__.py` -> `bot.core`."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(module: str) -> str | None:
    """The most specific package of the contract that `module` is in (or is)."""
    if module in OWN_MODULE_ONLY:
        return module
    matches = [package for package in RULES if _within(module, package)]
    return max(matches, key=len, default=None)


def allowed(imported: str, package: str) -> bool:
    for rule in RULES.get(package) or OWN_MODULE_ONLY[package]:
        if rule == ANYTHING:
            return True
        if rule == STDLIB and imported.split(".")[0] in sys.stdlib_module_names:
            return True
        if rule not in (STDLIB, ANYTHING) and _within(imported, rule):
            return True
    return False


def imports(path: Path, module: str, modules: frozenset[str] = frozenset()) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) for every import in the file, relative ones resolved against `module`.

    `from bot import config` names the module bot.config when it is one of `modules` (the tree's own)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                source = node.module or ""
            else:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                yield node.lineno, submodule if submodule in modules else source


def check(root: Path = ROOT) -> list[Violation]:
    """Every import under `root`/bot that the contract does not allow."""
    violations: list[Violation] = []
    paths = sorted((root / "bot").rglob("*.py"))
    modules = frozenset(module_name(path, root) for path in paths)
    for path in paths:
        module = module_name(path, root)
        shown = path.relative_to(root).as_posix()
        package = package_of(module)
        if package is None:
            violations.append(Violation(shown, 1, "is in no package of the import contract; add its rule to RULES"))
            continue
        for line, imported in sorted(set(imports(path, module, modules))):
            if not allowed(imported, package):
                violations.append(Violation(shown, line, f"imports {imported}, which {package} may not import"))
    return violations


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def main(argv: list[str]) -> int:
    """`python tools/import_contract.py [ROOT]`: check ROOT/bot (default: this checkout)."""
    violations = check(Path(argv[0]) if argv else ROOT)
    for violation in violations:
        print(violation)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
