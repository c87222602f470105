"""Whitespace: line endings, trailing spaces, runs of blank lines, one final newline.

All five rules are alternatives of one regular expression, so a document is scanned once; the
order of the alternatives decides which rule owns a span when several could.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cleaner.edits import Edit
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
_SPACE = r"[^\S\r\n]"  # horizontal white space, including NBSP and the Unicode spaces
# In priority order: where two could match at one place, the earlier owns the span.
_ALTERNATIVES = (
    ("WS004", rf"\A(?:{_SPACE}*{_EOL})+"),
    ("WS005", r"\s+\Z"),
    ("WS003", rf"{_EOL}(?:{_SPACE}*{_EOL}){{2,}}"),
    ("WS001", r"\r\n?"),
    ("WS002", rf"{_SPACE}+(?={_EOL}|\Z)"),
)
_NAMES = {rule.id: rule.name for rule in RULES}
_NON_SPACE = re.compile(r"\S")


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
        if self._pattern is None:
            return StageResult(edits)
        for match in self._pattern.finditer(text):
            rule = match.lastgroup or ""
            before = match.group()
            if rule == "WS005":
                # Only white space before it (WS004 may be removing that): the text is empty.
                after = "\n" if _NON_SPACE.search(text, 0, match.start()) else ""
            elif rule == "WS003":
                after = "\n\n"
            elif rule == "WS001":
                after = "\n"
            else:
                after = ""
            if before != after:
                edits.append(Edit(self.name, rule, _NAMES[rule], match.start(), match.end(), before, after))
        if text and not text[-1].isspace() and "WS005" in self._enabled:
            end = len(text)
            edits.append(Edit(self.name, "WS005", _NAMES["WS005"], end, end, "", "\n"))
        return StageResult(edits)
