"""Boilerplate: whole short lines that are page furniture, not text (share prompts, comment forms,
newsletter and app prompts, cookie notices, a headline printed twice at the top, ...).

The rules are data (``rules/boilerplate/*.toml``, see :mod:`cleaner.rules`). A rule only ever
matches a WHOLE line (stripped), and only a line no longer than its ``max_length``: a phrase
inside a paragraph is never a reason to remove anything.

The stage runs over millions of documents, so per line it does as little as possible:

* a line longer than the longest ``max_length`` (300 characters in the packaged packs; a long
  paragraph) costs a length check and nothing else: it is not even stripped;
* a shorter line's first character, then (if that leaves more than a couple of rules) its first
  four characters, pick from per-stage caches the rules whose pattern can begin that way at all
  (computed once per key with the regex module's partial matching). For prose that leaves a
  handful of the sixty rules at most, so a line costs one or two dictionary look-ups, not one
  regex per rule. The first level keeps scripts without spaces (CJK), whose short lines rarely
  share a 4-character prefix, from thrashing the second;
* each candidate checks its own ``max_length`` and scope, then runs its pattern with a timeout;
  the first that matches owns the line.

A single alternation of all patterns was measured first and rejected: the regex module tries
its branches one after another, so it was nearly as slow as running the rules one by one.

A pattern that times out removes nothing: the stage reports a
:class:`~cleaner.edits.CleanWarning` and skips that rule for the rest of the document.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.edits import CleanWarning, Edit
from cleaner.rules import DEFAULT_TIMEOUT, BoilerplateRule, prepare_line
from cleaner.stages.base import StageResult

# A line and its terminator; the whitespace stage (which runs later) normalises \r\n and \r.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# Characters str.splitlines() also breaks at. Lines end only at \n, \r\n and \r here (as in the
# whitespace stage), so a text holding any of these is split with _LINE instead (4x slower).
_OTHER_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Characters of a line's start that choose its candidate rules. Four is enough to tell "Share"
# from "Shanghai" and "The" from "This" while keeping the cache to the corpus's distinct openings.
_PREFIX = 4
# When the first character leaves at most this many rules, they run without the prefix level.
_FEW_RULES = 2
# A candidate cache is dropped when it grows past this many keys.
_PREFIX_CACHE_LIMIT = 1 << 16
# A raw line may be this much longer than the longest max_length and still be prepared (indented
# boilerplate); a line beyond it is kept unexamined, which is the safe direction to err in.
_INDENT_SLACK = 32
# Refrains (lyrics, chants) repeat their first line; a headline printed twice does not recur.
_REFRAIN_COUNT = 3
# "Yes." repeated is dialogue, not a headline.
_HEADLINE_WORDS = 3
# Headlines and link titles do not end with a full stop; sentences do.
_SENTENCE_END = (".", "。")


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
        self.timeout = timeout
        phrase = [rule for rule in rules if rule.kind == "phrase"]
        # Plain phrase rules, in load order: the first that matches a line owns it.
        self.plain = tuple(rule for rule in phrase if not rule.near)
        self.near = tuple(rule for rule in phrase if rule.near)
        self.repeated = tuple(rule for rule in rules if rule.kind == "repeated-head-line")
        self._plain_max_length = max((rule.max_length for rule in self.plain), default=0)
        self._prepare_limit = max((rule.max_length for rule in rules), default=0) + _INDENT_SLACK
        self._by_first: dict[str, tuple[BoilerplateRule, ...]] = {}
        self._by_prefix: dict[str, tuple[BoilerplateRule, ...]] = {}

    def candidates(self, line: str) -> tuple[BoilerplateRule, ...]:
        """The plain rules that could match a (prepared, non-empty) line beginning like ``line``.

        >>> from cleaner.rules import boilerplate_rules, load_rule_packs
        >>> stage = BoilerplateStage(boilerplate_rules(load_rule_packs()))
        >>> [rule.name for rule in stage.candidates("Share this:")]
        ['comment-form-heading', 'newsletter-tagline-end', 'share-prompt', 'share-bar']
        >>> [rule.name for rule in stage.candidates("Beijing denied the report on Monday.")]
        ['newsletter-tagline-end']
        """
        first = self._by_first.get(line[0])
        if first is None:
            first = self._cache(self._by_first, line[0], self.plain)
        if len(first) <= _FEW_RULES:
            return first
        prefix = line[:_PREFIX]
        found = self._by_prefix.get(prefix)
        if found is None:
            found = self._cache(self._by_prefix, prefix, first)
        return found

    def _cache(
        self,
        cache: dict[str, tuple[BoilerplateRule, ...]],
        key: str,
        rules: tuple[BoilerplateRule, ...],
    ) -> tuple[BoilerplateRule, ...]:
        found = tuple(rule for rule in rules if rule.may_start(key, self.timeout))
        if len(cache) >= _PREFIX_CACHE_LIMIT:  # odd corpora must not grow it forever
            cache.clear()
        cache[key] = found
        return found

    def find_edits(self, text: str) -> StageResult:
        lines = _Lines(text, self._prepare_limit)
        if not lines.texts:
            return StageResult()
        run = _Run(self, lines)
        run.plain_rules()
        run.near_rules()
        run.repeated_head_line()
        run.drop_rest()
        return StageResult(run.edits(), run.warnings)


class _Lines:
    """The non-blank lines of a text: spans (terminator included) and the text patterns see.

    A text is None for a line too long for any rule: most lines of prose, never prepared.
    """

    def __init__(self, text: str, prepare_limit: int) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.texts: list[str | None] = []
        if _OTHER_BREAKS.search(text):
            raw_lines = [match.group() for match in _LINE.finditer(text)]
        else:
            raw_lines = text.splitlines(keepends=True)
        start = 0
        for raw in raw_lines:
            end = start + len(raw)
            if len(raw) > prepare_limit:
                # isspace() stops at the first visible character: no copy of a long paragraph.
                prepared: str | None = None if not raw.isspace() else ""
            else:
                prepared = prepare_line(raw)
            if prepared != "":
                self.starts.append(start)
                self.ends.append(end)
                self.texts.append(prepared)
            start = end


class _Run:
    """The state of one ``find_edits`` call (the stage itself stays shareable)."""

    def __init__(self, stage: BoilerplateStage, lines: _Lines) -> None:
        self.stage = stage
        self.lines = lines
        self.count = len(lines.texts)
        self.removed: dict[int, tuple[BoilerplateRule, dict[str, str | int]]] = {}
        self.warnings: list[CleanWarning] = []
        self.timed_out: set[str] = set()
        self.markers: list[tuple[int, BoilerplateRule]] = []

    def applies(self, rule: BoilerplateRule, index: int) -> bool:
        """Whether ``rule`` may and does match line ``index`` (length, scope, then pattern)."""
        text = self.lines.texts[index]
        if text is None or len(text) > rule.max_length or not rule.in_scope(index, self.count):
            return False
        if rule.id in self.timed_out:
            return False
        try:
            return rule.matches(text, self.stage.timeout)
        except TimeoutError:
            self.timed_out.add(rule.id)
            self.warnings.append(
                CleanWarning(
                    self.stage.name,
                    rule.id,
                    self.lines.starts[index],
                    self.lines.ends[index],
                    f"pattern of {rule.id} ({rule.name}) timed out after {self.stage.timeout}s; "
                    "line kept, rule skipped for the rest of this document",
                )
            )
            return False

    def plain_rules(self) -> None:
        stage = self.stage
        limit = stage._plain_max_length
        for index, text in enumerate(self.lines.texts):
            if text is None or len(text) > limit:
                continue
            for rule in stage.candidates(text):
                if self.applies(rule, index):
                    if rule.action == "drop-rest":
                        self.markers.append((index, rule))
                    else:
                        self.removed[index] = (rule, {"pack": rule.pack})
                    break

    def near_rules(self) -> None:
        """Rules that apply only within a few lines of a line another rule removed."""
        for rule in self.stage.near:
            anchors = sorted(index for index, (owner, _) in self.removed.items() if owner.id in rule.near)
            for anchor in anchors:
                low = max(0, anchor - rule.near_lines)
                high = min(self.count, anchor + rule.near_lines + 1)
                for index in range(low, high):
                    if index not in self.removed and self.applies(rule, index):
                        owner = self.removed[anchor][0]
                        self.removed[index] = (rule, {"pack": rule.pack, "near": owner.id})

    def repeated_head_line(self) -> None:
        """The first line (the headline) repeated within the head: the copy goes."""
        first = self.lines.texts[0]
        if (
            first is None
            or first.endswith(_SENTENCE_END)
            or len(first.split()) < _HEADLINE_WORDS
            or not any(char.isalpha() for char in first)
        ):
            return
        key = first.casefold()
        for rule in self.stage.repeated:
            if len(first) > rule.max_length:
                continue
            for index in range(1, self.count):
                if not rule.in_scope(index, self.count):
                    break
                text = self.lines.texts[index]
                if text is None or index in self.removed or text.casefold() != key:
                    continue
                # Lyrics and chants repeat their first line; a headline printed twice does not
                # recur. Counted over the whole text, which happens only for a duplicate.
                if self.lines.text.casefold().count(key) >= _REFRAIN_COUNT:
                    return
                self.removed[index] = (rule, {"pack": rule.pack})

    def drop_rest(self) -> None:
        """The first drop-rest marker takes every line after it if they all look like link titles:
        no longer than the rule's max_length, and not ending with a full stop as sentences do."""
        if not self.markers:
            return
        marker, rule = min(self.markers, key=lambda item: item[0])
        rest = range(marker, self.count)
        for index in rest:
            text = self.lines.texts[index]
            if text is None or len(text) > rule.max_length or (index > marker and text.endswith(_SENTENCE_END)):
                self.warnings.append(
                    CleanWarning(
                        self.stage.name,
                        rule.id,
                        self.lines.starts[marker],
                        self.lines.ends[marker],
                        f"{rule.id} ({rule.name}) marker left alone: a line after it is longer than "
                        f"{rule.max_length} characters or ends like a sentence, so what follows may be text",
                    )
                )
                return
        marker_start = self.lines.starts[marker]
        for index in rest:
            if index not in self.removed:
                self.removed[index] = (rule, {"pack": rule.pack, "marker": marker_start})

    def edits(self) -> list[Edit]:
        name, text, starts, ends = self.stage.name, self.lines.text, self.lines.starts, self.lines.ends
        edits = []
        for index in sorted(self.removed):
            rule, detail = self.removed[index]
            start, end = starts[index], ends[index]
            edits.append(Edit(name, rule.id, rule.name, start, end, text[start:end], "", detail))
        return edits
