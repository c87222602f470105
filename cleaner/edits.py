"""Edits: the unit every stage produces and the change log records.

An :class:`Edit` replaces ``before`` (the text at ``start:end`` of the stage's input) with
``after``. A stage returns edits that are sorted and do not overlap, so applying them is a single
left-to-right pass, and reverting them is the same pass over the stage's output.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


class EditConflict(ValueError):
    """Edits that overlap, or whose ``before``/``after`` text does not match the text given."""


@dataclass(frozen=True, init=False)
class Edit:
    """One change made by one rule of one stage, in that stage's input coordinates."""

    stage: str
    rule: str
    name: str
    start: int
    end: int
    before: str
    after: str
    detail: dict[str, Any] | None = field(default=None, compare=False)

    def __init__(self, stage: str, rule: str, name: str, start: int, end: int, before: str, after: str,
                 detail: dict[str, Any] | None = None) -> None:
        # What the generated __init__ of a frozen dataclass does, without its object.__setattr__()
        # call per field: 0.4 us an edit instead of 1.5, and a corpus run makes two per edit (the
        # stage's, and the change-log check's parse of it).
        fields = self.__dict__
        fields["stage"] = stage
        fields["rule"] = rule
        fields["name"] = name
        fields["start"] = start
        fields["end"] = end
        fields["before"] = before
        fields["after"] = after
        fields["detail"] = detail


@dataclass(frozen=True)
class CleanWarning:
    """Something a stage noticed and deliberately left alone (e.g. an ambiguous repair)."""

    stage: str
    rule: str
    start: int
    end: int
    message: str


def check_edits(text: str, edits: Sequence[Edit]) -> None:
    """Raise :class:`EditConflict` unless ``edits`` are sorted, disjoint and match ``text``."""
    previous_end = 0
    for edit in edits:
        if edit.start < previous_end or edit.end < edit.start or edit.end > len(text):
            raise EditConflict(f"edit {edit.rule} at {edit.start}:{edit.end} overlaps or is out of range")
        if text[edit.start : edit.end] != edit.before:
            raise EditConflict(f"edit {edit.rule} at {edit.start}:{edit.end} does not match the text")
        previous_end = edit.end


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, disjoint ``edits`` to ``text``.

    >>> e = Edit("whitespace", "WS002", "trailing-whitespace", 2, 4, "  ", "")
    >>> apply_edits("ab  \\ncd", [e])
    'ab\\ncd'
    """
    if not edits:
        return text
    check_edits(text, edits)
    parts: list[str] = []
    cursor = 0
    for edit in edits:
        parts.append(text[cursor : edit.start])
        parts.append(edit.after)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def output_spans(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Where each edit's ``after`` text stands in the stage's output."""
    spans = []
    shift = 0
    for edit in edits:
        out_start = edit.start + shift
        spans.append((out_start, out_start + len(edit.after)))
        shift += len(edit.after) - (edit.end - edit.start)
    return spans


def revert_edits(text: str, edits: Sequence[Edit]) -> str:
    """Undo ``edits`` on the stage's output ``text``: the inverse of :func:`apply_edits`.

    >>> e = Edit("whitespace", "WS002", "trailing-whitespace", 2, 4, "  ", "")
    >>> revert_edits("ab\\ncd", [e])
    'ab  \\ncd'
    """
    if not edits:
        return text
    parts: list[str] = []
    cursor = 0
    for edit, (out_start, out_end) in zip(edits, output_spans(edits), strict=True):
        if out_start < cursor or text[out_start:out_end] != edit.after:
            raise EditConflict(f"edit {edit.rule} does not match the output at {out_start}:{out_end}")
        parts.append(text[cursor:out_start])
        parts.append(edit.before)
        cursor = out_end
    parts.append(text[cursor:])
    return "".join(parts)


class PositionMap:
    """Maps a position in a stage's output back to its input, given that stage's edits.

    A position inside an edit's replacement maps to the start of what it replaced.
    """

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._edits = list(edits)
        self._out_starts = [span[0] for span in output_spans(self._edits)]

    def to_input(self, position: int) -> int:
        index = bisect_right(self._out_starts, position) - 1
        if index < 0:
            return position
        edit = self._edits[index]
        out_start = self._out_starts[index]
        out_end = out_start + len(edit.after)
        if position < out_end:
            return edit.start
        return edit.end + (position - out_end)


class LineIndex:
    """1-based line and column of a character offset in a text."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        index = find("\n")
        while index != -1:
            self._starts.append(index + 1)
            index = find("\n", index + 1)

    def line_column(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1


def sorted_edits(edits: Iterable[Edit]) -> list[Edit]:
    """Edits in text order (stages may find them out of order)."""
    return sorted(edits, key=lambda edit: (edit.start, edit.end))
