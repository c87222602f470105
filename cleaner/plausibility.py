"""How much a piece of text looks like real writing: the shared test for decodings and repairs.

Both the decode stage (which of several codecs?) and the repair stage (is this repair an
improvement?) ask the same question, so they share these measures.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter

from cleaner.word_index import common_cjk

# The accented letters each Latin-script language writes (lower case). charset-normalizer's
# tables hold only a language's 26 most frequent letters, which leaves most accents out.
LATIN_ORTHOGRAPHIES = {
    "en": "", "fr": "àâæçéèêëîïôœùûüÿ", "es": "áéíñóúü", "pt": "áâãàçéêíóôõú", "it": "àèéìíîòóùú",
    "de": "äöüß", "nl": "áéëíïóöúü", "ca": "àçèéíïòóúü", "pl": "ąćęłńóśźż", "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž", "hu": "áéíóöőúüű", "ro": "ăâîșțşţ", "tr": "çğıöşü",
    "sv": "åäöé", "no": "åæøé", "da": "åæøé", "fi": "äöå", "is": "áðéíóúýþæö", "et": "äöõüšž",
    "lt": "ąčęėįšųūž", "lv": "āčēģīķļņšūž", "hr": "čćđšž", "sl": "čšž", "sq": "çë", "ga": "áéíóú",
    "cy": "âêîôûŵŷ", "eu": "ñ", "mt": "ċġħż", "af": "êëîïôûé",
}


# Japanese mixes kanji and kana within one word: one group. Korean words do not mix hangul and
# hanja, so hangul stays a script of its own.
_CJK_GROUP = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK", "IDEOGRAPHIC": "CJK",
              "HALFWIDTH": "CJK", "FULLWIDTH": "CJK"}


@functools.cache
def _language_letters() -> list[frozenset[str]]:
    """The most frequent letters of each language charset-normalizer knows, as sets."""
    from charset_normalizer.constant import FREQUENCIES

    return [frozenset(letters) for letters in FREQUENCIES.values()]


@functools.cache
def _latin_letters() -> list[frozenset[str]]:
    """The letters of :data:`LATIN_ORTHOGRAPHIES`, as sets: made once, not per call."""
    return [frozenset(letters) for letters in LATIN_ORTHOGRAPHIES.values()]


@functools.cache
def _letter_indexes() -> tuple[dict[str, tuple[int, ...]], dict[str, tuple[int, ...]]]:
    """For each letter, the languages (indices into _language_letters and _latin_letters) whose
    sets hold it: letter_coverage adds each letter's count to its languages, instead of
    intersecting every language's set with the text's letters (a third of its time)."""
    indexes = []
    for sets in (_language_letters(), _latin_letters()):
        index: dict[str, list[int]] = {}
        for number, letters in enumerate(sets):
            for letter in letters:
                index.setdefault(letter, []).append(number)
        indexes.append({letter: tuple(numbers) for letter, numbers in index.items()})
    return indexes[0], indexes[1]


def _totals(counts: Counter[str], index: dict[str, tuple[int, ...]], languages: int) -> list[int]:
    """Per language, the summed counts of the letters its set holds."""
    totals = [0] * languages
    for letter, count in counts.items():
        for number in index.get(letter, ()):
            totals[number] += count
    return totals


def letter_coverage(text: str) -> float:
    """Share of the letters that are among the most frequent letters of the best-fitting language.

    Uses charset-normalizer's per-language frequency tables. Russian read as cp1252
    (``Ïðèâåò``) is all letters, but not letters any language uses that often.

    >>> letter_coverage("crème brûlée") > letter_coverage("Ïðèâåò ìèð")
    True
    """
    # ASCII letters read the same in every candidate codec: they carry no evidence, and would
    # drown the few letters that do.
    counts: Counter[str] = Counter()
    # Count in C first (texts repeat their letters), and only the non-ASCII characters.
    for char, count in Counter("".join(_NON_ASCII_RUN.findall(text))).items():
        if char.isalpha():
            counts[char.lower()] += count
    total = sum(counts.values())
    if not total:
        return 1.0  # nothing to tell the candidates apart by
    language_index, latin_index = _letter_indexes()
    best = max(_totals(counts, language_index, len(_language_letters())))
    # The tables hold only the top 26-100 characters; CJK texts use thousands. Kana and hangul
    # count in full, other ideographs at half weight unless common, so the rare hanzi a wrong
    # multi-byte codec produces score below common ones.
    # Likewise a Latin-script language's accents: Italian "ù" is real writing though no top-26
    # list holds it. Letters no single language writes together ("Ïðèâåò") stay uncovered.
    latin = max(_totals(counts, latin_index, len(_latin_letters())))
    cjk = 0.0
    if any("\u3040" <= char <= "\ud7a3" for char in counts):
        common = common_cjk()
        for char, count in counts.items():
            if "\u3040" <= char <= "\u30ff" or char in common:  # kana, or a common ideograph or syllable
                cjk += count
    return max(best, cjk, latin) / total


def implausibility(text: str) -> float:
    """Oddities per non-ASCII letter: how unlike real writing a decoding looks.

    Counts words that mix scripts (``crﻟme``), upper case after lower case inside a word
    (``рПХЧЕФ``, KOI8-R read as cp1251), and symbols or controls touching letters (``jaŸñ``).
    Two things real writing does are not counted: a case flip between ASCII letters (``QoS``,
    ``iPhone``: the same under every codec), and, in text written mostly in CJK, a Latin word
    with no space before an ideograph (``被IT部門``), and a Latin word against a Thai word
    (``titrationเป็น``). In Latin text an ideograph touching a word stays odd, and so do two or
    three Thai letters inside a Latin word: GBK and cp874 mojibake (``it鈥檚``, ``Yรกng``).

    >>> implausibility("crème brûlée") < implausibility("crﻟme brﻳlﻠe")
    True
    >>> implausibility("选择 QoS 或被IT部門")
    0.0
    >>> implausibility("it鈥檚 cr猫me") > 0
    True
    >>> implausibility("برنامه\u200cها")
    0.0
    >>> implausibility("การศึกษาด้านPharmaceutical equivalence"), implausibility("Yรกng Jiรฉchรญ") > 0
    (0.0, True)
    """
    # Two ASCII characters side by side are never odd, and clean English is all ASCII.
    if text.isascii():
        return 0.0
    # The walk of _implausibility_walk (the reference, and the definition of what is counted),
    # at a fraction of its cost. Each character becomes a one-character code of its class (the
    # joiners, which belong inside words, are deleted), in one str.translate. A pair of two
    # ASCII characters, which the walk never looks at, is never odd, so every pair of the text
    # may be counted; and a pair with a character of the two "other" classes (white space,
    # digits, punctuation) never is, so the text falls apart at them into segments (mostly
    # words) whose counts are worked out once per sequence of classes and remembered.
    walked = text
    if 8 * (len(text.encode("utf-8", "surrogatepass")) - len(text)) < len(text):
        # Mostly ASCII (English with a few curly quotes): only the windows the walk visits, each
        # non-ASCII run with the character before and after it, a space between two windows.
        walked = " ".join([text[max(0, match.start() - 1) : match.end() + 1]
                           for match in _NON_ASCII_RUN.finditer(text)])
    codes = walked.translate(_CLASS_CODES)
    non_ascii = codes.count(_OTHER_NON_ASCII)
    oddities = latin_beside_cjk = non_ascii_letters = cjk_letters = 0
    for segment, count in Counter(_SEGMENT.findall(codes)).items():
        counts = _SEGMENT_COUNTS.get(segment)
        if counts is None:
            counts = _segment_counts(segment)
            if len(segment) <= _CACHED_SEGMENT:  # words recur; a line of CJK or Thai seldom does
                if len(_SEGMENT_COUNTS) >= _SEGMENT_CACHE_LIMIT:  # mojibake makes new ones without end
                    _SEGMENT_COUNTS.clear()
                _SEGMENT_COUNTS[segment] = counts
        oddities += counts[0] * count
        latin_beside_cjk += counts[1] * count
        non_ascii += counts[2] * count
        non_ascii_letters += counts[3] * count
        cjk_letters += counts[4] * count
    if latin_beside_cjk and 2 * cjk_letters < non_ascii_letters + _ascii_letter_count(text):
        oddities += latin_beside_cjk
    if _THAI_RUN.search(text):
        oddities -= _latin_word_beside_thai(text)
    return oddities / max(1, non_ascii)


def _implausibility_walk(text: str) -> float:
    """:func:`implausibility` as a walk over the characters: the reference the fast version
    is tested against (``tests/test_plausibility.py``), and the definition of what it counts."""
    # Two ASCII characters side by side are never odd, so only the non-ASCII runs are walked,
    # each with the character before and after it: clean English costs one regex scan.
    oddities = 0
    latin_beside_cjk = 0
    non_ascii = 0
    cjk_letters = 0
    non_ascii_letters = 0
    classes = _CHAR_CLASSES
    for match in _NON_ASCII_RUN.finditer(text):
        previous_script = ""
        previous_kind = " "  # "l" lower, "u" upper, "o" other letter or mark, "s" symbol, " " other
        previous_ascii = True
        for char in text[max(0, match.start() - 1) : match.end() + 1]:
            char_class = classes.get(char) or _classify(char)
            if char_class is _JOINER:
                continue  # the joiners belong inside words (Persian's ZWNJ, emoji sequences)
            script, kind, is_ascii = char_class
            if not is_ascii:
                non_ascii += 1
                if script:
                    non_ascii_letters += 1
                    cjk_letters += script in ("CJK", "HANGUL")
            if script and previous_script and script != previous_script:
                if {script, previous_script} in _CJK_WITH_LATIN:
                    latin_beside_cjk += 1
                else:
                    oddities += 1
            if kind == "u" and previous_kind == "l" and not (is_ascii and previous_ascii):
                oddities += 1
            if (kind == "s" and previous_kind in "luos") or (previous_kind == "s" and kind in "luo"):
                oddities += 1
            previous_script = script
            previous_kind = kind
            previous_ascii = is_ascii
    if latin_beside_cjk and 2 * cjk_letters < non_ascii_letters + _ascii_letter_count(text):
        oddities += latin_beside_cjk
    if _THAI_RUN.search(text):
        oddities -= _latin_word_beside_thai(text)
    return oddities / max(1, non_ascii)


# What implausibility() needs to know of a character: (script, kind, is ASCII). Looking it up
# in a dict is several times cheaper than asking unicodedata for the category and name of
# every character; the dict grows to the few thousand characters a corpus uses.
_CharClass = tuple[str, str, bool]
_CHAR_CLASSES: dict[str, _CharClass] = {}
_JOINER: _CharClass = ("", "", False)


def _classify(char: str) -> _CharClass:
    """Work out and remember a character's class for implausibility()."""
    if char < "\x80":
        if char.isalpha():
            char_class: _CharClass = ("LATIN", "l" if char.islower() else "u", True)
        else:
            char_class = ("", " ", True)
    elif char in "\u200c\u200d":
        char_class = _JOINER
    else:
        category = unicodedata.category(char)
        if category[0] in "LM":
            # Marks count with letters: Thai vowel signs after Latin letters are a tell.
            script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
            script = _CJK_GROUP.get(script, script)
            char_class = (script, "l" if category == "Ll" else "u" if category == "Lu" else "o", False)
        elif category[0] in "SC" or category == "Co":
            char_class = ("", "s", False)
        else:
            char_class = ("", " ", False)
    _CHAR_CLASSES[char] = char_class
    return char_class


_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


def _segment_counts(segment: str) -> tuple[int, int, int, int, int]:
    """(oddities, Latin beside CJK, non-ASCII characters, non-ASCII letters, CJK letters) of a
    segment of class codes, by the tests of the walk in :func:`_implausibility_walk`."""
    oddities = latin_beside_cjk = non_ascii = non_ascii_letters = cjk_letters = 0
    previous_script, previous_kind, previous_ascii = "", " ", True
    for code in segment:
        script, kind, is_ascii = _CLASS_OF_CODE[code]
        if not is_ascii:
            non_ascii += 1
            if script:
                non_ascii_letters += 1
                cjk_letters += script in ("CJK", "HANGUL")
        if script and previous_script and script != previous_script:
            if {script, previous_script} in _CJK_WITH_LATIN:
                latin_beside_cjk += 1
            else:
                oddities += 1
        if kind == "u" and previous_kind == "l" and not (is_ascii and previous_ascii):
            oddities += 1
        if (kind == "s" and previous_kind in "luos") or (previous_kind == "s" and kind in "luo"):
            oddities += 1
        previous_script, previous_kind, previous_ascii = script, kind, is_ascii
    return oddities, latin_beside_cjk, non_ascii, non_ascii_letters, cjk_letters


# Classes as one-character codes, for str.translate. The two classes of characters that are
# neither letters, marks nor symbols (ASCII or not) get the codes " " and "_", at which
# _SEGMENT splits; the ASCII letters "l" and "u"; every other class a private-use character.
_OTHER_NON_ASCII = "_"
_FIXED_CODES = {("LATIN", "l", True): "l", ("LATIN", "u", True): "u", ("", " ", True): " ",
                ("", " ", False): _OTHER_NON_ASCII}
_CODE_OF_CLASS: dict[_CharClass, str] = dict(_FIXED_CODES)
_CLASS_OF_CODE: dict[str, _CharClass] = {code: char_class for char_class, code in _FIXED_CODES.items()}
_SEGMENT = re.compile("[^ _]+")
_SEGMENT_COUNTS: dict[str, tuple[int, int, int, int, int]] = {}
_SEGMENT_CACHE_LIMIT = 8192  # about 2 MB at most
_CACHED_SEGMENT = 32


class _ClassCodes(dict[int, "str | None"]):
    """code point -> the code of its class (None for a joiner: translate deletes it), worked
    out on first sight of a character and remembered."""

    def __missing__(self, code_point: int) -> str | None:
        char_class = _CHAR_CLASSES.get(chr(code_point)) or _classify(chr(code_point))
        if char_class is _JOINER:
            code = None
        else:
            code = _CODE_OF_CLASS.get(char_class)
            if code is None:
                code = _CODE_OF_CLASS[char_class] = chr(0xF0000 + len(_CODE_OF_CLASS))  # private use
                _CLASS_OF_CODE[code] = char_class
        self[code_point] = code
        return code


_CLASS_CODES = _ClassCodes()
_ASCII_LETTERS = re.compile("[A-Za-z]")


def _ascii_letter_count(text: str) -> int:
    return len(_ASCII_LETTERS.findall(text))


# Thai letters and marks (not the baht sign, a symbol).
_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]+")
_THAI_WORD_LETTERS = 3


def _latin_word_beside_thai(text: str) -> int:
    """How many Latin-to-Thai boundaries are a Latin word written against Thai text, as Thai
    does without spaces (``titrationเป็น``): the Thai run is a word long and has a Latin letter on
    one side only. cp874 mojibake puts two or three Thai letters inside a Latin word instead
    (``Yรกng``, ``Aรงรฃo``: Latin on both sides, or a short run).

    >>> _latin_word_beside_thai("titrationเป็นการ"), _latin_word_beside_thai("Yรกng Jiรฉchรญ")
    (1, 0)
    """
    allowed = 0
    for match in _THAI_RUN.finditer(text):
        start, end = match.span()
        latin_before = start > 0 and text[start - 1].isascii() and text[start - 1].isalpha()
        latin_after = end < len(text) and text[end].isascii() and text[end].isalpha()
        if latin_before != latin_after and end - start >= _THAI_WORD_LETTERS:
            allowed += 1
    return allowed


_CJK_WITH_LATIN = ({"LATIN", "CJK"}, {"LATIN", "HANGUL"})
