"""Running the pipeline over a corpus: files and shards in, outputs, change logs and outcomes out.

The work is cut into tasks: one per text file (the worker reads, cleans and writes it), and
chunks of records for JSONL shards (workers clean the chunk; the main process writes the shard
in order, so its lines keep their order). :func:`run` yields one :class:`Outcome` per input in
input order, identical whatever the number of workers.
"""

from __future__ import annotations

import difflib
import functools
import gc
import hashlib
import itertools
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cleaner.changelog import (
    ChangeLogError,
    build_records,
    check_text_log,
    document_records,
    dumps,
    header_record,
    loads,
    replay,
    revert,
    sha256,
    summary_record,
)
from cleaner.corpus import InputError, InputFile, changelog_path, discover, write_atomic
from cleaner.extract import Extraction, ExtractionFailed, extract_html, is_html_path
from cleaner.formats import (
    CompressingWriter,
    RecordError,
    compress,
    compression_of,
    is_jsonl,
    is_parquet,
    open_read,
    parse_record,
)
from cleaner.parallel import ordered_map
from cleaner.pipeline import Options, Pipeline, Result, cached_pipeline
from cleaner.repeated_lines import LineCounts, RepeatedLineSettings
from cleaner.rule_screen import encode_utf8
from cleaner.stages.decode import UndecodableInput, decode_bytes

MODES = ("fix", "check", "diff")


@dataclass(frozen=True)
class RunSettings:
    """Everything a worker needs to process a task; small and picklable."""

    options: Options = field(default_factory=Options)
    mode: str = "fix"
    output: Path | None = None
    in_place: bool = False
    write_logs: bool = True
    text_field: str = "text"
    id_field: str | None = "id"
    resume: bool = False
    chunk_records: int = 500
    config_sha256: str = ""
    # Repeated-line detection across documents (two passes); None: off.
    repeated: RepeatedLineSettings | None = None
    group_by: str | None = None  # JSONL field naming a record's source group (default: parent directory)

    def with_fingerprint(self) -> RunSettings:
        """These settings with ``config_sha256`` set: a hash of everything that shapes the output."""
        from dataclasses import replace

        from cleaner.config import config_sha256
        from cleaner.version import __version__

        packs = cached_pipeline(self.options).rule_packs
        repeated = None if self.repeated is None else [self.repeated.min_documents, self.repeated.min_group_size,
                                                       sorted(self.repeated.protected), self.group_by]
        fingerprint = config_sha256({"version": __version__, "options": self.options.as_dict(),
                                     "text_field": self.text_field, "id_field": self.id_field,
                                     "repeated_lines": repeated,
                                     "packs": [(pack.name, pack.sha256) for pack in packs]})
        return replace(self, config_sha256=fingerprint)

    def target(self, item: InputFile) -> Path | None:
        if item.path is None:
            return None
        if self.in_place:
            return item.path
        if self.output is None:
            return None
        relative = item.relative
        if is_html_path(relative):  # the output is the extracted, cleaned text
            relative = relative.with_suffix(".txt")
        return self.output / relative


@dataclass(frozen=True)
class Notice:
    """A warning or an error to report, with where it is."""

    level: str  # "warning" or "error"
    path: str
    message: str
    rule: str = ""
    line: int = 0
    column: int = 0


@dataclass
class Outcome:
    """What happened to one input (a file or a whole shard)."""

    display: str
    status: str  # "changed", "unchanged", "failed" or "skipped"
    kind: str = "file"  # "file" or "shard"
    notices: list[Notice] = field(default_factory=list)
    by_stage: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    description: str = ""
    diff: str = ""
    output: bytes | None = None  # for standard output only
    records: int = 0
    records_changed: int = 0
    records_failed: int = 0
    hidden_warnings: int = 0  # warnings counted but not kept (a shard keeps at most MAX_NOTICES)


MAX_NOTICES = 1000  # per shard: memory stays flat however many records warn
# A chunk of a shard ends at --chunk-records records or at this many bytes, whichever comes
# first: with web pages of ~10 KB, 500 records were 5 MB a chunk, and with the chunks in flight
# (four per worker) and their results, two workers and the main process took 430 MB together.
# 512 KiB rather than 1 MiB: on the 1 GB benchmark shard at -j 2, 302 -> 291 MB for the tree
# (the main process holds what is in flight), in the same time (96 s against 99 s).
CHUNK_BYTES = 1 << 19


# ---------------------------------------------------------------------------------------------
# Tasks


@dataclass(frozen=True)
class FileTask:
    item: InputFile


@dataclass(frozen=True)
class ChunkTask:
    display: str
    lines: tuple[tuple[int, bytes], ...]  # (line number, raw line with its terminator)


@dataclass(frozen=True)
class TextsTask:
    """Texts of a Parquet record batch; the batch itself stays in the main process."""

    display: str
    first_row: int
    ids: tuple[str, ...]
    texts: tuple[str | None, ...]


@dataclass(frozen=True)
class Marker:
    """A task the main process handles itself: a shard's start or end, or an input that failed."""

    kind: str  # "shard-start", "shard-end", "failed", "skipped"
    item: InputFile | None = None
    display: str = ""
    reason: str = ""


@dataclass
class ChunkResult:
    """What a worker sends back for a chunk: output, log records and counts (never whole results,
    which would pile up in the main process for a large shard)."""

    lines: list[bytes]  # JSONL: the output lines; Parquet: unused (see ``texts``)
    # The chunk's change-log records, encoded by the worker: as dictionaries they took the main
    # process several times the memory, and its time to pickle, unpickle and encode them.
    log: bytes
    notices: list[Notice]
    records: int = 0
    changed: int = 0
    failed: int = 0
    diff: str = ""
    texts: list[str | None] = field(default_factory=list)
    by_stage: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    warnings: int = 0

    def count(self, result: Result) -> None:
        self.by_stage.update(result.counts_by_stage())
        self.by_rule.update(result.counts_by_rule())
        self.warnings += len(result.warnings)


def _is_local(task: object) -> bool:
    return isinstance(task, Marker)


def _is_file(task: object) -> bool:
    """A file of a tree: small enough, as a rule, to go to a worker with others."""
    return isinstance(task, FileTask)


def _file_size(task: object) -> int:
    """A file task's size in bytes, for batching (0 where it cannot be told: the worker reports)."""
    if isinstance(task, FileTask) and task.item.path is not None:
        try:
            return os.stat(task.item.path).st_size
        except OSError:
            return 0
    return 0


class _TaskSource:
    """Turns the command line's paths into tasks, lazily; hashes shards as it reads them."""

    def __init__(self, settings: RunSettings, paths: Sequence[str]) -> None:
        self.settings = settings
        self.paths = paths
        self.input_hashes: dict[str, str] = {}
        self.batches: dict[tuple[str, int], Any] = {}  # Parquet batches waiting for their texts

    def __iter__(self) -> Iterator[object]:
        targets: dict[Path, str] = {}
        for item in discover(self.paths):
            if isinstance(item, InputError):
                yield Marker("failed", display=item.display, reason=item.reason)
                continue
            target = self.settings.target(item) if self.settings.mode == "fix" else None
            if target is not None:
                # abspath, not resolve(): resolve() costs a system call per path component, per
                # file. (Outputs reached through different symlinks are not told apart.)
                resolved = Path(os.path.abspath(target))
                if resolved in targets:
                    yield Marker("failed", display=item.display,
                                 reason=f"{targets[resolved]} is already written to {target}; outputs would collide")
                    continue
                targets[resolved] = item.display
            if item.path is not None and is_jsonl(item.path):
                yield from self._shard_tasks(item)
            elif item.path is not None and is_parquet(item.path):
                yield from self._parquet_tasks(item)
            else:
                yield FileTask(item)

    def _shard_tasks(self, item: InputFile) -> Iterator[object]:
        assert item.path is not None
        settings = self.settings
        if settings.resume and settings.mode == "fix" and _shard_up_to_date(item, settings):
            yield Marker("skipped", item=item, display=item.display)
            return
        try:
            stream = open_read(item.path)
        except OSError as error:
            yield Marker("failed", display=item.display, reason=error.strerror or str(error))
            return
        hasher = hashlib.sha256()
        yield Marker("shard-start", item=item, display=item.display)
        with stream:
            chunk: list[tuple[int, bytes]] = []
            size = 0
            try:
                for number, raw in enumerate(stream, start=1):
                    hasher.update(raw)
                    chunk.append((number, raw))
                    size += len(raw)
                    if len(chunk) >= settings.chunk_records or size >= CHUNK_BYTES:
                        yield ChunkTask(item.display, tuple(chunk))
                        chunk, size = [], 0
            except (OSError, EOFError, ValueError) as error:  # truncated gzip, corrupt zstd frame
                self.input_hashes[item.display] = ""
                if chunk:
                    yield ChunkTask(item.display, tuple(chunk))
                reason = f"cannot read it all ({type(error).__name__}: {error})"
                yield Marker("shard-end", item=item, display=item.display, reason=reason)
                return
            if chunk:
                yield ChunkTask(item.display, tuple(chunk))
        self.input_hashes[item.display] = hasher.hexdigest()
        yield Marker("shard-end", item=item, display=item.display)


    def _parquet_tasks(self, item: InputFile) -> Iterator[object]:
        assert item.path is not None
        settings = self.settings
        try:
            import pyarrow.parquet as parquet
        except ImportError:
            yield Marker("failed", display=item.display,
                         reason="Parquet needs pyarrow: pip install 'cleaner[parquet]'")
            return
        if settings.resume and settings.mode == "fix" and _shard_up_to_date(item, settings):
            yield Marker("skipped", item=item, display=item.display)
            return
        try:
            source = parquet.ParquetFile(item.path)
            names = source.schema_arrow.names
        except Exception as error:  # pyarrow raises its own error types for corrupt files
            yield Marker("failed", display=item.display, reason=f"not a readable Parquet file ({error})")
            return
        if settings.text_field not in names:
            yield Marker("failed", display=item.display, reason=f"no column {settings.text_field!r}")
            return
        self.input_hashes[item.display] = _stream_sha256(item.path) or ""
        yield Marker("shard-start", item=item, display=item.display)
        row = 0
        for batch in source.iter_batches(batch_size=settings.chunk_records):
            texts = batch.column(names.index(settings.text_field)).to_pylist()
            if settings.id_field in names:
                ids = tuple(str(value) for value in batch.column(names.index(settings.id_field)).to_pylist())
            else:
                ids = tuple(str(row + offset + 1) for offset in range(len(texts)))
            self.batches[(item.display, row)] = batch
            yield TextsTask(item.display, row, ids, tuple(texts))
            row += len(texts)
        yield Marker("shard-end", item=item, display=item.display)


# ---------------------------------------------------------------------------------------------
# Work done in the workers

# Repeated lines by source group, handed to each worker once by the pool's initializer.
_REPEATED_BY_GROUP: Mapping[str, Mapping[str, int]] = {}
_GROUP_PIPELINES: dict[tuple[Options, str], Pipeline] = {}


def _set_repeated(table: Mapping[str, Mapping[str, int]]) -> None:
    global _REPEATED_BY_GROUP
    _REPEATED_BY_GROUP = table
    _GROUP_PIPELINES.clear()


def _pipeline_for(options: Options, group: str | None) -> Pipeline:
    """The pipeline for a document of ``group``: with its group's repeated lines, if any."""
    base = cached_pipeline(options)
    repeated = _REPEATED_BY_GROUP.get(group) if group is not None else None
    if not repeated:
        return base
    key = (options, group or "")
    if key not in _GROUP_PIPELINES:
        if len(_GROUP_PIPELINES) > 256:
            _GROUP_PIPELINES.clear()
        _GROUP_PIPELINES[key] = base.with_repeated_lines(repeated)
    return _GROUP_PIPELINES[key]


def file_group(item: InputFile) -> str:
    """A file's source group: its parent directory."""
    return str(item.path.parent) if item.path is not None else "<stdin>"


def record_group(settings: RunSettings, display: str, line: str) -> str:
    """A record's source group: its ``--group-by`` field, else its shard's directory."""
    if settings.group_by:
        try:
            value = json.loads(line).get(settings.group_by)
        except (ValueError, AttributeError):
            value = None
        if value is not None:
            return f"{settings.group_by}={value}"
    return str(Path(display).parent)


def process(settings: RunSettings, task: object) -> Outcome | ChunkResult:
    if isinstance(task, FileTask):
        return clean_file(settings, task.item)
    if isinstance(task, ChunkTask):
        return clean_chunk(settings, task)
    if isinstance(task, TextsTask):
        return clean_texts(settings, task)
    raise TypeError(f"not a task: {task!r}")


def clean_file(settings: RunSettings, item: InputFile) -> Outcome:
    """Read, clean and (in fix mode) write one text file; never raises for a bad input."""
    try:
        data = _read_input(item)
    except (OSError, EOFError) as error:
        return _failed(item.display, getattr(error, "strerror", None) or str(error))
    target = settings.target(item)
    log_target = changelog_path(target) if target is not None else None
    if settings.resume and settings.mode == "fix" and target is not None and log_target is not None \
            and _file_up_to_date(data, target, log_target, settings):
        return Outcome(item.display, "skipped", description="up to date")
    extraction = None
    try:
        pipeline = _pipeline_for(settings.options, file_group(item) if settings.repeated else None)
        if item.path is not None and is_html_path(item.path):
            extraction = extract_html(data)
            result = pipeline.clean_text(extraction.text)
        else:
            result = pipeline.clean_bytes(data)
    except (UndecodableInput, ExtractionFailed) as error:
        return _failed(item.display, str(error))
    except Exception as error:  # a bug must not stop the other files, nor show a traceback
        return _failed(item.display, f"internal error ({type(error).__name__}: {error}); please report it")
    # Counted once: the outcome, its description and the change log's summary all need them.
    by_stage, by_rule = result.counts_by_stage(), result.counts_by_rule()
    outcome = Outcome(item.display, "changed" if result.changed else "unchanged",
                      by_stage=Counter(by_stage), by_rule=Counter(by_rule),
                      description=describe(result, by_stage))
    outcome.notices = [Notice("warning", item.display, warning.message, warning.rule, location.line, location.column)
                       for warning, location in zip(result.warnings, result.warning_locations, strict=True)]
    output_bytes = encode_utf8(result.text)  # (the input's bytes again, for a text no stage changed)
    if settings.mode == "diff" and result.changed:
        outcome.diff = unified_diff(item.display, result.original, result.text)
    if extraction is not None:
        outcome.status = "changed"
        outcome.description = f"extracted by {extraction.tool} ({extraction.mode}); {outcome.description}"
    if settings.mode != "fix":
        return outcome
    log_bytes = None
    if settings.write_logs and log_target is not None:  # (standard input has no log to write)
        try:
            log_bytes = _checked_log(settings, item, data, result, output_bytes, extraction,
                                     pipeline.rule_packs, by_stage, by_rule)
        except ChangeLogError as error:
            return _failed(item.display, f"internal error: the change log does not replay ({error}); nothing written")
    if target is None:  # standard input: the main process writes standard output
        outcome.output = output_bytes
        return outcome
    if not settings.in_place and item.path is not None and _same_file(target, item.path):
        return _failed(item.display, "the output would overwrite the input; use --in-place to allow that")
    try:
        if log_bytes is not None and log_target is not None:
            write_atomic(log_target, log_bytes)
        if not (settings.in_place and not result.changed):
            write_atomic(target, compress(output_bytes, compression_of(target)))
    except OSError as error:
        return _failed(item.display, f"cannot write {target}: {error.strerror or error}")
    return outcome


def _checked_log(settings: RunSettings, item: InputFile, data: bytes, result: Result, output_bytes: bytes,
                 extraction: Extraction | None, rule_packs: Sequence[Any], by_stage: Mapping[str, int],
                 by_rule: Mapping[str, int]) -> bytes:
    """The change log of one cleaned file, encoded, once it has been shown to rebuild the output
    from the input and the input from the output (black's safety check, our way): raises
    :class:`ChangeLogError` otherwise. Built only where a log is written: checking one that is
    not (``--no-change-log``, standard input) would guard nothing, and cost a sixth of a run."""
    records = build_records(result, input_bytes=data, source=item.display,
                            options=settings.options.as_dict(), rule_packs=rule_packs,
                            config_sha256=settings.config_sha256, output_bytes=output_bytes,
                            by_stage=by_stage, by_rule=by_rule)
    if extraction is not None:  # the log starts from the extracted text; say how it was made
        records[0]["kind"] = "html"
        records[0]["encoding"] = None
        records[0]["extraction"] = {"tool": extraction.tool, "version": extraction.tool_version,
                                    "mode": extraction.mode,
                                    "text_sha256": sha256(extraction.text.encode("utf-8"))}
    log_bytes = dumps(records)
    if extraction is None:  # replay and revert, checked against the hashes the log was built with
        check_text_log(log_bytes, data, output_bytes, input_sha256=records[0]["input_sha256"],
                       output_sha256=records[-1]["output_sha256"])
    else:
        log = loads(log_bytes)
        if replay(log, data) != output_bytes or revert(log, output_bytes) != extraction.text.encode("utf-8"):
            raise ChangeLogError("replay or revert did not round-trip")
    return log_bytes


def _writes_logs(settings: RunSettings) -> bool:
    """Whether a shard's records get a change log (fix mode, logs on): check and diff write
    none, and ``--no-change-log`` none either, so their records' logs are not built."""
    return settings.mode == "fix" and settings.write_logs


def clean_chunk(settings: RunSettings, task: ChunkTask) -> ChunkResult:
    """Clean the records of one chunk of a JSONL shard; malformed lines pass through untouched."""
    out = ChunkResult([], b"", [])
    lines, notices = out.lines, out.notices
    log_records: list[dict[str, Any]] = []
    keep_log = _writes_logs(settings)
    diffs: list[str] = []
    records = changed = failed = 0
    for number, raw in task.lines:
        body = raw.rstrip(b"\r\n")
        if not body.strip():
            lines.append(raw)
            continue
        records += 1
        try:
            record = parse_record(body.decode("utf-8"), number, settings.text_field, settings.id_field)
        except (UnicodeDecodeError, RecordError) as error:
            failed += 1
            reason = str(error) if isinstance(error, RecordError) else f"line {number}: not UTF-8"
            notices.append(Notice("error", task.display, f"{reason}; record kept as it was", line=number))
            lines.append(raw)
            continue
        try:
            group = record_group(settings, task.display, record.line) if settings.repeated else None
            result = _pipeline_for(settings.options, group).clean_text(record.text)
        except Exception as error:  # keep the record, report the bug
            failed += 1
            notices.append(Notice("error", task.display, f"record {record.id}: internal error ({error})", line=number))
            lines.append(raw)
            continue
        notices.extend(Notice("warning", task.display, f"record {record.id}: {warning.message}", warning.rule,
                              number, location.column)
                       for warning, location in zip(result.warnings, result.warning_locations, strict=True))
        if not result.edits and not result.warnings:
            lines.append(raw)
            continue
        new_line, kept_token = record.with_text(result.text)
        lines.append(new_line.encode("utf-8") + raw[len(body):])
        out.count(result)
        if result.edits:
            changed += 1
            if settings.mode == "diff":
                diffs.append(unified_diff(f"{task.display}:{number}", record.text, result.text))
        if keep_log:
            tags = {"line": number, "id": record.id}
            log_records.append({"type": "record", **tags, "input_sha256": sha256(record.text.encode("utf-8")),
                                **({"token": kept_token} if kept_token is not None else {})})
            log_records.extend(document_records(result, record=record.id))
            log_records.append({"type": "record-summary", **tags,
                                "output_sha256": sha256(result.text.encode("utf-8")), "edits": len(result.edits)})
    out.records, out.changed, out.failed, out.diff = records, changed, failed, "".join(diffs)
    out.log = dumps(log_records) if log_records else b""
    return out


def clean_texts(settings: RunSettings, task: TextsTask) -> ChunkResult:
    """Clean the texts of one Parquet batch (row numbers are 1-based in reports and logs)."""
    pipeline = cached_pipeline(settings.options)
    out = ChunkResult([], b"", [])
    log_records: list[dict[str, Any]] = []
    keep_log = _writes_logs(settings)
    for offset, (record_id, text) in enumerate(zip(task.ids, task.texts, strict=True)):
        row = task.first_row + offset + 1
        if text is None:
            out.texts.append(None)
            continue
        out.records += 1
        result = pipeline.clean_text(text)
        out.texts.append(result.text)
        out.notices.extend(Notice("warning", task.display, f"record {record_id}: {warning.message}", warning.rule,
                                  row, location.column)
                           for warning, location in zip(result.warnings, result.warning_locations, strict=True))
        if not result.edits and not result.warnings:
            continue
        out.count(result)
        if result.edits:
            out.changed += 1
            if settings.mode == "diff":
                out.diff += unified_diff(f"{task.display}:{row}", text, result.text)
        if keep_log:
            tags = {"line": row, "id": record_id}
            log_records.append({"type": "record", **tags, "input_sha256": sha256(text.encode("utf-8"))})
            log_records.extend(document_records(result, record=record_id))
            log_records.append({"type": "record-summary", **tags,
                                "output_sha256": sha256(result.text.encode("utf-8")), "edits": len(result.edits)})
    out.log = dumps(log_records) if log_records else b""
    return out


# ---------------------------------------------------------------------------------------------
# The main process: ordering, shard writing, outcomes


class _ShardWriter:
    """Writes a shard's output and change log to temporary files; renames them when complete."""

    def __init__(self, item: InputFile, settings: RunSettings) -> None:
        self.item = item
        self.settings = settings
        self.target = settings.target(item)
        self.output_hash = hashlib.sha256()
        self.outcome = Outcome(item.display, "unchanged", kind="shard")
        self.warnings = 0
        self._out_file: IO[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._writer: CompressingWriter | None = None
        self._parquet: Any = None
        self.is_parquet = item.path is not None and is_parquet(item.path)
        if settings.mode == "fix" and self.target is not None:
            if not settings.in_place and item.path is not None and _same_file(self.target, item.path):
                raise OSError("the output would overwrite the input; use --in-place to allow that")
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self._out_file = tempfile.NamedTemporaryFile(  # noqa: SIM115
                dir=self.target.parent, prefix=f".{self.target.name}.", suffix=".tmp", delete=False)
            self._log_file = tempfile.NamedTemporaryFile(  # noqa: SIM115
                dir=self.target.parent, prefix=f".{self.target.name}.log.", suffix=".tmp", delete=False)
            if not self.is_parquet:
                self._writer = CompressingWriter(self._out_file, compression_of(self.target))

    def add_batch(self, batch: Any, chunk: ChunkResult) -> None:
        """A Parquet batch with its text column replaced by the cleaned texts."""
        import pyarrow

        self.add(chunk)
        if self._out_file is None:
            return
        column = batch.schema.get_field_index(self.settings.text_field)
        arrays = list(batch.columns)
        arrays[column] = pyarrow.array(chunk.texts, type=batch.schema.field(column).type)
        if self._parquet is None:
            import pyarrow.parquet as parquet

            self._parquet = parquet.ParquetWriter(self._out_file, batch.schema)
        self._parquet.write_batch(pyarrow.RecordBatch.from_arrays(arrays, schema=batch.schema))

    def add(self, chunk: ChunkResult) -> None:
        outcome = self.outcome
        outcome.records += chunk.records
        outcome.records_changed += chunk.changed
        outcome.records_failed += chunk.failed
        room = max(0, MAX_NOTICES - len(outcome.notices))
        kept = [notice for notice in chunk.notices if notice.level == "error"] + \
            [notice for notice in chunk.notices if notice.level != "error"][:room]
        outcome.notices.extend(kept)
        outcome.hidden_warnings += len(chunk.notices) - len(kept)
        outcome.diff += chunk.diff
        outcome.by_stage.update(chunk.by_stage)
        outcome.by_rule.update(chunk.by_rule)
        self.warnings += chunk.warnings
        if self._log_file is not None and chunk.log and self.is_parquet:
            self._log_file.write(chunk.log)
        if self._writer is not None and self._log_file is not None:
            data = b"".join(chunk.lines)
            self.output_hash.update(data)
            self._writer.write(data)
            if chunk.log:
                self._log_file.write(chunk.log)

    def finish(self, input_sha256: str, pipeline_packs: Sequence[Any], error: str = "") -> Outcome:
        outcome = self.outcome
        if outcome.records_failed:
            outcome.notices.insert(0, Notice("error", outcome.display,
                                             f"{outcome.records_failed} malformed record(s) kept as they were"))
        if error:
            self.abort()
            outcome.status = "failed"
            outcome.notices.insert(0, Notice("error", outcome.display, error))
            return outcome
        outcome.status = "changed" if outcome.records_changed else "unchanged"
        outcome.description = f"{outcome.records} records, {outcome.records_changed} changed"
        if outcome.hidden_warnings:
            outcome.description += f" ({outcome.hidden_warnings} more warnings in the change log)"
        if self._out_file is None or self._log_file is None or self.target is None:
            return outcome
        if self._writer is not None:
            self._writer.close()
        if self._parquet is not None:
            self._parquet.close()
        self._out_file.close()
        if self.is_parquet:
            self.output_hash = hashlib.sha256()
            for block in _blocks(self._out_file.name):
                self.output_hash.update(block)
        self._log_file.close()
        settings = self.settings
        header = header_record(source=outcome.display, input_sha256=input_sha256, options=settings.options.as_dict(),
                               rule_packs=pipeline_packs, encoding=None, confidence=None,
                               config_sha256=settings.config_sha256, kind="parquet" if self.is_parquet else "jsonl",
                               text_field=settings.text_field,
                               id_field=settings.id_field)
        summary = summary_record(self.output_hash.hexdigest(), outcome.by_stage, outcome.by_rule, self.warnings,
                                 records=outcome.records,
                                 changed=outcome.records_changed, failed=outcome.records_failed)
        try:
            if settings.write_logs:
                log_target = changelog_path(self.target)
                # Streamed: a shard's change log can be larger than the memory a worker may use.
                write_atomic(log_target, itertools.chain([dumps([header])], _blocks(self._log_file.name),
                                                         [dumps([summary])]))
            os.chmod(self._out_file.name, 0o644)
            os.replace(self._out_file.name, self.target)
        except OSError as error:
            outcome.status = "failed"
            outcome.notices.insert(0, Notice("error", outcome.display, f"cannot write {self.target}: {error}"))
        finally:
            Path(self._log_file.name).unlink(missing_ok=True)
            Path(self._out_file.name).unlink(missing_ok=True)
        return outcome

    def abort(self) -> None:
        for handle in (self._out_file, self._log_file):
            if handle is not None:
                handle.close()
                Path(handle.name).unlink(missing_ok=True)


def process_input(settings: RunSettings, item: InputFile) -> Outcome:
    """Clean one input completely in this process: a file, or a whole shard chunk by chunk.

    The unit a distributed engine maps over inputs (see :mod:`cleaner.dask`): the same code the
    CLI's workers run, so the results are the same bytes.
    """
    if item.path is None or not (is_jsonl(item.path) or is_parquet(item.path)):
        return clean_file(settings, item)
    source = _TaskSource(settings, [])
    tasks = source._shard_tasks(item) if is_jsonl(item.path) else source._parquet_tasks(item)
    packs = cached_pipeline(settings.options).rule_packs
    writer: _ShardWriter | None = None
    try:
        for task in tasks:
            if isinstance(task, Marker):
                if task.kind == "failed":
                    return _failed(task.display, task.reason)
                if task.kind == "skipped":
                    return Outcome(task.display, "skipped", kind="shard", description="up to date")
                if task.kind == "shard-start":
                    writer = _ShardWriter(item, settings)
                elif task.kind == "shard-end" and writer is not None:
                    done, writer = writer, None
                    return done.finish(source.input_hashes.get(item.display, ""), packs, task.reason)
            elif isinstance(task, ChunkTask) and writer is not None:
                writer.add(clean_chunk(settings, task))
            elif isinstance(task, TextsTask) and writer is not None:
                writer.add_batch(source.batches.pop((task.display, task.first_row)), clean_texts(settings, task))
    except OSError as error:
        return _failed(item.display, str(error))
    finally:
        if writer is not None:
            writer.abort()
    return _failed(item.display, "internal error: the shard ended without finishing")


def count_task(settings: RunSettings, task: object) -> LineCounts:
    """The first pass of repeated-line detection: line counts of one file or chunk, by group."""
    counts = LineCounts()
    if isinstance(task, FileTask) and task.item.path is not None:
        try:
            data = _read_input(task.item)
            text = extract_html(data).text if is_html_path(task.item.path) else decode_bytes(data).text
        except (OSError, EOFError, UndecodableInput, ExtractionFailed):
            return counts  # reported by the second pass
        counts.add_document(file_group(task.item), text)
    elif isinstance(task, ChunkTask):
        for number, raw in task.lines:
            try:
                line = raw.rstrip(b"\r\n").decode("utf-8")
                record = parse_record(line, number, settings.text_field, settings.id_field)
            except (UnicodeDecodeError, RecordError):
                continue
            counts.add_document(record_group(settings, task.display, line), record.text)
    return counts


def count_lines(settings: RunSettings, paths: Sequence[str], *, jobs: int = 1) -> LineCounts:
    """Count normalized lines per source group over every input (order- and jobs-independent)."""
    total = LineCounts()
    counting = RunSettings(options=settings.options, mode="check", text_field=settings.text_field,
                           id_field=settings.id_field, chunk_records=settings.chunk_records,
                           group_by=settings.group_by)
    worker = functools.partial(count_task, counting)
    for _task, counts in ordered_map(worker, _TaskSource(counting, paths), jobs=jobs, is_local=_is_local):
        if counts is not None:
            total.merge(counts)
    return total


# Text that makes every stage load what it loads lazily (screens, models, tables), with
# mojibake that is quick to repair: a search for lost bytes would cost 0.2 s here for nothing.
_WARM_UP_TEXT = "cafÃ© Ð¿Ñ€Ð¸Ð²ÐµÑ‚ 中文 日本語 한국어 — “x”\nShare:\n"


def warm_up(options: Options) -> None:
    """Load the pipeline's lazy data here, before the pool forks, so workers share it
    (copy-on-write) instead of each loading it again."""
    from cleaner.evidence import cjk_cost
    from cleaner.languages import identify

    cached_pipeline(options).clean_text(_WARM_UP_TEXT)
    cjk_cost("杨洁篪")  # the word index and the traditional -> simplified table
    decode_bytes("Grüße aus Köln".encode("cp1252"))
    # The languages' letter tables (22 MB), which the repair loads at its first damaged line:
    # loaded in each worker, they were 22 MB each.
    identify("Kromě padělaných karet kriminalisté")


def _before_pool(options: Options, freeze: bool) -> None:
    """Warm up (see :func:`warm_up`) and freeze what that loaded too, as :func:`run` froze the
    rest, so that the workers share it."""
    warm_up(options)
    if freeze:
        gc.freeze()


_YOUNG_COLLECTION = 10_000  # allocations between two collections of the youngest generation


def run(settings: RunSettings, paths: Sequence[str], *, jobs: int = 1) -> Iterator[Outcome]:
    """Process every input; yield one outcome per input, in input order."""
    table: Mapping[str, Mapping[str, int]] = {}
    if settings.repeated is not None:
        counts = count_lines(settings, paths, jobs=jobs)
        table = {group: counts.repeated(group, settings.repeated) for group in counts.groups()}
    source = _TaskSource(settings, paths)
    writers: dict[str, _ShardWriter] = {}
    worker = functools.partial(process, settings)
    packs = cached_pipeline(settings.options).rule_packs
    # What exists now (modules, pipeline, tables; and what _before_pool loads before a pool
    # starts) lives for the whole run, and is shared with the workers copy-on-write. Frozen, the
    # collector never walks it again: ~0.5 s less CPU in two workers on 20 MB of files, and the
    # pages stay shared. (Not where the host process froze
    # objects of its own: unfreezing at the end would thaw those too.)
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    # Cleaning makes and drops millions of small containers (edits, records, readings), few of
    # them in cycles: the youngest generation is collected every 10,000 allocations instead of
    # every 700 (20 MB of files: 353 collections, 0.06-0.08 s, became 14, 0.02 s). Restored at
    # the end, as the freeze is undone: the host process's settings are its own.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], _YOUNG_COLLECTION), *thresholds[1:])
    try:
        for task, result in ordered_map(worker, source, jobs=jobs, is_local=_is_local, is_small=_is_file,
                                        weight=_file_size, initializer=_set_repeated, initargs=(table,),
                                        before_pool=functools.partial(_before_pool, settings.options, freeze)):
            if isinstance(task, Marker):
                if task.kind == "failed":
                    yield _failed(task.display, task.reason)
                elif task.kind == "skipped":
                    yield Outcome(task.display, "skipped", kind="shard", description="up to date")
                elif task.kind == "shard-start" and task.item is not None:
                    try:
                        writers[task.display] = _ShardWriter(task.item, settings)
                    except OSError as error:
                        writers[task.display] = _ShardWriter(task.item, RunSettings(mode="check"))
                        writers[task.display].outcome.notices.append(Notice("error", task.display, str(error)))
                elif task.kind == "shard-end":
                    writer = writers.pop(task.display)
                    problem = task.reason or next((n.message for n in writer.outcome.notices
                                                   if n.level == "error" and n.line == 0), "")
                    yield writer.finish(source.input_hashes.get(task.display, ""), packs, problem)
            elif isinstance(task, ChunkTask) and isinstance(result, ChunkResult):
                writers[task.display].add(result)
            elif isinstance(task, TextsTask) and isinstance(result, ChunkResult):
                writers[task.display].add_batch(source.batches.pop((task.display, task.first_row)), result)
            elif isinstance(result, Outcome):
                yield result
    finally:
        for writer in writers.values():  # interrupted: leave no half-written shard behind
            writer.abort()
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


# ---------------------------------------------------------------------------------------------
# Helpers


def _read_input(item: InputFile) -> bytes:
    if item.path is None:
        return sys.stdin.buffer.read()
    from cleaner.formats import read_all

    return read_all(item.path)


def _failed(display: str, reason: str) -> Outcome:
    return Outcome(display, "failed", notices=[Notice("error", display, reason)])


def describe(result: Result, by_stage: Mapping[str, int] | None = None) -> str:
    """``by_stage``: the result's counts by stage, if the caller has them."""
    if not result.changed:
        return "no edits"
    parts = []
    if result.transcoded:
        parts.append(f"re-encoded from {result.encoding} to utf-8")
    if result.edits:
        counts = result.counts_by_stage() if by_stage is None else by_stage
        stages = ", ".join(f"{stage} {count}" for stage, count in counts.items())
        parts.append(f"{len(result.edits)} edit{'' if len(result.edits) == 1 else 's'}: {stages}")
    return "; ".join(parts)


def unified_diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{display}", tofile=f"b/{display}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _log_ends(log_target: Path) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and summary of a change log, or None if it is missing or incomplete."""
    try:
        with open(log_target, "rb") as handle:
            first = handle.readline()
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 65536))
            last = handle.read().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        header, summary = json.loads(first), json.loads(last)
    except (OSError, ValueError):
        return None
    if header.get("type") != "header" or summary.get("type") != "summary":
        return None
    return header, summary


def _same_file(target: Path, source: Path) -> bool:
    """Whether writing ``target`` would overwrite ``source`` (through any path or link)."""
    try:
        return os.path.samefile(target, source)
    except OSError:
        return False  # the target does not exist yet: it is not the input


def _blocks(path: str | Path, size: int = 1 << 20) -> Iterator[bytes]:
    """A file's bytes, a block at a time."""
    with open(path, "rb") as handle:
        while block := handle.read(size):
            yield block


def _stream_sha256(path: Path) -> str | None:
    """sha256 of a file's (decompressed) content, read in blocks; None if it cannot be read."""
    hasher = hashlib.sha256()
    try:
        with open_read(path) as stream:
            while block := stream.read(1 << 20):
                hasher.update(block)
    except (OSError, EOFError, ValueError):
        return None
    return hasher.hexdigest()


def _output_matches(target: Path, expected_sha256: str) -> bool:
    return _stream_sha256(target) == expected_sha256


def _file_up_to_date(data: bytes, target: Path, log_target: Path, settings: RunSettings) -> bool:
    ends = _log_ends(log_target)
    if ends is None:
        return False
    header, summary = ends
    return (header.get("input_sha256") == sha256(data) and header.get("config_sha256") == settings.config_sha256
            and _output_matches(target, summary.get("output_sha256", "")))


def _shard_up_to_date(item: InputFile, settings: RunSettings) -> bool:
    target = settings.target(item)
    if target is None or item.path is None:
        return False
    ends = _log_ends(changelog_path(target))
    if ends is None:
        return False
    header, summary = ends
    if header.get("config_sha256") != settings.config_sha256:
        return False
    input_sha = _stream_sha256(item.path)
    return input_sha is not None and header.get("input_sha256") == input_sha \
        and _output_matches(target, summary.get("output_sha256", ""))
