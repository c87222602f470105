"""Boilerplate: whole short lines that are page furniture, not text (share prompts, comment forms,
newsletter and app prompts, cookie notices, a headline repeated at the top, ...).

The rules are data (``rules/boilerplate/*.toml``, see :mod:`cleaner.rules`). A rule only ever
matches a WHOLE line (stripped), and only a line no longer than its ``max_length``: a phrase
inside a paragraph is never a reason to remove anything.

The hot path runs over millions of documents, so per line it does as little as possible:

* lines longer than the longest ``max_length`` of any rule are skipped after a length check,
  which is nearly every line of real prose;
* a short line is tested once against a single alternation of all rules' patterns (the
  pre-screen); only when that matches (a line that is almost certainly boilerplate) are the
  rules tried one by one, to find which rule owns it and whether its scope and length allow it.

Every pattern runs with a timeout; a pattern that times out removes nothing, is reported as a
:class:`~cleaner.edits.CleanWarning`, and is skipped for the rest of that document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cleaner.edits import CleanWarning, Edit
from cleaner.rules import DEFAULT_TIMEOUT, BoilerplateRule, combined_pattern, prepare_line
from cleaner.stages.base import StageResult

# A line and its terminator; the whitespace stage (which runs later) normalises \r\n and \r.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# Refrains (lyrics, chants) repeat their first line; a headline printed twice does not recur.
_REFRAIN_COUNT = 3


@dataclass(frozen=True)
class _Line:
    """A non-blank line: its span (terminator included) and the text patterns see.

    ``text`` is None for a line too long for any rule: most lines of prose, never prepared.
    """

    start: int
    end: int
    text: str | None


class BoilerplateStage:
    """Removes whole boilerplate lines found by rule packs; see the module docstring.

    >>> from cleaner.rules import boilerplate_rules, load_rule_packs
    >>> from cleaner.edits import apply_edits
    >>> stage = BoilerplateStage(boilerplate_rules(load_rule_packs()))
    >>> text = "Title\\n\\nShare prices fell.\\n\\nShare this:\\nLeave a Reply\\n"
    >>> apply_edits(text, stage.find_edits(text).edits)
    'Title\\n\\nShare prices fell.\\n\\n'
    """

    name = "boilerplate"

    def __init__(self, rules: Sequence[BoilerplateRule], *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._timeout = timeout
        phrase = [rule for rule in rules if rule.kind == "phrase"]
        # Plain phrase rules, in load order: the first that matches a line owns it.
        self._plain = [rule for rule in phrase if not rule.near]
        self._near = [rule for rule in phrase if rule.near]
        self._repeated = [rule for rule in rules if rule.kind == "repeated-head-line"]
        self._solo = [rule for rule in self._plain if not rule.combinable]
        self._screen = combined_pattern(self._plain)
        self._max_length = max((rule.max_length for rule in self._plain), default=0)
        # Lines whose raw length exceeds this are not even prepared. The slack lets a short line
        # with heavy indentation through; beyond it a line is kept, the safe direction to err in.
        self._raw_limit = 2 * max((rule.max_length for rule in rules), default=0) + 2

    def find_edits(self, text: str) -> StageResult:
        lines = _non_blank_lines(text, self._raw_limit)
        if not lines:
            return StageResult()
        run = _Run(self, text, lines)
        run.plain_rules()
        run.near_rules()
        run.repeated_head_lines()
        run.drop_rest()
        return StageResult(run.edits(), run.warnings)


class _Run:
    """The state of one ``find_edits`` call (the stage itself stays immutable and shareable)."""

    def __init__(self, stage: BoilerplateStage, text: str, lines: list[_Line]) -> None:
        self.stage = stage
        self.text = text
        self.lines = lines
        self.removed: dict[int, tuple[BoilerplateRule, dict[str, object]]] = {}
        self.warnings: list[CleanWarning] = []
        self.timed_out: set[str] = set()
        self.markers: list[tuple[int, BoilerplateRule]] = []

    def matches(self, rule: BoilerplateRule, index: int) -> bool:
        """Whether ``rule`` matches line ``index``; a timeout is a warning and never a match."""
        if rule.id in self.timed_out:
            return False
        line = self.lines[index]
        if line.text is None:
            return False
        try:
            return rule.matches(line.text, self.stage._timeout)
        except TimeoutError:
            self.timed_out.add(rule.id)
            self.warnings.append(
                CleanWarning(
                    self.stage.name, rule.id, line.start, line.end,
                    f"pattern of {rule.id} ({rule.name}) timed out after {self.stage._timeout}s; line kept, "
                    "rule skipped for the rest of this document",
                )
            )
            return False

    def eligible(self, rule: BoilerplateRule, index: int) -> bool:
        return self.eligible_length(rule, index) and rule.in_scope(index, len(self.lines))

    def eligible_length(self, rule: BoilerplateRule, index: int) -> bool:
        text = self.lines[index].text
        return text is not None and len(text) <= rule.max_length

    def plain_rules(self) -> None:
        stage = self.stage
        screen, max_length, timeout = stage._screen, stage._max_length, stage._timeout
        use_screen = screen is not None
        for index, line in enumerate(self.lines):
            text = line.text
            if text is None or len(text) > max_length:
                continue
            candidates = stage._plain
            # Once a rule has timed out the screen (which contains it) would only time out again.
            if use_screen and screen is not None and not self.timed_out:
                try:
                    if screen.fullmatch(text, timeout=timeout) is None:
                        candidates = stage._solo
                except TimeoutError:
                    # Some pattern is slow on this line: test the rules one by one, so that the
                    # slow one is identified, warned about and skipped.
                    use_screen = False
            for rule in candidates:
                if self.eligible(rule, index) and self.matches(rule, index):
                    if rule.action == "drop-rest":
                        self.markers.append((index, rule))
                    else:
                        self.removed[index] = (rule, {"pack": rule.pack})
                    break

    def near_rules(self) -> None:
        for rule in self.stage._near:
            anchors = [index for index, (owner, _) in self.removed.items() if owner.id in rule.near]
            for anchor in sorted(anchors):
                low = max(0, anchor - rule.near_lines)
                high = min(len(self.lines), anchor + rule.near_lines + 1)
                for index in range(low, high):
                    if index in self.removed or not self.eligible(rule, index):
                        continue
                    if self.matches(rule, index):
                        owner = self.removed[anchor][0]
                        self.removed[index] = (rule, {"pack": rule.pack, "near": owner.id})

    def repeated_head_lines(self) -> None:
        for rule in self.stage._repeated:
            assert rule.scope_lines is not None
            seen: set[str] = set()
            for index in range(min(rule.scope_lines, len(self.lines))):
                text = self.lines[index].text
                # Separators such as "* * *" repeat by design; only lines with letters are headlines.
                if text is None or len(text) > rule.max_length or not any(char.isalpha() for char in text):
                    continue
                key = text.casefold()
                if key not in seen:
                    seen.add(key)
                    continue
                if index in self.removed or self._is_refrain(text):
                    continue
                self.removed[index] = (rule, {"pack": rule.pack})

    def _is_refrain(self, line: str) -> bool:
        # Case-insensitive count over the whole text: only reached for a duplicate at the head.
        return self.text.casefold().count(line.casefold()) >= _REFRAIN_COUNT

    def drop_rest(self) -> None:
        if not self.markers:
            return
        index, rule = min(self.markers, key=lambda marker: marker[0])
        rest = range(index, len(self.lines))
        too_long = next((i for i in rest if not self.eligible_length(rule, i)), None)
        if too_long is not None:
            line = self.lines[index]
            self.warnings.append(
                CleanWarning(
                    self.stage.name, rule.id, line.start, line.end,
                    f"{rule.id} ({rule.name}) marker left alone: a line after it is longer than "
                    f"{rule.max_length} characters, so what follows may be text",
                )
            )
            return
        marker_start = self.lines[index].start
        for i in rest:
            if i not in self.removed:
                self.removed[i] = (rule, {"pack": rule.pack, "marker": marker_start})

    def edits(self) -> list[Edit]:
        name, text = self.stage.name, self.text
        edits = []
        for index in sorted(self.removed):
            rule, detail = self.removed[index]
            line = self.lines[index]
            edits.append(
                Edit(name, rule.id, rule.name, line.start, line.end, text[line.start : line.end], "", detail)
            )
        return edits


def _non_blank_lines(text: str, raw_limit: int) -> list[_Line]:
    lines = []
    append = lines.append
    for match in _LINE.finditer(text):
        raw = match.group()
        if len(raw) > raw_limit:
            # isspace() stops at the first visible character: no copy of a long paragraph.
            if not raw.isspace():
                append(_Line(match.start(), match.end(), None))
            continue
        prepared = prepare_line(raw)
        if prepared:
            append(_Line(match.start(), match.end(), prepared))
    return lines
