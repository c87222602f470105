"""The change log: JSON Lines that say what changed, and replay or revert it exactly.

Records, one JSON object a line, each with a ``type``:

* ``header``: tool and version, input sha256, detected encoding and confidence, the options, the
  effective configuration's sha256 and the rule packs (name and sha256) used;
* ``step``: a stage ran (its edits follow it), so replay applies edits stage by stage, in the
  coordinates each stage saw;
* ``edit``: stage, rule id and name, line and column in the original input, ``start``/``end``
  offsets in the stage's input, ``before``, ``after``, and ``detail`` (for repairs: what was
  detected);
* ``warning``: something noticed and left alone, with where;
* ``summary``: output sha256 and counts per stage and per rule.

For a JSONL shard (header ``kind: "jsonl"``) the log holds, for each record that changed, a
``record`` line (its line number, id, the sha256 of its text) followed by that record's steps,
edits and warnings and a ``record-summary``; unchanged records are not mentioned, since their lines
are copied verbatim.

Replay decodes the input with the header's encoding, applies each step's edits and encodes the
result as UTF-8. Revert undoes the steps in reverse order on the output and encodes with the
input's encoding. Both check the sha256 they should reach.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cleaner.edits import Edit, EditConflict, apply_edits, revert_edits
from cleaner.formats import RecordError, encode_string, parse_record
from cleaner.pipeline import Result
from cleaner.version import __version__

FORMAT_VERSION = 1

Steps = list[tuple[str, list[Edit]]]


class ChangeLogError(ValueError):
    """The change log is malformed, or does not fit the file it is applied to."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def header_record(*, source: str, input_sha256: str, options: dict[str, Any], rule_packs: Sequence[Any] = (),
                  encoding: str | None = "utf-8", confidence: float | None = 1.0, config_sha256: str = "",
                  kind: str = "text", **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "header", "format": FORMAT_VERSION, "tool": "cleaner", "version": __version__, "kind": kind,
        "source": source, "input_sha256": input_sha256, "encoding": encoding, "encoding_confidence": confidence,
        "config_sha256": config_sha256, "options": options,
        "rule_packs": [{"name": pack.name, "sha256": pack.sha256} for pack in rule_packs],
    }
    record.update(extra)
    return record


def document_records(result: Result, **tags: Any) -> list[dict[str, Any]]:
    """The step, edit and warning records of one cleaned document (``tags`` added to each)."""
    records: list[dict[str, Any]] = []
    locations = iter(result.edit_locations)
    for stage, edits in result.steps:
        if not edits:
            continue
        records.append({"type": "step", **tags, "stage": stage, "edits": len(edits)})
        for edit in edits:
            location = next(locations)
            record: dict[str, Any] = {
                "type": "edit", **tags, "stage": edit.stage, "rule": edit.rule, "name": edit.name,
                "line": location.line, "column": location.column, "start": edit.start, "end": edit.end,
                "before": edit.before, "after": edit.after,
            }
            if edit.detail:
                record["detail"] = edit.detail
            records.append(record)
    for warning, location in zip(result.warnings, result.warning_locations, strict=True):
        records.append({"type": "warning", **tags, "stage": warning.stage, "rule": warning.rule,
                        "line": location.line, "column": location.column, "message": warning.message})
    return records


def summary_record(output_sha256: str, by_stage: Mapping[str, int], by_rule: Mapping[str, int], warnings: int,
                   **extra: Any) -> dict[str, Any]:
    return {"type": "summary", **extra, "output_sha256": output_sha256, "edits": sum(by_rule.values()),
            "warnings": warnings, "by_stage": dict(by_stage), "by_rule": dict(sorted(by_rule.items()))}


def build_records(result: Result, *, input_bytes: bytes, source: str, options: dict[str, Any],
                  rule_packs: Sequence[Any] = (), config_sha256: str = "", output_bytes: bytes | None = None,
                  by_stage: Mapping[str, int] | None = None,
                  by_rule: Mapping[str, int] | None = None) -> list[dict[str, Any]]:
    """All records of the change log for one cleaned file, header first, summary last.

    ``output_bytes`` (the text as UTF-8), ``by_stage`` and ``by_rule`` (the result's counts) may
    be given by a caller that has them already: otherwise they are computed from ``result``.
    """
    input_sha256 = sha256(input_bytes)
    header = header_record(source=source, input_sha256=input_sha256, options=options, rule_packs=rule_packs,
                           encoding=result.encoding, confidence=result.confidence, config_sha256=config_sha256)
    if output_bytes is None:
        output_bytes = result.text.encode("utf-8")
    # Most documents of a corpus come out as they went in: the same bytes, the same hash.
    output_sha256 = input_sha256 if output_bytes == input_bytes else sha256(output_bytes)
    summary = summary_record(output_sha256, result.counts_by_stage() if by_stage is None else by_stage,
                             result.counts_by_rule() if by_rule is None else by_rule, len(result.warnings))
    return [header, *document_records(result), summary]


# json.dumps() with any option builds a new encoder at every call: one, built once.
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_ENCODE = _ENCODER.encode


def dumps(records: Iterable[dict[str, Any]]) -> bytes:
    """JSON Lines, UTF-8, non-ASCII kept readable."""
    iterencode = _iterencode()
    if iterencode is None:  # pragma: no cover - CPython without its _json accelerator
        return "".join(_ENCODE(record) + "\n" for record in records).encode("utf-8")
    return "".join(["".join(iterencode(record, 0)) + "\n" for record in records]).encode("utf-8")


def _iterencode() -> Callable[[Any, int], Sequence[str]] | None:
    """What ``_ENCODE`` runs for a dict, without its cost per call: JSONEncoder.encode() builds
    the C encoder anew for every object (a third of the time of a short record). This is the
    encoder it builds, with the same settings; its dict of markers (the check for circular
    references) is empty again after each record. None without the C encoder."""
    make_encoder = getattr(json.encoder, "c_make_encoder", None)  # not in the typeshed stubs
    if make_encoder is None:  # pragma: no cover
        return None
    encoder = _ENCODER
    return make_encoder({}, encoder.default, json.encoder.encode_basestring, encoder.indent,
                        encoder.key_separator, encoder.item_separator, encoder.sort_keys,
                        encoder.skipkeys, encoder.allow_nan)


@dataclass
class RecordLog:
    """The part of a shard's log about one record."""

    line: int
    id: str
    input_sha256: str
    token: str | None
    steps: Steps = field(default_factory=list)
    output_sha256: str = ""


@dataclass
class ChangeLog:
    """A parsed change log: enough to replay or revert it."""

    header: dict[str, Any]
    steps: Steps = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    records: dict[int, RecordLog] = field(default_factory=dict)  # by line number, for shards


def loads(data: bytes, name: str = "change log") -> ChangeLog:
    """Parse a change log, or raise :class:`ChangeLogError` saying which line is wrong and why."""
    log: ChangeLog | None = None
    steps: Steps = []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ChangeLogError(f"{name}: not UTF-8 text, so not a change log") from None
    # Split on LF only: JSON escapes it inside strings, but leaves NEL, U+2028 and U+2029 raw,
    # and str.splitlines() would break records at those.
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = _parse_line(raw)
            kind = record["type"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ChangeLogError(f"{name}:{number}: not a change-log record ({error})") from None
        try:
            if kind == "header":
                if record.get("format") != FORMAT_VERSION:
                    raise ChangeLogError(f"{name}:{number}: unsupported change-log format {record.get('format')!r}")
                log = ChangeLog(header=record)
                steps = log.steps
                continue
            if log is None:
                raise ChangeLogError(f"{name}:{number}: record before the header")
            if kind == "record":
                record_log = RecordLog(int(record["line"]), str(record["id"]), record["input_sha256"],
                                       record.get("token"))
                log.records[record_log.line] = record_log
                steps = record_log.steps
            elif kind == "record-summary":
                log.records[int(record["line"])].output_sha256 = record["output_sha256"]
                steps = log.steps
            elif kind == "step":
                steps.append((record["stage"], []))
            elif kind == "edit":
                if not steps:
                    raise ChangeLogError(f"{name}:{number}: edit outside a step")
                steps[-1][1].append(Edit(record["stage"], record["rule"], record.get("name", ""),
                                         int(record["start"]), int(record["end"]), str(record["before"]),
                                         str(record["after"]), record.get("detail")))
            elif kind == "warning":
                log.warnings.append(record)
            elif kind == "summary":
                log.summary = record
        except (KeyError, TypeError, ValueError) as error:
            if isinstance(error, ChangeLogError):
                raise
            raise ChangeLogError(f"{name}:{number}: malformed {kind} record ({error})") from None
    if log is None:
        raise ChangeLogError(f"{name}: no header record")
    if not log.summary:
        raise ChangeLogError(f"{name}: no summary record (was the log cut short?)")
    return log


# The C scanner json.loads() ends up in (set in JSONDecoder.__init__; not in the typeshed stubs).
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _parse_line(raw: str) -> Any:
    """``json.loads(raw)``, and the same object, without its three Python calls per record
    (about half of the time of parsing a log): the scanner is asked for one value at the
    line's start; a line it does not read whole (white space around it, a BOM, bad JSON) goes
    to json.loads, which returns it or raises the error json.loads raises."""
    try:
        record, end = _SCAN_ONCE(raw, 0)
    except (StopIteration, json.JSONDecodeError):
        return json.loads(raw)
    if end != len(raw):
        return json.loads(raw)
    return record


def replay_steps(steps: Steps, text: str) -> str:
    for _stage, edits in steps:
        text = apply_edits(text, edits)
    return text


def revert_steps(steps: Steps, text: str) -> str:
    for _stage, edits in reversed(steps):
        text = revert_edits(text, edits)
    return text


def replay(log: ChangeLog, input_bytes: bytes) -> bytes:
    """The output bytes that cleaning ``input_bytes`` gave, rebuilt from the log alone."""
    _check_replayable(log)
    if sha256(input_bytes) != log.header.get("input_sha256"):
        raise ChangeLogError("the input's sha256 differs from the one in the change log: not the same input")
    try:
        if log.header.get("kind") == "jsonl":
            output = _map_shard(log, input_bytes, forward=True)
        elif log.header.get("kind") == "html":
            output = replay_steps(log.steps, _extract_again(log, input_bytes)).encode("utf-8")
        else:
            output = _replay_text(log, input_bytes)
    except (UnicodeDecodeError, LookupError, EditConflict, RecordError) as error:
        raise ChangeLogError(f"the change log does not fit this input: {error}") from None
    if sha256(output) != log.summary.get("output_sha256"):
        raise ChangeLogError(_NOT_REPLAYED)
    return output


def revert(log: ChangeLog, output_bytes: bytes) -> bytes:
    """The original input bytes, rebuilt from the cleaned output and the log."""
    _check_replayable(log)
    if sha256(output_bytes) != log.summary.get("output_sha256"):
        raise ChangeLogError("the output's sha256 differs from the one in the change log: not the same output")
    try:
        if log.header.get("kind") == "jsonl":
            original = _map_shard(log, output_bytes, forward=False)
        elif log.header.get("kind") == "html":
            extracted = revert_steps(log.steps, output_bytes.decode("utf-8")).encode("utf-8")
            if sha256(extracted) != log.header["extraction"]["text_sha256"]:
                raise ChangeLogError("reverting the change log did not give the extracted text")
            return extracted  # HTML extraction itself is not reversible: this is the text it gave
        else:
            original = _revert_text(log, output_bytes)
    except (UnicodeError, LookupError, EditConflict, RecordError) as error:
        raise ChangeLogError(f"the change log does not fit this output: {error}") from None
    if sha256(original) != log.header.get("input_sha256"):
        raise ChangeLogError(_NOT_REVERTED)
    return original


_NOT_REPLAYED = "replaying the change log did not give the recorded output"
_NOT_REVERTED = "reverting the change log did not give the recorded input"


def _replay_text(log: ChangeLog, input_bytes: bytes) -> bytes:
    """A text file's log (kind "text") replayed: decode as the header says, apply, encode."""
    return replay_steps(log.steps, input_bytes.decode(log.header["encoding"])).encode("utf-8")


def _revert_text(log: ChangeLog, output_bytes: bytes) -> bytes:
    """A text file's log reverted: decode the UTF-8 output, undo, encode as the input was."""
    return revert_steps(log.steps, output_bytes.decode("utf-8")).encode(log.header["encoding"])


def check_text_log(log_bytes: bytes, input_bytes: bytes, output_bytes: bytes, *, input_sha256: str,
                   output_sha256: str) -> None:
    """Raise :class:`ChangeLogError` unless the change log ``log_bytes``, just made for a text file
    cleaned from ``input_bytes`` into ``output_bytes``, parses, replays to exactly ``output_bytes``
    and reverts to exactly ``input_bytes``: the check a writer makes before writing anything.

    It checks what ``replay(loads(log_bytes), input_bytes) == output_bytes`` and ``revert(...,
    output_bytes) == input_bytes`` check, without hashing bytes again: ``input_sha256`` and
    ``output_sha256`` are the caller's hashes of these very bytes (the ones the log was built
    with), so the log's recorded hashes are compared with them, and what replay and revert rebuild
    is compared with the bytes themselves (equal bytes, equal hashes).
    """
    log = loads(log_bytes)
    if log.header.get("kind") != "text":
        raise ChangeLogError(f"not a text file's change log (kind {log.header.get('kind')!r})")
    if log.header.get("input_sha256") != input_sha256:
        raise ChangeLogError("the input's sha256 differs from the one in the change log: not the same input")
    if log.summary.get("output_sha256") != output_sha256:
        raise ChangeLogError("the output's sha256 differs from the one in the change log: not the same output")
    try:
        if not log.steps and log.header.get("encoding") == "utf-8" and output_bytes == input_bytes:
            # Nothing to apply, and the output is the input (most documents of a corpus): replay
            # decodes the input as UTF-8 and encodes it again, revert does the same to the output,
            # and both give back these very bytes exactly when they are UTF-8, which one decoding
            # tells (raising what replay would raise if they are not).
            input_bytes.decode("utf-8")
            return
        if _replay_text(log, input_bytes) != output_bytes:
            raise ChangeLogError(_NOT_REPLAYED)
        if _revert_text(log, output_bytes) != input_bytes:
            raise ChangeLogError(_NOT_REVERTED)
    except (UnicodeError, LookupError, EditConflict) as error:
        raise ChangeLogError(f"the change log does not fit this file: {error}") from None


def _extract_again(log: ChangeLog, html: bytes) -> str:
    from cleaner.extract import extract_html

    extraction = log.header["extraction"]
    text = extract_html(html, mode=extraction["mode"]).text
    if sha256(text.encode("utf-8")) != extraction["text_sha256"]:
        raise ChangeLogError(f"extracting the HTML again gave other text (the log was made with "
                             f"{extraction['tool']} {extraction['version']})")
    return text


def _check_replayable(log: ChangeLog) -> None:
    if log.header.get("kind") == "parquet":
        raise ChangeLogError("a Parquet shard's log records each record's edits, but the file itself is rewritten "
                             "by pyarrow, so it is not replayed byte for byte; apply a record's steps to its text "
                             "with cleaner.changelog.replay_steps")


def _map_shard(log: ChangeLog, data: bytes, *, forward: bool) -> bytes:
    """Replay (forward) or revert a shard: only the logged records' text tokens change."""
    text_field = log.header["text_field"]
    id_field = log.header.get("id_field")
    out: list[bytes] = []
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        record_log = log.records.get(number)
        if record_log is None:
            out.append(raw)
            continue
        body = raw.rstrip(b"\r\n")
        ending = raw[len(body):]
        record = parse_record(body.decode("utf-8"), number, text_field, id_field)
        if forward:
            new_line, _ = record.with_text(replay_steps(record_log.steps, record.text))
        else:
            original = revert_steps(record_log.steps, record.text)
            token = record_log.token or encode_string(original, ascii_only=_ascii_style(record))
            new_line = record.line[: record.token_start] + token + record.line[record.token_end :]
        out.append(new_line.encode("utf-8") + ending)
    return b"".join(out)


def _ascii_style(record: Any) -> bool:
    token = record.line[record.token_start : record.token_end]
    return bool(token.isascii() and "\\u" in token)
