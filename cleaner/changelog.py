"""The per-file change log: JSON Lines that say what changed, and replay or revert it exactly.

Records, one JSON object a line, each with a ``type``:

* ``header``: tool and version, input sha256, detected encoding and confidence, the options and
  the rule packs (name and sha256) used;
* ``step``: a stage ran (its edits follow it), so replay applies edits stage by stage, in the
  coordinates each stage saw;
* ``edit``: stage, rule id and name, line and column in the original input, ``start``/``end``
  offsets in the stage's input, ``before``, ``after``, and ``detail`` (for repairs: what was
  detected);
* ``warning``: something noticed and left alone, with where;
* ``summary``: output sha256 and counts per stage and per rule.

Replay decodes the input with the header's encoding, applies each step's edits and encodes the
result as UTF-8. Revert undoes the steps in reverse order on the output and encodes with the
input's encoding. Both check the sha256 they should reach.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.edits import Edit, EditConflict, apply_edits, revert_edits
from cleaner.pipeline import Result
from cleaner.version import __version__

FORMAT_VERSION = 1


class ChangeLogError(ValueError):
    """The change log is malformed, or does not fit the file it is applied to."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_records(
    result: Result,
    *,
    input_bytes: bytes,
    source: str,
    options: dict[str, Any],
    rule_packs: Sequence[Any] = (),
) -> list[dict[str, Any]]:
    """All records of the change log for one cleaned document, header first, summary last."""
    output_bytes = result.text.encode("utf-8")
    records: list[dict[str, Any]] = [
        {
            "type": "header",
            "format": FORMAT_VERSION,
            "tool": "cleaner",
            "version": __version__,
            "source": source,
            "input_sha256": sha256(input_bytes),
            "encoding": result.encoding,
            "encoding_confidence": result.confidence,
            "options": options,
            "rule_packs": [{"name": pack.name, "sha256": pack.sha256} for pack in rule_packs],
        }
    ]
    locations = iter(result.edit_locations)
    for stage, edits in result.steps:
        if not edits:
            continue
        records.append({"type": "step", "stage": stage, "edits": len(edits)})
        for edit in edits:
            location = next(locations)
            record: dict[str, Any] = {
                "type": "edit",
                "stage": edit.stage,
                "rule": edit.rule,
                "name": edit.name,
                "line": location.line,
                "column": location.column,
                "start": edit.start,
                "end": edit.end,
                "before": edit.before,
                "after": edit.after,
            }
            if edit.detail:
                record["detail"] = edit.detail
            records.append(record)
    for warning, location in zip(result.warnings, result.warning_locations, strict=True):
        records.append(
            {
                "type": "warning",
                "stage": warning.stage,
                "rule": warning.rule,
                "line": location.line,
                "column": location.column,
                "message": warning.message,
            }
        )
    records.append(
        {
            "type": "summary",
            "output_sha256": sha256(output_bytes),
            "edits": len(result.edits),
            "warnings": len(result.warnings),
            "by_stage": result.counts_by_stage(),
            "by_rule": result.counts_by_rule(),
        }
    )
    return records


def dumps(records: Iterable[dict[str, Any]]) -> bytes:
    """JSON Lines, UTF-8, non-ASCII kept readable."""
    return "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8")


@dataclass
class ChangeLog:
    """A parsed change log: enough to replay or revert it."""

    header: dict[str, Any]
    steps: list[tuple[str, list[Edit]]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def loads(data: bytes, name: str = "change log") -> ChangeLog:
    """Parse a change log, or raise :class:`ChangeLogError` saying which line is wrong and why."""
    header: dict[str, Any] | None = None
    log: ChangeLog | None = None
    # Split on LF only: JSON escapes it inside strings, but leaves NEL, U+2028 and U+2029 raw,
    # and str.splitlines() would break records at those.
    for number, raw in enumerate(data.decode("utf-8", errors="strict").split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
            kind = record["type"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ChangeLogError(f"{name}:{number}: not a change-log record ({error})") from None
        if kind == "header":
            header = record
            log = ChangeLog(header=header)
            if record.get("format") != FORMAT_VERSION:
                raise ChangeLogError(f"{name}:{number}: unsupported change-log format {record.get('format')!r}")
            continue
        if log is None:
            raise ChangeLogError(f"{name}:{number}: record before the header")
        if kind == "step":
            log.steps.append((record["stage"], []))
        elif kind == "edit":
            if not log.steps:
                raise ChangeLogError(f"{name}:{number}: edit outside a step")
            try:
                edit = Edit(
                    record["stage"], record["rule"], record.get("name", ""), int(record["start"]),
                    int(record["end"]), str(record["before"]), str(record["after"]), record.get("detail"),
                )
            except (KeyError, TypeError, ValueError) as error:
                raise ChangeLogError(f"{name}:{number}: malformed edit ({error})") from None
            log.steps[-1][1].append(edit)
        elif kind == "warning":
            log.warnings.append(record)
        elif kind == "summary":
            log.summary = record
    if log is None:
        raise ChangeLogError(f"{name}: no header record")
    if not log.summary:
        raise ChangeLogError(f"{name}: no summary record (was the log cut short?)")
    return log


def replay(log: ChangeLog, input_bytes: bytes) -> bytes:
    """The output bytes that cleaning ``input_bytes`` gave, rebuilt from the log alone."""
    if sha256(input_bytes) != log.header.get("input_sha256"):
        raise ChangeLogError("the input's sha256 differs from the one in the change log: not the same input")
    try:
        text = input_bytes.decode(log.header["encoding"])
        for _stage, edits in log.steps:
            text = apply_edits(text, edits)
    except (UnicodeDecodeError, LookupError, EditConflict) as error:
        raise ChangeLogError(f"the change log does not fit this input: {error}") from None
    output = text.encode("utf-8")
    if sha256(output) != log.summary.get("output_sha256"):
        raise ChangeLogError("replaying the change log did not give the recorded output")
    return output


def revert(log: ChangeLog, output_bytes: bytes) -> bytes:
    """The original input bytes, rebuilt from the cleaned output and the log."""
    if sha256(output_bytes) != log.summary.get("output_sha256"):
        raise ChangeLogError("the output's sha256 differs from the one in the change log: not the same output")
    try:
        text = output_bytes.decode("utf-8")
        for _stage, edits in reversed(log.steps):
            text = revert_edits(text, edits)
        original = text.encode(log.header["encoding"])
    except (UnicodeError, LookupError, EditConflict) as error:
        raise ChangeLogError(f"the change log does not fit this output: {error}") from None
    if sha256(original) != log.header.get("input_sha256"):
        raise ChangeLogError("reverting the change log did not give the recorded input")
    return original
