"""Boilerplate: whole short lines that are page furniture, not text (share prompts, comment forms,
newsletter and app prompts, cookie notices, a headline printed twice at the top, ...).

The rules are data (``rules/boilerplate/*.toml``, see :mod:`cleaner.rules`). A rule only ever
matches a WHOLE line (stripped), and only a line no longer than its ``max_length``: a phrase
inside a paragraph is never a reason to remove anything.

The stage runs over millions of documents, so most lines cost it nothing in Python:

* the lines are found with ``str.splitlines`` and their blankness with ``str.isspace`` (both in C);
  a line is *prepared* (stripped, inner white space collapsed: what patterns see) only when a pass
  asks for it, and a line longer than the longest ``max_length`` plus some indentation (a
  paragraph) is never prepared at all;
* a **screen** picks the lines a phrase rule could match: every line-scope plain rule's pattern,
  translated for google-re2 so that it matches at least every raw line the rule could match
  (:func:`cleaner.rule_screen.re2_line_screen`: a space stands for any run of white space, the ends
  may hold white space and zero-width characters, look-arounds are dropped, counts and Unicode
  classes widened), as one alternation anchored to whole lines. RE2 runs it over the whole text
  as a DFA (hundreds of MB/s), and only the lines it hits go further. A line-scope rule the
  screen cannot translate (syntax only the regex module has) makes every line go further, as
  without google-re2; a head or tail rule, the lines of its scope. So does a rule of a user's
  pack (``--rules``): it runs with a timeout, and a line it times out on must be looked at, since
  the warning and the rule's being skipped afterwards are part of the result. The screen may let
  a line through that no rule matches, never the other way round, so it changes no result;
* a line that goes further picks, by its first character and then (if that leaves more than a
  couple of rules) its first four characters, from per-stage caches the rules whose pattern can
  begin that way at all (computed once per key with the regex module's partial matching), so a
  line costs one or two dictionary look-ups, not one regex per rule;
* each candidate checks its own ``max_length`` and scope, then runs its pattern with a timeout;
  the first that matches owns the line.

A single alternation of all patterns *in the regex module* was measured first and rejected: it
tries its branches one after another, so it was nearly as slow as running the rules one by one.
RE2 runs the alternation as one automaton, but only decides which lines to look at; the rules
themselves stay ``regex`` patterns.

A pattern that times out removes nothing: the stage reports a
:class:`~cleaner.edits.CleanWarning` and skips that rule for the rest of the document.

Two more sources of removals run after the phrase rules:

* **repeated lines** (BP900, built in): a line not yet removed whose normalized form
  (:func:`cleaner.repeated_lines.normalize_line`) is in the ``repeated`` map given for this
  document's group, i.e. occurs in many documents of the group (the counts and the guard against
  lines that repeat by chance are in :mod:`cleaner.repeated_lines`). One more guard needs the
  document: a repeated line in a heading's place (after a line that stays, before a paragraph)
  stays. The map is a dictionary: the cost per line is the casefold of the prepared line and one
  look-up, about 0.2 µs (no pattern runs; ``bench/article_extraction.py --timing``);
* **short-line blocks** (kind ``short-line-block``, BP303 in the structure pack): the menus,
  link lists and footers that a scraper keeping every text node of a page writes out, one per
  line. Lines are first joined into *units* where a line merely continues the one before it: it
  starts in lower case or with ``,.;:)``, or the one before ends with ``,;(`` or a dash, or it
  sits between a line ending in a lower-case word and a line that continues (a link inside a
  sentence). A unit is *prose* if it has 20 words, or 5 words and a sentence end; otherwise it is
  *short*, unless it is a list item (``- ``, ``• ``, ``1. ``) or a table row (``| a | b |``),
  which is content and never removed. The *main text* is the stretch of units with the highest
  score, a prose unit scoring its words and a short unit costing 10 (Kadane's maximum-sum run): a
  heading or a short list between paragraphs stays inside it, a menu does not. A line an earlier
  rule removed is a short unit of its own: furniture, like the menu around it. Runs of at least
  ``min_lines`` short units wholly outside the main text go, but only in a document that shows a
  naive scrape's mark: at least ``min_outside_lines`` *menu items* outside its main text (units
  of at most three words, in runs of at least three). A clean document's title, byline and
  captions, a recipe's ingredients or a schedule after an article (each line a few words, or
  headings each followed by its text) never pass that gate; text from an HTML extractor, which
  has no menus, passes it on none of the benchmark's 181 pages. Before the lines are prepared and
  joined into units, RE2 counts (up to ``min_outside_lines``) the lines with at most two runs of
  white space inside that stand in runs of three or more such lines (a menu item's line has that
  form and stands in such a run): a document of paragraphs, or of paragraphs with a few headings
  and captions between them, stops there. A document that passes has only the units of those
  runs built (with the lines just around them) and stops when they hold too few menu items,
  even leaving the main text aside: code, lists and paragraphs cut at their links are runs of
  short lines, but not of menu items. Words are white-space separated
  tokens, and each character of a script written without spaces (CJK, Thai, ...) counts as a word.

A **safety valve** (BP901, built in) keeps a document as it was, with one warning, when all these
removals together would take more than ``max_removed_share`` of its words: a document that is
mostly "boilerplate" is more likely a list, a poem or a page the rules misread than a menu with a
sentence in it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, groupby
from typing import Any, Protocol

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it, no screen
    re2 = None

from cleaner.edits import CleanWarning, Edit
from cleaner.repeated_lines import SENTENCE_END, normalize_line
from cleaner.rule_screen import WHITE_SPACE, re2_class, re2_line_screen, utf8
from cleaner.rules import DEFAULT_TIMEOUT, ZERO_WIDTH, BoilerplateRule, prepare_line
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo

# The default of BoilerplateStage(max_removed_share=...): see bench/README.md for the measurement.
DEFAULT_MAX_REMOVED_SHARE = 0.9

# Built-in rules of this stage (ids BP900-BP999 are reserved: packs cannot use them).
# The examples of BP900 assume the repeated-line map REPEATED_EXAMPLE (their group's counts).
REPEATED_EXAMPLE: Mapping[str, int] = {"subscribe to our podcast": 41, "politics": 38, "world": 40, "home": 52}
_ARTICLE = ("The minister spoke for an hour on Tuesday and took no questions from the reporters who had "
            "gathered outside the building in the rain.\n")
# A page that is nothing but its site's menu, twice, and one word: 14 of its 15 words would go.
_MENU_PAGE = "Home\nWorld\nPolitics\nSubscribe to our podcast\n" * 2 + "Error.\n"
RULES = (
    RuleInfo("BP900", "repeated-line", "boilerplate",
             "A line found in many documents of the same source group (a site's menus, footers and "
             "widget labels) is furniture, not text; see cleaner.repeated_lines for the counts and the guard.",
             (("Home\nPolitics\n" + _ARTICLE + "Subscribe to our podcast\n", _ARTICLE),
              ("Yes.\n" + _ARTICLE, "Yes.\n" + _ARTICLE))),
    RuleInfo("BP901", "removal-share-exceeded", "boilerplate",
             "When the rules would remove more than the allowed share of a document's words, the "
             "document is kept as it was and a warning says so: such a document is more likely misread.",
             ((_MENU_PAGE, _MENU_PAGE),)),
)
_REPEATED_RULE, _VALVE_RULE = RULES

# A line and its terminator; the whitespace stage (which runs later) normalises \r\n and \r.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
# Lines end only at \n, \r\n and \r here (as in the whitespace stage). str.splitlines() also breaks
# at \x0b, \x0c, \x1c-\x1e, \x85, \u2028 and \u2029, so a text holding any of these is split
# with _LINE instead (4x slower).
# Characters of a line's start that choose its candidate rules. Four is enough to tell "Share"
# from "Shanghai" and "The" from "This" while keeping the cache to the corpus's distinct openings.
_PREFIX = 4
# When the first character leaves at most this many rules, they run without the prefix level.
_FEW_RULES = 2
# The screen's RE2 program may use this much memory (the packaged rules need a few MB).
_SCREEN_MEMORY = 64 << 20
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
# Short-line blocks (see the module docstring). A unit with this many words is prose whatever its end;
_PROSE_WORDS = 20
# with this many and a sentence end, too ("Colombia had lost to Belgium on Monday.").
_SENTENCE_WORDS = 5
# What a short unit costs in the search for the main text, in words of prose: a heading or a short
# list between paragraphs is bridged, a run of a dozen menu items is not.
_SHORT_UNIT_COST = 10
# Menu items ("Home", "Real Estate", "Sign in") have at most this many words, and come in runs.
_MENU_WORDS = 3
_MENU_RUN = 3
# Stands between two runs' lines in _Run._menu_items_bound (a line index no line has), as a
# line of four words (a removed one, so that no line joins it).
_APART = -1
_APART_LINE = "- - - -"
# A line that starts like this continues the line before it (a text node after a link).
_CONTINUES = frozenset(",.;:!?)]}%’”")
# A line that ends like this is continued by the next one.
_CONTINUED = frozenset(",;(—–-“‘")
# List items are content: a run of them is a list, however short its lines.
_LIST_ITEM = re.compile(r"(?:[-–—•*·▪◦►‣]|\d{1,3}[.)])\s|\|.*\|$")
_LIST_FIRST = frozenset("-–—•*·▪◦►‣0123456789|")
_CLOSING_QUOTES = "\"'”’»)]」』"
# Scripts written without spaces between words: each character counts as a word.
# Thai, Lao, Myanmar, Khmer, kana, CJK ideographs (and extension A, compatibility ideographs).
_NO_SPACES_RANGES = ((0x0E00, 0x0EFF), (0x1000, 0x109F), (0x1780, 0x17FF), (0x3040, 0x30FF), (0x3400, 0x4DBF),
                     (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
_NO_SPACES = re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _NO_SPACES_RANGES) + "]")


@lru_cache(maxsize=16)
def _compile_screen(patterns: tuple[str, ...]) -> Any:
    """The screen of :class:`BoilerplateStage`: the translated patterns (see
    :func:`cleaner.rule_screen.re2_line_screen`) as one RE2 alternation over whole lines, whose ends
    may hold the white space and zero-width characters :func:`cleaner.rules.prepare_line` drops.
    None without patterns, without google-re2, or if RE2 rejects the pattern."""
    if re2 is None or not patterns:
        return None
    ends = re2_class(WHITE_SPACE + ZERO_WIDTH) + "*"
    options = re2.Options()
    options.max_mem = _SCREEN_MEMORY
    try:
        return re2.compile(f"(?m)^{ends}(?:{'|'.join(patterns)}){ends}$", options)
    except re2.error:
        return None


@lru_cache(maxsize=1)
def _no_spaces_screen() -> Any:
    """_NO_SPACES for RE2 (the same code points), to run over :meth:`_Lines.utf8`."""
    return re2.compile(re2_class("", [f"\\x{{{low:x}}}-\\x{{{high:x}}}" for low, high in _NO_SPACES_RANGES]))


@lru_cache(maxsize=1)
def _short_runs() -> Any:
    """RE2: a run of at least three *short* lines, as long as it goes: lines with at most two runs
    of white space between visible characters (where white space is what str.split() splits at;
    zero-width characters are not handled here), with only blank lines between them. Matches are
    maximal: the repetition is greedy, and any short line can end a match."""
    white = re2_class(WHITE_SPACE)
    visible = "[^\\n" + white[1:] + "+"
    short = f"{white}*{visible}(?:{white}+{visible}){{0,{_MENU_WORDS - 1}}}{white}*"
    return re2.compile(f"(?m)^{short}(?:\\n(?:{white}*\\n)*{short}){{{_MENU_RUN - 1},}}$")


def _short_lines_in_runs(data: bytes, limit: int, runs: Iterable[Any] | None = None) -> int:
    """How many lines of ``data`` (:meth:`_Lines.utf8`) are short and in runs of three or more
    short lines (see :func:`_short_runs`), counted until ``limit`` is reached. ``runs``: the
    matches of :func:`_short_runs` in ``data``, if the caller has them.

    Never less than the exact count of :meth:`_Run.short_line_blocks` (``few_words``), which also
    requires a line to be short enough to prepare: a gate that may skip only what it provably can.
    """
    found = 0
    for run in _short_runs().finditer(data) if runs is None else runs:
        # The run's lines, blank ones aside (a slice of valid UTF-8 cut at line breaks decodes).
        found += sum(1 for line in run.group().split(b"\n") if line and not line.decode("utf-8").isspace())
        if found >= limit:
            break
    return found


def count_words(text: str) -> int:
    """Words as the stage measures them: white-space separated tokens, plus one per character of
    a script written without spaces (so that a Chinese paragraph is not one "word").

    >>> count_words("Share this article"), count_words("中国外交部 said"), count_words("  ")
    (3, 7, 0)
    """
    words = len(text.split())
    if not text.isascii():
        words += len(_NO_SPACES.findall(text))
    return words


class _Owner(Protocol):
    """Whatever removed a line: a pack's rule or a built-in one (both have an id and a name)."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


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

    def __init__(
        self,
        rules: Sequence[BoilerplateRule],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        repeated: Mapping[str, int] | None = None,
        max_removed_share: float | None = DEFAULT_MAX_REMOVED_SHARE,
    ) -> None:
        """``rules``: the pack rules to apply. ``repeated``: normalized line -> number of documents,
        for this document's group (:meth:`cleaner.repeated_lines.LineCounts.repeated`); None or
        empty turns BP900 off. ``max_removed_share``: the safety valve (BP901); None turns it off.
        """
        if max_removed_share is not None and not 0 < max_removed_share <= 1:
            raise ValueError("max_removed_share must be in (0, 1], or None for no limit")
        self.timeout = timeout
        self.repeated_lines: Mapping[str, int] = repeated or {}
        self.max_removed_share = max_removed_share
        phrase = [rule for rule in rules if rule.kind == "phrase"]
        # Plain phrase rules, in load order: the first that matches a line owns it.
        self.plain = tuple(rule for rule in phrase if not rule.near)
        self.near = tuple(rule for rule in phrase if rule.near)
        self.repeated = tuple(rule for rule in rules if rule.kind == "repeated-head-line")
        self.blocks = tuple(rule for rule in rules if rule.kind == "short-line-block")
        self._plain_max_length = max((rule.max_length for rule in self.plain), default=0)
        self._prepare_limit = max((rule.max_length for rule in rules), default=0) + _INDENT_SLACK
        self._by_first: dict[str, tuple[BoilerplateRule, ...]] = {}
        self._by_prefix: dict[str, tuple[BoilerplateRule, ...]] = {}
        # The screen: one RE2 alternation of the plain rules. A line-scope rule the screen cannot
        # translate makes every line a candidate; a head or tail one, the few lines it may see.
        # A user's rule (not reviewed) runs with a timeout, and whether it times out on a line
        # decides what happens on the lines after: it must see every line it saw without a screen.
        screens = [re2_line_screen(rule.pattern, rule.case_sensitive) if rule.reviewed else None
                   for rule in self.plain]
        self._screen = _compile_screen(tuple(screen for screen in screens if screen is not None))
        unscreened = [rule for rule, screen in zip(self.plain, screens, strict=True)
                      if screen is None or self._screen is None]
        self._screen_every_line = any(rule.scope == "line" for rule in unscreened)
        self._head_lines = max((rule.scope_lines or 0 for rule in unscreened if rule.scope == "head"), default=0)
        self._tail_lines = max((rule.scope_lines or 0 for rule in unscreened if rule.scope == "tail"), default=0)

    def candidates(self, line: str) -> tuple[BoilerplateRule, ...]:
        """The plain rules that could match a (prepared, non-empty) line beginning like ``line``.

        >>> from cleaner.rules import boilerplate_rules, load_rule_packs
        >>> stage = BoilerplateStage(boilerplate_rules(load_rule_packs()))
        >>> [rule.name for rule in stage.candidates("Share this:")]
        ['comment-form-heading', 'share-count', 'newsletter-tagline-end', 'share-prompt', 'share-bar']
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

    def screened_lines(self, lines: _Lines) -> Sequence[int]:
        """The lines (ascending indices) a plain rule could match: the screen's hits, and the head
        and tail lines of the rules it could not translate. Every other line is left unprepared."""
        count = len(lines)
        if self._screen_every_line:
            return range(count)
        found: set[int] = set()
        if self._screen is not None:
            text = lines.text
            data = lines.utf8()
            if data is None:
                return range(count)
            # The screen runs on bytes: google-re2's str interface costs far more per hit.
            ascii_only = len(data) == len(text)
            starts = lines.starts
            offset = position = 0
            for match in self._screen.finditer(data):
                hit = match.start()
                if ascii_only:
                    position = hit
                else:  # hits are at line starts, where the UTF-8 decodes on its own
                    position += len(data[offset:hit].decode("utf-8"))
                    offset = hit
                found.add(bisect_right(starts, position) - 1)
            found.discard(-1)
        found.update(range(min(self._head_lines, count)))
        found.update(range(max(0, count - self._tail_lines), count))
        return sorted(found)

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
        if not len(lines):
            return StageResult()
        run = _Run(self, lines)
        run.plain_rules()
        run.near_rules()
        run.repeated_head_line()
        run.drop_rest()
        run.repeated_lines()
        run.short_line_blocks()
        if run.over_share():
            return StageResult([], run.warnings)
        return StageResult(run.edits(), run.warnings)


class _Lines:
    """The non-blank lines of a text: spans (terminator included) and, prepared only when asked
    for, the text patterns see (None for a line too long for any rule: most lines of prose).
    """

    def __init__(self, text: str, prepare_limit: int) -> None:
        self.text = text
        self.prepare_limit = prepare_limit
        raw_lines = text.splitlines(keepends=True)
        # splitlines() broke at another character exactly when it found more lines than \n, \r
        # and \r\n make (counting them is much faster than searching for the others).
        breaks = text.count("\n") + (text.count("\r") - text.count("\r\n") if "\r" in text else 0)
        if len(raw_lines) != breaks + (text[-1:] not in ("\n", "\r", "")):
            raw_lines = [match.group() for match in _LINE.finditer(text)]
        ends = list(accumulate(map(len, raw_lines)))
        starts = [0, *ends[:-1]]
        # Without zero-width characters a line prepares to "" exactly when it is all white space
        # (isspace() stops at the first visible character), so no line is prepared to find the
        # blank ones, and preparing is splitting and joining.
        self.zero_width = not text.isascii() and any(char in text for char in ZERO_WIDTH)
        if not self.zero_width:
            non_blank = [not blank for blank in map(str.isspace, raw_lines)]
        else:
            non_blank = [self._prepare(raw) != "" for raw in raw_lines]
        self.starts: list[int] = list(compress(starts, non_blank))
        self.ends: list[int] = list(compress(ends, non_blank))
        self._raw: list[str] = list(compress(raw_lines, non_blank))
        self._texts: list[str | None] | None = None
        self._words: list[int] | None = None
        self._utf8: bytes | None = None
        self._spaceless: bool | None = None

    def __len__(self) -> int:
        return len(self._raw)

    @property
    def raw(self) -> list[str]:
        """The lines as they are in the text, terminators included."""
        return self._raw

    def words(self) -> list[int]:
        """Each line's white-space separated words (``len(raw.split())``; for a text without
        zero-width characters, the spaces of the prepared line plus one), computed once."""
        if self._words is None:
            self._words = list(map(len, map(str.split, self._raw)))
        return self._words

    def _prepare(self, raw: str) -> str | None:
        if len(raw) > self.prepare_limit:
            # isspace() stops at the first visible character: no copy of a long paragraph.
            return None if not raw.isspace() else ""
        return prepare_line(raw)

    def prepared(self, index: int) -> str | None:
        """Line ``index`` as patterns see it (:func:`cleaner.rules.prepare_line`), or None."""
        if self._texts is not None:
            return self._texts[index]
        return self._prepare(self._raw[index])

    @property
    def texts(self) -> list[str | None]:
        """Every line prepared (for the passes that look at all of them), computed once."""
        if self._texts is None:
            if self.zero_width:
                self._texts = [self._prepare(raw) for raw in self._raw]
            else:  # prepare_line without its strip()s, which split() makes redundant here
                limit = self.prepare_limit
                self._texts = [" ".join(raw.split()) if len(raw) <= limit else None for raw in self._raw]
        return self._texts

    def spaceless_script(self) -> bool:
        """Whether the text holds a character of a script written without spaces (_NO_SPACES);
        RE2 looks for one in the UTF-8 the screens use, ``re`` in a text that does not encode.
        Computed once."""
        if self._spaceless is None:
            self._spaceless = self._find_spaceless_script()
        return self._spaceless

    def _find_spaceless_script(self) -> bool:
        if self.text.isascii():
            return False
        data = self.utf8() if re2 is not None else None
        if data is None:
            return _NO_SPACES.search(self.text) is not None
        return _no_spaces_screen().search(data) is not None

    def utf8(self) -> bytes | None:
        """The text as RE2 reads it: UTF-8, with each CR made LF, since RE2 ends lines only at LF
        (the byte keeps every offset and every line start); None if it does not encode (a lone
        surrogate). Computed once."""
        if self._utf8 is None:
            data = utf8(self.text)
            if data is None:
                return None
            self._utf8 = data.replace(b"\r", b"\n") if b"\r" in data else data
        return self._utf8


class _Run:
    """The state of one ``find_edits`` call (the stage itself stays shareable)."""

    def __init__(self, stage: BoilerplateStage, lines: _Lines) -> None:
        self.stage = stage
        self.lines = lines
        self.count = len(lines)
        self.removed: dict[int, tuple[_Owner, dict[str, str | int]]] = {}
        self.warnings: list[CleanWarning] = []
        self.timed_out: set[str] = set()
        self.markers: list[tuple[int, BoilerplateRule]] = []

    def applies(self, rule: BoilerplateRule, index: int, text: str | None = None) -> bool:
        """Whether ``rule`` may and does match line ``index`` (length, scope, then pattern);
        ``text``: the line prepared, if the caller has it."""
        if text is None:
            text = self.lines.prepared(index)
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
        for index in stage.screened_lines(self.lines):
            text = self.lines.prepared(index)
            if text is None or len(text) > limit:
                continue
            for rule in stage.candidates(text):
                if self.applies(rule, index, text):
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
        first = self.lines.prepared(0)
        if (
            first is None
            or first.endswith(_SENTENCE_END)
            or _LIST_ITEM.match(first) is not None  # a list item is not a headline
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
                text = self.lines.prepared(index)
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
            text = self.lines.prepared(index)
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

    def repeated_lines(self) -> None:
        """Lines of the group's repeated-line map (BP900): one casefold and one look-up per line.

        A repeated line in a heading's place stays: right after a line that stays, right before
        a paragraph (a line of 20 words, or of 5 words ending as a sentence ends). Documents of
        one site share headings ("The bottom line", "Methodology") as they share menus, but a
        menu item has other menu items around it.
        """
        repeated = self.stage.repeated_lines
        if not repeated:
            return
        texts, text, starts, ends = self.lines.texts, self.lines.text, self.lines.starts, self.lines.ends
        for index in range(self.count):
            if index in self.removed:
                continue
            prepared = texts[index]
            # A long line was never prepared: normalize it now.
            key = prepared.casefold() if prepared is not None else normalize_line(text[starts[index] : ends[index]])
            documents = repeated.get(key)
            if documents is None:
                continue
            following = index + 1
            if (
                index > 0
                and index - 1 not in self.removed
                and following < self.count
                and following not in self.removed
                and _is_paragraph(texts[following] or text[starts[following] : ends[following]].strip())
            ):
                continue
            self.removed[index] = (_REPEATED_RULE, {"documents": documents})

    def short_line_blocks(self) -> None:
        """Runs of short lines outside the main text (see the module docstring)."""
        if not self.stage.blocks:
            return
        # A menu item is a line of at most three words, so at most two spaces, in a run of three
        # or more such lines: a document of paragraphs (with a few headings between them) has
        # too few such lines to pass the gate. RE2 counts, up to the gate, the lines with at
        # most two runs of white space inside that stand in such runs; only a document with that
        # many has its lines' words counted exactly (the count below also leaves out lines too
        # long to prepare, so it is never more than RE2's).
        gate = min(rule.min_outside_lines for rule in self.stage.blocks)
        data = self.lines.utf8() if re2 is not None and not self.lines.zero_width else None
        spans: list[tuple[int, int]] | None = None
        if data is not None:
            runs = list(_short_runs().finditer(data))
            if _short_lines_in_runs(data, gate, runs) < gate:
                return
            spans = self._run_spans(data, runs)
            # Most documents that pass have runs of short lines that are code, a list or a
            # paragraph cut at its links: the units of RE2's runs alone tell how many menu items
            # there can be.
            if self._menu_items_bound(data, runs, spans) < gate:
                return
        # Exactly: a menu item is a unit of at most three words in a run of three or more such
        # units, so each has a line of at most two spaces in a run of three or more such lines
        # (blank lines aside). A document with fewer such lines than a rule needs has no menu
        # for it, and its units need not be built.
        if spans is not None:
            few_words = self._few_words_in_runs(spans)
        else:
            few_words = _lines_in_runs(self._few_words(), _MENU_RUN)
        for rule in self.stage.blocks:
            if few_words < rule.min_outside_lines:
                continue
            units = self._units()
            if not units.lines:
                return
            main = _main_text(units.scores)
            if main is None:
                continue
            first, last = main
            outside = [index for index, short in enumerate(units.short) if short and not first <= index <= last]
            if _menu_items(units.words, outside) < rule.min_outside_lines:
                continue
            for run in _runs(outside):
                if len(run) < rule.min_lines:
                    continue
                lines = [index for unit_index in run for index in units.lines[unit_index]]
                indices = [index for index in lines if index not in self.removed]
                if any(self._length(index) > rule.max_length for index in indices):
                    continue
                for index in indices:
                    self.removed[index] = (rule, {"pack": rule.pack, "run": len(lines)})

    def _few_words_in_runs(self, spans: list[tuple[int, int]]) -> int:
        """``_lines_in_runs(self._few_words(), _MENU_RUN)`` counted within RE2's runs of short
        lines alone (``spans``: :meth:`_run_spans`), without splitting every line of the document
        into words: a line of at most three words in a run of three or more such lines is a short
        line in a run of three or more short lines, which one of RE2's runs holds whole (a run is
        as long as it goes, and its lines are just the short ones: blank lines are not lines here).
        Within a run every line is short, so what is left to ask of each is its length."""
        raw, limit = self.lines.raw, self.lines.prepare_limit
        return sum(_lines_in_runs([len(raw[index]) <= limit for index in range(first, last + 1)], _MENU_RUN)
                   for first, last in spans)

    def _few_words(self) -> list[bool]:
        """For each line: whether it is prepared (not too long) and has at most three words."""
        lines = self.lines
        if lines.zero_width:  # zero-width characters at a line's ends are not words of it
            return [text is not None and text.count(" ") < _MENU_WORDS for text in lines.texts]
        # A prepared line is the raw line's words joined by single spaces: count them instead.
        limit = lines.prepare_limit
        return [words <= _MENU_WORDS and size <= limit
                for words, size in zip(lines.words(), map(len, lines.raw), strict=True)]

    def _length(self, index: int) -> int:
        text = self.lines.prepared(index)
        return len(text) if text is not None else self.lines.ends[index] - self.lines.starts[index]

    def _units(self) -> _Units:
        """The document's units (see :func:`_join_units`)."""
        if not self.count:
            return _Units([], [], [], [])
        if self.lines.zero_width:
            text, starts, ends = self.lines.text, self.lines.starts, self.lines.ends
            lines = [prepared if prepared is not None else text[start:end].strip()
                     for prepared, start, end in zip(self.lines.texts, starts, ends, strict=True)]
            words = [count_words(line) for line in lines]
        else:
            # The stripped raw line stands for the prepared one: without zero-width characters
            # they differ only inside runs of white space, which _join_units never looks at
            # (first and last character, list-item pattern, sentence end, words).
            lines = list(map(str.strip, self.lines.raw))
            words = [count_words(line) for line in lines] if self.lines.spaceless_script() else self.lines.words()
        return _join_units(lines, words, self.removed)

    def _run_spans(self, data: bytes, runs: Iterable[Any]) -> list[tuple[int, int]] | None:
        """The first and last line index of each of RE2's runs of short lines (``runs``: the
        matches of :func:`_short_runs` in ``data``, :meth:`_Lines.utf8` of a text without
        zero-width characters), or None if one does not start at a line's start (cannot tell)."""
        starts = self.lines.starts
        ascii_only = len(data) == len(self.lines.text)
        spans: list[tuple[int, int]] = []
        offset = position = 0
        for match in runs:
            start, end = match.span()
            if ascii_only:
                first_position, end_position = start, end
            else:  # a run starts at a line start and ends at a line end, where the UTF-8 decodes
                position += len(data[offset:start].decode("utf-8"))
                first_position = position
                position += len(data[start:end].decode("utf-8"))
                end_position, offset = position, end
            first = bisect_right(starts, first_position) - 1
            if first < 0 or starts[first] != first_position:
                return None
            spans.append((first, bisect_right(starts, end_position - 1) - 1))
        return spans

    def _menu_items_bound(self, data: bytes, runs: Iterable[Any], spans: list[tuple[int, int]] | None = None) -> int:
        """At least the document's menu items (:func:`_menu_items` over all its short units, so
        at least those outside the main text that a rule counts), without building every unit:
        only those of the runs of short lines RE2 found in ``data`` (``runs``: the matches of
        :func:`_short_runs` in :meth:`_Lines.utf8` of a text without zero-width characters;
        ``spans``: their lines, :meth:`_run_spans`, if the caller has them).

        A menu item is a unit of at most three words in a run of three or more such units, so
        the lines of a whole run of items are short and stand in one of RE2's runs (a run is as
        long as it goes). A run's units are built as :meth:`_units` builds them, from its lines,
        the line before it (does its first line join that one?) and the two after it (whether the
        line after it joins its last line depends on whether the next one continues). The lines
        just outside a run have more than three words (or the run would hold them), so a unit
        joined to one of them is no menu item; should one not, the answer is the number of
        lines, which no count of menu items exceeds. All the runs' lines go to
        :func:`_join_units` at once, each run's apart from the next by a line of its own that no
        unit joins and that is no menu item (a removed line of many words). A run that does not
        start at a line's start cannot be told apart: the answer is then the number of lines too.
        """
        raw, count = self.lines.raw, self.count
        if spans is None:
            spans = self._run_spans(data, runs)
            if spans is None:
                return count
        indices: list[int] = []  # line indices of the runs and the lines around them; _APART between runs
        outside: list[int] = []  # positions in ``indices`` of the lines just before and after a run
        for first, last in spans:
            if indices:
                indices.append(_APART)
            if first > 0:
                outside.append(len(indices))
                indices.append(first - 1)
            indices.extend(range(first, last + 1))
            if last + 1 < count:
                outside.append(len(indices))
                indices.extend(range(last + 1, min(count, last + 3)))
        if not indices:
            return 0
        lines = [raw[index].strip() if index != _APART else _APART_LINE for index in indices]
        # Words up to four (split no further): whether a unit has more than three words is all
        # that makes it a menu item or not, and a longer line is one just outside a run.
        words = [len(line.split(None, _MENU_WORDS)) for line in lines]
        if self.lines.spaceless_script():  # each character of such a script is a word too
            words = [count_words(line) if size <= _MENU_WORDS else size
                     for line, size in zip(lines, words, strict=True)]
        if any(words[position] <= _MENU_WORDS for position in outside):
            return count
        removed = self.removed
        apart = {position for position, index in enumerate(indices) if index == _APART or index in removed}
        units = _join_units(lines, words, apart)
        return _menu_items(units.words, [unit for unit, short in enumerate(units.short) if short])

    def over_share(self) -> bool:
        """The safety valve (BP901): too much of the document would go, so nothing does."""
        share = self.stage.max_removed_share
        if share is None or not self.removed:
            return False
        text, starts, ends = self.lines.text, self.lines.starts, self.lines.ends
        removed = sum(count_words(text[starts[index] : ends[index]]) for index in self.removed)
        # Words never span lines, and each line kept has at least one: when the share is within
        # bounds even against that floor, the whole text need not be counted.
        if removed <= share * (removed + self.count - len(self.removed)):
            return False
        total = count_words(text)
        if total == 0 or removed <= share * total:
            return False
        by_rule = Counter(owner.id for owner, _ in self.removed.values())
        rules = ", ".join(f"{rule_id} x{count}" for rule_id, count in sorted(by_rule.items()))
        self.warnings.append(
            CleanWarning(
                self.stage.name,
                _VALVE_RULE.id,
                0,
                0,
                f"boilerplate rules would remove {removed / total:.0%} of this document's words (more than "
                f"{share:.0%}: {len(self.removed)} lines, {rules}); document left as it was",
            )
        )
        return True

    def edits(self) -> list[Edit]:
        name, text, starts, ends = self.stage.name, self.lines.text, self.lines.starts, self.lines.ends
        edits = []
        for index in sorted(self.removed):
            rule, detail = self.removed[index]
            start, end = starts[index], ends[index]
            edits.append(Edit(name, rule.id, rule.name, start, end, text[start:end], "", detail))
        return edits


@dataclass
class _Units:
    """A document's units (see :meth:`_Run._units`), as lists with one item per unit: its lines
    (non-blank line indices), words, score in the search for the main text, and whether it is
    short (a removed line is too). A list item or table row is neither prose nor short, and
    scores 0. Lists, not an object per unit: menus make documents of thousands of units."""

    lines: list[range]
    words: list[int]
    scores: list[int]
    short: list[bool]


def _join_units(lines: Sequence[str], words: Sequence[int], removed: Collection[int]) -> _Units:
    """Consecutive non-blank ``lines`` (stripped; ``words``: each one's words) joined into units
    where one merely continues the one before: it starts in lower case or with closing
    punctuation, or the one before ends with a comma, an opening bracket or a dash, or it is a
    link inside a sentence (the line before ends in a lower-case word and the line after
    continues it). The first line starts a unit. A line another rule removed (its index is in
    ``removed``) is a unit of its own, and short: furniture, which a menu around it is part of.
    """
    count = len(lines)
    # Per-line facts, then per-unit ones, all in list comprehensions (map() where it can): a
    # document with menus has thousands of lines, and a loop over them cost a fifth more.
    firsts = [line[0] for line in lines]
    lasts = [line[-1] for line in lines]
    continues = [first in _CONTINUES or first.islower() for first in firsts]
    # A unit that starts with a list item or a removed line takes no other line, and no line
    # joins it: such a line "closes" its unit.
    closes = [first in _LIST_FIRST and _LIST_ITEM.match(line) is not None
              for first, line in zip(firsts, lines, strict=True)]
    for index in removed:
        continues[index] = False
        closes[index] = True
    # Line i joins the unit of line i - 1 when neither closes a unit and line i continues it:
    # it starts so, or line i - 1 ends so, or line i - 1 ends in a lower-case word and line
    # i + 1 continues (an inline link). The lines that join no unit start one.
    following = [*continues[1:], False]  # for line i: whether line i + 1 continues
    joins = [
        not closed and not closed_before
        and (continuing or before in _CONTINUED or (before.islower() and next_continues))
        for closed, closed_before, continuing, before, next_continues
        in zip(closes[1:], closes[:-1], continues[1:], lasts[:-1], following[1:], strict=True)
    ]
    firsts_of_units = [0, *compress(range(1, count), [not join for join in joins])]
    spans = [range(first, stop) for first, stop in
             zip(firsts_of_units, [*firsts_of_units[1:], count], strict=True)]
    totals = [0, *accumulate(words)]
    unit_words = [totals[span.stop] - totals[span.start] for span in spans]
    # A unit is prose if it reads as a paragraph (as _is_paragraph, with the words of the
    # whole unit and the end of its last line), short if not; a removed line is short, a
    # list item neither. Prose scores its words, a short unit costs _SHORT_UNIT_COST.
    prose = [words_ >= _PROSE_WORDS or (words_ >= _SENTENCE_WORDS
                                        and lines[span.stop - 1].rstrip(_CLOSING_QUOTES).endswith(SENTENCE_END))
             for span, words_ in zip(spans, unit_words, strict=True)]
    if removed:
        for unit, span in enumerate(spans):
            if span.start in removed:
                prose[unit] = False  # as a short unit, whatever its words
    items = [closes[span.start] and span.start not in removed for span in spans]
    short = [not (is_prose or item) for is_prose, item in zip(prose, items, strict=True)]
    scores = [0 if item else words_ if is_prose else -_SHORT_UNIT_COST
              for words_, is_prose, item in zip(unit_words, prose, items, strict=True)]
    return _Units(spans, unit_words, scores, short)


def _is_paragraph(line: str) -> bool:
    """Whether a (stripped) line reads as prose: 20 words, or 5 words and a sentence end.

    >>> _is_paragraph("The council approved the budget on Monday."), _is_paragraph("Related stories")
    (True, False)
    """
    words = count_words(line)
    return words >= _PROSE_WORDS or (
        words >= _SENTENCE_WORDS and line.rstrip(_CLOSING_QUOTES).endswith(SENTENCE_END)
    )


def _main_text(scores: Sequence[int]) -> tuple[int, int] | None:
    """The first run of units with the highest total score (Kadane), or None if none is positive.

    >>> _main_text([-10, 30, -10, 25, -10, -10, -10, 12])
    (1, 3)
    >>> _main_text([-10, -10]) is None
    True
    """
    best, best_span = 0, None
    total, start = 0, 0
    for index, score in enumerate(scores):
        if total <= 0:
            total, start = 0, index
        total += score
        if total > best:
            best, best_span = total, (start, index)
    return best_span


def _lines_in_runs(flags: Sequence[bool], length: int) -> int:
    """How many of the true ``flags`` are in runs of at least ``length`` true ones.

    >>> _lines_in_runs([True, True, False, True, True, True, True], 3)
    4
    """
    return sum(size for flagged, group in groupby(flags) if flagged and (size := len(list(group))) >= length)


def _menu_items(words: Sequence[int], outside: Sequence[int]) -> int:
    """How many of the ``outside`` units are menu items: units of at most three words (``words``,
    by unit) in a run of at least three such units. Menus are a naive scrape's mark; headings are
    not (each has text after it, however short)."""
    items = 0
    for run in _runs([index for index in outside if words[index] <= _MENU_WORDS]):
        if len(run) >= _MENU_RUN:
            items += len(run)
    return items


def _runs(indices: Sequence[int]) -> list[list[int]]:
    """Runs of consecutive numbers among ``indices`` (ascending): units next to each other.

    >>> _runs([0, 1, 2, 7, 9, 10])
    [[0, 1, 2], [7], [9, 10]]
    """
    runs: list[list[int]] = []
    for index in indices:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs
