"""The fast measures of cleaner.plausibility against their reference definitions.

``implausibility`` counts by classes and segments (str.translate, cached segment counts); the
walk over the characters (``_implausibility_walk``) is what it must equal, exactly, on any text.
"""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from cleaner.plausibility import LATIN_ORTHOGRAPHIES, _implausibility_walk, implausibility, letter_coverage

# Characters of every class the walk tells apart: ASCII letters of both cases, digits and
# punctuation, joiners, letters of several scripts in both cases, CJK and hangul, Thai letters
# and marks, symbols, controls, private use, U+FFFD, and a lone surrogate.
_ALPHABET = ("aZ 1.\t\n\x00\u200c\u200dé\u00c9ЖжΣσ中日ひカ한กั่ŸñÃ©—“”€ﻟ\ufffd\x85\ue000Ø§ßİı\U0001f600"
             "\U00020000\ud800")

_SAMPLES = [
    "", "plain ASCII only", "crème brûlée", "crﻟme brﻳlﻠe", "选择 QoS 或被IT部門", "it鈥檚 cr猫me",
    "برنامه\u200cها", "การศึกษาด้านPharmaceutical equivalence", "Yรกng Jiรฉchรญ", "рПХЧЕФ",
    "Прва је да ли штампач зна која је величина коверте. Притисните КтрлП", "jaŸñ", "–û—Å–µ–Ω",
    "a\u200db", "\u200dé", "é\u200d", "“quoted” — text…", "Ã©Ã¨", "ÐŸÑ€Ð¸Ð²ÐµÑ‚", "©© ®®", "x©©y",
    "Ğ Ğ", "한국어 텍스트", "日本語のテキスト", "漢字Latin", "Latin漢字 word" * 3, "\ud800é",
]


def test_implausibility_matches_the_walk_on_samples() -> None:
    for text in _SAMPLES:
        assert implausibility(text) == _implausibility_walk(text), text


def test_implausibility_matches_the_walk_on_random_text() -> None:
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 16)))
        assert implausibility(text) == _implausibility_walk(text), repr(text)
    # Mostly ASCII (the windows path) and mostly not (the whole-text path), long texts.
    for _ in range(300):
        ascii_share = rng.random()
        text = "".join(rng.choice("abc DEF.") if rng.random() < ascii_share else rng.choice(_ALPHABET)
                       for _ in range(rng.randint(50, 400)))
        assert implausibility(text) == _implausibility_walk(text), repr(text)


def test_implausibility_matches_the_walk_on_mojibake() -> None:
    clean = "Москва — столица России. Grüße aus Köln, “naïve” café. 中文 日本語 한국어 ภาษาไทย Ελληνικά"
    for codec in ("cp1252", "cp1251", "koi8_r", "latin-1", "mac_roman", "cp874", "gbk", "shift_jis", "euc_kr"):
        for text in (clean.encode("utf-8").decode(codec, "replace"), clean.encode("utf-8").decode(codec, "ignore")):
            assert implausibility(text) == _implausibility_walk(text), (codec, text)


@given(st.text(alphabet=st.sampled_from(list(_ALPHABET)) | st.characters(), max_size=60))
def test_implausibility_matches_the_walk_property(text: str) -> None:
    assert implausibility(text) == _implausibility_walk(text)


def _letter_coverage_with_fresh_sets(text: str) -> float:
    """letter_coverage's Latin term as it was computed before the sets were made once."""
    from collections import Counter

    from cleaner.plausibility import _NON_ASCII_RUN, _language_letters, common_cjk

    counts: Counter[str] = Counter()
    for char, count in Counter("".join(_NON_ASCII_RUN.findall(text))).items():
        if char.isalpha():
            counts[char.lower()] += count
    total = sum(counts.values())
    if not total:
        return 1.0
    present = counts.keys()
    best = max(sum(counts[letter] for letter in present & letters) for letters in _language_letters())
    latin = max(sum(counts[char] for char in present & set(letters)) for letters in LATIN_ORTHOGRAPHIES.values())
    cjk = 0.0
    if any("\u3040" <= char <= "\ud7a3" for char in counts):
        common = common_cjk()
        for char, count in counts.items():
            if "\u3040" <= char <= "\u30ff" or char in common:
                cjk += count
    return max(best, cjk, latin) / total


def test_letter_coverage_unchanged() -> None:
    """letter_coverage (per-letter language index) against the set intersections it replaced."""
    texts = [*_SAMPLES, "Ïðèâåò ìèð", "àâæçéèêëîïôœùûüÿ ąćęłńóśźż", "ŵŷ ċġħż", "İstanbul ÇĞÖŞÜ"]
    clean = "Москва — столица России. Grüße, “naïve” café. 中文 日本語 한국어 ภาษาไทย Ελληνικά ąęłść čřžů"
    for codec in ("cp1252", "cp1251", "koi8_r", "latin-1", "mac_roman", "cp874", "gbk", "cp1250", "iso8859_7"):
        texts.append(clean.encode("utf-8").decode(codec, "replace"))
        texts.append(clean.encode(codec, "replace").decode("cp1252", "replace"))
    rng = random.Random(3)
    letters = sorted({char for letters in LATIN_ORTHOGRAPHIES.values() for char in letters} | set(_ALPHABET))
    for _ in range(3000):
        texts.append("".join(rng.choice(letters) for _ in range(rng.randint(0, 30))))
    for text in texts:
        assert letter_coverage(text) == _letter_coverage_with_fresh_sets(text), text
