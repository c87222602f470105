"""Repair: undo mojibake, line by line, touching only lines that are provably broken.

Clean text costs one search: :mod:`cleaner.repair_screen` runs one precompiled pattern over the
whole text and only the lines it hits are examined. On such a line:

* RP001 ``ftfy-encoding``: ftfy's encoding repair (``fix_encoding``; its cosmetic fixes belong
  to later stages and would destroy evidence) runs first and is trusted; ftfy's plan is kept
  as the edit's detail.
* RP002 ``codec-table``: then :func:`cleaner.repair_search.repair_layer` reads what is left
  through the readers ftfy lacks (Windows, ISO-8859, DOS, Mac, KOI8, the cp874+cp1252 hybrid,
  GBK, Big5, Shift-JIS, EUC-KR, EUC-JP, ...), layer after layer for double and triple mojibake.
  A run is repaired only when the language model (:mod:`cleaner.repair_lm`) finds the repair
  far more plausible than the text as it stands, on a line whose evidence is conclusive, so
  clean Thai, Vietnamese, Greek, Cyrillic, CJK, math and emoji stay as they are.
* RP003 ``lost-byte``: where the reader dropped bytes, or showed them as U+FFFD, every
  candidate is weighed (:mod:`cleaner.evidence`); only a clear winner is taken, otherwise the
  text is kept and a warning says where. A multi-byte reader that ignores what it cannot read
  drops some letters whole, without a trace (EUC-KR reads ``koně`` as ``kon``); on a line it
  repaired, such words are put back where the line's language has one clearly likelier word
  (:mod:`cleaner.traceless`).
* RP004 ``unrepaired-mojibake`` (a warning only): a line that is still plainly mojibake after
  all this (:func:`_plainly_mojibake`), and that no RP003 warning covers, is named, so that a
  line left broken does not pass unmentioned.

ftfy is trusted but not blind: the same search also runs on the line as it came, and where
ftfy chose a reading the evidence clearly refutes (``zarobljeniÄ¨kog`` read as cp1252 gives
``zarobljeniĨkog``; read as cp1257 it gives ``zarobljeničkog``), that reading wins.

Every edit records the chain undone (ftfy's plan, then each reader), the bytes read, the bytes
recovered with their confidence and how many candidates there were.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ftfy
from ftfy.badness import BADNESS_RE

from cleaner.edits import CleanWarning, Edit, EditConflict, apply_edits
from cleaner.evidence import reading_cost
from cleaner.languages import identify, writes
from cleaner.plausibility import common_cjk, implausibility, letter_coverage
from cleaner.repair_lm import COMMON_PUNCTUATION, char_class
from cleaner.repair_screen import Screen, default_screen, has_badness, latin_caps_leads
from cleaner.repair_search import RunRepair, Unsettled, refuted_by, repair_layer
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo
from cleaner.stages.whitespace import TRAILING_SPACE
from cleaner.traceless import Restored, dropped_whole
from cleaner.traceless import restore as restore_dropped

RULES = (
    RuleInfo("RP001", "ftfy-encoding", "repair",
             "Mojibake ftfy recognises (UTF-8 read as cp1252, latin-1, MacRoman, ...): ftfy's repair.",
             (("It\x92s \x93quoted\x94", "It’s “quoted”"), ("The crème brûlée", "The crème brûlée"))),
    RuleInfo("RP002", "codec-table", "repair",
             "UTF-8 read through a reader ftfy lacks: cp874+cp1252, KOI8, cp866, ISO-8859, GBK, Shift-JIS, ...",
             (("Yรกng Jiรฉchรญ said โ€œnoโ€™", "Yáng Jiéchí said “no’"),
              ("п°п╬я│п╨п╡п╟ Б─■ я│я┌п╬п╩п╦я├п╟ п═п╬я│я│п╦п╦", "Москва — столица России"),
              ("It鈥檚 here", "It’s here"),
              ("ภาษาไทยง่ายนิดเดียว ไปกับเขา", "ภาษาไทยง่ายนิดเดียว ไปกับเขา"),
              ("Москва — столица России", "Москва — столица России"))),
    RuleInfo("RP003", "lost-byte", "repair",
             "Mojibake that lost bytes the wrong reader did not define: the clear winner among candidates.",
             (("Yรกng Jiรฉchรญ ๆจๆด็ฏช", "Yáng Jiéchí 杨洁篪"), ("said โ€œnoโ€ to", "said “no” to"),
              ("Ð\ufffdÐ¾ Ð¿Ñ€Ð¸Ð²ÐµÑ‚ Ð¼Ð¸Ñ€", "Но привет мир"))),
    RuleInfo("RP004", "unrepaired-mojibake", "repair",
             "A line that still looks like mojibake after repair, with no reading clear enough to take: "
             "left as it is, and warned about, so that nothing broken passes unnoticed.",
             (("ê³µì‹ì\xa0ì¸ ì˜ì–´", "ê³µì‹ì\xa0ì¸ ì˜ì–´"), ("Grüße aus München", "Grüße aus München"))),
)
_NAMES = {rule.id: rule.name for rule in RULES}

MAX_LAYERS = 3
# How much cheaper (nats) our reading of the whole line must be before it overrides ftfy's.
FTFY_OVERRIDE = 4.0


@dataclass
class _Segment:
    """A span of the original line and what it has become; ``steps`` is empty while unchanged."""

    start: int
    end: int
    text: str
    steps: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (rule, detail) per pass


class _LineState:
    """A line being repaired pass after pass, remembering where each change came from."""

    def __init__(self, line: str) -> None:
        self.line = line
        self.segments = [_Segment(0, len(line), line)]
        self.warnings: list[tuple[int, int, str]] = []
        self.looked_clean = False  # no trace of mojibake: the search was not run (_looks_clean)

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)

    def apply(self, changes: list[tuple[int, int, str, str, dict[str, Any]]]) -> None:
        """Apply sorted, disjoint ``(start, end, after, rule, detail)`` in current coordinates.

        Changes that fall in one segment already changed by an earlier pass (or that span
        several) become one segment together: its original span, its text with every one of
        them applied, and all their steps.
        """
        if not changes:
            return
        cuts = sorted({offset for start, end, *_ in changes for offset in (start, end)})
        self._split(cuts)
        offsets = self._offsets()
        # Which segments each change covers, as [first, last) indices; changes that share a
        # segment form one group.
        groups: list[tuple[int, int, list[tuple[int, int, str, str, dict[str, Any]]]]] = []
        index = 0
        for change in changes:
            start, end = change[0], change[1]
            if groups and groups[-1][1] > groups[-1][0] and start < offsets[groups[-1][1] - 1][1]:
                # Inside the last segment the group before covers (one an earlier pass changed).
                group_first, group_last, members = groups[-1]
                while group_last < len(self.segments) and offsets[group_last][0] < end:
                    group_last += 1
                groups[-1] = (group_first, group_last, [*members, change])
                index = group_last
                continue
            while index < len(self.segments) and offsets[index][1] <= start and offsets[index][0] < start:
                index += 1
            last = index
            while last < len(self.segments) and (offsets[last][0] < end or offsets[last][0] == start == end):
                last += 1
            groups.append((index, last, [change]))
            index = last
        merged: list[_Segment] = []
        done = 0
        for first, last, members in groups:
            merged.extend(self.segments[done:first])
            covered = self.segments[first:last]
            span_start = offsets[first][0] if covered else members[0][0]
            text = "".join(segment.text for segment in covered)
            for start, end, after, _, _ in reversed(members):  # from the end: offsets stay valid
                text = text[: start - span_start] + after + text[end - span_start :]
            original_start = covered[0].start if covered else self._original(members[0][0])
            original_end = covered[-1].end if covered else original_start
            steps = [step for segment in covered for step in segment.steps]
            steps += [(rule, detail) for _, _, _, rule, detail in members]
            merged.append(_Segment(original_start, original_end, text, steps))
            done = max(done, last)
        merged.extend(self.segments[done:])
        self.segments = merged

    def _offsets(self) -> list[tuple[int, int]]:
        offsets, position = [], 0
        for segment in self.segments:
            offsets.append((position, position + len(segment.text)))
            position += len(segment.text)
        return offsets

    def _split(self, cuts: list[int]) -> None:
        """Split unchanged segments at the given current offsets."""
        result: list[_Segment] = []
        position = 0
        for segment in self.segments:
            length = len(segment.text)
            inner = [cut - position for cut in cuts if position < cut < position + length]
            if segment.steps or not inner:
                result.append(segment)
            else:
                previous = 0
                for cut in [*inner, length]:
                    result.append(_Segment(segment.start + previous, segment.start + cut, segment.text[previous:cut]))
                    previous = cut
            position += length
        self.segments = result

    def _original(self, offset: int) -> int:
        """The original offset of a current offset (the start of a changed segment inside one)."""
        position = 0
        for segment in self.segments:
            if offset <= position + len(segment.text):
                return segment.start + (offset - position if not segment.steps else 0)
            position += len(segment.text)
        return len(self.line)

    def written_marks(self) -> list[int]:
        """Where an earlier pass wrote U+FFFD (ftfy's mark for a sequence it could not read), in
        current offsets. A later pass must not read such a mark as a lost byte: it stands for a
        whole sequence, not a byte (``ðŸ“�Â `` is a lost emoji and a no-break space; read as one
        lost byte and the A0, the mark vanished)."""
        marks: list[int] = []
        position = 0
        for segment in self.segments:
            if segment.steps:
                marks.extend(position + index for index, char in enumerate(segment.text) if char == "\ufffd")
            position += len(segment.text)
        return marks

    def warn(self, start: int, end: int, message: str) -> None:
        self.warnings.append((self._original(start), max(self._original(start), self._original(end)), message))

    def repaired_clean(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` (current offsets) lies inside text an earlier pass repaired,
        and that text shows no trace of mojibake: a later layer's doubt about it (``é`` read
        back through cp1250 as the head of a character that lost two bytes) is no warning."""
        for segment, (first, last) in zip(self.segments, self._offsets(), strict=True):
            if first <= start and end <= last:
                return bool(segment.steps) and _looks_clean(segment.text)
        return False

    def forget_warnings_under(self, changes: list[tuple[int, int, str, str, dict[str, Any]]]) -> None:
        """Drop the warnings of an earlier layer about text these changes (current offsets) now
        repair: a run left unsettled in the first layer may be settled in the next, which sees
        the line with the first layer's repairs (``Yรกng met Qรzz``)."""
        spans = [(self._original(start), self._original(end)) for start, end, *_ in changes]
        self.warnings = [warning for warning in self.warnings
                         if not any(first <= warning[0] < last for first, last in spans)]

    def edits(self, stage: str) -> list[Edit]:
        edits = []
        for segment in self.segments:
            if not segment.steps:
                continue
            rule = _rule_of(segment.steps)
            edits.append(Edit(stage, rule, _NAMES[rule], segment.start, segment.end,
                              self.line[segment.start : segment.end], segment.text, _detail_of(segment.steps)))
        return edits


def _rule_of(steps: list[tuple[str, dict[str, Any]]]) -> str:
    rules = {rule for rule, _ in steps}
    return "RP003" if "RP003" in rules else "RP002" if "RP002" in rules else "RP001"


def _detail_of(steps: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """One pass: its own detail. Several (ftfy then a table, double mojibake): the whole chain
    in the order undone, the last pass's bytes, every recovered byte, the least confidence."""
    if len(steps) == 1:
        return steps[0][1]
    chain: list[list[str]] = []
    recovered: list[dict[str, str]] = []
    confidence = 1.0
    candidates = 1
    for _, detail in steps:
        chain.extend(detail.get("chain", []))
        recovered.extend(detail.get("recovered", []))
        confidence = min(confidence, detail.get("confidence", 1.0))
        candidates *= detail.get("candidates", 1)
    merged: dict[str, Any] = {"chain": chain, "bytes": steps[-1][1].get("bytes", ""), "passes": [d for _, d in steps]}
    if recovered:
        merged.update(recovered=recovered, confidence=confidence, candidates=candidates)
    return merged


_LINE_PIECE = re.compile(r"[^\r]+")
# Cyrillic read as MacRoman or MacCyrillic: the lead bytes D0 and D1 show as dashes, so every
# other character is one (``–û—Å–µ–Ω``). Dashes are punctuation, which implausibility() lets
# touch letters (``word—word``), but never three times in a row around single letters.
_DASH_LETTERS = re.compile(r"(?:[–—][^\W\d_]){3}")
# Thai read as Thai (cp874, alone or with cp1252's punctuation): each character's first two
# bytes, E0 B8 or E0 B9, show as เธ or เน, so every third character is เ (``เน‚เธ”เธข``, โดย).
# Thai letters all, which implausibility() lets through; clean Thai does not repeat this.
_THAI_AS_THAI = re.compile("(?:เ[ธน][^\x00-\x7f]){3}")
# A letter alone before a no-break space and a word: the A0 of a two-byte character that a
# reader showed as a no-break space (French ``à``, C3 A0, through cp1250: ``Ă\xa0 peine``).
_LONE_LETTER_NBSP = re.compile(r"(?:^|(?<=[\s(«„“]))([^\W\d_a-zA-Z])\xa0 ?(?=[^\W\d_])")


def _bears_mojibake(line: str) -> bool:
    """An oddity mojibake leaves (scripts mixed in a word, symbols inside words, case flips), or
    something ftfy calls bad."""
    return (implausibility(line) != 0 or has_badness(line) or _DASH_LETTERS.search(line) is not None
            or _lone_capital_before_nbsp(line) or _caps_lead_pattern().search(line) is not None
            or _THAI_AS_THAI.search(line) is not None)


@lru_cache(maxsize=1)
def _caps_lead_pattern() -> re.Pattern[str]:
    """A Latin capital that a lead byte reads as, between two ASCII capitals: a continuation
    byte may be missing there (``GWAĹTOWNY``; see repair_screen.latin_caps_leads). Clean German
    and Swedish capitals match too; the search, not this test, decides."""
    return re.compile("[A-Z][" + "".join(sorted(latin_caps_leads())) + "][A-Z]")


def _lone_capital_before_nbsp(line: str) -> bool:
    """Whether a non-ASCII letter that is not lower case stands alone before a no-break space and
    a word (see _LONE_LETTER_NBSP): clean text writes lone capitals (``À la carte``, Czech ``V\xa0roce``)
    but not a non-ASCII one held to the next word by a no-break space.

    >>> _lone_capital_before_nbsp("biographique, Ă\xa0 peine"), _lone_capital_before_nbsp("À la carte")
    (True, False)
    """
    return "\xa0" in line and any(not match.group(1).islower() for match in _LONE_LETTER_NBSP.finditer(line))


def _plainly_mojibake(line: str) -> bool:
    """At least two of the sequences ftfy calls bad (``ì˜``, ``Ã©``): no line of the throughput
    benchmark's 50 MB of clean prose in 44 languages has two, while one is written in clean text
    (Swedish ``”återuppta``, German ``»übliche«``). The measure behind RP004's warning; the
    broader :func:`_bears_mojibake` put it on 289 lines of that prose (Arabic with Latin words)."""
    return has_badness(line) and len(BADNESS_RE.findall(line)) >= 2


# U+3400-U+D7A3 (CJK ideographs through Hangul syllables), found in C rather than by a loop over the line.
_IDEOGRAPHS = re.compile("[\u3400-\ud7a3]")


def _looks_clean(line: str) -> bool:
    """No oddity mojibake leaves (:func:`_bears_mojibake`): then the search, ~10 ms a line, is not
    run. Most lines the screen flags in clean non-Latin text are of this kind."""
    if _bears_mojibake(line):
        return False
    # A wrong multi-byte codec (text read as GBK) gives valid ideographs in one script: quiet by
    # the tests above, but mostly rare ones, which real text is not.
    ideographs = _IDEOGRAPHS.findall(line)
    if ideographs:
        common = common_cjk()
        return sum(char in common for char in ideographs) >= 0.75 * len(ideographs)
    return True


class RepairStage:
    """Undoes mojibake; see the module docstring and :data:`RULES`."""

    name = "repair"
    line_local = True  # each line is judged on its own (see Pipeline.clean_text)

    def __init__(self, enabled: Callable[[str], bool] = lambda rule_id: True, screen: Screen | None = None) -> None:
        self._enabled = {rule.id for rule in RULES if enabled(rule.id)}
        self._ftfy = "RP001" in self._enabled
        # RP003 needs RP002's evidence to unlock a line, even when RP002's own edits are off.
        self._tables = bool({"RP002", "RP003"} & self._enabled)
        self._warn_unrepaired = "RP004" in self._enabled and self._tables
        self._screen = screen

    def find_edits(self, text: str) -> StageResult:
        result = StageResult()
        if text.isascii() or not (self._ftfy or self._tables):
            return result
        screen = self._screen or default_screen()
        for line_start, line in screen.flagged_lines(text):
            # Each line is judged as the whitespace stage will leave it: split at CR as well as
            # LF, without trailing white space. Except for a no-break space right after a
            # non-ASCII character: it can be the last byte of mojibake (A0 of cittÃ\xa0, città;
            # KOI8-R's 9A, the end of a Thai letter), which stripping it would destroy. Should
            # the repair decline, the whitespace stage strips it, and the next pass judges the
            # line without it: cleaning the output again still changes nothing.
            for piece in _LINE_PIECE.finditer(line):
                content = piece.group().rstrip(TRAILING_SPACE)
                if not content:
                    continue
                if not content[-1].isascii() and piece.group()[len(content) : len(content) + 1] == "\xa0":
                    content += "\xa0"
                offset = line_start + piece.start()
                state = self._repair_line(content)
                edits = state.edits(self.name)
                if not _replays(content, edits, state.text):
                    # A defect in mapping layered repairs back to the line: never let it break
                    # the document. The line is kept as it was, and the log says why.
                    result.warnings.append(CleanWarning(
                        self.name, "RP003", offset, offset + len(content),
                        "the repairs of this line did not map back to it as disjoint edits "
                        "(an internal limitation); line left as it was"))
                    continue
                result.edits.extend(_shift(edit, offset) for edit in edits)
                result.warnings.extend(
                    CleanWarning(self.name, "RP003", start + offset, end + offset, message)
                    for start, end, message in state.warnings
                )
                if (self._warn_unrepaired and not state.looked_clean and not state.warnings
                        and _plainly_mojibake(state.text)):
                    result.warnings.append(CleanWarning(
                        self.name, "RP004", offset, offset + len(content),
                        "this line still bears marks of mojibake (or of bytes lost for good) that no "
                        "reading clearly explains; left as it is"))
        return result

    def _repair_line(self, line: str) -> _LineState:
        state = self._repair_encoding(line)
        if "RP003" in self._enabled:
            _restore_dropped_letters(state)
        return state

    def _repair_encoding(self, line: str) -> _LineState:
        trusted = _LineState(line)
        plan: list[list[str]] = []
        if self._ftfy and has_badness(line):
            fixed = ftfy.fix_encoding_and_explain(line)
            if fixed.text != line:
                plan = [list(step) for step in fixed.explanation or []]
                trusted.apply(_diff_changes(line, fixed.text, "RP001", {"chain": plan, "ftfy_plan": plan}))
        if not self._tables:
            return trusted
        if (_C1_CONTROLS.search(line) and all(step in _C1_STEPS for step in plan)
                and (legacy := _legacy_reading(line, trusted.text)) is not None):
            return legacy
        if _restored_a0_as_symbol(trusted):
            # ftfy read a space as the byte A0 and made a symbol of it: ``â€ `` as † (E2 80 A0),
            # where the reader dropped the 9D of ” before the space. Our search reads a space as
            # A0 only where that makes a letter; where it repairs the line without warnings, its
            # reading stands instead of ftfy's.
            ours = _LineState(line)
            self._layers(ours)
            if ours.text != line and not ours.warnings:
                return ours
        if trusted.text == line and _looks_clean(line):
            trusted.looked_clean = True
            return trusted  # the cheap rejection: no trace of mojibake for the search to explain
        if trusted.text == line or not _looks_clean(trusted.text) or "\ufffd" in trusted.text:
            self._layers(trusted)  # (what ftfy left looking clean has no layer left to undo)
        if trusted.text == line or not trusted.segments or all(not s.steps for s in trusted.segments):
            return trusted
        if any(rule == "RP001" for segment in trusted.segments for rule, _ in segment.steps) and not (
                _latin1_plan(plan) and _looks_clean(trusted.text)
                and (letter_coverage(trusted.text) == 1.0 or not _made_latin_letters(line, trusted.text))
                and not _foreign_lead_byte(trusted.text)):
            ours = _LineState(line)
            self._layers(ours)
            if ours.warnings and has_badness(ours.text):
                # What our search leaves unsettled, ftfy may still mend in part, as it did on
                # the whole line (``общодоÑтъпни``): without that, a line we repaired all
                # but one word of lost to ftfy's partial repair of every word.
                fixed = ftfy.fix_encoding_and_explain(ours.text)
                if fixed.text != ours.text:
                    steps = [list(step) for step in fixed.explanation or []]
                    ours.apply(_diff_changes(ours.text, fixed.text, "RP001", {"chain": steps, "ftfy_plan": steps}))
            # ftfy's verdict stands unless our own repair of the line is clearly more plausible
            # (including where ftfy wrote U+FFFD for bytes the evidence recovers). A guess at a
            # lost byte does not beat ftfy's reading of a space as the byte A0 (``à¸ `` is ภ,
            # E0 B8 A0, not ก plus a space).
            # Where the two differ only in the case of a letter our own search guessed on ftfy's
            # text, ftfy's plan has no say in it: the likelier reading stands (``În sferele``
            # was cp1253's guess after ftfy read a C1 byte as cp1253, which cannot drop the AE
            # of ``î``; ours read the line as ISO-8859-7).
            override = 0.0 if (_guessed(trusted) and ours.text.casefold() == trusted.text.casefold()) else FTFY_OVERRIDE
            if (ours.text not in (trusted.text, line)
                    and not (_guessed(ours) and _restored_a0(trusted)
                             and ("\ufffd" not in trusted.text or _guessed_against_a0(ours, trusted))
                             and not _restored_a0_inside_a_word(trusted))
                    and _line_cost(ours.text) + override < _line_cost(trusted.text)):
                return ours
        return trusted

    def _layers(self, state: _LineState) -> None:
        layer = None
        refuted: frozenset[str] = frozenset()  # readers an earlier layer's lost bytes ruled out
        for _ in range(MAX_LAYERS):
            if layer is not None and not layer.unsettled and not (self._screen or default_screen()).search(state.text):
                # The last layer settled all it saw, and left a line the screen would not have
                # flagged: the search would find nothing more to undo, and a search that finds
                # nothing costs as much as one that repairs (~3 ms a line).
                return
            layer = repair_layer(state.text, refuted)
            marks = state.written_marks()
            accepted = [(repair, change) for repair in layer.repairs if (change := self._change(repair)) is not None
                        and not any(change[0] <= mark < change[1] for mark in marks)]
            last = not accepted
            if last:
                # Nothing more to settle: runs repaired but for characters kept as read are taken
                # now, those characters warned about (see repair_search._kept_as_read).
                accepted = [(unsettled.partial, change) for unsettled in layer.unsettled
                            if unsettled.partial is not None and (change := self._change(unsettled.partial)) is not None
                            and not any(change[0] <= mark < change[1] for mark in marks)]
            changes = [change for _, change in accepted]
            if "RP003" in self._enabled:
                taken = {(repair.start, repair.end) for repair, _ in accepted}
                for unsettled in layer.unsettled:
                    if (unsettled.start, unsettled.end) in taken:
                        continue
                    if unsettled.line_unrepaired and not changes and _plainly_mojibake(state.text):
                        continue  # the whole line is named instead (RP004), once
                    if not (_lone_punctuation(state.text[unsettled.start : unsettled.end])
                            or state.repaired_clean(unsettled.start, unsettled.end)):
                        state.warn(unsettled.start, unsettled.end, _warning(state.text, unsettled))
            if not changes:
                return
            state.forget_warnings_under(changes)
            for repair, _ in accepted:  # characters a repair kept as read, inside its run
                for doubt in repair.kept:
                    state.warn(doubt.start, doubt.end, _warning(state.text, doubt))
            state.apply(changes)
            refuted |= refuted_by(repair for repair, _ in accepted)
            if last:
                return

    def _change(self, repair: RunRepair) -> tuple[int, int, str, str, dict[str, Any]] | None:
        rule = "RP003" if repair.choice is not None else "RP002"
        if rule not in self._enabled:
            return None
        return repair.start, repair.end, repair.after, rule, repair.detail()


def _restore_dropped_letters(state: _LineState) -> None:
    """Put back the letters the line's one reader dropped whole, leaving no trace (EUC-KR's
    ``kon`` for ``koně``), or marked with a U+FFFD a byte that our search left unread (``kon��``);
    see :mod:`cleaner.traceless`. Where the words clearly say which.

    A line with nothing but such marks names no reader. Marks in pairs (and threes, for quotation
    marks and dashes) are what EUC-KR, Big5 and EUC-JP leave, and they drop nearly the same
    letters: such a line is read as theirs where all three agree."""
    if not any(segment.steps for segment in state.segments) and "\ufffd\ufffd" not in state.line:
        return  # nothing read through any reader, and no marks of one
    if any(rule == "RP001" for segment in state.segments for rule, _ in segment.steps):
        return
    readers = {detail["chain"][0][1] for segment in state.segments for rule, detail in segment.steps
               if detail.get("chain")}
    if not readers and _PAIRED_MARKS.fullmatch(state.line):
        readings = {reader: restore_dropped(state.text, reader, read=state.line) for reader in _MARKING_READERS}
        found = readings[_MARKING_READERS[0]]
        if not found or any(_spans(other) != _spans(found) for other in readings.values()):
            return
        reader = "/".join(_MARKING_READERS)
    elif len(readers) == 1 and dropped_whole(reader := readers.pop()):
        found = restore_dropped(state.text, reader, read=state.line)
    else:
        return
    marks = state.written_marks()  # U+FFFD an earlier pass wrote stands for a whole sequence
    state.apply([(item.start, item.end, item.after, "RP003", item.detail(reader))
                 for item in found if not any(item.start <= mark < item.end for mark in marks)])


_MARKING_READERS = ("euc_kr", "big5", "euc_jp")
# A line whose every U+FFFD comes in a pair or a three, at least one pair inside a word.
_PAIRED_MARKS = re.compile(r"(?=.*\w\ufffd\ufffd(?!\ufffd)|.*(?<!\ufffd)\ufffd\ufffd\w)"
                           r"(?:[^\ufffd]|(?<!\ufffd)\ufffd{2,3}(?!\ufffd))*")


def _spans(found: list[Restored]) -> list[tuple[int, int, str]]:
    return [(item.start, item.end, item.after) for item in found]


# UTF-8 read as Latin-1 or cp1252, once or twice: by far the commonest mojibake, and the
# reading ftfy tries first. Where it leaves the line looking clean, in letters some single
# language writes, our own search has nothing to add, so it is not run: on a corpus it was a
# third of the repair stage's time. (The letters matter: ftfy's ``Ĩini`` looks clean, but no
# language writes Ĩ, and our reading ``čini`` is right.)
_LATIN1_STEPS = (["encode", "latin-1"], ["encode", "sloppy-windows-1252"], ["decode", "utf-8"])


# What cp1252 shows for the lead byte of a two-byte UTF-8 character (C2-DF): a letter, so a lead
# whose continuation byte the reader dropped passes for one (``Äinem`` is ``činem`` that lost 8D).
_CP1252_LEADS = frozenset(bytes([byte]).decode("cp1252") for byte in range(0xC2, 0xE0))


def _foreign_lead_byte(text: str) -> bool:
    """Whether ``text`` holds what cp1252 makes of a lead byte (Â to ß) that the line's language
    does not write: a lost byte ftfy's reading left behind, for our search to weigh. German
    ``Äpfel`` writes its Ä; a Czech line does not.

    >>> _foreign_lead_byte("Soud uznal, že pachatel spáchal trestný Äin, a uložil mu přísný trest.")
    True
    >>> _foreign_lead_byte("Die Äpfel und die Birnen sind in diesem Jahr größer als früher.")
    False
    """
    leads = _CP1252_LEADS.intersection(text)
    if not leads:
        return False
    languages = identify(text)
    return bool(languages) and not all(writes(languages, char) for char in leads)


def _line_cost(text: str) -> float:
    """What a reading of a line costs, as the language its letters point to writes it (a Czech
    line's ``Äin`` pays for a letter Czech does not write; :func:`cleaner.languages.identify`)."""
    return reading_cost(text, languages=identify(text))


def _made_latin_letters(line: str, fixed: str) -> bool:
    """Whether ftfy's repair of ``line`` wrote accented Latin letters it did not hold. Where it
    wrote only other scripts' letters (Greek, Persian, Japanese read as cp1252), the letter
    coverage that weighs Central European readings against Western ones says nothing, and our
    own search of the line (up to 0.1 s for a long line) would only agree with ftfy.

    >>> _made_latin_letters("Î±Î²Î³", "αβγ"), _made_latin_letters("cafÃ©", "café")
    (False, True)
    """
    return any(not char.isascii() and char_class(char) == "L:LATIN" for char in set(fixed) - set(line))


def _latin1_plan(plan: list[list[str]]) -> bool:
    """Whether ftfy's plan only undid UTF-8 read as Latin-1 or cp1252."""
    return bool(plan) and all(step in _LATIN1_STEPS for step in plan)


# C1 controls: bytes 80-9F of a single-byte encoding read as Latin-1. ftfy reads them as
# Windows-1252; other encodings put letters there, a Mac's small accented letters among them
# (``tur\x92stico`` is MacRoman's ``turístico``; Windows-1252 reads ``tur’stico``).
_C1_CONTROLS = re.compile("[\x80-\x9f]")
# ftfy's plans that only transcode such controls (a plan that reads UTF-8 found UTF-8 there).
_C1_STEPS = (["encode", "latin-1"], ["decode", "windows-1252"], ["transcode", "fix_c1_controls"])
_NON_ASCII_WORDS = re.compile(r"\S*[^\x00-\x7f]\S*")
_LEGACY_C1_READERS = ("mac_roman",)


def _legacy_reading(line: str, ftfy_reading: str) -> _LineState | None:
    """The line's bytes, which hold C1 controls, read as another legacy single-byte encoding
    than ftfy's Windows-1252 (``ftfy_reading``, ftfy's transcoding of the controls or the line
    as it stands), where that reading is clearly likelier (:data:`FTFY_OVERRIDE`) in the words
    with a character beyond ASCII: the whole line, for its other such characters were read as
    Latin-1 too. A line whose other characters are right as Latin-1 (``está \x93próximo\x94``)
    loses them in MacRoman (``est· ìpróximoî``). MacRoman's characters at 80-9F are all letters:
    some control must touch a letter.

    >>> _legacy_reading("barco tur\x92stico", "barco tur’stico").text
    'barco turístico'
    """
    if len(ftfy_reading) != len(line) or not any(
            line[match.start() - 1 : match.start()].isalpha() or line[match.end() : match.end() + 1].isalpha()
            for match in _C1_CONTROLS.finditer(line)):
        return None  # controls standing alone are no letters of words (``intentional \x81``)
    try:
        data = line.encode("latin-1")
    except UnicodeEncodeError:
        return None
    words = [match.span() for match in _NON_ASCII_WORDS.finditer(line)]

    def cost(text: str) -> float:
        return sum(reading_cost(text[start:end]) for start, end in words)

    best, best_cost = None, cost(ftfy_reading) - FTFY_OVERRIDE
    for reader in _LEGACY_C1_READERS:
        reading = data.decode(reader)
        reading_cost_ = cost(reading)
        if reading_cost_ < best_cost:
            best, best_cost = (reader, reading), reading_cost_
    if best is None:
        return None
    state = _LineState(line)
    state.apply(_diff_changes(line, best[1], "RP002", {"chain": [["encode", "latin-1"], ["decode", best[0]]]}))
    return state


def _guessed(state: _LineState) -> bool:
    """Whether a repair of the line chose lost bytes (RP003)."""
    return any(rule == "RP003" for segment in state.segments for rule, _ in segment.steps)


def _restored_a0(state: _LineState) -> bool:
    """Whether ftfy's plan for the line read a space as the byte A0."""
    return any(rule == "RP001" and ["transcode", "restore_byte_a0"] in detail.get("chain", [])
               for segment in state.segments for rule, detail in segment.steps)


def _guessed_against_a0(ours: _LineState, trusted: _LineState) -> bool:
    """Whether our repair guessed a lost byte in a run that ftfy read, with the space after it,
    as one character ending in A0: ``Ð ÑƒÑ\ufffdÑ\ufffd`` is ftfy's ``Ру\ufffd\ufffd`` (D0 A0), and
    ours ``А ус..`` (D0 90, a lost byte) made another word of what is left. The two readings of
    the space contradict each other, and ftfy's says less that it cannot know (U+FFFD), so it
    stands, even where it left marks our guesses would have filled.

    >>> ftfy = _LineState("Ð Ñƒ")
    >>> ftfy.apply([(0, 4, "Ру", "RP001", {"chain": [["transcode", "restore_byte_a0"]]})])
    >>> ours = _LineState("Ð Ñƒ")
    >>> ours.apply([(0, 1, "А", "RP003", {}), (2, 4, "у", "RP002", {})])
    >>> _guessed_against_a0(ours, ftfy)
    True
    """
    consumed = {segment.start + index for segment in trusted.segments
                if segment.steps and trusted.line[segment.start : segment.end].count(" ") > segment.text.count(" ")
                for index, char in enumerate(trusted.line[segment.start : segment.end]) if char == " "}
    return any(segment.end in consumed for segment in ours.segments
               if any(rule == "RP003" for rule, _ in segment.steps))


def _restored_a0_inside_a_word(state: _LineState) -> bool:
    """Whether ftfy read a space as the byte A0 and made of it a capital right after a small
    letter: two words run together by a letter of the wrong case (``týždeĹ zahynulo``, where
    cp1250 dropped the 88 of ň, became ``týždeŠzahynulo``, C5 A0). Nothing is written so, and
    the lost byte our own search reads there is the likelier guess.

    >>> state = _LineState("týždeĹ zahynulo")
    >>> state.apply([(5, 7, "Š", "RP001", {"chain": [["transcode", "restore_byte_a0"]]})])
    >>> _restored_a0_inside_a_word(state)
    True
    """
    previous = ""  # the character before the segment, as repaired
    for segment in state.segments:
        if segment.steps and state.line[segment.start : segment.end].count(" ") > segment.text.count(" "):
            for char in segment.text:
                if char.isupper() and previous.islower():
                    return True
                previous = char
        previous = segment.text[-1:] or previous
    return False


def _restored_a0_as_symbol(state: _LineState) -> bool:
    """Whether ftfy's plan read a space as the byte A0 (see :func:`_restored_a0`) and a character
    it made ends in that byte and is no letter or digit (†, E2 80 A0; not ภ, E0 B8 A0).

    >>> state = _LineState("a â€ b")
    >>> state.apply([(2, 5, "†", "RP001", {"chain": [["transcode", "restore_byte_a0"]]})])
    >>> _restored_a0_as_symbol(state)
    True
    """
    if _restored_a0(state) or any(
            state.line[segment.start : segment.end].endswith(" ") for segment in state.segments if segment.steps):
        return any(_a0_symbol(char) for segment in state.segments if segment.steps for char in segment.text)
    # (ftfy's repair of a line with a byte lost elsewhere does it inside decode_inconsistent_utf8,
    # which its plan names instead: there the span it replaced ends in the space it read as A0,
    # as above, or holds it inside, with the character after it: ``â€ Ã¡`` became ``†á``. Then
    # the symbol must be in that span, and made there: double mojibake's first layer, read whole,
    # makes † of 86 too.)
    return any(_a0_symbol(char) for segment in state.segments
               if any(["apply", "decode_inconsistent_utf8"] in detail.get("chain", []) for _, detail in segment.steps)
               and state.line[segment.start : segment.end].count(" ") > segment.text.count(" ")
               for char in segment.text)


def _a0_symbol(char: str) -> bool:
    """Whether ``char`` is a symbol whose UTF-8 ends in the byte A0 (†, E2 80 A0; not ภ)."""
    return not char.isascii() and char.encode()[-1:] == b"\xa0" and not char.isalnum()


def _replays(line: str, edits: list[Edit], repaired: str) -> bool:
    """Whether ``edits`` are sorted, disjoint, fit ``line`` and turn it into ``repaired``."""
    try:
        return apply_edits(line, edits) == repaired
    except EditConflict:
        return False


def _lone_punctuation(run: str) -> bool:
    """One common punctuation mark (a bullet, a curly quote, a dash) alone: far likelier written
    so than the tail of a character whose lead bytes were lost. Not worth a warning."""
    return len(run) == 1 and run in COMMON_PUNCTUATION


def _warning(text: str, unsettled: Unsettled) -> str:
    return (f"possible mojibake {text[unsettled.start : unsettled.end]!r} ({unsettled.codec}) lost bytes "
            f"that the evidence does not settle ({unsettled.readings} readings); left as it is")


def _shift(edit: Edit, offset: int) -> Edit:
    return Edit(edit.stage, edit.rule, edit.name, edit.start + offset, edit.end + offset, edit.before,
                edit.after, edit.detail)


def _diff_changes(before: str, after: str, rule: str,
                  detail: dict[str, Any]) -> list[tuple[int, int, str, str, dict[str, Any]]]:
    """The changed spans between two versions of a line.

    >>> _diff_changes("a Ã© b Ã¨", "a é b è", "RP001", {})
    [(2, 4, 'é', 'RP001', {}), (7, 9, 'è', 'RP001', {})]
    """
    # The common head and tail first: the search for matching blocks is quadratic in what it is given.
    head = 0
    limit = min(len(before), len(after))
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    middle_before, middle_after = before[head : len(before) - tail], after[head : len(after) - tail]
    changes: list[tuple[int, int, str, str, dict[str, Any]]] = []
    for equal, i1, i2, j1, j2 in _opcodes(middle_before, middle_after):
        if equal and not (changes and _chance_match(middle_before[i1:i2]) and i2 < len(middle_before)):
            continue
        if changes and changes[-1][1] == head + i1:  # one change with the one before
            start, _, text, *_ = changes[-1]
            changes[-1] = (start, head + i2, text + middle_after[j1:j2], rule, detail)
        else:
            changes.append((head + i1, head + i2, middle_after[j1:j2], rule, detail))
    return changes


def _opcodes(a: str, b: str) -> list[tuple[bool, int, int, int, int]]:
    """``difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()``, the same spans in the
    same order, with ``True`` for ``"equal"`` and ``False`` for any other tag (which is all
    :func:`_diff_changes` asks of a tag). SequenceMatcher's search for the longest matching
    block is a Python loop over every pair of equal characters, and on a repaired line's letters
    that cost ~0.3 ms a line; :func:`_longest_match` finds the same block with ``str.find``.

    >>> _opcodes("a Ã© b", "a é b")
    [(True, 0, 2, 0, 2), (False, 2, 4, 2, 3), (True, 4, 6, 3, 5)]
    """
    # SequenceMatcher.get_matching_blocks(): the longest block, then the same on each side of it.
    blocks: list[tuple[int, int, int]] = []
    queue = [(0, len(a), 0, len(b))]
    while queue:
        a_low, a_high, b_low, b_high = queue.pop()
        i, j, size = _longest_match(a, b, a_low, a_high, b_low, b_high)
        if size:
            blocks.append((i, j, size))
            if a_low < i and b_low < j:
                queue.append((a_low, i, b_low, j))
            if i + size < a_high and j + size < b_high:
                queue.append((i + size, a_high, j + size, b_high))
    blocks.sort()
    # Adjacent blocks merged into one, and the end of both as a last block of size 0.
    merged: list[tuple[int, int, int]] = []
    for i, j, size in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + size)
        else:
            merged.append((i, j, size))
    merged.append((len(a), len(b), 0))
    # get_opcodes(): what lies between two blocks differs, each block is equal.
    opcodes: list[tuple[bool, int, int, int, int]] = []
    i = j = 0
    for block_i, block_j, size in merged:
        if i < block_i or j < block_j:
            opcodes.append((False, i, block_i, j, block_j))
        i, j = block_i + size, block_j + size
        if size:
            opcodes.append((True, block_i, i, block_j, j))
    return opcodes


def _longest_match(a: str, b: str, a_low: int, a_high: int, b_low: int, b_high: int) -> tuple[int, int, int]:
    """SequenceMatcher.find_longest_match(a_low, a_high, b_low, b_high) without junk: the longest
    common block of ``a[a_low:a_high]`` and ``b[b_low:b_high]``, the one that starts first in
    ``a`` among the longest, and first in ``b`` among those; ``(a_low, b_low, 0)`` if none.

    Each start in ``a`` is only asked whether it begins a block longer than the longest so far
    (one ``str.find``), and grows it while it does: at most one search per start and one per
    character of the answer. A start that ties the longest is never taken, as in difflib.
    """
    best_i, best_j, best_size = a_low, b_low, 0
    i = a_low
    while i + best_size < a_high:
        j = b.find(a[i : i + best_size + 1], b_low, b_high)
        if j < 0:
            i += 1
            continue
        best_i, best_j, best_size = i, j, best_size + 1
        while i + best_size < a_high:
            j = b.find(a[i : i + best_size + 1], best_j, b_high)
            if j < 0:
                break
            best_j, best_size = j, best_size + 1
        i += 1
    return best_i, best_j, best_size


def _chance_match(common: str) -> bool:
    """A stretch the two versions share by chance between two changes, to be made part of them:
    U+FFFD (a lost byte in the input, and ftfy's mark for one in its output), or one character
    that is not a space. Kept apart, such stretches cut a repaired line into pieces that do not
    correspond (``μ‚¬λ`` -> ``복``), and later passes cannot map their edits onto them.

    >>> _chance_match("\ufffd"), _chance_match("a"), _chance_match(" "), _chance_match(" b ")
    (True, True, False, False)
    """
    return set(common) == {"\ufffd"} or (len(common) == 1 and not common.isspace())


