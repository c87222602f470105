"""Letters a multi-byte reader dropped whole, leaving no trace: put back by the line's words.

EUC-KR, EUC-JP and Big5 want the second byte of a character from A1 up. A letter whose UTF-8
continuation byte is lower (``ě`` is C4 9B, ``ł`` C5 82, ``à`` C3 A0, ``Á`` C3 81) is no
character to them, and a reader told to ignore what it cannot read drops both of its bytes:
Czech ``koně`` comes out ``kon``, with nothing where the ``ě`` was. The letters around it that
survived (``á`` is C3 A1, a valid EUC-KR pair) are mojibake the repair search reads back, and
those name the reader. What they do not show is where letters went missing.

They went missing the same way everywhere: the reader drops every such letter, always. So a word
as read is its original with every droppable letter deleted, its *skeleton*, and the original
is a word of the line's language with that skeleton. This module indexes the word lists of the
line's languages (wordfreq's large lists down to Zipf 2 where it has them, as the word index
takes them, else its small ones) by skeleton, and takes a word back where one word of the
language with that skeleton is clearly commoner than both the word as read and every other
word with that skeleton: ``kon`` -> ``koně``, ``wpyn`` -> ``wpłynąć``, ``bata`` -> ``başta``. One-letter words leave
two spaces behind (``dépend  la``); the gap takes the language's one-letter word if it has a
clear one (``à``). Everything else, names and rare words among them, is left as it is.

A reader told to mark what it cannot read shows each of those bytes as U+FFFD instead:
``kon\ufffd\ufffd``. The search reads such holes by the character model and the merged word
index, which cannot tell Croatian ``većina`` from Slovene ``večina``; the holes it leaves are
filled here the same way, by the line's languages' words with those letters in those places
(the word's *mask*).

It runs only on a line the search repaired through such a reader and that holds no droppable
letter (a reader that drops or marks them all cannot have left one whole).
"""

from __future__ import annotations

import math
import re
import zlib
from array import array
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache, lru_cache, partial

from cleaner.languages import (
    MAX_WORD_LISTS,
    SPELLING_ALIASES,
    WordList,
    alphabet,
    identify,
    text_cost_in,
    word_list,
    writes,
)
from cleaner.wordfreq_files import cb_to_frequency, frequency_buckets, has_list

# How many nats (ln of the frequency ratio) the restored word must be commoner than the word as
# read, and than the next word with the same skeleton. e^3 is 20 times.
MARGIN = 3.0
# The frequency of a word the language's list does not hold (the small lists stop near 1e-6).
UNLISTED = 1e-8
# A one-letter word that fills a gap of two spaces must be at least this common: à is 1e-2.
MIN_GAP_WORD = 1e-4
# The fewest capitals left of a word that lost some: fewer are an abbreviation.
MIN_CAPITALS = 4
MAX_FORMS = 4
# Where wordfreq has a large list for a language, its words down to this frequency (Zipf 2, as
# the word index takes them): the inflected forms a dropped letter is mostly in (Czech
# ``pozměnění``, Polish ``polegającego``, Italian ``accorrerà``) are not in the small lists.
MIN_LARGE_FREQUENCY = 1e-7

_WORDS = re.compile(r"[^\W\d_]+")
_MARKED_WORDS = re.compile(r"(?:[^\W\d_]|\ufffd)+")
# Two spaces where a one-letter word went: after a word or a comma, before a word or a number
# (``dépend  la``, ``séjourne  Londres``; not ``end.  Next``).
_GAP = re.compile(r"(?<=[^\W\d_]|,)  (?=[^\W_]|\d)")


@dataclass(frozen=True)
class Restored:
    """A word (or a gap between two words) the reader emptied of letters, and what it was."""

    start: int
    end: int
    before: str
    after: str
    confidence: float
    candidates: int
    settled_by: str = "word-list"

    def detail(self, codec: str) -> dict[str, object]:
        # No "chain": the reader's own repair of the line's mojibake records that; this names
        # the reader that dropped the letters.
        return {
            "reader": codec,
            "recovered": [{"char": char, "bytes": char.encode().hex(" "), "byte": char.encode().hex(" ")}
                          for char in _inserted(self.before, self.after)],
            "confidence": round(self.confidence, 4),
            "candidates": self.candidates,
            "settled_by": self.settled_by,
            "lost": "whole, without a trace",
        }


@cache
def dropped_whole(codec: str) -> frozenset[str]:
    """The letters of the languages :mod:`cleaner.languages` knows whose UTF-8 bytes ``codec``
    drops, both of them, when it ignores what it cannot read. Empty for the single-byte readers,
    which drop a byte at most and leave the other as a trace, and for GBK or Shift-JIS.

    >>> sorted(dropped_whole("euc_kr") & set("ěčřšžáÁàł"))
    ['Á', 'à', 'č', 'ě', 'ł', 'ř']
    >>> dropped_whole("gbk"), dropped_whole("cp1252")
    (frozenset(), frozenset())
    """
    try:
        return frozenset(char for char in alphabet() if ("a" + char + "a").encode().decode(codec, "ignore") == "aa")
    except LookupError:
        return frozenset()  # a reader of ours that Python's codecs do not name (the cp874 hybrid)


@cache
def _deleting(codec: str) -> dict[int, int | None]:
    return str.maketrans("", "", "".join(dropped_whole(codec)))


@cache
def _masking(codec: str) -> dict[int, str]:
    """Each droppable letter as the reader marks it: one U+FFFD a byte."""
    return {ord(char): "\ufffd" * len(char.encode()) for char in dropped_whole(codec)}


def _lost_view(codec: str, marked: bool) -> dict[int, str] | dict[int, int | None]:
    return _masking(codec) if marked else _deleting(codec)


class _SkeletonIndex:
    """A language's listed words that hold a letter a reader drops, by what is left of them.

    Kept as two flat arrays, the CRC-32 of each skeleton (sorted) and the word and case it comes
    from, about 1 MB; a dictionary of the same was 37 MB for Czech. A hit is checked against
    the word itself, so a chance match of two skeletons' CRCs is never taken."""

    def __init__(self, language: str, codec: str, marked: bool) -> None:
        self._words = _word_list(language)
        self._language = language
        self._view = _lost_view(codec, marked)
        pairs = []
        for index, (word, _) in enumerate(self._words):
            if not _WORDS.fullmatch(word):
                continue
            for case, form in enumerate(_forms(word, language)):
                skeleton = form.translate(self._view)
                if skeleton != form:
                    pairs.append((zlib.crc32(skeleton.encode()), index * len(_CASES) + case))
        pairs.sort()
        self._keys = array("I", (key for key, _ in pairs))
        self._entries = array("I", (entry for _, entry in pairs))

    def get(self, skeleton: str) -> list[tuple[float, str]]:
        """The words with this skeleton, each in the case that leaves it, commonest first. Where
        two cases of one word leave it (``č`` and ``Č`` both go), the lower case stands for both."""
        wanted = zlib.crc32(skeleton.encode())
        found: dict[str, tuple[float, str]] = {}
        position = bisect_left(self._keys, wanted)
        while position < len(self._keys) and self._keys[position] == wanted:
            index, case = divmod(self._entries[position], len(_CASES))
            word, frequency = self._words[index]
            form = _CASES[case](word, self._language)
            if form.translate(self._view) == skeleton:
                found.setdefault(word, (frequency, form))
            position += 1
        return sorted(found.values(), reverse=True)[:MAX_FORMS]


_DOTTED_I = str.maketrans("i", "İ")
# Languages whose capital of ``i`` is ``İ`` (and of ``ı`` is ``I``): Turkish, Azerbaijani.
_DOTTED_CAPITALS = frozenset({"tr", "az"})


def _upper(text: str, language: str) -> str:
    return (text.translate(_DOTTED_I) if language in _DOTTED_CAPITALS else text).upper()


_CASES = (lambda word, language: word,
          lambda word, language: _upper(word[:1], language) + word[1:],
          _upper)


def _forms(word: str, language: str) -> tuple[str, ...]:
    """``word`` (as listed: lower case) in lower, Title and UPPER case, as ``language`` writes
    capitals (Turkish ``imparatorluğu`` is ``İmparatorluğu``).

    >>> _forms("imparatorluğu", "tr")
    ('imparatorluğu', 'İmparatorluğu', 'İMPARATORLUĞU')
    """
    return tuple(case(word, language) for case in _CASES)


@lru_cache(maxsize=MAX_WORD_LISTS)
def _word_list(language: str) -> WordList:
    """The words a dropped letter is looked for among: wordfreq's large list of ``language``
    down to :data:`MIN_LARGE_FREQUENCY` where it has one (~100,000-250,000 words), else its
    small list."""
    if not has_list(language, "large"):
        return word_list(language)
    buckets = frequency_buckets(language, "large")
    return WordList({word: frequency for index, bucket in enumerate(buckets)
                     for frequency in (cb_to_frequency(-index),) if frequency >= MIN_LARGE_FREQUENCY
                     for word in bucket})


def _frequency(word: str, languages: tuple[str, ...]) -> float:
    """How often the likeliest of ``languages`` writes ``word`` (case folded, in the lists'
    spelling), by the lists of :func:`_word_list`."""
    return max((_word_list(language).get(_listed_spelling(word.casefold(), language)) for language in languages),
               default=0.0)


@cache
def _spellings(language: str) -> tuple[dict[int, str], dict[int, str]]:
    """The letters a language's text may write otherwise than its list spells them (Romanian
    ``ş`` for the list's ``ș``; see :data:`cleaner.languages.SPELLING_ALIASES`), as two tables:
    from the text's letters to the list's, and back."""
    pairs = {listed: alias for listed, alias in SPELLING_ALIASES.get(language, {}).items()}
    pairs |= {listed.upper(): alias.upper() for listed, alias in pairs.items()}
    return ({ord(alias): listed for listed, alias in pairs.items()},
            {ord(listed): alias for listed, alias in pairs.items()})


def _listed_spelling(text: str, language: str) -> str:
    return text.translate(_spellings(language)[0]) if language in SPELLING_ALIASES else text


def _line_spelling(word: str, languages: tuple[str, ...], line: str) -> str:
    """A restored word in the spelling its (repaired) line writes: Romanian ``președintelui``
    as ``preşedintelui`` in a line that writes cedillas (its ``ţ`` survived the reader and was
    repaired; the comma letters never survive).

    >>> _line_spelling("președintelui", ("ro",), "Rmâneţi acas, spune preedintelui")
    'preşedintelui'
    >>> _line_spelling("președintelui", ("ro",), "Rmânei acas, spune preedintelui")
    'președintelui'
    """
    for language in languages:
        to_listed, to_written = _spellings(language)
        if any(ord(char) in to_listed for char in line) and not any(ord(char) in to_written for char in line):
            return word.translate(to_written)
    return word


@lru_cache(maxsize=MAX_WORD_LISTS)
def _skeletons(language: str, codec: str, marked: bool = False) -> _SkeletonIndex:
    """The skeleton index of ``language``'s words for ``codec`` (see :class:`_SkeletonIndex`).
    A word is listed in lower case; a capital it may start with is dropped or kept as the reader
    treats it (``Áron`` is ``ron``; ``áron`` stays whole), so each word is filed under the
    skeletons of its lower-case, Title-case and UPPER-case forms. With ``marked``, the letters
    are not deleted but marked, as a reader that shows U+FFFD for them leaves them."""
    return _SkeletonIndex(language, codec, marked)


def _inserted(before: str, after: str) -> list[str]:
    """The characters ``after`` has that ``before``, a subsequence of it, lacks.

    >>> _inserted("wpyn", "wpłynąć")
    ['ł', 'ą', 'ć']
    """
    inserted, index = [], 0
    for char in after:
        if index < len(before) and before[index] == char:
            index += 1
        else:
            inserted.append(char)
    return inserted


def _letter_in_hole(word: str, languages: tuple[str, ...], codec: str, sentence_start: bool) -> Restored | None:
    """A word of the line's languages that no list holds, with one letter marked as a pair of
    U+FFFD (Italian ``accorrer\ufffd\ufffd``: ``accorrerà``, a future tense the lists lack):
    the letter those languages write that the reader drops whole, in the word's case, where one
    such letter is clearly likeliest by their letter pairs (:data:`MARGIN`) or the only one.
    Italian writes one letter EUC-KR drops, ``à``; Czech writes several, and the pairs choose.

    >>> _letter_in_hole("accorrer\ufffd\ufffd", ("it",), "euc_kr", False).after
    'accorrerà'
    """
    left, hole, right = word.partition("\ufffd\ufffd")
    if not hole or "\ufffd" in left + right or len(left) + len(right) < 2:
        return None
    rest = left + right
    if rest.isupper() and len(rest) > 1:
        wanted = str.isupper
    elif not left and (sentence_start or rest[:1].isupper()):
        return None  # a capital or not: nothing in the word says
    else:
        wanted = str.islower
    letters = [char for char in dropped_whole(codec)
               if wanted(char) and len(char.encode()) == 2 and writes(languages, char)]
    costs = sorted((text_cost_in(languages, left + char + right), char) for char in letters)
    if not costs or (len(costs) > 1 and costs[1][0] - costs[0][0] < MARGIN):
        return None
    confidence = 1 / sum(math.exp(costs[0][0] - cost) for cost, _ in costs)
    return Restored(0, len(word), word, left + costs[0][1] + right, confidence, len(costs), "letter-pairs")


def _written_case(word: str) -> bool:
    rest = word[1:]
    return rest == rest.lower() or word == word.upper()


def _candidates(skeleton: str, languages: tuple[str, ...], codec: str, sentence_start: bool,
                marked: bool = False) -> list[tuple[float, str]]:
    """The words of ``languages`` that ``codec`` leaves as ``skeleton``, commonest first, in the
    case they were written in. A word takes a capital the reader dropped (``Česko`` read as
    ``esko``) only at the start of a sentence, and is all capitals only where four or more are
    left: ``MS`` and ``DRM`` are abbreviations, not ``MÁS`` and ``DRÖM``."""
    words: dict[str, tuple[float, str]] = {}
    for language in languages:
        for frequency, form in _skeletons(language, codec, marked).get(_listed_spelling(skeleton, language)):
            if form.isupper() and len(form) > 1 and len(skeleton) < MIN_CAPITALS:
                continue
            if form[:1].isupper() and not skeleton[:1].isupper():
                if not sentence_start:
                    continue
            elif sentence_start and skeleton[:1].islower() and form[:1].islower() and form[:1] in _dropped_first(codec):
                form = form[:1].upper() + form[1:]  # ``č`` and ``Č`` both went: the sentence says which
            folded = form.casefold()
            if frequency > words.get(folded, (0.0, ""))[0]:
                words[folded] = (frequency, form)
    return sorted(words.values(), reverse=True)


@cache
def _dropped_first(codec: str) -> frozenset[str]:
    """Lower-case letters the reader drops in both cases."""
    dropped = dropped_whole(codec)
    return frozenset(char for char in dropped if char.islower() and char.upper() in dropped)


def restore(line: str, codec: str, read: str | None = None) -> list[Restored]:
    """The words of ``line`` (repaired, as read through ``codec``) that lost letters the reader
    dropped whole or marked as U+FFFD, and the gaps where a one-letter word was; ``[]`` where
    the line shows no such loss can have happened (see the module docstring). ``read`` is the
    line as it was read, if ``line`` is already partly repaired.

    >>> [(r.before, r.after) for r in restore("Kromě karet kriminalisté u mužů, zabavili koně a auta", "euc_kr")]
    []
    >>> [(r.before, r.after) for r in restore("Na kon, hárem a kriminalisté zabavili mužům auta", "euc_kr")]
    [('kon', 'koně')]
    >>> line = "Ve\ufffd\ufffdina ljudi živi u gradovima, a mnogi žele živjeti na selu"
    >>> [(r.before, r.after) for r in restore(line, "euc_kr")]
    [('Ve\ufffd\ufffdina', 'Većina')]
    """
    dropped = dropped_whole(codec)
    if not dropped or any(char in dropped for char in (line if read is None else read)):
        return []
    marked = "\ufffd" in line
    languages = identify(line)
    if not languages or not any(writes(languages, char) for char in dropped):
        return []
    restored = []
    spelt = partial(_line_spelling, languages=languages, line=line)
    for match in (_MARKED_WORDS if marked else _WORDS).finditer(line):
        word = match.group()
        if not _written_case(word) or (marked and "\ufffd" not in word):
            continue
        head = line[: match.start()].rstrip()
        sentence_start = not head or head[-1] in ".!?"
        candidates = _candidates(word, languages, codec, sentence_start, marked)
        if not candidates:
            if marked and (letter := _letter_in_hole(word, languages, codec, sentence_start)) is not None:
                restored.append(replace(letter, start=match.start(), end=match.end()))
            continue
        (frequency, original), *rest = candidates
        seen = 0.0 if marked else _frequency(word, languages)
        runner_up = max(seen, rest[0][0] if rest else 0.0, UNLISTED)
        # (A lone lost letter is a word of its own: only a common one.)
        if (word.strip("\ufffd") or frequency >= MIN_GAP_WORD) and math.log(frequency / runner_up) >= MARGIN:
            total = frequency + sum(other for other, _ in rest) + seen
            restored.append(Restored(match.start(), match.end(), word, spelt(original), frequency / total,
                                     len(candidates) + 1))
    if not marked:
        for match in _GAP.finditer(line):
            candidates = _candidates("", languages, codec, sentence_start=False)
            if not candidates:
                continue
            (frequency, original), *rest = candidates
            if original.islower() and frequency >= MIN_GAP_WORD and (
                    not rest or math.log(frequency / rest[0][0]) >= MARGIN):
                total = frequency + sum(other for other, _ in rest)
                restored.append(Restored(match.start() + 1, match.start() + 1, "", original, frequency / total,
                                         len(candidates)))
    return sorted(restored, key=lambda item: item.start)
