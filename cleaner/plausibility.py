"""How much a piece of text looks like real writing: the shared test for decodings and repairs.

Both the decode stage (which of several codecs?) and the repair stage (is this repair an
improvement?) ask the same question, so they share these measures.
"""

from __future__ import annotations

import unicodedata
from collections import Counter


def _common_cjk() -> frozenset[str]:
    from charset_normalizer.constant import FREQUENCIES

    return frozenset(char for name in ("Chinese", "Japanese", "Japanese—", "Japanese——", "Korean")
                     for char in FREQUENCIES[name])


_COMMON_CJK = _common_cjk()


# Japanese mixes kanji and kana within one word: one group. Korean words do not mix hangul and
# hanja, so hangul stays a script of its own.
_CJK_GROUP = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HALFWIDTH": "CJK", "FULLWIDTH": "CJK"}


def letter_coverage(text: str) -> float:
    """Share of the letters that are among the most frequent letters of the best-fitting language.

    Uses charset-normalizer's per-language frequency tables. Russian read as cp1252
    (``Ïðèâåò``) is all letters, but not letters any language uses that often.

    >>> letter_coverage("crème brûlée") > letter_coverage("Ïðèâåò ìèð")
    True
    """
    from charset_normalizer.constant import FREQUENCIES

    counts = Counter(char.lower() for char in text if char.isalpha())
    total = sum(counts.values())
    if not total:
        return 0.0
    best = 0.0
    for letters in FREQUENCIES.values():
        best = max(best, sum(counts[letter] for letter in letters if letter in counts))
    # The tables hold only the top 26-100 characters; CJK texts use thousands. Kana and hangul
    # count in full, other ideographs at half weight unless common, so the rare hanzi a wrong
    # multi-byte codec produces score below common ones.
    cjk = 0.0
    for char, count in counts.items():
        if "\u3040" <= char <= "\u30ff" or "\uac00" <= char <= "\ud7a3" or char in _COMMON_CJK:
            cjk += count
        elif "\u4e00" <= char <= "\u9fff":
            cjk += count / 2
    return max(best, cjk) / total


def implausibility(text: str) -> float:
    """Oddities per non-ASCII letter: how unlike real writing a decoding looks.

    Counts words that mix scripts (``crﻟme``), upper case after lower case inside a word
    (``рПХЧЕФ``, KOI8-R read as cp1251), and symbols or controls touching letters (``jaŸñ``).

    >>> implausibility("crème brûlée") < implausibility("crﻟme brﻳlﻠe")
    True
    """
    oddities = 0
    non_ascii = 0
    previous_script = ""
    previous_kind = " "  # "l" lower, "u" upper, "o" other letter or mark, "s" symbol, " " other
    for char in text:
        if char < "\x80":
            script = "LATIN" if char.isalpha() else ""
            kind = ("l" if char.islower() else "u") if char.isalpha() else " "
        else:
            non_ascii += 1
            category = unicodedata.category(char)
            if category[0] in "LM":
                # Marks count with letters: Thai vowel signs after Latin letters are a tell.
                script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
                script = _CJK_GROUP.get(script, script)
                kind = "l" if category == "Ll" else "u" if category == "Lu" else "o"
            elif category[0] in "SC" or category == "Co":
                script, kind = "", "s"
            else:
                script, kind = "", " "
        if script and previous_script and script != previous_script:
            oddities += 1
        if kind == "u" and previous_kind == "l":
            oddities += 1
        if (kind == "s" and previous_kind in "luos") or (previous_kind == "s" and kind in "luo"):
            oddities += 1
        previous_script = script
        previous_kind = kind
    return oddities / max(1, non_ascii)
