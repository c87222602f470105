"""Which languages a line is written in, and how each of them spells: evidence for a repair.

The character model (:mod:`cleaner.repair_lm`) knows every language at once: each pair of
letters costs what it costs in the language that writes it most. That is what lets it judge
any text, but it cannot tell a Czech ``dě`` from a Latvian ``dē``: both are common somewhere.
The rest of the line can. A line that writes ``ř``, ``ů`` and ``ý`` is Czech, and in Czech
``padělaných`` is a word-like string and ``padēlaných`` is not: ``ē`` is no Czech letter.

So a repair that weighs the readings of a damaged character first asks which languages the
line's other non-ASCII letters point to (:func:`identify`), then prices the readings with those
languages' own letter pairs (:func:`step_cost_in`), on top of the model's. A line with too few
such letters to tell, or with letters no language writes (mojibake the repair has not reached
yet), gets no languages, and the model alone decides as before.

The statistics come from wordfreq's offline lists, like the model's own; deriving them takes a
few seconds, so they are derived once, by ``python -m cleaner.languages --rebuild``, into the
data module :mod:`cleaner.languages_data`. Only languages that write letters beyond ASCII are
kept (English has nothing to say here), and not Chinese, Japanese or Korean: ideographs, kana
and hangul have their own evidence (:mod:`cleaner.word_index`).
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cache, lru_cache
from typing import overload

import regex
from ftfy.badness import BADNESS_RE

from cleaner.repair_lm import _boundary, _letters_only, _lower, _tables, step_cost
from cleaner.wordfreq_files import cb_to_frequency, frequency_buckets

# Quantisation of the stored costs: level * STEP nats.
STEP = 0.25
MAX_LEVEL = 80
# A letter belongs to a language's alphabet if words holding it are this share of its text.
ALPHABET_SHARE = 1e-4
# Pairs rarer than this (share of the language's letters) are not stored.
MIN_PAIR_SHARE = 1e-6
# Languages whose alphabets hold fewer letters beyond ASCII than this (English, Indonesian) help
# tell a line's language, but say nothing of which accented letter it writes: a line in one of
# them gets no languages.
MIN_OWN_LETTERS = 2
SKIPPED = frozenset({"zh", "ja", "ko"})
_WORDS = re.compile(r"[^\W\d_]+")
# ... and with their combining marks (Arabic's short vowels, written inside a word).
_LETTERS_AND_MARKS = regex.compile(r"[\p{L}\p{M}]+")
# The lists are case folded, so two letters never show in them: the German ß (folded to ss)
# and the Greek final sigma ς (folded to σ). They are the languages' own all the same.
ALPHABET_EXTRAS = {"de": "ß", "el": "ς"}
# The lists spell Romanian with comma below (ș, ț); much real Romanian text has the older
# cedilla forms (ş, ţ), which are the same letters.
SPELLING_ALIASES = {"ro": {"ș": "ş", "ț": "ţ"}}

# Identifying: a letter pair a language's lists never show costs this much in it.
UNSEEN_PAIR_EVIDENCE = 10.0
# A line tells its language with this many non-ASCII letters, or else this many letter pairs
# (word boundaries included: some four words).
MIN_EVIDENCE = 2
MIN_PAIRS = 25
# More than this per pair on average for the best language: the letters are no language's
# (mojibake not yet repaired); nothing is identified.
MAX_MEAN_COST = 5.0
# Languages within this many nats of the best are all kept: Czech and Slovak share most letters.
LANGUAGE_MARGIN = 4.0

# Pricing: a letter outside every identified language's alphabet costs this much more than the
# model says, a pair none of them writes this much more, and a letter none of them writes after
# the two before it (where they write the pair) this much more.
FOREIGN_LETTER = 6.0
UNSEEN_PAIR = 2.0
UNSEEN_TRIPLE = 1.0

BuiltTable = tuple[dict[str, float], dict[str, float], dict[str, float]]  # letters, pairs, triples
# As read: the triples stay as stored (level -> keys) until a language's are used (_triples).
Table = tuple[dict[str, float], dict[str, float], dict[int, str]]


# --------------------------------------------------------------------------------------------
# Building the table (run by hand; see the module docstring)


def build_tables() -> dict[str, BuiltTable]:
    """Per language, from its wordfreq list: the cost (-ln share) of each letter, of each pair
    ``ab`` (-ln P(b | a), a space for a word boundary) and of each triple ``zab`` that holds a
    non-ASCII letter (-ln P(b | za); the pairs alone cannot tell ``-ском`` from ``-уком``)."""
    import wordfreq

    tables = {}
    for language in sorted(wordfreq.available_languages("small")):
        if language in SKIPPED:
            continue
        letters: dict[str, float] = {}
        pairs: dict[str, float] = {}
        left: dict[str, float] = {}
        triples: dict[str, float] = {}
        heads: dict[str, float] = {}
        for entry, frequency in wordfreq.get_frequency_dict(language, "small").items():
            for word in _letters_only(entry):
                for char in word:
                    letters[char] = letters.get(char, 0.0) + frequency
                padded = f" {word} "
                for first, second in itertools.pairwise(padded):
                    pairs[first + second] = pairs.get(first + second, 0.0) + frequency
                    left[first] = left.get(first, 0.0) + frequency
                for index in range(len(padded) - 2):
                    head, triple = padded[index : index + 2], padded[index : index + 3]
                    heads[head] = heads.get(head, 0.0) + frequency
                    if not triple.isascii():
                        triples[triple] = triples.get(triple, 0.0) + frequency
        mass = sum(letters.values())
        letter_costs = {char: -math.log(value / mass) for char, value in letters.items() if value / mass >= 1e-6}
        pair_costs = {pair: -math.log(value / left[pair[0]]) for pair, value in pairs.items()
                      if value / mass >= MIN_PAIR_SHARE}
        triple_costs = {triple: -math.log(value / heads[triple[:2]]) for triple, value in triples.items()
                        if value / mass >= MIN_PAIR_SHARE}
        for original, alias in SPELLING_ALIASES.get(language, {}).items():
            if original in letter_costs:
                letter_costs[alias] = letter_costs[original]
            for costs in (pair_costs, triple_costs):
                for key in [key for key in costs if original in key]:
                    costs[key.replace(original, alias)] = costs[key]
        for char in ALPHABET_EXTRAS.get(language, ""):
            letter_costs[char] = -math.log(ALPHABET_SHARE) - 1.0  # well inside the alphabet
        tables[language] = (letter_costs, pair_costs, triple_costs)
    return tables


def _levels(costs: dict[str, float]) -> dict[int, str]:
    by_level: dict[int, list[str]] = {}
    for key, cost in sorted(costs.items()):
        by_level.setdefault(min(MAX_LEVEL, round(cost / STEP)), []).append(key)
    return {level: "".join(keys) for level, keys in sorted(by_level.items())}


def render_data_module() -> str:
    """The text of :mod:`cleaner.languages_data`."""
    lines = [
        '"""Generated by ``python -m cleaner.languages --rebuild`` from wordfreq\'s lists; do not edit.',
        "",
        "LANGUAGES: code -> (letters, pairs, triples), each level -> the concatenated letters (pairs",
        "ab, triples zab) whose cost is level * STEP nats: -ln of the letter's share, -ln P(b | a),",
        "-ln P(b | za); a space stands for a word boundary.",
        '"""',
        "",
        "# ruff: noqa: E501",
        f"STEP = {STEP}",
        "LANGUAGES = {",
    ]
    for language, table in build_tables().items():
        lines.append(f"    {language!r}: (")
        for costs in table:
            lines.append("        {" + ", ".join(f"{level}: {keys!r}" for level, keys in _levels(costs).items()) + "},")
        lines.append("    ),")
    lines += ["}", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Reading it


class PackedCosts:
    """Costs of letter triples, looked up like a dictionary's, in a twelfth of the memory: each
    triple as one integer (its three code points, 21 bits each: exact, no hashing), sorted, and
    the level of its cost beside it. The triples are four in five of the tables' 187,000
    entries; as dictionaries they took 15 MB in every process, as these 1.3 MB, and only the
    languages a run's damaged lines are written in are unpacked at all (:func:`_triples`).

    >>> costs = PackedCosts({"ské": 8, "ého": 2}, [level * 0.25 for level in range(81)])
    >>> costs.get("ého", 9.0), costs.get("ěho", 9.0), len(costs)
    (0.5, 9.0, 2)
    """

    def __init__(self, levels: Mapping[str, int], costs: Sequence[float]) -> None:
        packed = sorted((self._code(key), level) for key, level in levels.items())
        self._codes = array("Q", (code for code, _ in packed))
        self._levels = array("B", (level for _, level in packed))
        self._costs = costs

    @staticmethod
    def _code(key: str) -> int:
        code = 0
        for char in key:
            code = code << 21 | ord(char)
        return code

    def __len__(self) -> int:
        return len(self._codes)

    def get(self, key: str, default: float) -> float:
        code = self._code(key)
        at = bisect_left(self._codes, code)
        if at < len(self._codes) and self._codes[at] == code:
            return self._costs[self._levels[at]]
        return default


@lru_cache(maxsize=1)
def _languages() -> dict[str, Table]:
    from cleaner import languages_data as data

    # One float object per level, shared by every entry of that level: a lookup changes the
    # reference count of what it returns, and a float of its own per entry would put a write
    # on every page of the tables, copying them into every forked worker (~20 MB each).
    costs = [level * data.STEP for level in range(MAX_LEVEL + 1)]

    def read(levels: dict[int, str], width: int) -> dict[str, float]:
        return {key: costs[level] for key, level in _entries(levels, width)}

    return {language: (read(letters, 1), read(pairs, 2), triples)
            for language, (letters, pairs, triples) in data.LANGUAGES.items()}


def _entries(levels: dict[int, str], width: int) -> Iterator[tuple[str, int]]:
    """The keys of a stored table (level -> the keys of that level, concatenated), each with
    its level."""
    return ((keys[index : index + width], level)
            for level, keys in levels.items() for index in range(0, len(keys), width))


@cache
def _triples(language: str) -> PackedCosts:
    """The costs of ``language``'s letter triples, unpacked on first use (~2 ms)."""
    from cleaner import languages_data as data

    costs = [level * data.STEP for level in range(MAX_LEVEL + 1)]
    return PackedCosts(dict(_entries(_languages()[language][2], 3)), costs)


@lru_cache(maxsize=1)
def _alphabet_limit() -> float:
    return -math.log(ALPHABET_SHARE) + 1e-9


def _own_letter(char: str) -> bool:
    return char.isalpha() and not char.isascii()


def _letter_key(char: str) -> str:
    """A letter as the alphabets hold it: lower case, one character (``İ`` lowers to two)."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


@lru_cache(maxsize=1024)
def identify(context: str) -> tuple[str, ...]:
    """The languages the letters of ``context`` point to (those within :data:`LANGUAGE_MARGIN`
    of the likeliest, by their letter pairs), or ``()`` where they do not tell: too few letters,
    letters no language writes so (mojibake the repair has not reached), or the likeliest
    language one that writes no letters beyond ASCII.

    What ftfy's badness pattern calls mojibake is no evidence: ``Ã©`` is not Vietnamese.

    >>> identify("Kromě karet kriminalisté u mužů"), identify("Pour des séjours égaux, le visa")
    (('cs',), ('fr',))
    >>> identify("plain English says nothing"), identify("ÃƒÂ©Ã¢â‚¬â„¢ ÃƒÂ©")
    ((), ())
    """
    words = _WORDS.findall(BADNESS_RE.sub(" ", context))
    own = sum(1 for word in words for char in word if _own_letter(char))
    pairs = [a + b for word in words for a, b in itertools.pairwise(" " + "".join(map(_lower, word)) + " ")]
    if own < MIN_EVIDENCE and len(pairs) < MIN_PAIRS:
        return ()
    tables = _languages()
    scores = {language: sum(table[1].get(pair, UNSEEN_PAIR_EVIDENCE) for pair in pairs)
              for language, table in tables.items()}
    best = min(scores, key=scores.__getitem__)
    if scores[best] > MAX_MEAN_COST * len(pairs) or best not in _alphabetic():
        return ()
    return tuple(sorted(language for language, score in scores.items()
                        if score <= scores[best] + LANGUAGE_MARGIN and language in _alphabetic()))


def line_fit(text: str, languages: Iterable[str] | None = None) -> float:
    """How well the likeliest of ``languages`` (by default, every language with an alphabet of
    its own) explains the letters of ``text``, in nats: the sum of its letter pairs' costs as
    :func:`identify` counts them, plus :data:`UNSEEN_PAIR_EVIDENCE` for each letter outside that
    language's alphabet, for the language that makes it least. 0.0 where ``text`` has no letter.
    Combining marks count as letters: a word written with its short vowels stays one word.

    The lists fold ``ß`` to ``ss``, so the pairs see it as ``s``; the alphabets keep it German.

    >>> line_fit("Se reprosează probleme de rasism") < line_fit("Se reprosezā probleme de rasism")
    True
    >>> line_fit("a drogterápiáinak áldozata") < line_fit("a drogterápißinak áldozata")
    True
    """
    words = _LETTERS_AND_MARKS.findall(text)
    pairs = [a + b for word in words for a, b in itertools.pairwise(" " + "".join(map(_lower, word)) + " ")]
    if not pairs:
        return 0.0
    own = [_letter_key(char) for word in words for char in word if _own_letter(char)]
    tables = _languages()
    limit = _alphabet_limit()
    return min(sum(tables[language][1].get(pair, UNSEEN_PAIR_EVIDENCE) for pair in pairs)
               + UNSEEN_PAIR_EVIDENCE * sum(1 for char in own if tables[language][0].get(char, math.inf) > limit)
               for language in (_alphabetic() if languages is None else languages))


@lru_cache(maxsize=1)
def _alphabetic() -> frozenset[str]:
    """The languages with letters of their own beyond ASCII (see :data:`MIN_OWN_LETTERS`)."""
    limit = _alphabet_limit()
    return frozenset(language for language, (letters, _, _) in _languages().items()
                     if sum(1 for char, cost in letters.items() if not char.isascii() and cost <= limit)
                     >= MIN_OWN_LETTERS)


@lru_cache(maxsize=1)
def alphabet() -> frozenset[str]:
    """Every non-ASCII letter some language's alphabet holds, in lower and upper case.

    >>> {"ě", "Ě", "ß", "ω"} <= alphabet(), "a" in alphabet()
    (True, False)
    """
    limit = _alphabet_limit()
    letters = {char for letters, _, _ in _languages().values()
               for char, cost in letters.items() if cost <= limit and _own_letter(char)}
    return frozenset(letters | {char.upper() for char in letters if len(char.upper()) == 1})


def writes(languages: tuple[str, ...], char: str) -> bool:
    """Whether ``char`` is a letter of one of ``languages``' alphabets.

    >>> writes(("cs",), "Ě"), writes(("cs",), "ē"), writes(("de",), "ß")
    (True, False, True)
    """
    tables = _languages()
    key = _letter_key(char)
    return char.isalpha() and any(tables[language][0].get(key, math.inf) <= _alphabet_limit()
                                  for language in languages)


# wordfreq's lists a language's words are looked up in (about 50,000 words each, read in ~0.1 s
# the first time a damaged line of that language is weighed). At most MAX_WORD_LISTS are kept in
# a process: a corpus of forty languages must not hold forty of them.
WORD_LIST = "small"
MAX_WORD_LISTS = 4


class WordList(Sequence[tuple[str, float]]):
    """A language's word list, ``(word, frequency)`` in wordfreq's order, commonest first, kept
    in ~2 MB (Czech: 52,000 words) instead of wordfreq's ~8 MB: the words as one string with
    their offsets, their frequencies as an array, and the CRC-32 of each word, sorted, with its
    position, to look a word up by binary search. A hit is checked against the word itself, so
    a chance match of two CRCs is never taken.

    >>> words = WordList({"že": 0.01, "se": 0.02})
    >>> words.get("se"), words.get("sé"), words[0], words[-1], len(words)
    (0.02, 0.0, ('že', 0.01), ('se', 0.02), 2)
    """

    def __init__(self, frequencies: Mapping[str, float]) -> None:
        words = list(frequencies)
        self._text = "".join(words)
        self._offsets = array("I", itertools.accumulate(map(len, words), initial=0))
        self._frequencies = array("d", frequencies.values())
        crcs = [zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in words]
        order = sorted(range(len(crcs)), key=crcs.__getitem__)  # (half the time of sorting pairs)
        self._keys = array("I", [crcs[position] for position in order])
        self._positions = array("I", order)

    def __len__(self) -> int:
        return len(self._frequencies)

    @overload
    def __getitem__(self, index: int) -> tuple[str, float]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, float]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, float] | Sequence[tuple[str, float]]:
        if isinstance(index, slice):
            return [self[position] for position in range(len(self))[index]]
        position = range(len(self))[index]  # negative indices count from the end; IndexError
        return self._word(position), self._frequencies[position]

    def __iter__(self) -> Iterator[tuple[str, float]]:
        return map(self.__getitem__, range(len(self)))

    def _word(self, position: int) -> str:
        return self._text[self._offsets[position] : self._offsets[position + 1]]

    def get(self, word: str, default: float = 0.0) -> float:
        """The frequency of ``word`` (as listed: lower case), or ``default``."""
        wanted = zlib.crc32(word.encode("utf-8", "surrogatepass"))
        at = bisect_left(self._keys, wanted)
        while at < len(self._keys) and self._keys[at] == wanted:
            position = self._positions[at]
            if self._word(position) == word:
                return self._frequencies[position]
            at += 1
        return default


@lru_cache(maxsize=MAX_WORD_LISTS)
def word_list(language: str) -> WordList:
    """wordfreq's list of ``language``: each word (lower case) and its frequency.

    Read past wordfreq's own caches: ``get_frequency_dict`` and ``get_frequency_list`` keep
    every list they ever read for the life of the process (~8 MB a language, dictionary and raw
    buckets), which made the cap of :data:`MAX_WORD_LISTS` a cap on nothing."""
    buckets = frequency_buckets(language, WORD_LIST)  # (not wordfreq's reader: see wordfreq_files)
    return WordList({word: frequency for index, bucket in enumerate(buckets)
                     for frequency in (cb_to_frequency(-index),) for word in bucket})


def word_frequency(word: str, languages: tuple[str, ...]) -> float:
    """How often the likeliest of ``languages`` writes ``word`` (case folded); 0 if none lists it.

    >>> word_frequency("većina", ("sh",)) > 0 == word_frequency("većina", ("sl",))
    True
    """
    folded = word.casefold()
    return max((word_list(language).get(folded) for language in languages), default=0.0)


@lru_cache(maxsize=32768)  # ~250 B an entry
def step_cost_in(languages: tuple[str, ...], first: str, second: str, previous: str = " ") -> float:
    """:func:`cleaner.repair_lm.step_cost` as the likeliest of ``languages`` writes the step from
    ``first`` to ``second`` (``previous`` is the character before ``first``).

    Where a non-ASCII letter takes part, the model's cost moves by how much dearer (or cheaper)
    those languages make ``second`` after ``previous`` + ``first`` (after ``first`` alone, at a
    word's start or where they never write that triple) than the model makes it after ``first``;
    a letter outside all their alphabets costs :data:`FOREIGN_LETTER` more. Other steps (ASCII,
    digits, punctuation) are the model's.

    >>> step_cost_in(("cs",), "d", "ě") < step_cost_in(("cs",), "d", "ē")
    True
    >>> step_cost_in(("ru",), "с", "к", "н") < step_cost_in(("ru",), "у", "к", "н")
    True
    >>> step_cost_in((), "d", "ē") == step_cost("d", "ē")
    True
    """
    model = step_cost(first, second)
    if not languages or not (_own_letter(first) or _own_letter(second)):
        return model
    _, model_pairs = _tables()
    a = " " if _boundary(first) else _lower(first)
    b = " " if _boundary(second) else _lower(second)
    z = " " if _boundary(previous) else _lower(previous)
    known = model_pairs.get(a + b)
    tables = _languages()
    best = math.inf
    for language in languages:
        letters, pairs, _ = tables[language]
        if _own_letter(second) and letters.get(_letter_key(second), math.inf) > _alphabet_limit():
            cost = model + FOREIGN_LETTER
        elif a + b not in pairs:
            cost = model + UNSEEN_PAIR
        else:
            ours = pairs[a + b]
            if a != " ":
                ours = _triples(language).get(z + a + b, ours + UNSEEN_TRIPLE)
            cost = model + (ours - known if known is not None else ours - pairs[a + b])
        best = min(best, cost)
    return best


def text_cost_in(languages: tuple[str, ...], text: str, before: str = " ") -> float:
    """:func:`cleaner.repair_lm.text_cost` with :func:`step_cost_in`."""
    cost = 0.0
    previous, first = " ", before
    for char in text:
        cost += step_cost_in(languages, first, char, previous)
        previous, first = first, char
    return cost


def main(argv: list[str]) -> int:
    if argv != ["--rebuild"]:
        print("usage: python -m cleaner.languages --rebuild", file=sys.stderr)
        return 2
    from pathlib import Path

    target = Path(__file__).with_name("languages_data.py")
    target.write_text(render_data_module(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
