"""Corpus formats: compressed streams, and JSON Lines records edited without re-serialising them.

A JSONL record is rewritten by replacing only the JSON token of its text field, so every other
field keeps its exact bytes (numbers, escapes, key order, spacing), and an unchanged record is
copied verbatim. That keeps outputs faithful and lets a change log revert a shard byte for byte.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

JSONL_SUFFIXES = (".jsonl", ".ndjson")
PARQUET_SUFFIXES = (".parquet",)
COMPRESSIONS = (".gz", ".zst", ".bz2")

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


class RecordError(ValueError):
    """A JSONL line that is not an object with the text field; the message says what is wrong."""


def compression_of(path: Path) -> str:
    """``".gz"``, ``".zst"``, ``".bz2"`` or ``""``."""
    return path.suffix if path.suffix in COMPRESSIONS else ""


def base_name(path: Path) -> str:
    """The name without a compression suffix: ``a.jsonl.gz`` -> ``a.jsonl``."""
    return path.name[: -len(compression_of(path))] if compression_of(path) else path.name


def is_jsonl(path: Path) -> bool:
    return base_name(path).endswith(JSONL_SUFFIXES)


def is_parquet(path: Path) -> bool:
    return path.name.endswith(PARQUET_SUFFIXES)


def open_read(path: Path) -> IO[bytes]:
    """A binary stream of ``path``'s content, decompressed by its suffix."""
    compression = compression_of(path)
    if compression == ".gz":
        return cast(IO[bytes], gzip.open(path, "rb"))
    if compression == ".bz2":
        return cast(IO[bytes], bz2.open(path, "rb"))
    if compression == ".zst":
        import zstandard

        # The raw reader cannot iterate by line; a buffer over it can.
        return cast(IO[bytes], io.BufferedReader(zstandard.open(path, "rb")))
    return open(path, "rb")


def read_all(path: Path) -> bytes:
    with open_read(path) as stream:
        return stream.read()


def compress(data: bytes, compression: str) -> bytes:
    """``data`` compressed as the suffix says; deterministic (no timestamps in gzip headers)."""
    if compression == ".gz":
        return gzip.compress(data, mtime=0)
    if compression == ".bz2":
        return bz2.compress(data)
    if compression == ".zst":
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    return data


class CompressingWriter:
    """Writes a stream compressed as ``compression`` says into a binary file object."""

    def __init__(self, raw: IO[bytes], compression: str) -> None:
        self._raw = raw
        self._stream: IO[bytes] | Any
        if compression == ".gz":
            self._stream = gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="")
        elif compression == ".bz2":
            self._stream = bz2.BZ2File(raw, mode="wb")
        elif compression == ".zst":
            import zstandard

            self._stream = zstandard.ZstdCompressor().stream_writer(raw, closefd=False)
        else:
            self._stream = raw

    def write(self, data: bytes) -> None:
        self._stream.write(data)

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()


@dataclass(frozen=True)
class Record:
    """One JSONL line: its raw text, the text field's value and where its token stands."""

    line: str  # without the line terminator
    number: int  # 1-based line number in the shard
    id: str
    text: str
    token_start: int
    token_end: int

    def with_text(self, text: str) -> tuple[str, str | None]:
        """The line with the text field replaced, and the original token if re-encoding would differ."""
        token = encode_string(text, ascii_only=_uses_ascii_escapes(self.line[self.token_start : self.token_end]))
        original = self.line[self.token_start : self.token_end]
        kept = None if encode_string(self.text, ascii_only=_uses_ascii_escapes(original)) == original else original
        return self.line[: self.token_start] + token + self.line[self.token_end :], kept


# Built once: json.dumps() with an option builds a new encoder at every call (once per record).
_ENCODE_ASCII = json.JSONEncoder(ensure_ascii=True).encode
_ENCODE_RAW = json.JSONEncoder(ensure_ascii=False).encode


def encode_string(text: str, *, ascii_only: bool) -> str:
    """``text`` as a JSON string token, non-ASCII escaped or raw."""
    return _ENCODE_ASCII(text) if ascii_only else _ENCODE_RAW(text)


def _uses_ascii_escapes(token: str) -> bool:
    """Did the producer escape non-ASCII (``\\u00e9``) rather than write it raw?"""
    return token.isascii() and "\\u" in token


def parse_record(line: str, number: int, text_field: str, id_field: str | None) -> Record:
    """Find the text field's value and token span in a JSON object line.

    >>> record = parse_record('{"id": 7, "text": "caf\\\\u00e9", "n": 1.50}', 1, "text", "id")
    >>> record.id, record.text, record.with_text("tea")[0]
    ('7', 'café', '{"id": 7, "text": "tea", "n": 1.50}')
    """
    index = _skip(line, 0)
    if index >= len(line) or line[index] != "{":
        raise RecordError(f"line {number}: not a JSON object")
    index = _skip(line, index + 1)
    found: tuple[str, int, int] | None = None
    record_id: str | None = None
    try:
        while index < len(line) and line[index] != "}":
            if line[index] != '"':
                raise RecordError(f"line {number}: malformed JSON at column {index + 1}")
            key, index = json.decoder.scanstring(line, index + 1)  # type: ignore[attr-defined]
            index = _skip(line, index)
            if index >= len(line) or line[index] != ":":
                raise RecordError(f"line {number}: malformed JSON at column {index + 1}")
            start = _skip(line, index + 1)
            value, end = _DECODER.raw_decode(line, start)
            if key == text_field:
                if not isinstance(value, str):
                    raise RecordError(f"line {number}: field {text_field!r} is not a string")
                found = (value, start, end)
            elif key == id_field:
                record_id = value if isinstance(value, str) else json.dumps(value)
            index = _skip(line, end)
            if index < len(line) and line[index] == ",":
                index = _skip(line, index + 1)
    except json.JSONDecodeError as error:
        raise RecordError(f"line {number}: invalid JSON ({error.msg} at column {error.pos + 1})") from None
    if index >= len(line) or line[index] != "}" or _skip(line, index + 1) != len(line):
        raise RecordError(f"line {number}: malformed JSON object")
    if found is None:
        raise RecordError(f"line {number}: no {text_field!r} field")
    text, start, end = found
    return Record(line, number, record_id if record_id is not None else str(number), text, start, end)


def _skip(line: str, index: int) -> int:
    while index < len(line) and line[index] in _WHITESPACE:
        index += 1
    return index
