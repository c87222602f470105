"""Whitespace: line endings, trailing spaces, runs of blank lines, one final newline.

All five rules are alternatives of one regular expression, so a document is scanned once; the
order of the alternatives decides which rule owns a span when several could.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it, the substring tests
    re2 = None

from cleaner.edits import Edit
from cleaner.rule_screen import re2_class, screen_hits
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo

RULES = (
    RuleInfo("WS001", "line-endings", "whitespace", "CRLF and lone CR become LF, so every line ends alike.",
             (("one\r\ntwo\rthree\n", "one\ntwo\nthree\n"), ("one\ntwo\n", "one\ntwo\n"))),
    RuleInfo("WS002", "trailing-whitespace", "whitespace", "Spaces at the end of a line are invisible noise.",
             (("end  \t\nnext\n", "end\nnext\n"), ("  indented stays\n", "  indented stays\n"))),
    RuleInfo("WS003", "blank-line-runs", "whitespace",
             "Two or more blank lines (often left where boilerplate was removed) become one.",
             (("a\n\n\n\nb\n", "a\n\nb\n"), ("a\n\nb\n", "a\n\nb\n"))),
    RuleInfo("WS004", "leading-blank-lines", "whitespace", "Blank lines before the first line of text go.",
             (("\n\n  \ntext\n", "text\n"), ("  text\n", "  text\n"))),
    RuleInfo("WS005", "end-of-text", "whitespace",
             "A non-empty text ends with exactly one newline; a text of only white space becomes empty.",
             (("text", "text\n"), ("text\n \n\n", "text\n"), ("text\n", "text\n"))),
)

_EOL = r"(?:\r\n|\r|\n)"
# Horizontal white space, including NBSP and the Unicode spaces, but not NEL (U+0085): in scraped
# text that is nearly always cp1252's "…" read as Latin-1, for the repair stage to restore, not
# for this one to delete.
_SPACE = r"[^\S\r\n\x85]"
# The same characters as a string, for str.rstrip: every c with c.isspace() but NEL.
TRAILING_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + \
    "\u2028\u2029\u202f\u205f\u3000"
# In priority order: where two could match at one place, the earlier owns the span. The end of
# the text (WS005) is found with str.rstrip, not here: a pattern like \s+\Z would be tried at
# every space of the text.
_ALTERNATIVES = (
    ("WS004", rf"\A(?:{_SPACE}*{_EOL})+"),
    ("WS003", rf"{_EOL}(?:{_SPACE}*{_EOL}){{2,}}"),
    ("WS001", r"\r\n?"),
    ("WS002", rf"{_SPACE}+(?={_EOL}|\Z)"),
)
_NAMES = {rule.id: rule.name for rule in RULES}
# White space other than space, tab, NBSP and line breaks: rare enough to send a text to the
# full scan whenever it has any. With " ", "\t" and "\xa0" this is every c with c.isspace().
_RARE_SPACE_CHARS = "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + \
    "\u2028\u2029\u202f\u205f\u3000"
_RARE_SPACE = re.compile(f"[{re.escape(_RARE_SPACE_CHARS)}]")
# What needs_scan looks for after the first character, as one RE2 pattern: a line break of CR,
# three line breaks in a row, a space, tab or NBSP before a line break, or rare white space.
_SCAN_SIGNS = ("\\r", "\\n\\n\\n", "\\x{20}\\n", "\\t\\n", "\\x{a0}\\n", re2_class(_RARE_SPACE_CHARS))


@lru_cache(maxsize=1)
def _scan_screen() -> Any:
    """The RE2 form of :func:`needs_scan`'s substring tests (None without google-re2): one pass over
    the text instead of six. Equivalent, not approximate: tests/test_text_screens.py checks it."""
    return None if re2 is None else re2.compile("|".join(_SCAN_SIGNS))


def needs_scan(text: str) -> bool:
    r"""Could WS001-WS004 apply? A conservative screen for a few fixed signs, at C speed: the first
    character, then one RE2 pass over the text (six substring tests without google-re2).

    Most documents have LF endings, no runs of blank lines and no trailing spaces: for them the
    regular expression, tried at every space of the text, is skipped.

    >>> needs_scan("one\ntwo\n\nthree\n"), needs_scan("one \ntwo\n"), needs_scan("a\r\nb")
    (False, True, True)
    """
    if text[:1].isspace():
        return True
    screen = _scan_screen()
    if screen is not None:
        return screen_hits(screen, text)
    return _needs_scan_substrings(text)


def _needs_scan_substrings(text: str) -> bool:
    """needs_scan() without its first-character test, without RE2: six passes over the text."""
    return (
        "\r" in text or "\n\n\n" in text or " \n" in text or "\t\n" in text or "\xa0\n" in text
        or _RARE_SPACE.search(text) is not None
    )


class WhitespaceStage:
    """Normalises white space; see :data:`RULES`.

    >>> stage = WhitespaceStage()
    >>> from cleaner.edits import apply_edits
    >>> text = "\\n\\ntitle  \\r\\n\\r\\n\\r\\nbody\\t\\n\\n"
    >>> apply_edits(text, stage.find_edits(text).edits)
    'title\\n\\nbody\\n'
    >>> stage.find_edits("already clean\\n\\nis left alone\\n").edits
    []
    """

    name = "whitespace"
    settles = True  # its edits never create work for another stage (see Pipeline.clean_text)

    def __init__(self, enabled: Callable[[str], bool] = lambda rule_id: True) -> None:
        self._enabled = {rule.id for rule in RULES if enabled(rule.id)}
        alternatives = [f"(?P<{rule}>{pattern})" for rule, pattern in _ALTERNATIVES if rule in self._enabled]
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    def find_edits(self, text: str) -> StageResult:
        edits: list[Edit] = []
        ends_here = "WS005" in self._enabled
        # Everything after the last visible character is WS005's: one edit at the end.
        body_end = len(text.rstrip(TRAILING_SPACE)) if ends_here else len(text)
        if self._pattern is not None and body_end and needs_scan(text):
            for match in self._pattern.finditer(text, 0, body_end):
                rule = match.lastgroup or ""
                after = "\n\n" if rule == "WS003" else "\n" if rule == "WS001" else ""
                edits.append(Edit(self.name, rule, _NAMES[rule], match.start(), match.end(), match.group(), after))
        if ends_here:
            tail = text[body_end:]
            after = "\n" if body_end else ""  # a text of only white space becomes empty
            if tail != after:
                edits.append(Edit(self.name, "WS005", _NAMES["WS005"], body_end, len(text), tail, after))
        return StageResult(edits)
