"""Undoing "UTF-8 bytes read through a single-byte table", including bytes the table dropped.

A :class:`CodecTable` is the table a wrong reader used: byte -> character for 0x80-0xFF. Its
inverse turns the mojibake back into the bytes, which are then read as UTF-8. Bytes the table
leaves undefined were dropped by the reader (or shown as U+FFFD); where a UTF-8 sequence comes up
one byte short, every undefined byte at every possible place is a candidate, and the caller
chooses among them by evidence (see :mod:`cleaner.evidence`).

ftfy covers the common Windows/ISO tables; this module adds the hybrids browsers and Windows
produce, first of all cp874 (Thai) with cp1252 in 0x80-0x9F, as in ``Yรกng Jiรฉchรญ`` for
``Yáng Jiéchí``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

MAX_COMBINATIONS = 1024


@dataclass(frozen=True)
class CodecTable:
    """A wrong reader's table: which character each byte 0x80-0xFF became (absent: dropped)."""

    name: str
    decoding: dict[int, str]

    @cached_property
    def encoding(self) -> dict[str, int]:
        """Character -> byte, the inverse of :attr:`decoding`."""
        return {char: byte for byte, char in self.decoding.items()}

    @cached_property
    def dropped(self) -> tuple[int, ...]:
        """Bytes this table does not define: the ones a reader dropped or replaced."""
        return tuple(byte for byte in range(0x80, 0x100) if byte not in self.decoding)


def hybrid_table(name: str, high: str, low: str) -> CodecTable:
    """``high`` decodes 0xA0-0xFF, ``low`` decodes 0x80-0x9F (where ``high`` leaves a byte undefined).

    >>> table = hybrid_table("cp874+cp1252", "cp874", "cp1252")
    >>> table.decoding[0xE2] + table.decoding[0x80] + table.decoding[0x9C]
    'โ€œ'
    >>> 0x9D in table.dropped
    True
    """
    decoding: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        char = _decode_byte(byte, high)
        if byte < 0xA0 and (char is None or _is_c1(char)):
            char = _decode_byte(byte, low)
        if char is not None and not _is_c1(char):
            decoding[byte] = char
    return CodecTable(name, decoding)


def _decode_byte(byte: int, codec: str) -> str | None:
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return None


def _is_c1(char: str) -> bool:
    return "\x80" <= char <= "\x9f"


@dataclass(frozen=True)
class Piece:
    """One decoded character with the bytes it came from and the byte recovered, if any."""

    char: str
    data: bytes
    recovered: int | None = None  # index in ``data`` of a byte that had been dropped


@dataclass(frozen=True)
class DecodedRun:
    """A run of mojibake read back as UTF-8: for each character, its possible readings."""

    choices: tuple[tuple[Piece, ...], ...]

    @property
    def ambiguous(self) -> bool:
        return any(len(options) > 1 for options in self.choices)

    @property
    def recovered_count(self) -> int:
        return sum(1 for options in self.choices if options[0].recovered is not None)

    def candidates(self) -> list[tuple[Piece, ...]]:
        """Every reading, or ``[]`` if there are too many to weigh one by one."""
        count = 1
        for options in self.choices:
            count *= len(options)
        if count > MAX_COMBINATIONS:
            return []
        return list(itertools.product(*self.choices))


_CONTINUATION = range(0x80, 0xC0)


def _sequence_length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _decode_one(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if len(text) == 1 else None


def decode_run(data: bytes, dropped: tuple[int, ...], max_recovered: int = 8) -> DecodedRun | None:
    """Read ``data`` as UTF-8, allowing one dropped byte per character; ``None`` if it is not UTF-8.

    >>> run = decode_run("杨".encode()[:1] + "杨".encode()[2:], dropped=(0x81, 0x9D))
    >>> sorted(piece.char for piece in run.choices[0])
    ['恨', '杨', '樁', '樝']
    >>> decode_run(b"\\xc3\\xa9", dropped=()).choices[0][0].char
    'é'
    >>> decode_run(b"\\xa9\\xc3", dropped=(0x81,)) is None
    True
    """
    choices: list[tuple[Piece, ...]] = []
    index = 0
    recovered = 0
    while index < len(data):
        lead = data[index]
        length = _sequence_length(lead)
        if not length:
            return None
        present = 1
        while present < length and index + present < len(data) and data[index + present] in _CONTINUATION:
            present += 1
        sequence = data[index : index + present]
        if present == length:
            char = _decode_one(sequence)
            if char is None:
                return None
            choices.append((Piece(char, sequence),))
        elif present == length - 1 and recovered < max_recovered:
            options = []
            for place in range(1, length):
                for byte in dropped:
                    candidate = sequence[:place] + bytes([byte]) + sequence[place:]
                    char = _decode_one(candidate)
                    if char is not None:
                        options.append(Piece(char, candidate, place))
            if not options:
                return None
            recovered += 1
            choices.append(tuple(dict.fromkeys(options)))
        else:
            return None
        index += present
    return DecodedRun(tuple(choices))
