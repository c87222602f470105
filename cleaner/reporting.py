"""What a run tells people and CI: a summary line, a JSON summary, GitHub annotations, exit codes."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from cleaner.runner import Notice, Outcome
from cleaner.stages import STAGE_ORDER

EXIT_OK, EXIT_FAILED_GATE, EXIT_ERROR = 0, 1, 2
FAIL_ON = ("change", "warning", "error")
OUTPUT_FORMATS = ("text", "json", "github")
GITHUB_CAP = 10  # GitHub shows at most 10 warning and 10 error annotations per step


@dataclass
class Tally:
    """Counts over every outcome of a run, for the summary and the exit code."""

    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    records: int = 0
    records_changed: int = 0
    records_failed: int = 0
    warnings: int = 0
    by_stage: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    errors: list[Notice] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.records += outcome.records
        self.records_changed += outcome.records_changed
        self.records_failed += outcome.records_failed
        self.by_stage.update(outcome.by_stage)
        self.by_rule.update(outcome.by_rule)
        self.warnings += sum(1 for notice in outcome.notices if notice.level == "warning") + outcome.hidden_warnings
        self.errors.extend(notice for notice in outcome.notices if notice.level == "error")

    @property
    def has_errors(self) -> bool:
        return bool(self.failed or self.records_failed or self.errors)

    def exit_code(self, fail_on: str) -> int:
        """2 on any error; 1 when what ``fail_on`` names (or anything graver) happened; else 0."""
        if self.has_errors:
            return EXIT_ERROR
        if fail_on == "change" and (self.changed or self.warnings):
            return EXIT_FAILED_GATE
        if fail_on == "warning" and self.warnings:
            return EXIT_FAILED_GATE
        return EXIT_OK

    def summary_line(self, mode: str) -> str:
        done, left = ("cleaned", "left unchanged") if mode == "fix" else ("would be cleaned", "would be left unchanged")
        parts = [f"{_plural(self.changed, 'file')} {done}", f"{_plural(self.unchanged, 'file')} {left}"]
        if self.skipped:
            parts.append(f"{_plural(self.skipped, 'file')} skipped (up to date)")
        if self.failed:
            parts.append(f"{_plural(self.failed, 'file')} failed")
        line = ", ".join(parts)
        if self.records:
            line += f"; {_plural(self.records, 'record')} ({self.records_changed} changed"
            line += f", {self.records_failed} malformed)" if self.records_failed else ")"
        if self.by_stage:
            line += " (edits: " + ", ".join(f"{stage} {self.by_stage[stage]}" for stage in STAGE_ORDER
                                           if self.by_stage[stage]) + ")"
        if self.warnings:
            line += f"; {_plural(self.warnings, 'warning')}"
        return line + "."

    def as_dict(self, mode: str, exit_code: int) -> dict[str, Any]:
        return {
            "mode": mode,
            "exit_code": exit_code,
            "files": {"changed": self.changed, "unchanged": self.unchanged, "skipped": self.skipped,
                      "failed": self.failed},
            "records": {"seen": self.records, "changed": self.records_changed, "malformed": self.records_failed},
            "edits": {"total": sum(self.by_rule.values()), "by_stage": dict(self.by_stage),
                      "by_rule": dict(sorted(self.by_rule.items()))},
            "warnings": self.warnings,
            "errors": [{"path": notice.path, "line": notice.line, "message": notice.message} for notice in self.errors],
        }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def format_notice(notice: Notice) -> str:
    where = notice.path + (f":{notice.line}" if notice.line else "") + (f":{notice.column}" if notice.column else "")
    label = f"{notice.level} {notice.rule}" if notice.rule else notice.level
    return f"{where}: {label}: {notice.message}"


def outcome_dict(outcome: Outcome) -> dict[str, Any]:
    return {
        "path": outcome.display, "kind": outcome.kind, "status": outcome.status, "description": outcome.description,
        "edits_by_rule": dict(sorted(outcome.by_rule.items())), "records": outcome.records,
        "records_changed": outcome.records_changed, "records_malformed": outcome.records_failed,
        "notices": [{"level": n.level, "rule": n.rule, "line": n.line, "column": n.column, "message": n.message}
                    for n in outcome.notices],
    }


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GitHubAnnotations:
    """GitHub Actions workflow commands, capped as GitHub caps them, with a count of the rest."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown: Counter[str] = Counter()
        self.hidden: Counter[str] = Counter()

    def emit(self, notice: Notice) -> None:
        level = "error" if notice.level == "error" else "warning"
        if self.shown[level] >= GITHUB_CAP:
            self.hidden[level] += 1
            return
        self.shown[level] += 1
        properties = [f"file={_escape_property(notice.path)}"]
        if notice.line:
            properties += [f"line={notice.line}", f"col={notice.column}"]
        if notice.rule:
            properties.append(f"title={_escape_property(notice.rule)}")
        print(f"::{level} {','.join(properties)}::{_escape_data(notice.message)}", file=self.stream)

    def changed(self, outcome: Outcome, mode: str) -> None:
        if mode != "fix":
            self.emit(Notice("warning", outcome.display, f"would be cleaned ({outcome.description})", "cleaner"))

    def close(self) -> None:
        for level, count in sorted(self.hidden.items()):
            print(f"::notice::{count} more {level} annotation(s) not shown (GitHub shows {GITHUB_CAP} per step); "
                  "see the job log or --summary-json", file=self.stream)


def dump_json(data: Any, stream: TextIO) -> None:
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
