"""A character language model that ships offline: the evidence every repair decision rests on.

The model answers one question: how much does a piece of text look like writing? Its unit is
the *cost* of a text, in nats (minus the natural log of a probability): a character bigram
model with a back-off, so that

* ``café`` is cheap and ``cafÃ©`` is dear (``Ã©`` is a pair no language writes);
* ``zarobljeničkog`` beats ``zarobljeniĨkog`` (``iĨ``: a capital inside a word, a rare letter);
* ``Привет`` is as cheap as ``hello``, and clean Thai, Greek, CJK, math or emoji text is not dear
  merely for not being Latin.

The statistics come from wordfreq's offline frequency lists (each character and pair under the
language that fits it best) plus, for Thai, which wordfreq lacks, the Thai National Corpus's word
counts (:func:`cleaner.word_index.thai_words`). Deriving them takes
seconds, so they are derived once, by ``python -m cleaner.repair_lm --rebuild``, into the data
module :mod:`cleaner.repair_lm_data`; this module only reads that table.

Characters the lists never show (digits, punctuation, symbols, rare scripts) get a cost from
their Unicode category and block (:func:`char_cost`); pairs the lists never show back off to the
cost of the second character plus a penalty for how the two relate (:func:`pair_penalty`): a
change of script inside a word, a symbol touching a letter, a capital after a small letter.
"""

from __future__ import annotations

import itertools
import math
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

# Quantisation of the stored costs: level * STEP nats.
STEP = 0.5
# Pairs rarer than this within a language (share of all its pairs) are left to the back-off.
MIN_PAIR_PROBABILITY = 1e-6
# Ideograph and hangul pairs are many and add little to their characters' own costs: only the
# frequent ones are kept, which keeps the shipped table small.
MIN_IDEOGRAPH_PAIR_PROBABILITY = 3e-5
MAX_LEVEL = 60


def _min_share(pair: str) -> float:
    if any("\u3400" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7a3" for char in pair):
        return MIN_IDEOGRAPH_PAIR_PROBABILITY
    return MIN_PAIR_PROBABILITY


# --------------------------------------------------------------------------------------------
# Building the table (run by hand; see the module docstring)


def _letters_only(word: str) -> list[str]:
    """The runs of letters and marks in a word-list entry (``rock'n'roll`` -> rock, n, roll)."""
    runs, current = [], []
    for char in word:
        if char.isalpha() or unicodedata.category(char)[0] == "M":
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def build_tables() -> tuple[dict[str, float], dict[str, float]]:
    """Character probabilities and conditional pair probabilities, each under the language that
    fits it best (the maximum over wordfreq's languages, so no script is dear merely for being
    used by few languages).

    Pairs include the word boundary, written as a space (`` c`` starts a word, ``c `` ends one).
    Traditional Chinese characters get the probability of their simplified form (wordfreq's
    own mapping); Thai, which wordfreq lacks, comes from the Thai National Corpus (:func:`_thai_tables`).
    """
    import wordfreq

    unigrams: dict[str, float] = {}
    pairs: dict[str, float] = {}
    for language in sorted(wordfreq.available_languages("small")):
        frequencies = wordfreq.get_frequency_dict(language, "small")
        local_unigrams: dict[str, float] = {}
        local_pairs: dict[str, float] = {}
        for entry, frequency in frequencies.items():
            for word in _letters_only(entry):
                padded = f" {word} "
                for char in word:
                    local_unigrams[char] = local_unigrams.get(char, 0.0) + frequency
                for first, second in itertools.pairwise(padded):
                    pair = first + second
                    local_pairs[pair] = local_pairs.get(pair, 0.0) + frequency
        char_mass = sum(local_unigrams.values())
        for char, value in local_unigrams.items():
            unigrams[char] = max(unigrams.get(char, 0.0), value / char_mass)
        left: dict[str, float] = {}
        for pair, value in local_pairs.items():
            left[pair[0]] = left.get(pair[0], 0.0) + value
        pair_mass = sum(local_pairs.values())
        for pair, value in local_pairs.items():
            if value / pair_mass >= _min_share(pair):  # too rare to trust (or to ship)
                pairs[pair] = max(pairs.get(pair, 0.0), value / left[pair[0]])
    _add_traditional(unigrams)
    thai_unigrams, thai_pairs = _thai_tables()
    unigrams.update(thai_unigrams)
    pairs.update(thai_pairs)
    return unigrams, pairs


# --------------------------------------------------------------------------------------------
# Thai, which wordfreq lacks: letter statistics from the Thai National Corpus word list


# Thai writes no space between words, only between phrases and sentences: after a word, the
# next character is a space (or other boundary) about this often, and else the next word's first.
THAI_WORD_END_SHARE = 0.15


def _thai_tables() -> tuple[dict[str, float], dict[str, float]]:
    """Thai letter probabilities and conditional pair probabilities, as :func:`build_tables`
    gives them for wordfreq's languages, from the Thai National Corpus's words
    (:func:`cleaner.word_index.thai_words`). Text runs word into word, so a word's last letter
    is followed by the next word's first (as often as words start with it) except for the
    :data:`THAI_WORD_END_SHARE` of ends that meet a space.
    """
    from cleaner.word_index import thai_words

    counts: dict[str, dict[str, float]] = {"char": {}, "pair": {}, "start": {}, "end": {}}

    def add(kind: str, key: str, count: int) -> None:
        counts[kind][key] = counts[kind].get(key, 0.0) + count

    for word, count in thai_words()[0].items():
        add("start", word[0], count)
        add("end", word[-1], count)
        for char in word:
            add("char", char, count)
        for first, second in itertools.pairwise(word):
            add("pair", first + second, count)
    char_mass = sum(counts["char"].values())
    unigrams = {char: value / char_mass for char, value in counts["char"].items()}
    start_mass = sum(counts["start"].values())
    joined = dict(counts["pair"])
    for last, ends in counts["end"].items():
        joined[last + " "] = ends * THAI_WORD_END_SHARE
        for first, starts in counts["start"].items():
            pair = last + first
            joined[pair] = joined.get(pair, 0.0) + ends * (1 - THAI_WORD_END_SHARE) * starts / start_mass
    for first, starts in counts["start"].items():
        joined[" " + first] = starts
    left: dict[str, float] = {}
    for pair, value in joined.items():
        left[pair[0]] = left.get(pair[0], 0.0) + value
    pair_mass = sum(joined.values())
    pairs = {pair: value / left[pair[0]] for pair, value in joined.items() if value / pair_mass >= MIN_PAIR_PROBABILITY}
    return unigrams, pairs


def _add_traditional(unigrams: dict[str, float]) -> None:
    """Traditional characters at half the probability of their simplified forms."""
    import gzip

    import msgpack
    from wordfreq.util import data_path

    # wordfreq's own traditional -> simplified table (wordfreq.chinese would need jieba).
    with gzip.open(data_path("_chinese_mapping.msgpack.gz")) as stream:
        simplified_map = msgpack.load(stream, raw=False, strict_map_key=False)
    for code, simplified in simplified_map.items():
        traditional = chr(code)
        if isinstance(simplified, int):
            simplified = chr(simplified)
        if len(simplified) == 1 and simplified in unigrams and traditional not in unigrams:
            unigrams[traditional] = unigrams[simplified] * 0.5


def _levels(costs: dict[str, float]) -> dict[int, str]:
    by_level: dict[int, list[str]] = {}
    for key, cost in sorted(costs.items()):
        by_level.setdefault(min(MAX_LEVEL, round(cost / STEP)), []).append(key)
    return {level: "".join(keys) for level, keys in sorted(by_level.items())}


def render_data_module() -> str:
    """The text of :mod:`cleaner.repair_lm_data`."""
    unigrams, pairs = build_tables()
    unigram_costs = {char: -math.log(p) for char, p in unigrams.items()}
    pair_costs = {pair: -math.log(p) for pair, p in pairs.items()}
    lines = [
        '"""Generated by ``python -m cleaner.repair_lm --rebuild`` from wordfreq\'s lists; do not edit.',
        "",
        "CHAR_COSTS: level -> the characters whose cost is level * STEP nats (-ln P(char)).",
        "PAIR_COSTS: level -> concatenated pairs ab whose cost is level * STEP nats (-ln P(b | a));",
        "a space stands for a word boundary.",
        '"""',
        "",
        "# ruff: noqa: E501",
        f"STEP = {STEP}",
        "CHAR_COSTS = {",
        *(f"    {level}: {keys!r}," for level, keys in _levels(unigram_costs).items()),
        "}",
        "PAIR_COSTS = {",
        *(f"    {level}: {keys!r}," for level, keys in _levels(pair_costs).items()),
        "}",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reading it


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, float], dict[str, float]]:
    from cleaner import repair_lm_data as data

    chars = {char: level * data.STEP for level, keys in data.CHAR_COSTS.items() for char in keys}
    pairs = {}
    for level, keys in data.PAIR_COSTS.items():
        cost = level * data.STEP
        for index in range(0, len(keys), 2):
            pairs[keys[index : index + 2]] = cost
    return chars, pairs


# Costs of characters the word lists do not show, by what they are. Digits, ASCII punctuation
# and spaces are cheap; symbols and rare scripts dearer; controls, private use and unassigned
# code points dearest: a repair that produces them is almost certainly wrong.
COMMON_PUNCTUATION = frozenset("“”‘’–—…•€™„‚«»¡¿·°§©®±×÷¶、。，：；！？「」『』（）《》〈〉・ー　\u00a0′″")
# Latin-1 symbols real text hardly uses but cp1252/latin-1 mojibake is full of.
ODD_SYMBOLS = frozenset("¤¦¨¬¯´¸ªº¹³²¼½¾¢¥µ")
_BLOCK_COSTS = (
    # (first, last, cost): ranges checked in order; letters of scripts the lists cover but this
    # particular letter absent get RARE_LETTER.
    (0x2500, 0x259F, 11.0),  # box drawing, block elements: DOS mojibake (and ASCII art)
    (0x2460, 0x24FF, 13.0),  # enclosed alphanumerics
    (0x2190, 0x23FF, 10.0),  # arrows, math operators, technical
    (0x2600, 0x27BF, 10.0),  # symbols, dingbats
    (0x1F000, 0x1FAFF, 9.0),  # emoji
    (0x3400, 0x4DBF, 15.0),  # CJK extension A: what wrong multi-byte readings produce
    (0x4E00, 0x9FFF, 12.5),  # CJK ideographs outside the lists
    (0xAC00, 0xD7A3, 12.0),  # hangul syllables outside the lists
    (0xE000, 0xF8FF, 25.0),  # private use
    (0xF900, 0xFAFF, 14.0),  # CJK compatibility ideographs
    (0xFF61, 0xFF9F, 12.0),  # half-width katakana: Shift-JIS mojibake
    (0x3300, 0x33FF, 14.0),  # CJK compatibility squares
    (0x0800, 0x08FF, 16.0),  # Samaritan, Mandaic, Arabic extended: random UTF-8 decodes
    (0x0700, 0x07FF, 15.0),  # Syriac, Thaana, NKo
    (0x1800, 0x1CFF, 16.0),  # Mongolian and other rare scripts
    (0x2C00, 0x2DFF, 15.0),  # Glagolitic, Coptic, Tifinagh
    (0xA000, 0xABFF, 16.0),  # Yi, Vai, and other rare scripts
    (0x10000, 0x1EFFF, 18.0),  # historic scripts
    (0x20000, 0x3FFFF, 16.0),  # CJK extensions B and later
)
RARE_LETTER = 13.0
ASCII_OTHER = 4.0  # digits, ASCII punctuation and spaces: identical in a text and its repair


# Letters whose case folding is another letter: typographic variants that running text almost
# never uses (``ϐ`` is a curled β; CF 90 was a likely reading of ρ's lost 81 while priced as β).
# Not the final sigma ς, nor the micro sign µ, which text uses as themselves.
TYPOGRAPHIC_VARIANTS = frozenset("ϐϑϕϖϰϱϵẛι\u0345")


@lru_cache(maxsize=16384)
def char_cost(char: str) -> float:
    """What one character costs on its own, in nats.

    >>> char_cost("e") < char_cost("é") < char_cost("Ã") < char_cost("\\x9d")
    True
    >>> char_cost("ϐ") > char_cost("β") + 5  # a typographic variant, not the letter
    True
    """
    if char in TYPOGRAPHIC_VARIANTS:
        return RARE_LETTER
    chars, _ = _tables()
    lowered = _lower(char)
    known = chars.get(lowered)
    if known is not None:
        # A capital costs a little more; so does a letter the lists spell otherwise (ß as ss).
        return known + (0.7 if char.lower() != char else 0.0) + (2.0 if len(char.casefold()) > 1 else 0.0)
    if char < "\x80":
        return ASCII_OTHER
    if char in COMMON_PUNCTUATION:
        return 6.0
    if char in ODD_SYMBOLS:
        return 11.0
    if char == "\ufffd":
        return 20.0
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Co", "Cn") or "\x80" <= char <= "\x9f":
        return 25.0
    if category == "Cf":
        return 14.0
    code = ord(char)
    for first, last, cost in _BLOCK_COSTS:
        if first <= code <= last:
            return cost
    if category[0] in "LM":
        return RARE_LETTER
    if category[0] == "N":
        return 9.0
    if category[0] == "Z":
        return 9.0
    if category in ("Sk", "So"):
        return 11.0  # modifier and other symbols
    return 9.5  # other punctuation, math symbols


@lru_cache(maxsize=65536)
def char_class(char: str) -> str:
    """A coarse class: ``L:<script>`` for letters and marks, else ``space``, ``digit``, ``punct``,
    ``symbol`` or ``control``. Han, kana and CJK punctuation share the script ``CJK``.

    >>> char_class("é"), char_class("ж"), char_class("の"), char_class("©")
    ('L:LATIN', 'L:CYRILLIC', 'L:CJK', 'symbol')
    """
    category = unicodedata.category(char)
    if category[0] in "LM":
        name = unicodedata.name(char, "UNKNOWN")
        script = name.split(" ", 1)[0]
        if script in ("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "IDEOGRAPHIC"):
            script = "CJK"
        elif script in ("MODIFIER", "COMBINING"):
            script = "MARK" if category[0] == "M" else "MODIFIER"
        return f"L:{script}"
    if category[0] == "Z" or char in "\t\n\r ":
        return "space"
    if category[0] == "N":
        return "digit"
    if category[0] == "P":
        return "punct"
    if category[0] == "S":
        return "symbol"
    return "control"


def known(char: str) -> bool:
    """Whether the word lists show this character at all.

    >>> known("é"), known("㐓")
    (True, False)
    """
    chars, _ = _tables()
    return char in chars or char.lower() in chars


# Scripts written without spaces between words, whose pairs across a word's end the model
# estimates (:func:`_thai_tables`) rather than counts: a dear pair there may be two words
# meeting, so a screen that must let clean text through cannot go by them.
SPACELESS_SCRIPTS = frozenset({"L:THAI"})


@lru_cache(maxsize=1)
def scripts_with_pairs() -> frozenset[str]:
    """The classes (scripts) whose letter pairs the model knows; Lao, for one, it does not."""
    _, pairs = _tables()
    # Each distinct character once (the 24,000 pairs hold a few thousand): a third of the cost.
    return frozenset(char_class(char) for char in set("".join(pairs)) if char != " ")


def is_word_char(char: str) -> bool:
    return char_class(char).startswith("L:")


@lru_cache(maxsize=32768)
def pair_penalty(first: str, second: str) -> float:
    """Extra cost, on top of :func:`char_cost`, of ``second`` right after ``first`` when the
    word lists never show the pair: how the two relate.

    >>> pair_penalty("a", "ж") > pair_penalty("a", "b")
    True
    """
    a, b = char_class(first), char_class(second)
    if a.startswith("L:") and b.startswith("L:"):
        if b == "L:MARK":
            # A combining mark after a letter that takes none in the lists.
            return 4.0
        if a == b:
            penalty = 1.5
        elif "L:CJK" in (a, b) and ("L:HANGUL" not in (a, b)):
            penalty = 4.0  # Japanese and Chinese mix with Latin in running text, not inside words
        else:
            penalty = 8.0  # scripts mixed inside a word: the tell of mojibake
        if second.isupper() and first.islower():
            penalty += 4.0
        return penalty
    if "control" in (a, b):
        return 6.0
    if _box(first) and _box(second):
        return -4.0  # line art draws box characters side by side
    if (a.startswith("L:") and b == "symbol") or (a == "symbol" and b.startswith("L:")):
        return 4.0
    if (a.startswith("L:") and b == "digit") or (a == "digit" and b.startswith("L:")):
        return 2.0
    return 0.0


def _lower(char: str) -> str:
    """One character's case-folded form, as wordfreq's lists spell it (``İ`` lowers to two
    characters and ``ß`` folds to ``ss``: the first will do). The long s ``ſ`` and the Kelvin
    sign fold to plain ASCII letters, but are no more common than their look: cp437 line art
    (``┼┐``) reads as ``ſ``. They stay as they are.

    >>> _lower("É"), _lower("ß"), _lower("ſ")
    ('é', 's', 'ſ')
    """
    if char in TYPOGRAPHIC_VARIANTS:
        return char  # (ϐ is no β: see TYPOGRAPHIC_VARIANTS)
    folded = char.casefold()[0]
    return char if folded.isascii() and not char.isascii() and len(char.casefold()) == 1 else folded


def _box(char: str) -> bool:
    return "\u2500" <= char <= "\u259f"


def _boundary(char: str) -> bool:
    return not is_word_char(char)


# Greek writes σ inside a word and ς at its end, and nowhere else; the lists fold ς to σ, so
# this is the model's only way to tell them apart (``στη``, not ``ςτη``; ``τους``, not ``τουσ``).
# (Elided, σ ends a word before an apostrophe: ``σ’ αγαπώ``.)
MISPLACED_SIGMA = 6.0
_MISPLACED_SIGMA_STEP = 20.0
_ELISION = frozenset("'’ʼ")


@lru_cache(maxsize=32768)  # ~250 B an entry
def step_cost(first: str, second: str) -> float:
    """Cost of ``second`` given the character before it (``" "`` at the start of a text).

    >>> step_cost("c", "é") < step_cost("Ã", "©")
    True
    >>> step_cost("ς", "τ") > step_cost("σ", "τ"), step_cost("ς", " ") < step_cost("σ", " ")
    (True, True)
    """
    _, pairs = _tables()
    a = " " if _boundary(first) else _lower(first)
    if _boundary(second):
        # A word ends here (or none was open): the cost of ending it, plus the character itself.
        end = pairs.get(a + " ", 3.0) if a != " " else 0.0
        misplaced = MISPLACED_SIGMA if first == "σ" and second not in _ELISION else 0.0
        return end + char_cost(second) + pair_penalty(first, second) + misplaced
    if first == "ς":
        return _MISPLACED_SIGMA_STEP  # a final sigma inside a word
    b = _lower(second)
    known = pairs.get(a + b)
    backoff = char_cost(second) + 2.3 + pair_penalty(first, second)
    case = 0.0
    if second.isupper() and first.islower() and is_word_char(first):
        case = 5.0  # a capital inside a word
    if known is None:
        return backoff
    return min(known + case + (0.7 if b != second and a == " " else 0.0), backoff)


def text_cost(text: str, before: str = " ") -> float:
    """Total cost of ``text`` after the character ``before``, in nats.

    >>> text_cost("café") < text_cost("cafÃ©")
    True
    >>> text_cost("Привет") < text_cost("РџСЂРёРІРµС‚")
    True
    """
    cost = 0.0
    previous = before
    for char in text:
        cost += step_cost(previous, char)
        previous = char
    return cost


def main(argv: list[str]) -> int:
    if argv != ["--rebuild"]:
        print("usage: python -m cleaner.repair_lm --rebuild", file=sys.stderr)
        return 2
    target = Path(__file__).with_name("repair_lm_data.py")
    target.write_text(render_data_module(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
