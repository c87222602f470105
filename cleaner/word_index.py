"""What the repair distils from wordfreq's word lists: a compact word index, and the common CJK characters.

Choosing among the readings of a damaged character (:mod:`cleaner.evidence`) is settled best by
whole words: ``r?flexion`` is ``réflexion`` because French writes that word and no language
writes ``rÿflexion``. wordfreq has the lists, but as Python dictionaries they cost hundreds of MB
(the Chinese and Japanese lists alone ~200 MB), one set per worker process. This index keeps
only what the evidence can use, as two flat arrays:

* every word of the CJK lists (zh, ja large; ko small) made only of ideographs, kana or hangul,
  up to :data:`MAX_CJK_WORD` characters;
* every word of the small lists of the Cyrillic, Greek, Arabic and Hebrew languages;
* every word of the small lists of the Latin-script languages that has a non-ASCII letter (a
  lost byte is always part of a non-ASCII character, so an all-ASCII word is never in question);
* where wordfreq has a large list (Russian, Ukrainian, Czech, Polish, German, French, Arabic,
  Hebrew, ...), its words of :data:`MIN_LARGE_FREQUENCY` or more, on the same terms;
* the Thai words of the Thai National Corpus (wordfreq has no Thai), up to :data:`MAX_THAI_WORD`
  letters, shipped as ``thai_words.tsv`` (see :func:`import_thai_words`).

A word is stored as the CRC-32 of its UTF-8 bytes (sorted, for a binary search), a 16-bit check
from another hash (BLAKE2b) of the same bytes, and its cost, -ln of its best frequency over the
languages, in steps of :data:`COST_STEP` nats. About two million words take ~14 MB, on disk as in
memory: the file is read and used as it is, and forked workers share it. A word that is in no
list matches a stored key by chance with probability ~2e-4, and its check as well with ~3e-9.
(Without the check such chance hits did change decisions: ``口は約厃`` matched a stored key,
and a damaged 千 was read as 厃.)

The common CJK characters (:func:`common_cjk`) ship beside it, in ``common_cjk.txt``.

Both files are generated from wordfreq, which is a dependency, by
``python -m cleaner.word_index --rebuild`` (about a minute); ``tests/test_word_index.py``
checks words of every list against it.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Literal

INDEX_PATH = Path(__file__).with_name("word_index.bin")
COMMON_CJK_PATH = Path(__file__).with_name("common_cjk.txt")
THAI_WORDS_PATH = Path(__file__).with_name("thai_words.tsv")
MAGIC = b"cleaner-words-3\n"
# Costs are stored in steps of this many nats: 0..25.5, more than wordfreq's rarest word (18.4).
COST_STEP = 0.1
MAX_CJK_WORD = 6

CJK_LISTS = (("zh", "large"), ("ja", "large"), ("ko", "small"))
# Thai, which wordfreq lacks: the Thai National Corpus's words (see import_thai_words), those seen
# at least this often (99.8% of its running words), and up to this long (98.9% of them).
MIN_THAI_COUNT = 3
MAX_THAI_WORD = 10
_THAI_WORD = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]+")
SCRIPT_LISTS = ("ru", "uk", "bg", "mk", "el", "ar", "fa", "ur", "he")
LATIN_LISTS = ("ca", "cs", "da", "de", "en", "es", "fi", "fil", "fr", "hu", "id", "is", "it", "lt", "lv",
               "ms", "nb", "nl", "pl", "pt", "ro", "sh", "sk", "sl", "sv", "tr", "vi")
# Where wordfreq has a large list, its words seen at least this often too (Zipf 2: 180,000 more
# for Russian, 90,000 for Czech; 880,000 in all, 6 MB): the small lists stop at Zipf 3, before
# most inflected forms, which is where a lost letter mostly is (``вознесения``, ``padělaných``).
# All of the large lists (to Zipf 1) would double the index again for a tenth of the gain.
LARGE_LISTS = ("ru", "uk", "mk", "ar", "he", "ca", "cs", "de", "en", "es", "fi", "fr", "it", "nb", "nl", "pl",
               "pt", "sv")
MIN_LARGE_FREQUENCY = 1e-7


def key(word: str) -> int:
    """The stored key of a word: CRC-32 of its UTF-8 bytes.

    >>> key("réflexion") == key("réflexion"), key("réflexion") == key("rëflexion")
    (True, False)
    """
    return zlib.crc32(word.encode("utf-8", "surrogatepass"))


def check(word: str) -> int:
    """The stored check of a word: 16 bits of BLAKE2b of its UTF-8 bytes, independent of the key."""
    digest = hashlib.blake2b(word.encode("utf-8", "surrogatepass"), digest_size=2).digest()
    return int.from_bytes(digest, "little")


class WordIndex:
    """Sorted word keys and their costs; see the module docstring.

    >>> index = WordIndex.from_words({"réflexion": 1e-5, "théologiens": 1e-7})
    >>> round(index.cost("réflexion"), 1), index.cost("rÿflexion") is None
    (11.5, True)
    """

    def __init__(self, keys: Sequence[int], checks: Sequence[int], costs: Sequence[int]) -> None:
        if not len(keys) == len(checks) == len(costs):
            raise ValueError("word index: keys, checks and costs differ in length")
        self._keys = keys
        self._checks = checks
        self._costs = costs

    def __len__(self) -> int:
        return len(self._keys)

    def cost(self, word: str) -> float | None:
        """-ln frequency of ``word`` in the best of the lists, or None if no list has it."""
        wanted = key(word)
        position = bisect_left(self._keys, wanted)
        if position == len(self._keys) or self._keys[position] != wanted:
            return None
        wanted_check = check(word)  # only on a key hit: most lookups miss
        while position < len(self._keys) and self._keys[position] == wanted:
            if self._checks[position] == wanted_check:
                return self._costs[position] * COST_STEP
            position += 1
        return None

    @classmethod
    def from_words(cls, frequencies: dict[str, float]) -> WordIndex:
        best: dict[tuple[int, int], int] = {}
        for word, frequency in frequencies.items():
            if frequency <= 0:
                continue
            word_key = (key(word), check(word))
            level = min(255, round(-math.log(frequency) / COST_STEP))
            best[word_key] = min(level, best.get(word_key, 255))
        entries = sorted(best)
        return cls(array("I", (entry[0] for entry in entries)), array("H", (entry[1] for entry in entries)),
                   bytes(best[entry] for entry in entries))

    def to_bytes(self) -> bytes:
        # Flat little-endian arrays, uncompressed: loading is then a read and a cast, no copy
        # (a compressed file of gaps was 1.3 MB smaller and took 65 ms to load, in every process).
        return (MAGIC + len(self._keys).to_bytes(4, "little") + _little_endian(self._keys, "I").tobytes()
                + _little_endian(self._checks, "H").tobytes() + bytes(self._costs))

    @classmethod
    def from_bytes(cls, data: bytes) -> WordIndex:
        if not data.startswith(MAGIC):
            raise ValueError("not a cleaner word index (wrong header)")
        count = int.from_bytes(data[len(MAGIC) : len(MAGIC) + 4], "little")
        keys_at = len(MAGIC) + 4
        checks_at = keys_at + 4 * count
        costs_at = checks_at + 2 * count
        if len(data) != costs_at + count:
            raise ValueError("word index: truncated or padded file")
        view = memoryview(data)
        return cls(_native(view[keys_at:checks_at], "I"), _native(view[checks_at:costs_at], "H"),
                   view[costs_at:])


def _native(stored: memoryview, typecode: Literal["I", "H"]) -> Sequence[int]:
    """Little-endian stored integers as a sequence, without a copy where the machine agrees."""
    if sys.byteorder == "little":
        return stored.cast(typecode)
    values = array(typecode, stored.tobytes())
    values.byteswap()
    return values


def _little_endian(values: Sequence[int], typecode: str) -> array:
    stored = array(typecode, values)
    if sys.byteorder == "big":
        stored.byteswap()
    return stored


@cache
def word_index() -> WordIndex:
    """The shipped index (loaded once per process, in a few milliseconds)."""
    return WordIndex.from_bytes(INDEX_PATH.read_bytes())


@cache
def common_cjk() -> frozenset[str]:
    """The ideographs and hangul syllables real text uses most (~97% of running text).

    A wrong multi-byte codec produces rare characters (``궥귊`` for Shift-JIS read as cp949),
    which fall outside. Shipped in ``common_cjk.txt`` (see :func:`build_common_cjk`).

    >>> "的" in common_cjk(), "궥" in common_cjk()
    (True, False)
    """
    return frozenset(COMMON_CJK_PATH.read_text(encoding="utf-8").strip())


def build_common_cjk() -> str:
    """The characters of :func:`common_cjk`, from wordfreq's lists (zh, ja, ko): each character
    weighted by the frequency of the words it occurs in."""
    import wordfreq

    chosen: set[str] = set()
    for language, keep in (("zh", 3500), ("ja", 2500), ("ko", 1200)):
        weights: dict[str, float] = {}
        # The list is sorted by frequency; Zipf's law gives a word of rank r a weight ~ 1/r
        # (word_frequency() itself would need the MeCab and jieba tokenizers).
        for rank, word in enumerate(wordfreq.top_n_list(language, 30000), start=10):
            for char in word:
                if "\u4e00" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7a3":
                    weights[char] = weights.get(char, 0.0) + 1.0 / rank
        # What Counter.most_common(keep) does, on float weights.
        chosen.update(char for char, _ in heapq.nlargest(keep, weights.items(), key=itemgetter(1)))
    return "".join(sorted(chosen))


def _is_cjk_word(word: str) -> bool:
    return all("\u3040" <= char <= "\u30ff" or "\u3400" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7a3"
               or "\uf900" <= char <= "\ufaff" for char in word)


def indexed_words() -> Iterator[tuple[str, float]]:
    """Every (word, frequency) the index is built from (with repeats across languages)."""
    import wordfreq

    for language, size in CJK_LISTS:
        for word, frequency in wordfreq.get_frequency_dict(language, size).items():
            if len(word) <= MAX_CJK_WORD and _is_cjk_word(word):
                yield word, frequency
    for language in SCRIPT_LISTS:
        yield from wordfreq.get_frequency_dict(language, "small").items()
    for language in LATIN_LISTS:
        for word, frequency in wordfreq.get_frequency_dict(language, "small").items():
            if not word.isascii():
                yield word, frequency
    for language in LARGE_LISTS:
        for word, frequency in wordfreq.get_frequency_dict(language, "large").items():
            if frequency >= MIN_LARGE_FREQUENCY and not word.isascii() and word.isalpha():
                yield word, frequency
    counts, total = thai_words()
    for word, count in counts.items():
        if len(word) <= MAX_THAI_WORD:
            yield word, count / total


def import_thai_words(frequency_list: Path) -> str:
    """The text of :data:`THAI_WORDS_PATH` from a ``word<TAB>count`` list: PyThaiNLP's
    ``tnc_freq.txt``, the Thai National Corpus's word frequencies (CC0-1.0; in the PyThaiNLP
    wheel under ``pythainlp/corpus/``). Words of Thai letters and marks only, seen at least
    :data:`MIN_THAI_COUNT` times; the first line gives the corpus's total count."""
    counts: dict[str, int] = {}
    total = 0
    for line in frequency_list.read_text(encoding="utf-8").splitlines():
        word, _, count = line.rpartition("\t")
        total += int(count)
        if int(count) >= MIN_THAI_COUNT and _THAI_WORD.fullmatch(word):
            counts[word] = counts.get(word, 0) + int(count)
    rows = [f"{word}\t{count}" for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    header = f"# Thai National Corpus word counts (PyThaiNLP tnc_freq.txt, CC0-1.0); total\t{total}"
    return "\n".join([header, *rows]) + "\n"


@cache
def thai_words() -> tuple[dict[str, int], int]:
    """The shipped Thai word counts and the corpus's total count (see :func:`import_thai_words`)."""
    lines = THAI_WORDS_PATH.read_text(encoding="utf-8").splitlines()
    total = int(lines[0].rpartition("\t")[2])
    counts = {}
    for line in lines[1:]:
        word, _, count = line.partition("\t")
        counts[word] = int(count)
    return counts, total


def build(words: Iterable[tuple[str, float]]) -> WordIndex:
    best: dict[str, float] = {}
    for word, frequency in words:
        if frequency > best.get(word, 0.0):
            best[word] = frequency
    return WordIndex.from_words(best)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--import-thai":
        THAI_WORDS_PATH.write_text(import_thai_words(Path(argv[1])), encoding="utf-8")
        print(f"wrote {THAI_WORDS_PATH}; now rebuild this index and cleaner.repair_lm's data")
        return 0
    if argv != ["--rebuild"]:
        print("usage: python -m cleaner.word_index --rebuild\n"
              "       python -m cleaner.word_index --import-thai PATH/pythainlp/corpus/tnc_freq.txt",
              file=sys.stderr)
        return 2
    index = build(indexed_words())
    data = index.to_bytes()
    INDEX_PATH.write_bytes(data)
    print(f"wrote {INDEX_PATH}: {len(index):,} words, {len(data):,} bytes")
    chars = build_common_cjk()
    COMMON_CJK_PATH.write_text(chars + "\n", encoding="utf-8")
    print(f"wrote {COMMON_CJK_PATH}: {len(chars):,} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
