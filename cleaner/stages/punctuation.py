"""Punctuation: invisible junk out, and quotes, dashes and ellipses in one chosen form.

Profiles:

* ``keep`` (default): typographic characters stay as written; only invisible junk is removed.
  Clean text in any language comes out byte for byte as it went in.
* ``ascii``: straight quotes, ASCII dashes and ``...``, like ftfy's ``uncurl_quotes`` and Moses'
  punctuation normaliser; for pipelines whose tokenizers expect ASCII.
* ``unicode``: one typographic form: curly quotes by context, ``…``, ``—`` for `` -- ``.

Invisible-junk rules apply in every profile. Characters that carry meaning although they are
invisible are kept: ZWJ (emoji sequences, Indic scripts), ZWNJ (Persian), bidi marks (RTL text).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; without it, no screen
    re2 = None

from cleaner.edits import Edit
from cleaner.rule_screen import re2_class, screen_hits
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo

PROFILES = ("keep", "unicode", "ascii")
DEFAULT_PROFILE = "keep"

RULES = (
    RuleInfo("PN001", "zero-width-space", "punctuation",
             "U+200B is an invisible break hint that scrapers leave inside words; it splits tokens.",
             (("data\u200bset", "dataset"), ("no junk here", "no junk here"))),
    RuleInfo("PN002", "soft-hyphen", "punctuation",
             "U+00AD is an invisible hyphenation hint; inside a word it breaks search and tokens.",
             (("co\u00adoperate", "cooperate"), ("co-operate", "co-operate"))),
    RuleInfo("PN003", "stray-byte-order-mark", "punctuation",
             "U+FEFF inside a text is a BOM left by concatenating files, not a character.",
             (("one\ufefftwo", "onetwo"), ("one two", "one two"))),
    RuleInfo("PN004", "control-characters", "punctuation",
             "C0/C1 control characters (other than tab and line breaks) and DEL are never text.",
             (("bell\x07 and \x85NEL", "bell and NEL"), ("tab\tstays", "tab\tstays"),
              ("👩\u200d💻 and \u200cfa", "👩\u200d💻 and \u200cfa"))),
    RuleInfo("PN101", "ascii-quotes", "punctuation", "Profile ascii: curly and low quotes become ' and \".",
             (("“Hi,” she said. ‘Yes’", '"Hi," she said. \'Yes\''),)),
    RuleInfo("PN102", "ascii-dashes", "punctuation", "Profile ascii: hyphen and dash variants become - (em dash --).",
             (("1990–1995 — or so", "1990-1995 -- or so"),)),
    RuleInfo("PN103", "ascii-ellipsis", "punctuation", "Profile ascii: … becomes ...",
             (("wait…", "wait..."),)),
    RuleInfo("PN104", "ascii-spaces", "punctuation", "Profile ascii: no-break and other Unicode spaces become a space.",
             (("100\u00a0km", "100 km"),)),
    RuleInfo("PN201", "curly-quotes", "punctuation",
             "Profile unicode: straight quotes become opening or closing curly quotes by context.",
             (("He said \"it's fine\"", "He said “it’s fine”"),)),
    RuleInfo("PN202", "typographic-dashes", "punctuation", "Profile unicode: a spaced -- becomes an em dash.",
             (("yes -- no", "yes — no"), ("x--y", "x--y"))),
    RuleInfo("PN203", "typographic-ellipsis", "punctuation", "Profile unicode: ... becomes …",
             (("wait...", "wait…"), ("etc....", "etc...."))),
)
_NAMES = {rule.id: rule.name for rule in RULES}

def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


# Invisible junk: character -> rule. Removed in every profile.
_JUNK: dict[str, str] = (
    dict.fromkeys("\u200b", "PN001")
    | dict.fromkeys("\u00ad", "PN002")
    | dict.fromkeys("\ufeff", "PN003")
    | dict.fromkeys(_chars((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F)), "PN004")
)
_ASCII_MAP = {
    "PN101": dict.fromkeys("‘’‚‛‹›", "'") | dict.fromkeys("“”„‟«»", '"'),
    "PN102": dict.fromkeys("‐‑‒–−", "-") | dict.fromkeys("—―", "--"),
    "PN103": {"…": "..."},
    "PN104": dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
                           "\u202f\u205f\u3000", " "),
}


def _simple_table(profile: str, enabled: set[str]) -> dict[str, tuple[str, str]]:
    """Character -> (rule, replacement) for every rule that maps one character without context."""
    table = {char: (rule, "") for char, rule in _JUNK.items() if rule in enabled}
    if profile == "ascii":
        for rule, mapping in _ASCII_MAP.items():
            if rule in enabled:
                table.update({char: (rule, out) for char, out in mapping.items()})
    return table


def _build_pattern(profile: str, enabled: set[str], simple: dict[str, tuple[str, str]]) -> re.Pattern[str] | None:
    # One character class for all context-free rules: a single scan, whatever the number of rules.
    alternatives = [f"(?P<simple>[{re.escape(''.join(sorted(simple)))}]+)"] if simple else []
    if profile == "unicode":
        if "PN201" in enabled:
            alternatives.append("(?P<PN201>[\"'])")
        if "PN202" in enabled:
            alternatives.append("(?P<PN202>(?<= )--(?= ))")
        if "PN203" in enabled:
            alternatives.append(r"(?P<PN203>(?<!\.)\.\.\.(?!\.))")
    return re.compile("|".join(alternatives)) if alternatives else None


_OPENING_CONTEXT = set(" \t\n\r([{<“‘—–-/")


def _curly(text: str, start: int, quote: str) -> str:
    """The curly form of a straight quote at ``start``: opening after space or bracket, else closing.

    >>> _curly('say "hi"', 4, '"'), _curly('say "hi"', 7, '"'), _curly("it's", 2, "'")
    ('“', '”', '’')
    """
    opening = start == 0 or text[start - 1] in _OPENING_CONTEXT
    if quote == '"':
        return "“" if opening else "”"
    return "‘" if opening else "’"


class PunctuationStage:
    """Removes invisible junk and applies a punctuation profile; see :data:`RULES`.

    >>> from cleaner.edits import apply_edits
    >>> stage = PunctuationStage("ascii")
    >>> text = "“Soft\\u00adware” – it’s here…"
    >>> apply_edits(text, stage.find_edits(text).edits)
    '"Software" - it\\'s here...'
    >>> PunctuationStage("keep").find_edits("“Typographic” text — fine…").edits
    []
    """

    name = "punctuation"
    line_local = True  # every rule looks at one line at most (see Pipeline.clean_text)

    def __init__(
        self, profile: str = DEFAULT_PROFILE, enabled: Callable[[str], bool] = lambda rule_id: True
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown punctuation profile {profile!r}; choose one of {', '.join(PROFILES)}")
        self.profile = profile
        enabled_rules = {rule.id for rule in RULES if enabled(rule.id)}
        self._simple = _simple_table(profile, enabled_rules)
        self._pattern = _build_pattern(profile, enabled_rules, self._simple)
        # Outside the unicode profile the pattern is one class of characters: RE2 finds whether a
        # text holds any of them far faster than re (which steps through it character by character).
        self._screen = _simple_screen(self._simple) if profile != "unicode" else None

    def find_edits(self, text: str) -> StageResult:
        if self._pattern is None or (text.isascii() and self.profile != "unicode" and not _has_ascii_junk(text)):
            return StageResult()
        if self._screen is not None and not screen_hits(self._screen, text):
            return StageResult()  # none of the pattern's characters: it would find nothing
        edits: list[Edit] = []
        for match in self._pattern.finditer(text):
            rule = match.lastgroup or ""
            if rule == "simple":
                self._simple_edits(match.start(), match.group(), edits)
                continue
            before = match.group()
            if rule == "PN201":
                after = _curly(text, match.start(), before)
            elif rule == "PN202":
                after = "—"
            else:
                after = "…"
            edits.append(Edit(self.name, rule, _NAMES[rule], match.start(), match.end(), before, after))
        return StageResult(edits)

    def _simple_edits(self, start: int, run: str, edits: list[Edit]) -> None:
        """Edits for a run of context-free characters: junk of one rule merged, others one by one."""
        index = 0
        while index < len(run):
            rule, after = self._simple[run[index]]
            end = index + 1
            if not after:  # removal: take the whole stretch of this rule's characters
                while end < len(run) and self._simple[run[end]] == (rule, ""):
                    end += 1
            edits.append(Edit(self.name, rule, _NAMES[rule], start + index, start + end, run[index:end], after))
            index = end


def _simple_screen(simple: dict[str, tuple[str, str]]) -> Any:
    """RE2: any one character of ``simple`` (the whole pattern of the keep and ascii profiles), or
    None without google-re2 or characters. The class names each code point, so it matches exactly
    the characters ``re`` does (tests/test_text_screens.py compares the two)."""
    if re2 is None or not simple:
        return None
    return re2.compile(re2_class(simple))


_ASCII_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _has_ascii_junk(text: str) -> bool:
    return _ASCII_JUNK.search(text) is not None
