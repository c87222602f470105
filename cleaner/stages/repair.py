"""Repair: undo mojibake, line by line, touching only lines that are provably broken.

Two passes, each only on lines a cheap screen flags (clean text costs one regex scan):

* RP001 ``ftfy-encoding``: ftfy's own encoding repair (``fix_encoding``: no cosmetic fixes, those
  belong to later stages and would destroy evidence), ftfy's plan kept as the edit's detail.
* RP002 ``codec-table``: UTF-8 read through a table ftfy does not know, such as cp874 (Thai) with
  cp1252 punctuation, as in ``Yรกng Jiรฉchรญ`` for ``Yáng Jiéchí``. Each run of table characters is
  turned back into bytes and read as UTF-8.
* RP003 ``lost-byte``: in such a run, where a byte the table does not define was dropped
  (``ๆจ`` for 杨, E6 9D A8 without 9D), every candidate byte at every place is weighed by
  word and character frequencies (:mod:`cleaner.evidence`); only a clear winner is taken,
  otherwise the text is kept and a warning says where.

A line is repaired by RP002/RP003 only when it holds at least one run whose repair is
unambiguous and clearly more plausible than the text as it stands (scripts no longer mixed
within a word, symbols no longer inside words); runs that are valid but not by themselves
conclusive, such as ``็ฏช`` for 篪, are repaired only on such a line. Clean Thai text, whose
runs rarely even decode as UTF-8, is thus left alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import ftfy
from ftfy.badness import BADNESS_RE

from cleaner.edits import CleanWarning, Edit, apply_edits, output_spans
from cleaner.evidence import quote_balance_bonus, text_score
from cleaner.mojibake import CodecTable, DecodedRun, Piece, decode_run, hybrid_table
from cleaner.plausibility import implausibility
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo

RULES = (
    RuleInfo("RP001", "ftfy-encoding", "repair",
             "Mojibake ftfy recognises (UTF-8 read as cp1252, latin-1, MacRoman, ...): ftfy's repair.",
             (("The crÃ¨me brÃ»lÃ©e", "The crème brûlée"), ("The crème brûlée", "The crème brûlée"))),
    RuleInfo("RP002", "codec-table", "repair",
             "UTF-8 read through a table ftfy lacks, e.g. cp874 (Thai) with cp1252 in 0x80-0x9F.",
             (("Yรกng Jiรฉchรญ said โ€œnoโ€™", "Yáng Jiéchí said “no’"),
              ("ภาษาไทยง่ายนิดเดียว ไปกับเขา", "ภาษาไทยง่ายนิดเดียว ไปกับเขา"))),
    RuleInfo("RP003", "lost-byte", "repair",
             "Mojibake that lost bytes the wrong table did not define: the clear winner among candidates.",
             (("Yรกng Jiรฉchรญ ๆจๆด็ฏช", "Yáng Jiéchí 杨洁篪"), ("said โ€œnoโ€ to", "said “no” to"))),
)
_NAMES = {rule.id: rule.name for rule in RULES}

# The margin (in natural-log units of evidence) by which the best reading of a lost byte must
# beat the next one: e^2.5 ~ 12 times likelier.
CLEAR_MARGIN = 2.5

TABLES = (hybrid_table("cp874+cp1252", "cp874", "cp1252"),)


@dataclass(frozen=True)
class _TableScreen:
    """Cheap per-table tests: a UTF-8 lead byte's character followed by a continuation byte's."""

    table: CodecTable
    signature: re.Pattern[str]
    runs: re.Pattern[str]


def _screen(table: CodecTable) -> _TableScreen:
    def chars(low: int, high: int) -> str:
        return "".join(re.escape(table.decoding[byte]) for byte in range(low, high + 1) if byte in table.decoding)

    signature = re.compile(f"[{chars(0xC2, 0xF4)}][{chars(0x80, 0xBF)}]")
    runs = re.compile(f"[{chars(0x80, 0xFF)}]+")
    return _TableScreen(table, signature, runs)


@dataclass
class _RunRepair:
    start: int
    end: int
    before: str
    after: str
    strong: bool
    detail: dict[str, Any]


class RepairStage:
    """Undoes mojibake; see the module docstring and :data:`RULES`."""

    name = "repair"

    def __init__(self, enabled: Callable[[str], bool] = lambda rule_id: True,
                 tables: tuple[CodecTable, ...] = TABLES) -> None:
        self._enabled = {rule.id for rule in RULES if enabled(rule.id)}
        self._ftfy = "RP001" in self._enabled
        # RP003 needs RP002's evidence to unlock a line, even when RP002's own edits are off.
        self._tables = bool({"RP002", "RP003"} & self._enabled)
        self._lost_bytes = "RP003" in self._enabled
        self._screens = [_screen(table) for table in tables]

    def find_edits(self, text: str) -> StageResult:
        result = StageResult()
        if text.isascii() or not (self._ftfy or self._tables):
            return result
        for line_start, line in _flagged_lines(text, self._line_flagged):
            edits, warnings = self._repair_line(line)
            result.edits.extend(_shift(edit, line_start) for edit in edits)
            result.warnings.extend(
                CleanWarning(w.stage, w.rule, w.start + line_start, w.end + line_start, w.message) for w in warnings
            )
        return result

    def _line_flagged(self, text: str) -> bool:
        if self._ftfy and BADNESS_RE.search(text):
            return True
        return self._tables and any(screen.signature.search(text) for screen in self._screens)

    def _repair_line(self, line: str) -> tuple[list[Edit], list[CleanWarning]]:
        ftfy_edits: list[Edit] = []
        current = line
        if self._ftfy and BADNESS_RE.search(line):
            fixed = ftfy.fix_encoding_and_explain(line)
            if fixed.text != line:
                plan = [list(step) for step in fixed.explanation or []]
                ftfy_edits = _diff_edits(line, fixed.text, self.name, "RP001", {"ftfy_plan": plan})
                current = fixed.text
        if not self._tables:
            return ftfy_edits, []
        for screen in self._screens:
            if screen.signature.search(current):
                table_edits, warnings = self._repair_with_table(current, screen)
                if table_edits or warnings:
                    return _compose(line, ftfy_edits, table_edits, warnings)
        return ftfy_edits, []

    def _repair_with_table(self, line: str, screen: _TableScreen) -> tuple[list[Edit], list[CleanWarning]]:
        table = screen.table
        dropped = table.dropped if self._lost_bytes else ()
        repairs: list[_RunRepair] = []
        pending: list[tuple[int, int, DecodedRun]] = []
        for match in screen.runs.finditer(line):
            data = bytes(table.encoding[char] for char in match.group())
            decoded = decode_run(data, dropped)
            if decoded is None:
                continue
            if decoded.ambiguous:
                pending.append((match.start(), match.end(), decoded))
                continue
            after = "".join(piece.char for piece in decoded.choices[0])
            if not _acceptable(after):
                continue
            before_context, after_context = _in_context(line, match.start(), match.end(), after)
            strong = implausibility(after_context) < implausibility(before_context)
            if not strong and implausibility(after_context) > 0:
                continue
            repairs.append(_RunRepair(match.start(), match.end(), match.group(), after, strong,
                                      _detail(table, data, decoded.choices[0], None)))
        if not any(repair.strong for repair in repairs):
            return [], []  # no conclusive evidence on this line: leave it as it is
        warnings: list[CleanWarning] = []
        for start, end, decoded in pending:
            choice = _choose(line, start, end, decoded)
            if choice is None:
                warnings.append(CleanWarning(
                    self.name, "RP003", start, end,
                    f"possible mojibake {line[start:end]!r} ({table.name}) lost a byte that the evidence "
                    "does not settle; left as it is",
                ))
                continue
            pieces, confidence, alternatives = choice
            after = "".join(piece.char for piece in pieces)
            detail = _detail(table, b"".join(piece.data for piece in pieces), pieces, (confidence, alternatives))
            repairs.append(_RunRepair(start, end, line[start:end], after, False, detail))
        repairs.sort(key=lambda repair: repair.start)
        edits = []
        for repair in repairs:
            rule = "RP003" if repair.detail.get("recovered") else "RP002"
            if rule not in self._enabled:
                continue
            edits.append(Edit(self.name, rule, _NAMES[rule], repair.start, repair.end, repair.before,
                              repair.after, repair.detail))
        return edits, warnings


def _flagged_lines(text: str, flagged: Callable[[str], bool]) -> Iterator[tuple[int, str]]:
    """(offset, line) for each line (without its terminator) that the screen flags."""
    start = 0
    length = len(text)
    while start < length:
        end = text.find("\n", start)
        if end == -1:
            end = length
        line = text[start:end]
        if not line.isascii() and flagged(line):
            yield start, line
        start = end + 1


def _shift(edit: Edit, offset: int) -> Edit:
    return Edit(edit.stage, edit.rule, edit.name, edit.start + offset, edit.end + offset, edit.before,
                edit.after, edit.detail)


def _acceptable(text: str) -> bool:
    """No controls, private-use or unassigned characters: a repair must give real text."""
    import unicodedata

    return all(unicodedata.category(char)[0] != "C" for char in text)


_WORD_CHAR = re.compile(r"\w")


def _in_context(line: str, start: int, end: int, after: str) -> tuple[str, str]:
    """The run with its neighbouring word characters, before and after repair."""
    left = start
    while left > 0 and _WORD_CHAR.match(line[left - 1]):
        left -= 1
    right = end
    while right < len(line) and _WORD_CHAR.match(line[right]):
        right += 1
    return line[left:right], line[left:start] + after + line[end:right]


def _choose(line: str, start: int, end: int, decoded: DecodedRun) -> tuple[tuple[Piece, ...], float, int] | None:
    """The clear winner among a run's readings, its confidence and how many readings there were."""
    candidates = [pieces for pieces in decoded.candidates() if _acceptable("".join(p.char for p in pieces))]
    if not candidates:
        return None
    scored = []
    for pieces in candidates:
        after = "".join(piece.char for piece in pieces)
        _, context = _in_context(line, start, end, after)
        new_line = line[:start] + after + line[end:]
        scored.append((text_score(context) + quote_balance_bonus(new_line), pieces))
    scored.sort(key=lambda item: -item[0])
    best_score, best = scored[0]
    margin = best_score - scored[1][0] if len(scored) > 1 else math.inf
    if margin < CLEAR_MARGIN:
        return None
    confidence = 1.0 if margin == math.inf else round(1.0 - math.exp(-margin), 4)
    return best, confidence, len(scored)


def _detail(table: CodecTable, data: bytes, pieces: tuple[Piece, ...],
            choice: tuple[float, int] | None) -> dict[str, Any]:
    detail: dict[str, Any] = {"chain": [["encode", table.name], ["decode", "utf-8"]], "bytes": data.hex(" ")}
    recovered = [
        {"char": piece.char, "bytes": piece.data.hex(" "), "byte": f"{piece.data[piece.recovered]:02x}"}
        for piece in pieces
        if piece.recovered is not None
    ]
    if recovered:
        detail["recovered"] = recovered
    if choice is not None:
        detail["confidence"], detail["candidates"] = choice
    return detail


def _compose(line: str, first: list[Edit], second: list[Edit],
             warnings: list[CleanWarning]) -> tuple[list[Edit], list[CleanWarning]]:
    """Edits of two passes over one line as edits of the original line.

    The second pass's edits are in the first pass's output; where they do not touch the first
    pass's changes they are shifted back. Where they do (mojibake within mojibake), the line's
    change is recorded as diff edits carrying both passes' details.
    """
    if not first:
        return second, warnings
    spans = output_spans(first)
    shifted: list[Edit] = []
    for edit in second:
        if any(out_start <= edit.end and edit.start <= out_end for out_start, out_end in spans):
            final = apply_edits(apply_edits(line, first), second)
            detail = {"passes": [first[0].detail, *(item.detail for item in second)]}
            return _diff_edits(line, final, first[0].stage, "RP002", detail), []
        delta = sum(len(item.after) - (item.end - item.start)
                    for item, (_, out_end) in zip(first, spans, strict=True) if out_end <= edit.start)
        shifted.append(_shift(edit, -delta))
    shifted_warnings = []
    for warning in warnings:
        delta = sum(len(item.after) - (item.end - item.start)
                    for item, (_, out_end) in zip(first, spans, strict=True) if out_end <= warning.start)
        shifted_warnings.append(CleanWarning(warning.stage, warning.rule, warning.start - delta,
                                             warning.end - delta, warning.message))
    return sorted([*first, *shifted], key=lambda item: item.start), shifted_warnings


def _diff_edits(before: str, after: str, stage: str, rule: str, detail: dict[str, Any]) -> list[Edit]:
    """The changed spans between two versions of a line, one edit each."""
    edits = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(Edit(stage, rule, _NAMES[rule], i1, i2, before[i1:i2], after[j1:j2], detail))
    return edits
