"""Words a single-byte reader leaves with many lost bytes, looked up whole in the word lists.

A single-byte reader that drops the bytes it has no character for drops them from every
character that has one: cp874 has nothing at 81-84, 86-90 and 98-9F, so Russian ``ю`` (D1 8E)
and ``т`` (D1 82) both come out as ``ั`` (the D1), and ``обслуживают`` as ``ะพะฑัะปัะถะธะฒะฐัั``
with four such letters, each one of sixteen. Enumerating the 65,536 readings to look each up
is too much; but what is left of a word is fixed by the word, its *mask*: each character whose
bytes the reader drops becomes what it left (here ``ั``), the others stay. So each word of a
language's list is filed under its mask for that reader, and a damaged word's readings that
the lists hold are one lookup away. Only the lists of the line's languages are indexed, each
for a reader the first time one of its damaged words needs it.

The index is a fallback for :func:`cleaner.repair_search._settled_by_words` where there are
too many readings to try one by one; the choice among the words it finds is made the same way
(a clearly commoner word, or none).
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache

from cleaner.languages import MAX_WORD_LISTS, word_list
from cleaner.mojibake import CODECS, Piece

_LOST_OPEN, _LOST_CLOSE = "\x00", "\x01"  # around what a character that lost bytes left of them


def mask(text: str, dropped: frozenset[int]) -> str:
    """``text`` as a reader that drops ``dropped`` leaves it: each character with a byte in it
    replaced by the bytes it keeps, marked off (ASCII and other characters unchanged).

    >>> dropped = frozenset(range(0x80, 0x90))
    >>> mask("латынь", dropped) == mask("латунь", dropped) != mask("латвия", dropped)
    True
    >>> mask("ют", dropped)
    '\\x00d1\\x01\\x00d1\\x01'
    """
    out = []
    for char in text:
        if char < "\x80":
            out.append(char)
            continue
        data = char.encode()
        kept = bytes(byte for byte in data if byte not in dropped)
        out.append(char if len(kept) == len(data) else _LOST_OPEN + kept.hex() + _LOST_CLOSE)
    return "".join(out)


def pieces_mask(text_before: str, pieces: Iterable[Piece], text_after: str) -> str:
    """The mask of a word made of some text, a run's pieces and more text: a piece that lost
    bytes leaves what it kept of them."""
    out = [text_before]
    for piece in pieces:
        if piece.recovered:
            kept = bytes(byte for index, byte in enumerate(piece.data) if index not in piece.recovered)
            out.append(_LOST_OPEN + kept.hex() + _LOST_CLOSE)
        else:
            out.append(piece.char)
    out.append(text_after)
    return "".join(out)


class _MaskIndex:
    """``language``'s listed words by their mask for ``reader``, in lower, Title and UPPER case
    (the reader may drop a capital's byte and keep the small letter's). Words the reader leaves
    whole are not filed: no lost byte of theirs needs looking up.

    Kept as two flat arrays, as :class:`cleaner.traceless._SkeletonIndex` keeps its words: the
    CRC-32 of each mask (sorted) and the word and case it comes from, about 1 MB for Russian
    (a dictionary of the same was 55 MB). A hit is checked against the word's own mask."""

    _CASES = (str.lower, lambda word: word[:1].upper() + word[1:], str.upper)

    def __init__(self, language: str, reader: str) -> None:
        dropped = frozenset(CODECS[reader].dropped)
        self._words = word_list(language)
        letters = set("".join(word for word, _ in self._words))
        letters |= {char.upper() for char in letters}
        table = {ord(char): mask(char, dropped) for char in letters if char >= "\x80"}
        self._table = {code: lost for code, lost in table.items() if lost != chr(code)}
        pairs = []
        for index, (word, _) in enumerate(self._words):
            seen = set()
            for case, make in enumerate(self._CASES):
                form = make(word)
                key = form.translate(self._table)
                if key != form and form not in seen:
                    seen.add(form)
                    pairs.append((zlib.crc32(key.encode()), index * len(self._CASES) + case))
        pairs.sort()
        self._keys = array("I", (key for key, _ in pairs))
        self._entries = array("I", (entry for _, entry in pairs))

    def get(self, key: str) -> Iterator[tuple[float, str]]:
        """Each word with this mask, in the case that leaves it, and its frequency."""
        wanted = zlib.crc32(key.encode())
        position = bisect_left(self._keys, wanted)
        while position < len(self._keys) and self._keys[position] == wanted:
            index, case = divmod(self._entries[position], len(self._CASES))
            word, frequency = self._words[index]
            form = self._CASES[case](word)
            if form.translate(self._table) == key:
                yield frequency, form
            position += 1


@lru_cache(maxsize=MAX_WORD_LISTS)
def _index(language: str, reader: str) -> _MaskIndex:
    return _MaskIndex(language, reader)


def words_with_mask(key: str, reader: str, languages: tuple[str, ...]) -> dict[str, float]:
    """The words of ``languages`` that ``reader`` leaves as ``key``, each with its frequency in
    the likeliest of them.

    >>> dropped = frozenset(CODECS["cp874"].dropped)
    >>> "обслуживают" in words_with_mask(mask("обслуживают", dropped), "cp874", ("ru",))
    True
    """
    found: dict[str, float] = {}
    for language in languages:
        for frequency, form in _index(language, reader).get(key):
            found[form] = max(found.get(form, 0.0), frequency)
    return found
