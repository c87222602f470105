"""The ``cleaner`` command: fix, check and diff files; list rules; replay or revert change logs.

Conventions from black and ruff: ``check`` and ``diff`` never write; one summary line at the end;
exit 0 (done, or nothing to change), 1 (``check``/``diff`` found changes), 2 (usage error, or any
input failed). A failed input is named on stderr with the reason and never stops the others.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.changelog import ChangeLogError, build_records, dumps, loads, replay, revert
from cleaner.corpus import InputError, InputFile, changelog_path, discover, write_atomic
from cleaner.pipeline import Options, Pipeline, Result
from cleaner.stages import STAGE_ORDER
from cleaner.stages.decode import UndecodableInput
from cleaner.stages.punctuation import DEFAULT_PROFILE, PROFILES
from cleaner.version import __version__

EXIT_OK, EXIT_CHANGES, EXIT_ERROR = 0, 1, 2


def _split(values: Sequence[str] | None) -> tuple[str, ...]:
    """Repeatable options also take comma-separated lists: ``--ignore BP001,WS``."""
    return tuple(item.strip() for value in values or () for item in value.split(",") if item.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cleaner",
        description="Clean scraped text: decode, repair mojibake, strip boilerplate, normalise "
        "punctuation and white space, and log every edit so it can be replayed or reverted.",
        epilog="Exit codes: 0 done or nothing to change; 1 check/diff found changes; 2 usage error or "
        "an input failed. Run 'cleaner COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"cleaner {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    cleaning = argparse.ArgumentParser(add_help=False)
    cleaning.add_argument("paths", nargs="+", metavar="PATH",
                          help="files, directories (walked recursively) or - for stdin")
    group = cleaning.add_argument_group("what to clean")
    group.add_argument("--only", action="append", metavar="STAGE",
                       help=f"run only these stages (repeatable or comma-separated): {', '.join(STAGE_ORDER)}")
    group.add_argument("--skip", action="append", metavar="STAGE", help="skip these stages")
    group.add_argument("--punctuation", choices=PROFILES, default=DEFAULT_PROFILE,
                       help=f"punctuation profile (default: {DEFAULT_PROFILE}: typographic characters kept as written)")
    group.add_argument("--rules", action="append", type=Path, metavar="PATH",
                       help="an extra boilerplate rule pack (.toml) or a directory of packs")
    group.add_argument("--select", action="append", metavar="RULE",
                       help="enable only rules whose id starts with one of these (e.g. BP,WS001)")
    group.add_argument("--ignore", action="append", metavar="RULE", help="disable rules by id or id prefix")
    verbosity = cleaning.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="report only failures")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="report every file and its edits")

    fix = commands.add_parser("fix", parents=[cleaning], help="clean files, writing outputs and change logs",
                              description="Clean files. Each output is written with a change log beside it "
                              "(OUT/a.txt and OUT/a.txt.changes.jsonl). Directory inputs keep their relative paths.")
    target = fix.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", type=Path, metavar="OUTDIR", help="directory for outputs and change logs")
    target.add_argument("--in-place", action="store_true", help="overwrite the inputs (change logs go beside them)")
    commands.add_parser("check", parents=[cleaning], help="list files that would change; write nothing",
                        description="Exit 1 if any file would change, 0 if none would, 2 if an input failed.")
    commands.add_parser("diff", parents=[cleaning], help="print a unified diff of what would change; write nothing")

    rules = commands.add_parser("rules", help="list the rules, or explain one", description="List every rule "
                                "(id, stage, name, why), or show one rule in full with its examples.")
    rules.add_argument("rule", nargs="?", metavar="RULE", help="a rule id to explain")
    rules.add_argument("--rules", action="append", type=Path, metavar="PATH", help="include an extra rule pack")

    log = commands.add_parser("log", help="replay or revert a change log")
    log_commands = log.add_subparsers(dest="log_command", metavar="ACTION", required=True)
    replay_parser = log_commands.add_parser("replay", help="apply a change log to its input; print the output")
    replay_parser.add_argument("changelog", type=Path, metavar="CHANGELOG")
    replay_parser.add_argument("input", type=Path, metavar="INPUT")
    revert_parser = log_commands.add_parser("revert", help="undo a change log on its output; print the input")
    revert_parser.add_argument("changelog", type=Path, metavar="CHANGELOG")
    revert_parser.add_argument("output", type=Path, metavar="OUTPUT")
    return parser


@dataclass
class Tally:
    """What happened to the inputs, for the summary line and the exit code."""

    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)

    def exit_code(self, changes_matter: bool) -> int:
        if self.failed:
            return EXIT_ERROR
        return EXIT_CHANGES if changes_matter and self.changed else EXIT_OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(command: str, tally: Tally) -> str:
    verb = {"fix": ("cleaned", "left unchanged"), "check": ("would be cleaned", "would be left unchanged"),
            "diff": ("would be cleaned", "would be left unchanged")}[command]
    parts = [f"{_plural(tally.changed, 'file')} {verb[0]}", f"{_plural(tally.unchanged, 'file')} {verb[1]}"]
    if tally.failed:
        parts.append(f"{_plural(tally.failed, 'file')} failed")
    line = ", ".join(parts)
    if tally.by_stage:
        line += " (edits: " + ", ".join(f"{stage} {tally.by_stage[stage]}" for stage in STAGE_ORDER
                                       if tally.by_stage[stage]) + ")"
    if tally.warnings:
        line += f"; {_plural(tally.warnings, 'warning')}"
    return line + "."


def _error(message: str) -> None:
    print(f"cleaner: error: {message}", file=sys.stderr)


def _clean_files(args: argparse.Namespace) -> int:
    command = args.command
    if command == "fix" and not args.output and not args.in_place and args.paths != ["-"]:
        _error("fix needs -o OUTDIR, or --in-place to overwrite the inputs")
        return EXIT_ERROR
    try:
        options = Options(only=_split(args.only), skip=_split(args.skip), punctuation=args.punctuation,
                          rules=tuple(args.rules or ()), select=_split(args.select), ignore=_split(args.ignore))
        pipeline = Pipeline.from_options(options)
    except (ValueError, OSError) as error:  # bad stage name, bad rule pack
        _error(str(error))
        return EXIT_ERROR

    tally = Tally()
    written: set[Path] = set()
    for item in discover(args.paths):
        if isinstance(item, InputError):
            _fail(tally, item.display, item.reason)
            continue
        try:
            data = item.read()
            result = pipeline.clean_bytes(data)
        except UndecodableInput as error:
            _fail(tally, item.display, str(error))
            continue
        except OSError as error:
            _fail(tally, item.display, error.strerror or str(error))
            continue
        except Exception as error:  # a bug must not stop the other files, nor show a traceback
            _fail(tally, item.display, f"internal error ({type(error).__name__}: {error}); please report it")
            continue
        if command == "fix":
            if not _write_outputs(args, item, data, result, pipeline, written, tally):
                continue
        elif command == "diff" and result.changed:
            _print_diff(item, result)
        elif command == "check" and result.changed and not args.quiet:
            print(f"would clean {item.display} ({_describe(result)})")
        _count(tally, result)
        if args.verbose:
            state = "cleaned" if result.changed else "unchanged"
            print(f"{state}: {item.display} [{result.encoding}] {_describe(result)}", file=sys.stderr)
        if not args.quiet:
            for warning, location in zip(result.warnings, result.warning_locations, strict=True):
                print(f"{item.display}:{location.line}:{location.column}: warning {warning.rule}: {warning.message}",
                      file=sys.stderr)
    if not args.quiet or tally.failed:
        print(_summary(command, tally), file=sys.stderr)
    return tally.exit_code(changes_matter=command in ("check", "diff"))


def _describe(result: Result) -> str:
    if not result.changed:
        return "no edits"
    parts = []
    if result.transcoded:
        parts.append(f"re-encoded from {result.encoding} to utf-8")
    if result.edits:
        stages = ", ".join(f"{stage} {count}" for stage, count in result.counts_by_stage().items())
        parts.append(f"{_plural(len(result.edits), 'edit')}: {stages}")
    return "; ".join(parts)


def _count(tally: Tally, result: Result) -> None:
    if result.changed:
        tally.changed += 1
    else:
        tally.unchanged += 1
    tally.warnings += len(result.warnings)
    tally.by_stage.update(result.counts_by_stage())


def _fail(tally: Tally, display: str, reason: str) -> None:
    tally.failed += 1
    print(f"{display}: error: {reason}", file=sys.stderr)


def _write_outputs(args: argparse.Namespace, item: InputFile, data: bytes, result: Result, pipeline: Pipeline,
                   written: set[Path], tally: Tally) -> bool:
    output_bytes = result.text.encode("utf-8")
    records = build_records(result, input_bytes=data, source=item.display, options=pipeline.options.as_dict(),
                            rule_packs=pipeline.rule_packs)
    log_bytes = dumps(records)
    # black's safety check, our way: the log must rebuild the output and the input before we write.
    try:
        log = loads(log_bytes)
        if replay(log, data) != output_bytes or revert(log, output_bytes) != data:
            raise ChangeLogError("replay or revert did not round-trip")
    except ChangeLogError as error:
        _fail(tally, item.display, f"internal error: the change log does not replay ({error}); nothing written")
        return False
    if item.path is None:
        sys.stdout.buffer.write(output_bytes)
        sys.stdout.flush()
        return True
    target = item.path if args.in_place else args.output / item.relative
    resolved = target.resolve()
    if not args.in_place and resolved == item.path.resolve():
        _fail(tally, item.display, "the output would overwrite the input; use --in-place to allow that")
        return False
    if resolved in written:
        _fail(tally, item.display, f"another input was already written to {target}; outputs would collide")
        return False
    written.add(resolved)
    try:
        write_atomic(changelog_path(target), log_bytes)
        write_atomic(target, output_bytes)
    except OSError as error:
        _fail(tally, item.display, f"cannot write {target}: {error.strerror or error}")
        return False
    return True


def _print_diff(item: InputFile, result: Result) -> None:
    before = result.original.splitlines(keepends=True)
    after = result.text.splitlines(keepends=True)
    for line in difflib.unified_diff(before, after, fromfile=f"a/{item.display}", tofile=f"b/{item.display}"):
        sys.stdout.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")


def _rules(args: argparse.Namespace) -> int:
    from cleaner.catalog import all_rules

    try:
        rules = all_rules(tuple(args.rules or ()))
    except (ValueError, OSError) as error:
        _error(str(error))
        return EXIT_ERROR
    if args.rule:
        matching = [rule for rule in rules if rule.id == args.rule.upper()]
        if not matching:
            _error(f"no rule {args.rule!r}; 'cleaner rules' lists them")
            return EXIT_ERROR
        print(matching[0].explain())
        return EXIT_OK
    width = max(len(rule.name) for rule in rules)
    for rule in rules:
        print(f"{rule.id:6} {rule.stage:12} {rule.name:{width}}  {rule.why}")
    return EXIT_OK


def _log(args: argparse.Namespace) -> int:
    changelog = args.changelog
    source = args.input if args.log_command == "replay" else args.output
    try:
        log = loads(changelog.read_bytes(), str(changelog))
        data = source.read_bytes()
        rebuilt = replay(log, data) if args.log_command == "replay" else revert(log, data)
    except FileNotFoundError as error:
        _error(f"{error.filename}: no such file")
        return EXIT_ERROR
    except (OSError, UnicodeDecodeError) as error:
        _error(f"{changelog}: {error}")
        return EXIT_ERROR
    except ChangeLogError as error:
        _error(f"{changelog} and {source}: {error}")
        return EXIT_ERROR
    sys.stdout.buffer.write(rebuilt)
    sys.stdout.flush()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        if args.command in ("fix", "check", "diff"):
            return _clean_files(args)
        if args.command == "rules":
            return _rules(args)
        return _log(args)
    except KeyboardInterrupt:
        print("cleaner: interrupted; outputs written so far are complete, none is half-written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
