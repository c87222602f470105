"""Evidence for choosing among the readings of a run whose bytes were partly lost.

Where bytes were lost, each damaged character has several readings (杨 E6 9D A8 arrived without
its 9D: 恨, 杨, 樁 and 樝 all fit). The language model (:mod:`cleaner.repair_lm`) scores a whole
reading as a chain of character pairs, so the best reading of a run is a Viterbi path, and the
evidence for each damaged character is its *max-marginal margin*: how much cheaper the best
reading is than the best reading with that character read any other way. A character is
settled only when that margin is clear; otherwise the caller keeps the text and warns.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

from cleaner.mojibake import Piece
from cleaner.repair_lm import char_class, char_cost, is_word_char, step_cost, text_cost

# The margin (nats) by which the best reading of a damaged character must beat every other:
# e^3 ~ 20 times likelier.
CLEAR_MARGIN = 3.0
# Unsettled ideographs are re-weighed with dictionary words when there are at most this many
# combinations of their readings.
MAX_RESCORED = 512
MAX_CJK_WORD = 6
# An ideograph outside every dictionary word costs this much on top of its own cost.
OUT_OF_WORD = 3.0


@dataclass(frozen=True)
class Choice:
    """The best reading of a run, and the evidence for each of its characters."""

    pieces: tuple[Piece, ...]
    cost: float  # of the best reading, in its context
    margins: tuple[float, ...]  # per character: inf where there was nothing to choose
    readings: int  # how many readings there were (product of the options, capped)

    @property
    def settled(self) -> bool:
        return all(margin >= CLEAR_MARGIN for margin in self.margins)

    @property
    def confidence(self) -> float:
        """1 - e^-margin of the least certain character (1.0 when nothing was in doubt)."""
        margin = min(self.margins, default=math.inf)
        return 1.0 if margin == math.inf else round(1.0 - math.exp(-margin), 4)

    def unsettled(self) -> list[int]:
        return [index for index, margin in enumerate(self.margins) if margin < CLEAR_MARGIN]


def choose(choices: Sequence[Sequence[Piece]], before: str = " ", after: str = " ") -> Choice:
    """The cheapest reading of a run between the characters ``before`` and ``after``.

    >>> pieces = [(Piece("с", b""), Piece("э", b""), Piece("я", b"")), (Piece("п", b""),),
    ...           (Piece("а", b""),), (Piece("с", b""),), (Piece("и", b""),), (Piece("б", b""),),
    ...           (Piece("о", b""),)]
    >>> best = choose(pieces)
    >>> "".join(p.char for p in best.pieces), best.margins[0] > 0, best.margins[1]
    ('спасибо', True, inf)
    """
    count = len(choices)
    if count == 0:
        return Choice((), 0.0, (), 1)
    # forward[i][k]: cheapest cost of the run up to character i, read as option k.
    forward: list[list[float]] = []
    back: list[list[int]] = []
    for index, options in enumerate(choices):
        row: list[float] = []
        pointers: list[int] = []
        for option in options:
            if index == 0:
                row.append(step_cost(before, option.char))
                pointers.append(-1)
                continue
            best, pointer = math.inf, -1
            for k, previous in enumerate(choices[index - 1]):
                cost = forward[index - 1][k] + step_cost(previous.char, option.char)
                if cost < best:
                    best, pointer = cost, k
            row.append(best)
            pointers.append(pointer)
        forward.append(row)
        back.append(pointers)
    # backward[i][k]: cheapest cost of everything after character i, given option k at i.
    backward: list[list[float]] = [[0.0] * len(options) for options in choices]
    backward[-1] = [step_cost(option.char, after) for option in choices[-1]]
    for index in range(count - 2, -1, -1):
        for k, option in enumerate(choices[index]):
            backward[index][k] = min(
                step_cost(option.char, following.char) + backward[index + 1][j]
                for j, following in enumerate(choices[index + 1])
            )
    totals = [[forward[i][k] + backward[i][k] for k in range(len(choices[i]))] for i in range(count)]
    last = min(range(len(choices[-1])), key=lambda k: totals[-1][k])
    path = [last]
    for index in range(count - 1, 0, -1):
        path.append(back[index][path[-1]])
    path.reverse()
    margins = []
    for index, options in enumerate(choices):
        if len(options) == 1:
            margins.append(math.inf)
            continue
        ranked = sorted(totals[index])
        margins.append(ranked[1] - ranked[0])
    readings = 1
    for options in choices:
        readings = min(readings * len(options), 10**9)
    best_cost = totals[-1][last]
    return Choice(tuple(choices[i][k] for i, k in enumerate(path)), best_cost, tuple(margins), readings)


def is_cjk(char: str) -> bool:
    return (
        "\u3040" <= char <= "\u30ff"
        or "\u3400" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7a3"
        or "\uf900" <= char <= "\ufaff"
    )


@cache
def _dictionary(language: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(language)  # the largest list wordfreq has


@cache
def _simplified() -> dict[int, str]:
    """wordfreq's traditional -> simplified table (its own module would need jieba)."""
    import gzip

    import msgpack
    from wordfreq.util import data_path

    with gzip.open(data_path("_chinese_mapping.msgpack.gz")) as stream:
        table = msgpack.load(stream, raw=False, strict_map_key=False)
    return {code: chr(value) if isinstance(value, int) else value for code, value in table.items()}


def _word_cost(word: str) -> float | None:
    """-ln frequency of a CJK word in the best of the Chinese, Japanese and Korean lists."""
    best = 0.0
    for language in ("zh", "ja", "ko"):
        key = word.translate(_simplified()) if language == "zh" else word
        best = max(best, _dictionary(language).get(key, 0.0))
    return -math.log(best) if best else None


def cjk_cost(run: str) -> float:
    """Cost of a run of ideographs, kana or hangul: its cheapest split into dictionary words.

    >>> cjk_cost("杨洁篪") < cjk_cost("捨援篪")
    True
    """
    best = [0.0] + [math.inf] * len(run)
    for end in range(1, len(run) + 1):
        for length in range(1, min(MAX_CJK_WORD, end) + 1):
            word = run[end - length : end]
            cost = _word_cost(word)
            if cost is None:
                if length > 1:
                    continue
                cost = char_cost(word) + OUT_OF_WORD
            best[end] = min(best[end], best[end - length] + cost)
    return best[-1]


# Scripts written by few languages, whose word lists are cheap to load: a word found there
# costs its -ln frequency, a word found nowhere its character cost plus OUT_OF_DICTIONARY.
# (Latin script has some thirty languages in wordfreq: too much memory for a lookup.)
DICTIONARY_LANGUAGES = {
    "L:CYRILLIC": ("ru", "uk", "bg", "mk"),
    "L:GREEK": ("el",),
    "L:ARABIC": ("ar", "fa", "ur"),
    "L:HEBREW": ("he",),
}
OUT_OF_DICTIONARY = 4.0


def _small_list(language: str) -> dict[str, float]:
    return _small_lists(language)


@cache
def _small_lists(language: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(language, "small")


def _dictionary_word_cost(word: str) -> float | None:
    """``None`` if the word's script has no affordable lists; else the word's cost."""
    languages = DICTIONARY_LANGUAGES.get(char_class(word[0]))
    if languages is None:
        return None
    folded = word.casefold()
    best = max((_small_list(language).get(folded, 0.0) for language in languages), default=0.0)
    if best:
        return -math.log(best)
    return text_cost(word) + OUT_OF_DICTIONARY


def reading_cost(text: str, before: str = " ", after: str = " ") -> float:
    """:func:`cleaner.repair_lm.text_cost`, with each CJK run costed by dictionary words where
    that is cheaper (the character model knows few ideograph pairs), and each word of a script
    with affordable word lists costed by those lists."""
    cost = text_cost(text + after, before)
    index = 0
    while index < len(text):
        char = text[index]
        if is_cjk(char):
            end = index
            while end < len(text) and is_cjk(text[end]):
                end += 1
            run = text[index:end]
            cost -= max(0.0, text_cost(run) - cjk_cost(run))
            index = end
        elif is_word_char(char) and char_class(char) in DICTIONARY_LANGUAGES:
            end = index
            while end < len(text) and is_word_char(text[end]):
                end += 1
            word = text[index:end]
            whole = (index == 0 and is_word_char(before)) or (end == len(text) and is_word_char(after))
            dictionary = None if whole else _dictionary_word_cost(word)
            if dictionary is not None:
                cost += dictionary - text_cost(word)
            index = end
        else:
            index += 1
    return cost


def choose_with_words(choices: Sequence[Sequence[Piece]], before: str = " ", after: str = " ") -> Choice:
    """:func:`choose`, then what it leaves unsettled (and every ideograph) re-weighed with
    dictionary words (:func:`reading_cost`).

    >>> options = [tuple(Piece(c, b"") for c in "恨捨杨樁"), tuple(Piece(c, b"") for c in "援洁"), (Piece("篪", b""),)]
    >>> best = choose_with_words(options)
    >>> "".join(p.char for p in best.pieces), best.settled
    ('杨洁篪', True)
    """
    first = choose(choices, before, after)
    # The character model's margins are no evidence between ideographs: re-weigh them all, and
    # any other character it leaves unsettled, with dictionary words.
    unsettled = [
        index for index, options in enumerate(choices)
        if len(options) > 1 and (first.margins[index] < CLEAR_MARGIN or any(is_cjk(o.char) for o in options))
    ]
    if not unsettled:
        return first
    sizes = [len(choices[i]) for i in unsettled]
    if math.prod(sizes) > MAX_RESCORED:
        return first
    scored = []
    for combination in itertools.product(*(range(size) for size in sizes)):
        pieces = list(first.pieces)
        for index, option in zip(unsettled, combination, strict=True):
            pieces[index] = choices[index][option]
        text = "".join(piece.char for piece in pieces)
        scored.append((reading_cost(text, before, after), combination, tuple(pieces)))
    scored.sort(key=lambda item: item[0])
    best_cost, best_combination, best_pieces = scored[0]
    margins = list(first.margins)
    for position, index in enumerate(unsettled):
        rivals = [cost for cost, combination, _ in scored if combination[position] != best_combination[position]]
        margins[index] = (min(rivals) - best_cost) if rivals else math.inf
    return replace(first, pieces=best_pieces, cost=best_cost, margins=tuple(margins))
