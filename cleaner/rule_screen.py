"""Rule patterns as a cheap RE2 screen: which raw lines could a boilerplate phrase rule match?

The boilerplate stage runs one alternation of these screens over a whole text (RE2 runs it as a
DFA, at hundreds of MB/s), so that only the lines it hits are prepared and given to the rules'
own ``regex`` patterns. See :func:`re2_line_screen` for how a pattern is translated; the
translation may match more than the rule, never less (``tests/test_boilerplate_screen.py``
compares the screened stage with one that checks every line). :func:`screen_hits` runs such a
screen over a text; the punctuation and whitespace stages use it too, for their own screens.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

if sys.version_info >= (3, 11):
    import re._parser as sre_parse
else:  # pragma: no cover - exercised only on Python 3.10
    import sre_parse


# White space as str.split() and str.strip() see it, without the line breaks \n and \r (the last
# such character is U+3000; tests/test_boilerplate_screen.py checks the whole of Unicode).
WHITE_SPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace() and chr(code) not in "\n\r")


def re2_class(chars: Iterable[str], ranges: Iterable[str] = ()) -> str:
    """An RE2 character class of ``chars`` (runs written as ranges) and ``ranges`` (already RE2),
    every character escaped: RE2 and ``regex`` differ in which escapes they know, and ``\\x{...}``
    means the same code point to both.

    >>> re2_class("cab :")
    '[\\\\x{20}\\\\x{3a}a-c]'
    """
    codes = sorted({ord(char) for char in chars})
    parts = []
    index = 0
    while index < len(codes):
        last = index
        while last + 1 < len(codes) and codes[last + 1] == codes[last] + 1:
            last += 1
        low, high = _re2_char(chr(codes[index])), _re2_char(chr(codes[last]))
        parts.append(low if last == index else low + high if last == index + 1 else f"{low}-{high}")
        index = last + 1
    return "[" + "".join(parts) + "".join(ranges) + "]"


def screen_hits(screen: Any, text: str) -> bool:
    """Whether the RE2 ``screen`` matches somewhere in ``text``. It runs on the UTF-8 bytes (the
    str interface of google-re2 encodes the text anyway, and costs more per call); a text that does
    not encode (a lone surrogate) counts as a hit, so that the caller's own pattern decides."""
    data = utf8(text)
    return True if data is None else screen.search(data) is not None


# The last text utf8() encoded and its bytes (or None). The entry holds the text itself, so no
# other object can take its id while it is here: an identity test is exact.
_last_utf8: tuple[str, bytes | None] = ("", b"")


def utf8(text: str) -> bytes | None:
    """``text`` encoded as UTF-8, or None if it does not encode (a lone surrogate).

    The stages screen a document one after another, and a stage that edits nothing hands the
    very same str object to the next one: the last text's bytes are kept and given again.
    """
    global _last_utf8
    last_text, last_data = _last_utf8
    if text is last_text:
        return last_data
    try:
        data: bytes | None = text.encode("utf-8")
    except UnicodeEncodeError:
        data = None
    _last_utf8 = (text, data)
    return data


def remember_utf8(text: str, data: bytes) -> None:
    """Let :func:`utf8` give ``data`` for ``text``: the caller knows they are the same text, as
    the input bytes a document was decoded from as UTF-8 are (the repair stage hands the very
    same str on when it edits nothing): its stages' screens then need not encode it again."""
    global _last_utf8
    _last_utf8 = (text, data)


def encode_utf8(text: str) -> bytes:
    """``text.encode("utf-8")`` (raising as it does), given from :func:`utf8`'s entry when that
    holds the very same text."""
    data = utf8(text)
    return data if data is not None else text.encode("utf-8")


def _re2_char(char: str) -> str:
    return char if char.isascii() and char.isalnum() else f"\\x{{{ord(char):x}}}"


# A space of the prepared line stands for a run of white space in the raw line.
_RE2_WHITE_RUN = re2_class(WHITE_SPACE) + "+"
# Any one character of the prepared line (so also a space: a run of white space in the raw line).
_RE2_ANY = "[^\\n]+"
# Categories as classes that hold at least what ``regex`` matches: ASCII as it is, and all of
# non-ASCII (Unicode tables differ between versions; ASCII text, the common case, stays precise).
# A space of the prepared line is a run of white space in the raw line; the caller adds the run.
_NON_ASCII = "\\x{80}-\\x{10ffff}"
_RE2_CATEGORIES: dict[Any, tuple[str, str]] = {
    sre_parse.CATEGORY_DIGIT: ("0123456789", _NON_ASCII),
    sre_parse.CATEGORY_WORD: ("_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", _NON_ASCII),
    sre_parse.CATEGORY_SPACE: (" ", _NON_ASCII),
}
# What the regex module's IGNORECASE matches for ASCII letters beyond their two cases (found by
# running it over every code point; tests/test_boilerplate_screen.py checks it): dotted I, the long s, Kelvin.
_FOLDS_BEYOND_ASCII = {"i": "\u0130", "k": "\u212a", "s": "\u017f"}


def re2_line_screen(pattern: str, case_sensitive: bool) -> str | None:
    """An RE2 pattern that matches every raw line a phrase rule could match, or None if the rule's
    pattern uses syntax this translation does not handle (the rule then runs on every line).

    The boilerplate stage runs one alternation of these over a whole text, so that only the lines
    it hits are prepared and given to the rules. The translation may match more than the rule
    (it only needs to be cheap and never miss), never less:

    * a rule matches the *prepared* line (:func:`prepare_line`): each space of it stands for a run
      of white space in the raw line, whose ends may hold white space and zero-width characters
      (the caller adds those ends and anchors the alternation to whole lines);
    * look-arounds and anchors (``\\b``, ``(?=...)``, ``(?<!...)``) are dropped: they only ever
      narrow a match;
    * counted repeats become ``*`` or ``+`` (``.{0,80}`` becomes ``.*``): RE2 builds a program
      per repetition, and the count never matters for a screen;
    * the Unicode tables and case foldings of RE2 and ``regex`` need not agree, so nothing relies
      on them: ``\\d``, ``\\w`` and ``\\s`` match their ASCII members and every non-ASCII
      character; a negated class excludes only the characters it names (not their other cases);
      ``.``, ``\\D``, ``\\W``, ``\\S``, back-references and, when case is ignored, cased
      characters other than ASCII letters match any character; ASCII letters match the
      characters ``regex`` folds them to.

    The pattern is parsed with Python's own regular-expression parser, which reads the syntax the
    packs use the same way ``regex`` does; what it does not read, or warns about (``[[`` may be a
    nested set in ``regex``), and a literal ``{`` (``regex`` fuzzy matching, ``(?:x){e<=1}``, is a
    literal to Python's parser) are not translated.

    >>> re2_line_screen("(?=sh)share.{1,9}", False)
    '[Ss\\\\x{17f}][Hh][Aa][Rr][Ee](?:[^\\\\n]+)+'
    >>> re2_line_screen("(?:share){e<=1}", False) is None
    True
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = sre_parse.parse(pattern, 0 if case_sensitive else sre_parse.SRE_FLAG_IGNORECASE)
    except (sre_parse.error, Warning, ValueError, OverflowError, RecursionError):
        return None
    flags = parsed.state.flags
    if flags & sre_parse.SRE_FLAG_VERBOSE:  # regex and re differ on white space inside sets
        return None
    return _re2_sequence(parsed.data, bool(flags & sre_parse.SRE_FLAG_IGNORECASE))


def _re2_sequence(items: Iterable[tuple[Any, Any]], ignore_case: bool) -> str | None:
    out = []
    for op, value in items:
        part = _re2_item(op, value, ignore_case)
        if part is None:
            return None
        out.append(part)
    return "".join(out)


def _re2_item(op: Any, value: Any, ignore_case: bool) -> str | None:
    if op is sre_parse.LITERAL:
        if value == ord("{"):  # maybe a regex-module fuzzy constraint, read as a literal here
            return None
        return _re2_literal(chr(value), ignore_case)
    if op is sre_parse.NOT_LITERAL:
        return _re2_negated_set([(sre_parse.LITERAL, value)])
    if op in (sre_parse.ANY, sre_parse.GROUPREF):
        return _RE2_ANY if op is not sre_parse.GROUPREF else "[^\\n]*"
    if op is sre_parse.IN:
        return _re2_set(value, ignore_case)
    if op in (sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT):
        return ""
    if op is sre_parse.BRANCH:
        branches = [_re2_sequence(branch, ignore_case) for branch in value[1]]
        if any(branch is None for branch in branches):
            return None
        return "(?:" + "|".join(branch for branch in branches if branch is not None) + ")"
    if op is sre_parse.SUBPATTERN:
        _group, add_flags, del_flags, items = value
        if (add_flags | del_flags) & sre_parse.SRE_FLAG_VERBOSE:
            return None
        if add_flags & sre_parse.SRE_FLAG_IGNORECASE:
            ignore_case = True
        if del_flags & sre_parse.SRE_FLAG_IGNORECASE:
            ignore_case = False
        inner = _re2_sequence(items, ignore_case)
        return None if inner is None else f"(?:{inner})"
    if op is getattr(sre_parse, "ATOMIC_GROUP", None):  # Python 3.11+
        inner = _re2_sequence(value, ignore_case)
        return None if inner is None else f"(?:{inner})"
    if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, getattr(sre_parse, "POSSESSIVE_REPEAT", None)):
        low, high, items = value
        inner = _re2_sequence(items, ignore_case)
        if inner is None:
            return None
        if high == 0:
            return ""
        if high == 1:
            return f"(?:{inner})" + ("?" if low == 0 else "")
        return f"(?:{inner})" + ("*" if low == 0 else "+")
    return None  # conditionals and whatever else: not translated


@lru_cache(maxsize=1024)  # the same few letters recur through every pattern
def _re2_literal(char: str, ignore_case: bool) -> str:
    if char == " ":
        return _RE2_WHITE_RUN
    if not ignore_case or _caseless(char):
        return _re2_char(char)
    if char.isascii():  # a letter
        lower = char.lower()
        return re2_class(lower + lower.upper() + _FOLDS_BEYOND_ASCII.get(lower, ""))
    return _RE2_ANY


def _re2_set(items: Sequence[tuple[Any, Any]], ignore_case: bool) -> str:
    if items and items[0][0] is sre_parse.NEGATE:
        return _re2_negated_set(items[1:])
    members: set[str] = set()
    ranges: list[str] = []
    for op, value in items:
        if op is sre_parse.CATEGORY:
            if value not in _RE2_CATEGORIES:  # \D, \W, \S
                return _RE2_ANY
            category_members, category_range = _RE2_CATEGORIES[value]
            members.update(category_members)
            ranges.append(category_range)
            continue
        if op is sre_parse.LITERAL:
            codes = range(value, value + 1)
        elif op is sre_parse.RANGE:
            codes = range(value[0], value[1] + 1)
            if not ignore_case:  # kept as a range: it may span thousands of ideographs
                ranges.append(f"{_re2_char(chr(codes[0]))}-{_re2_char(chr(codes[-1]))}")
                members.update(" " for code in codes[:1] if codes[0] <= 0x20 <= codes[-1])
                continue
            if codes[-1] > 0x7F:
                return _RE2_ANY
        else:
            return _RE2_ANY
        for char in map(chr, codes):
            if not ignore_case or _caseless(char):
                members.add(char)
            elif char.isascii():  # a letter
                lower = char.lower()
                members.update((lower, lower.upper(), *_FOLDS_BEYOND_ASCII.get(lower, "")))
            else:
                return _RE2_ANY
    members_class = re2_class(members, ranges)
    return f"(?:{members_class}|{_RE2_WHITE_RUN})" if " " in members else members_class


def _re2_negated_set(items: Sequence[tuple[Any, Any]]) -> str:
    """``[^...]``: excluding just the characters named (not their other cases) excludes less than
    ``regex`` does, which is the safe direction."""
    excluded: set[str] = {"\n"}
    ranges: list[str] = []
    for op, value in items:
        if op is sre_parse.LITERAL:
            excluded.add(chr(value))
        elif op is sre_parse.RANGE:
            ranges.append(f"{_re2_char(chr(value[0]))}-{_re2_char(chr(value[1]))}")
            if value[0] <= 0x20 <= value[1]:
                excluded.add(" ")
        else:
            return _RE2_ANY
    negated = "[^" + re2_class(excluded, ranges)[1:]
    return f"(?:{negated}|{_RE2_WHITE_RUN})" if " " not in excluded else negated


def _caseless(char: str) -> bool:
    return char.lower() == char.upper() == char.casefold() == char.title() == char
