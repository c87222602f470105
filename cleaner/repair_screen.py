"""The cheap screen: one precompiled pattern that finds the lines worth the expensive search.

Clean text must cost about what ftfy's own ``is_bad`` pre-check costs, so the repair stage runs
one search over the whole text and looks only at the lines it hits. The pattern is built from
the codec tables and the language model, never by hand:

* for every single-byte reader, a UTF-8 *lead* byte's character followed by a *continuation*
  byte's (``Ã©``, ``Ð¿``, ``â€``), minus the pairs real text uses (the language model's common
  pairs: ``чё`` is Russian, not cp1251 mojibake); three characters for three- and four-byte
  sequences (``โ€œ``), which keeps clean Thai and Cyrillic out;
* for the multi-byte CJK readers, the characters their mojibake is made of that the word lists
  do not know (``鈥``, ``涓``), and an ideograph right after a Latin letter (``caf茅``);
* C1 controls and U+FFFD, which never belong in clean text;
* ftfy's own ``BADNESS_RE``, so every line ftfy would repair is looked at.

Deriving the codec signatures (the first two items) takes a quarter of a second, so they are
derived once, by ``python -m cleaner.repair_screen --rebuild``, into the data module
:mod:`cleaner.repair_screen_data`; rebuild it after changing the codec tables or the language
model (``tests/test_repair_screen.py`` fails until then). ``BADNESS_RE`` is read from the
installed ftfy at run time.

google-re2, when installed, runs the pattern as a DFA (hundreds of MB/s); otherwise Python's
``re`` runs the very same pattern, a few times slower.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from ftfy.badness import BADNESS_RE

from cleaner.mojibake import CODECS, Codec, sequence_length
from cleaner.repair_lm import SPACELESS_SCRIPTS, char_class, known, scripts_with_pairs, step_cost

# Pairs cheaper than this (nats) are ones real text writes; they are not evidence of mojibake.
COMMON_PAIR = 7.0


def second_byte_range(lead: int) -> range:
    """Continuation bytes that may follow ``lead`` in well-formed UTF-8."""
    if lead == 0xE0:
        return range(0xA0, 0xC0)
    if lead == 0xED:
        return range(0x80, 0xA0)
    if lead == 0xF0:
        return range(0x90, 0xC0)
    if lead == 0xF4:
        return range(0x80, 0x90)
    return range(0x80, 0xC0)


def _char_class(chars: set[str] | frozenset[str]) -> str:
    return "[" + "".join(_escape(char) for char in sorted(chars)) + "]"


def _escape(char: str) -> str:
    if char.isalnum() and char.isascii():
        return char
    return f"\\x{{{ord(char):x}}}" if ord(char) < 0x80 else char if char.isalnum() else re.escape(char)


def _single_byte_signatures(codecs: list[Codec]) -> list[str]:
    pairs: dict[str, set[str]] = {}
    triples: dict[str, tuple[set[str], set[str]]] = {}
    unpaired_leads: set[str] = set()  # letters of scripts without pair statistics (Thai)
    unpaired_followers: set[str] = set()
    # Lead characters that cannot go on a Latin word, and what may follow them (by whether the
    # lead is a lower-case letter).
    foreign_pairs: dict[bool, tuple[set[str], set[str]]] = {}
    nbsp_leads: set[str] = set()  # see below
    for codec in codecs:
        decoding = {data[0]: char for char, data in codec.encoding.items()}
        continuation = {decoding[byte] for byte in range(0x80, 0xC0) if byte in decoding}
        for lead in range(0xC2, 0xF5):
            first = decoding.get(lead)
            if first is None:
                continue
            second = {decoding[byte] for byte in second_byte_range(lead) if byte in decoding}
            unpaired = {char for char in second if _unpaired_letters(first, char)}
            if unpaired:
                unpaired_leads.add(first)
                unpaired_followers.update(unpaired)
            if (sequence_length(lead) == 2 and decoding.get(0xA0) == "\xa0" and not first.isascii()
                    and _letter_or_mark(first) and not first.islower()):
                nbsp_leads.add(first)
            if sequence_length(lead) == 2 and _foreign_to_latin_words(first):
                # A lower-case letter of another script, with a letter after it, is how Latin
                # homoglyphs sit in clean Cyrillic (``cил``, a Latin c): only a symbol after it
                # counts (KOI8-R's ``cafц╘``).
                homoglyph_like = first.islower()
                foreign = foreign_pairs.setdefault(homoglyph_like, (set(), set()))
                foreign[0].add(first)
                foreign[1].update(char for char in second
                                  if not (homoglyph_like and (char.isalpha() or char.isspace())))
            telling = {char for char in second if not _ordinary_pair(first, char)}
            if sequence_length(lead) == 2:
                pairs.setdefault(first, set()).update(telling)
            elif telling:
                seconds, thirds = triples.setdefault(first, (set(), set()))
                seconds.update(telling)
                thirds.update(continuation)
    signatures = []
    by_set: dict[frozenset[str], list[str]] = {}
    for first, seconds in pairs.items():
        if seconds:
            by_set.setdefault(frozenset(seconds), []).append(first)
    signatures += [_char_class(set(firsts)) + _char_class(seconds) for seconds, firsts in by_set.items()]
    by_sets: dict[tuple[frozenset[str], frozenset[str]], list[str]] = {}
    for first, (seconds, thirds) in triples.items():
        by_sets.setdefault((frozenset(seconds), frozenset(thirds)), []).append(first)
    signatures += [
        _char_class(set(firsts)) + _char_class(seconds) + _char_class(thirds)
        for (seconds, thirds), firsts in by_sets.items()
    ]
    # A lead whose continuation byte the reader dropped, inside a Latin word or starting one:
    # ``konΔno`` (č, C4 8D, through cp1253), ``prΓtres`` (ê), ``vu Δelj``. Clean text sets no
    # capital of its own inside a lower-case Latin word, and no Greek or Cyrillic capital before
    # two Latin letters (``Δt`` is physics; ``Δel`` is not).
    # The same goes for a letter of a script without case (Thai ``zarobljeniฤkog``) and a mark
    # (Hebrew's hiriq in ``obִutek``): no clean text sets one inside a Latin word either.
    sandwiched = {lead for homoglyph_like, (leads, _) in foreign_pairs.items() if not homoglyph_like
                  for lead in leads if lead.isupper() or (_letter_or_mark(lead) and not lead.islower())}
    if sandwiched:
        signatures.append("[a-z]" + _char_class(sandwiched) + "[a-z]")
        # ... or ending a lower-case Latin word: Romanian ``francezÄ.`` (ă, C4 83, through cp1250).
        signatures.append("[a-z]" + _char_class(sandwiched) + _WORD_END)
        other_script = {lead for lead in sandwiched if char_class(lead) != "L:LATIN"}
        if other_script:
            signatures.append(_char_class(other_script) + "[a-z]{2}")
            # In a line of capitals, a letter of another script between two Latin ones, or ending
            # a Latin word: Polish ``DOSTΔPU`` (Ę, C4 98) and ``SIΔ``. A Latin capital there is
            # German or Swedish (``GESCHÄFT``, ``PÅ``): it is not taken.
            signatures += ["[A-Z]" + _char_class(other_script) + "[A-Z]",
                           "[A-Z]{2}" + _char_class(other_script) + _WORD_END]
    for _, (leads, followers) in sorted(foreign_pairs.items()):
        # A pair real text writes, but written against a Latin word: Spanish ó read as cp1251
        # (``decretГі``), German ü as cp1253 (``fΓΌr``), Italian à as cp1250 (``indicherĂ\xa0``);
        # in capitals too (French ``MOLI├ИRE`` through cp866).
        if leads and followers:
            inner = _char_class(leads) + _char_class(followers)
            signatures += ["[a-z]" + inner, inner + "[a-z]", "[A-Z]" + inner, inner + "[A-Z]"]
    if nbsp_leads:
        # A character whose second byte is A0, which most readers show as a no-break space: French
        # à (C3 A0) through cp1250 is ``Ă\xa0``, a capital standing alone before the space that
        # follows it (``biographique, Ă\xa0 peine``). Clean text sets no such lone capital there.
        signatures.append("(?:(?m:^)|[\\s(«„“])" + _char_class(nbsp_leads) + "\\x{a0}\\x{20}?[a-z]")
    if unpaired_leads:
        # Thai letters inside a Latin word (Yรกng): the cp874 tell the pairs alone cannot see.
        inner = _char_class(unpaired_leads) + _char_class(unpaired_followers)
        signatures += ["[A-Za-z]" + inner, inner + "[A-Za-z]"]
    signatures += _unpaired_script_signatures(codecs)
    # In a word of capitals, a Latin capital a lead byte of a Latin letter reads as, then a Latin
    # capital at once: the continuation byte between them was dropped (Polish ``GWAĹTOWNY``,
    # Ł is C5 81, through cp1250). German and Swedish write these too (``GESCHÄFT``, ``PÅ``),
    # so only the search can tell; such lines are few (76 of the 552,797 of the benchmark's prose).
    signatures.append("[A-Z]" + _char_class(latin_caps_leads(codecs)) + "[A-Z]")
    return signatures


def latin_caps_leads(codecs: list[Codec] | None = None) -> frozenset[str]:
    """The Latin capitals that single-byte readers make of the lead bytes of Latin letters (C3,
    C4, C5 and C8: à-ÿ, Ā-ſ, Ș-ț): ``Ã``, ``Ä``, ``Å``, ``Ă``, ``Ĺ``, ``Č`` and a few more.

    >>> sorted(latin_caps_leads() & set("ÃÄÅĹĂŁ"))
    ['Ã', 'Ä', 'Å', 'Ă', 'Ĺ']
    """
    if codecs is None:
        codecs = [codec for codec in CODECS.values() if not codec.multibyte]
    leads = set()
    for codec in codecs:
        decoding = {data[0]: char for char, data in codec.encoding.items()}
        for lead in (0xC3, 0xC4, 0xC5, 0xC8):
            char = decoding.get(lead)
            if char is not None and char.isupper() and char_class(char) == "L:LATIN":
                leads.add(char)
    return frozenset(leads)


# The end of a word: white space, common punctuation, or the end of the text.
_WORD_END = "(?:[\\s.,;:!?)\\]\"'»”]|$)"


def _letter_or_mark(char: str) -> bool:
    """A letter or a script's own mark; not a combining accent of any script (cp1258's U+0300),
    which decomposed Latin text sets inside its words (``premie\u0300re``)."""
    return unicodedata.category(char)[0] in "LM" and not unicodedata.name(char, "").startswith("COMBINING")


def _unpaired_script_signatures(codecs: list[Codec]) -> list[str]:
    """Three characters of a script the model has no pairs for (Thai), each read through a
    single-byte reader, in a row: ``เธ—เธธเธ™`` (ทุน, each E0 B8 xx, through cp874 with cp1252
    punctuation). Thai mojibake of Thai is Thai letters as well, so the pairs cannot tell it;
    but the first two bytes of every such character are read the same, and a lead and a second
    byte's characters three times over, a character apart, is no word of clean Thai.
    """
    signatures = []
    for script in sorted(_unpaired_scripts()):
        heads = {char.encode()[:2] for char in _script_block(script)}
        for codec in codecs:
            decoding = {data[0]: char for char, data in codec.encoding.items()}
            firsts = {decoding[head[0]] for head in heads if head[0] in decoding}
            seconds = {decoding[head[1]] for head in heads if len(head) > 1 and head[1] in decoding}
            if firsts and seconds:
                triple = _char_class(firsts) + _char_class(seconds) + "[^\\x{0}-\\x{7f}]"
                signatures.append(f"(?:{triple}){{3}}")
    return sorted(set(signatures))


def _unpaired_scripts() -> set[str]:
    """The letter classes of the scripts that UTF-8 writes in three bytes and whose pairs the
    model lacks (Thai)."""
    scripts = set()
    for code in range(0x0800, 0x1000):  # three-byte letters of alphabetic scripts
        char = chr(code)
        script = char_class(char)
        if unicodedata.category(char) == "Lo" and script.startswith("L:") and not _screened_by_pairs(script) \
                and script not in ("L:CJK", "L:HANGUL") and known(char):
            scripts.add(script)
    return scripts


def _script_block(script: str) -> list[str]:
    return [chr(code) for code in range(0x0800, 0x1000) if char_class(chr(code)) == script
            and unicodedata.category(chr(code))[0] in "LM"]


def _foreign_to_latin_words(char: str) -> bool:
    """A character that does not belong right after a lower-case Latin letter: a letter of
    another script, an upper-case letter, a symbol. (Not punctuation or a space: ``mot\xa0»``.)

    >>> [_foreign_to_latin_words(char) for char in "Гé├Ă«\xa0"]
    [True, False, True, True, False, False]
    """
    return char.isupper() or char_class(char) not in ("L:LATIN", "punct", "space")


def _ordinary_pair(first: str, second: str) -> bool:
    """A pair real text writes: common in the word lists, or two letters of a script whose
    pairs the lists do not cover (Thai); those count only beside a Latin letter."""
    if char_class(first) == char_class(second) == "symbol":
        # Two symbols cost little by the model only because each is common alone; prose does
        # not write MacRoman's √° (á) or √© (é).
        return False
    return step_cost(first, second) < COMMON_PAIR or _unpaired_letters(first, second)


def _unpaired_letters(first: str, second: str) -> bool:
    script = char_class(first)
    return script == char_class(second) and script.startswith("L:") and not _screened_by_pairs(script)


def _screened_by_pairs(script: str) -> bool:
    """Whether the screen may take a dear pair of this script's letters as a tell: not when the
    model lacks its pairs, nor for a script that writes no spaces between words (Thai), where a
    dear pair may be two words meeting."""
    return script in scripts_with_pairs() and script not in SPACELESS_SCRIPTS


def _multibyte_signatures(codecs: list[Codec]) -> list[str]:
    rare: set[str] = set()
    latin_like: set[str] = set()
    for codec in codecs:
        for lead in range(0xC2, 0xF5):
            for second in second_byte_range(lead):
                try:
                    char = bytes([lead, second]).decode(codec.python_codec)
                except UnicodeDecodeError:
                    continue
                if len(char) != 1 or char.isascii():
                    continue
                if not known(char) and char_class(char) in ("L:CJK", "L:HANGUL"):
                    rare.add(char)
                if 0xC3 <= lead <= 0xC5 and char_class(char) in ("L:CJK", "L:HANGUL"):
                    latin_like.add(char)  # an accented Latin letter read as one ideograph (or syllable)
        for lead in range(0xC3, 0xC6):
            try:
                char = bytes([lead]).decode(codec.python_codec)
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and not char.isascii():
                latin_like.add(char)  # Shift-JIS reads the lead byte alone as a half-width kana (Orbﾃ｡n)
    signatures = [_char_class(rare)] if rare else []
    if latin_like:
        signatures.append("[A-Za-z]" + _char_class(latin_like))
        # ... or starting a Latin word: Croatian ``啪iv`` (živ, C5 BE, through GB18030), French
        # ``矇crivons`` (écrivons, through Big5).
        signatures.append("(?:(?m:^)|[\\s(\"'«„“])" + _char_class(latin_like) + "[a-z]")
    half_width = {char for char in latin_like if "\uff61" <= char <= "\uff9f"}
    if half_width:
        # Shift-JIS made a lone lead byte a half-width kana, then read the next byte with a
        # Latin letter's as one character: Croatian "či" became ``ﾄ絞`` + "i" eaten (``ﾄ絞ni``).
        signatures.append(_char_class(half_width) + "[^\\x{0}-\\x{7f}][A-Za-z]")
    leads = {char for codec in codecs for char in _half_width_leads(codec)}
    if leads:
        # Cyrillic or Greek through Shift-JIS, which reads each lead byte (D0, D1; CE, CF) alone
        # as a half-width kana and the next as another: ``ﾐｵﾐｺﾐｸ`` (еки). Japanese written in
        # half-width kana does not repeat a lead every other character three times over.
        signatures.append(f"(?:{_char_class(leads)}[\\x{{ff61}}-\\x{{ff9f}}]){{3}}")
    return signatures + _unpaired_script_heads(codecs)


def _unpaired_script_heads(codecs: list[Codec]) -> list[str]:
    """Thai through a multi-byte reader: the first two bytes of each Thai character (E0 B8, E0
    B9) make one ideograph, and the third joins the next character's first or stands alone, so
    that ideograph comes back every one to three characters (``喔\ue09d副喔斷釜喔``, through
    GB18030). Clean text does not repeat one of these ideographs so closely three times."""
    heads = {char.encode()[:2] for script in _unpaired_scripts() for char in _script_block(script)}
    readings = set()
    for codec in codecs:
        for head in heads:
            try:
                char = head.decode(codec.python_codec)
            except UnicodeDecodeError:
                continue
            if len(char) == 1 and not char.isascii():
                readings.add(char)
    if not readings:
        return []
    ideograph, between = _char_class(readings), "[^\\x{0}-\\x{7f}]{1,3}"
    return [ideograph + between + ideograph + between + ideograph]


def _half_width_leads(codec: Codec) -> set[str]:
    """The half-width kana a multi-byte reader makes of a two-byte lead byte (C2-DF) alone."""
    leads = set()
    for lead in range(0xC2, 0xE0):
        try:
            char = bytes([lead]).decode(codec.python_codec)
        except UnicodeDecodeError:
            continue
        if len(char) == 1 and "\uff61" <= char <= "\uff9f":
            leads.add(char)
    return leads


def _badness_pattern() -> str:
    """ftfy's verbose BADNESS_RE as a plain pattern (re2 has no verbose mode): drop the white
    space and ``#`` comments verbose mode ignores, outside character classes, escapes kept.

    >>> import re
    >>> bool(re.search(_badness_pattern(), "G\u00c3\u00a0idhlig"))
    True
    """
    pattern = BADNESS_RE.pattern
    out = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if not in_class and char in " \t\n\r\f\v":  # ASCII only: NBSP is a literal
            index += 1
            continue
        if not in_class and char == "#":
            newline = pattern.find("\n", index)
            index = len(pattern) if newline == -1 else newline
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and out and out[-1] != "[":
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def codec_signatures() -> tuple[str, ...]:
    """The signatures derived from the codec tables and the language model (the single-byte and
    multi-byte ones above): what :mod:`cleaner.repair_screen_data` ships, since deriving them
    costs a quarter of a second at every start."""
    single = [codec for codec in CODECS.values() if not codec.multibyte]
    multi = [codec for codec in CODECS.values() if codec.multibyte]
    return (*_single_byte_signatures(single), *_multibyte_signatures(multi))


def build_pattern() -> str:
    """The screen's pattern: every signature as one alternation (the codec signatures as shipped,
    ftfy's BADNESS_RE as the installed ftfy has it)."""
    from cleaner.repair_screen_data import SIGNATURES

    signatures = [
        "[\\x{80}-\\x{9f}\\x{fffd}]",
        *SIGNATURES,
        f"(?:{_badness_pattern()})",
    ]
    return "|".join(signatures)


def render_data_module() -> str:
    """The text of :mod:`cleaner.repair_screen_data`."""
    lines = [
        '"""Generated by ``python -m cleaner.repair_screen --rebuild`` from the codec tables and the',
        "language model (cleaner.repair_screen.codec_signatures); do not edit.",
        '"""',
        "",
        "SIGNATURES = (",
        *(f"    {signature!r}," for signature in codec_signatures()),
        ")",
        "",
    ]
    return "\n".join(lines)


def _python_pattern(pattern: str) -> str:
    """re2's ``\\x{hhhh}`` escapes as Python ``re`` spells them."""
    return re.sub(r"\\x\{([0-9a-f]+)\}", lambda m: f"\\U{int(m.group(1), 16):08x}", pattern)


class Screen:
    """Finds the lines a text's mojibake could be on, with one search over the whole text."""

    def __init__(self, pattern: str | None = None, use_re2: bool | None = None) -> None:
        pattern = pattern if pattern is not None else build_pattern()
        self._re2: Any = None
        if use_re2 is not False:
            try:
                import re2

                options = re2.Options()
                options.max_mem = 64 << 20
                self._re2 = re2.compile(pattern, options)
            except ImportError:
                if use_re2:
                    raise
        self._re = None if self._re2 is not None else re.compile(_python_pattern(pattern))

    @property
    def engine(self) -> str:
        return "re2" if self._re2 is not None else "re"

    def search(self, text: str) -> bool:
        """Whether anything in ``text`` looks like mojibake."""
        if self._re2 is not None:
            return self._re2.search(text) is not None
        assert self._re is not None
        return self._re.search(text) is not None

    def flagged_lines(self, text: str) -> Iterator[tuple[int, str]]:
        """(offset, line) for every line (without its ``\\n``) that the screen hits."""
        if text.isascii():
            return
        starts = self._hit_offsets_re2(text) if self._re2 is not None else self._hit_offsets_re(text)
        for position in starts:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            yield start, text[start : end if end != -1 else len(text)]

    def _hit_offsets_re(self, text: str) -> Iterator[int]:
        assert self._re is not None
        position = 0
        while True:
            match = self._re.search(text, position)
            if match is None:
                return
            yield match.start()
            end = text.find("\n", match.start())
            if end == -1:
                return
            position = end + 1

    def _hit_offsets_re2(self, text: str) -> Iterator[int]:
        # Search the UTF-8 bytes once; map each hit's line back to character offsets.
        # The character offset is counted on from the previous hit's line: decoding the whole
        # prefix at every hit made a text with many flagged lines quadratic.
        # After a hit the search goes on from the next line: a line of mojibake holds a dozen
        # hits, and each would be a call into RE2 for nothing.
        data = text.encode("utf-8", "surrogatepass")
        search = self._re2.search
        byte_offset = char_offset = 0
        match = search(data)
        while match is not None:
            line_start = data.rfind(b"\n", 0, match.start()) + 1
            line_end = data.find(b"\n", match.start())
            char_offset += len(data[byte_offset:line_start].decode("utf-8", "surrogatepass"))
            byte_offset = line_start
            yield char_offset
            if line_end == -1:
                return
            match = search(data, line_end + 1)


@lru_cache(maxsize=1)
def default_screen() -> Screen:
    return Screen()


def has_badness(text: str) -> bool:
    """Exactly ``BADNESS_RE.search(text) is not None`` (ftfy's test for mojibake), several times
    faster where it finds nothing: google-re2 first runs a pattern that matches wherever
    BADNESS_RE does (:func:`_badness_superset`), and only a text it hits is searched by ``re``."""
    screen = _badness_screen()
    if screen is not None:
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: only ``re`` reads it
            data = None
        if data is not None and screen.search(data) is None:  # bytes: no offset conversions
            return False
    return BADNESS_RE.search(text) is not None


@lru_cache(maxsize=1)
def _badness_screen() -> Any:
    """The RE2 superset of BADNESS_RE, or None (then re alone decides): without google-re2, or
    where an ftfy to come writes BADNESS_RE in a way this translation does not take."""
    try:
        import re2
    except ImportError:
        return None
    options = re2.Options()
    options.max_mem = 16 << 20
    try:
        return re2.compile(_badness_superset(), options)
    except (ValueError, re2.error):
        return None


def _badness_superset() -> str:
    """:func:`_badness_pattern` for RE2, whose ``\\s`` and ``\\w`` are ASCII-only where ``re``'s
    are Unicode: ``\\s`` becomes every character ``str.isspace()`` takes below U+3001 and every
    character from there on; ``\\w`` the ASCII word characters and every non-ASCII character.
    Each is a superset of what ``re`` matches (in any Unicode version), and BADNESS_RE uses them
    only outside character classes and un-negated, so this pattern matches wherever BADNESS_RE
    matches, and perhaps elsewhere (:func:`has_badness` then asks ``re``)."""
    spaces = "".join(f"\\x{{{code:x}}}" for code in range(0x3001) if chr(code).isspace())
    replacements = {"\\s": f"[{spaces}\\x{{3001}}-\\x{{10ffff}}]", "\\w": "[0-9A-Z_a-z\\x{80}-\\x{10ffff}]"}
    pattern = _badness_pattern()
    out = []
    index = 0
    in_class = False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escape = pattern[index : index + 2]
            if escape in replacements:
                if in_class:  # not in BADNESS_RE today; a class would need its own superset
                    raise ValueError(f"{escape} inside a character class of BADNESS_RE")
                out.append(replacements[escape])
            elif escape[1:] in "SWdDbB":
                raise ValueError(f"BADNESS_RE uses {escape}, which RE2 reads differently")
            else:
                out.append(escape)
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and out and out[-1] != "[":
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def main(argv: list[str]) -> int:
    if argv != ["--rebuild"]:
        print("usage: python -m cleaner.repair_screen --rebuild", file=sys.stderr)
        return 2
    from pathlib import Path

    target = Path(__file__).with_name("repair_screen_data.py")
    target.write_text(render_data_module(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
