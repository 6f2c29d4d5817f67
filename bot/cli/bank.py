"""`studybot bank ...`: validate, count, export and import question banks, and try an answer on the grader.

Exit codes: 0 done, 1 the bank has problems (the report is printed), 2 a bad argument (unknown
topic, missing file). `bank grade` exits 0 when the answer is right, 1 when it is wrong and 2 when the
question cannot be graded (unknown id, no answer block, or a bank with problems).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.banks.builtin import builtin_bank_path
from bot.banks.exporting import to_json, to_yaml, to_yaml_files, topic_yaml
from bot.banks.importing import import_file
from bot.banks.loading import load_bank, load_paths
from bot.core.bank_problems import BankError
from bot.core.questions import Difficulty, Topic

OK, PROBLEMS, USAGE = 0, 1, 2


FORCE_HELP = "replace files that exist (each is kept beside itself as NAME.before-TIME first)"


def add_parser(commands: Any) -> None:
    """Register `bank` and its subcommands on the top-level subparsers."""
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument(
        "--bank",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="an extra bank folder or file on top of the built-in bank (repeatable)",
    )

    parser = commands.add_parser(
        "bank",
        help="validate, count, export and import question banks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="bank_command", required=True, metavar="ACTION")

    validate = sub.add_parser(
        "validate",
        parents=[extra],
        help="check bank files and report every problem",
        description="Check bank folders or files; with no PATH, the built-in bank "
        "(plus any --bank). Exits 1 and lists every problem if any.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="bank folders or .yaml files")
    validate.set_defaults(handler=run_validate)

    stats = sub.add_parser("stats", parents=[extra], help="count questions by topic, difficulty and source")
    stats.set_defaults(handler=run_stats)

    export = sub.add_parser("export", parents=[extra], help="write the bank as JSON or YAML")
    export.add_argument("--format", choices=("json", "yaml"), required=True)
    export.add_argument(
        "--output",
        type=Path,
        metavar="PATH",
        help="file to write (default: stdout); for yaml, a path without .yaml/.yml "
        "is a folder that gets one file per topic",
    )
    export.add_argument("--force", action="store_true", help=FORCE_HELP)
    export.set_defaults(handler=run_export)

    importer = sub.add_parser("import", parents=[extra], help="draft bank questions from a numbered markdown list")
    importer.add_argument("file", type=Path, metavar="FILE.md")
    importer.add_argument("--topic", required=True, help=f"one of: {', '.join(t.value for t in Topic)}")
    importer.add_argument("--output", type=Path, metavar="PATH", help="YAML file to write (default: stdout)")
    importer.add_argument("--force", action="store_true", help=FORCE_HELP)
    importer.add_argument("--document", help="source document name (default: the file name without suffix)")
    importer.add_argument(
        "--difficulty",
        default=Difficulty.MEDIUM.value,
        choices=[d.value for d in Difficulty],
        help="difficulty of every draft",
    )
    importer.set_defaults(handler=run_import)

    grade = sub.add_parser(
        "grade",
        parents=[extra],
        help="say whether an answer to a question is accepted, and why",
        description="Grade ANSWER against question ID's answer block with the quiz's grader: prints right or "
        "wrong and why. Exits 0 when right, 1 when wrong, 2 when the question cannot be graded.",
    )
    grade.add_argument("question_id", metavar="ID", help="the question's id, as in `/bank show`")
    grade.add_argument("answer", metavar="ANSWER", help='the answer as a member would type it, e.g. "77%%"')
    grade.set_defaults(handler=run_grade)


def _configured_banks(args: argparse.Namespace) -> list[Path]:
    """The group banks named in the settings file (`banks = [...]`)."""
    from bot.cli.common import settings_from

    return list(settings_from(args).extra_banks)


def _extra(args: argparse.Namespace) -> list[Path]:
    return [*_configured_banks(args), *args.bank]


def run_validate(args: argparse.Namespace) -> int:
    defaults = [] if args.paths else [builtin_bank_path(), *_configured_banks(args)]
    try:
        bank = load_paths([*args.paths, *defaults, *args.bank])
    except BankError as error:
        return _report(error)
    print(f"ok: {len(bank)} questions in {len(bank.files)} files")
    return OK


def run_stats(args: argparse.Namespace) -> int:
    try:
        bank = load_bank(_extra(args))
    except BankError as error:
        return _report(error)
    stats = bank.stats()
    print(f"{stats.total} questions in {stats.files} files, {stats.resources} resources\n")
    _table("Topic", ((topic.label, count) for topic, count in stats.by_topic.items()), stats.total)
    _table("Difficulty", ((d.value, count) for d, count in stats.by_difficulty.items()), stats.total)
    _table("Source document", stats.by_document.items(), stats.total)
    _table("Auto-gradable", [("yes", stats.gradable), ("no", stats.not_gradable)], stats.total)
    return OK


def run_export(args: argparse.Namespace) -> int:
    try:
        bank = load_bank(_extra(args))
    except BankError as error:
        return _report(error)
    output: Path | None = args.output
    if args.format == "yaml" and output is not None and output.suffix not in (".yaml", ".yml"):
        files = to_yaml_files(bank)
        if (refused := _refuse_overwrite([output / name for name in files], args.force)) is not None:
            return refused
        for name, text in files.items():
            _write(text, output / name, quiet=True)
        print(f"wrote {len(bank)} questions to {len(files)} files in {output}", file=sys.stderr)
        return OK
    if output is not None and (refused := _refuse_overwrite([output], args.force)) is not None:
        return refused
    text = to_json(bank) if args.format == "json" else to_yaml(bank)
    _write(text, output)
    return OK


def run_import(args: argparse.Namespace) -> int:
    try:
        topic = Topic(args.topic)
    except ValueError:
        return _usage(f"unknown topic '{args.topic}'; choose one of: {', '.join(t.value for t in Topic)}")
    if not args.file.is_file():
        return _usage(f"no such file: {args.file}")
    if args.output is not None and (refused := _refuse_overwrite([args.output], args.force)) is not None:
        return refused
    try:
        bank = load_bank(_extra(args))
    except BankError as error:
        return _report(error)
    result = import_file(args.file, topic, args.document, bank.questions, Difficulty(args.difficulty))
    for skipped in result.skipped:
        print(f"skipped {skipped}", file=sys.stderr)
    print(
        f"imported {len(result.questions)} questions, skipped {len(result.skipped)} already in the bank",
        file=sys.stderr,
    )
    _write(topic_yaml(topic, result.questions), args.output)
    return OK


def run_grade(args: argparse.Namespace) -> int:
    from bot.grading import AnswerGrader  # sympy loads only for the command that grades

    try:
        bank = load_bank(_extra(args))
    except BankError as error:
        _report(error)
        return USAGE
    question = bank.get(args.question_id)
    if question is None:
        return _usage(f"no question with id '{args.question_id}' in the bank; `studybot bank export` lists them")
    if question.answer is None:
        return _usage(f"question '{question.id}' has no answer block, so it is not graded: add one to grade it")
    result = AnswerGrader().grade(question.answer, args.answer)
    verdict = "right" if result.correct else "wrong"
    print(f"{verdict}: {args.answer!r} {result.reason}")
    print(f"expected: {result.expected}")
    return OK if result.correct else PROBLEMS


def _report(error: BankError) -> int:
    print(error.report(), file=sys.stderr)
    print(f"{error.summary()}; fix them and run `studybot bank validate` again", file=sys.stderr)
    return PROBLEMS


def _usage(message: str) -> int:
    print(f"studybot bank: error: {message}", file=sys.stderr)
    return USAGE


def _refuse_overwrite(paths: Iterable[Path], force: bool) -> int | None:
    """Refuse (a usage error) to write over a file that exists, unless `force`; with it, keep a copy first."""
    existing = [path for path in paths if path.exists()]
    if not existing:
        return None
    if not force:
        names = ", ".join(str(path) for path in existing[:3]) + (" ..." if len(existing) > 3 else "")
        return _usage(f"{names} already exists: nothing written. Pass --force to replace it (a copy is kept first)")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for path in existing:
        if not path.is_file():
            return _usage(f"{path} exists and is not a file: nothing written")
        kept = path.with_name(f"{path.name}.before-{stamp}")
        shutil.copy2(path, kept)
        print(f"kept the old {path} as {kept}", file=sys.stderr)
    return None


def _write(text: str, output: Path | None, *, quiet: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(output)  # a reader sees the old file or the new one, never half of one
    if not quiet:
        print(f"wrote {output}", file=sys.stderr)


def _table(heading: str, rows: Iterable[tuple[str, int]], total: int) -> None:
    rows = list(rows)
    width = max([len(heading), *(len(str(name)) for name, _ in rows)])
    print(f"{heading:<{width}}  {'count':>5}  {'share':>5}")
    print(f"{'-' * width}  {'-' * 5}  {'-' * 5}")
    for name, count in rows:
        share = f"{100 * count / total:.0f}%" if total else "-"
        print(f"{name!s:<{width}}  {count:>5}  {share:>5}")
    print()
