"""The expensive search, run only on lines the screen flags: which reading broke this line?

One *layer* of repair (:func:`repair_layer`) works on the line's runs of non-ASCII characters:
UTF-8 read through a single-byte table turns each non-ASCII character into a run of two to four
non-ASCII characters, and ASCII stays ASCII, so runs map one to one. For each run and each
reader (:data:`cleaner.mojibake.CODECS`) that could have produced it, the run is turned back
into bytes and read as UTF-8. A reading is worth taking when the language model finds the
repaired text much cheaper than the run as it stands (its *gain*, in nats, less the reader's
prior); clean text almost never even decodes, and when it does the gain is negative.

1. The line's reader is the one with the largest total gain over the runs it decodes intact.
   It must clear :data:`LINE_GAIN`, so a line needs real evidence before anything changes.
2. Runs that reader decodes with a positive gain are repaired (``็ฏช`` -> 篪 is weak on its own,
   but not on a line that is plainly cp874 mojibake); a run only another reader decodes is
   repaired if its own gain clears :data:`RUN_GAIN`, which covers lines that mix readers.
3. Runs that do not decode intact are tried for lost bytes, under the line's reader only:
   U+FFFD marks a lost byte, otherwise a sequence one byte short had one dropped; a pair of
   U+FFFD from a multi-byte reader can be a character of two bytes lost whole. Every
   candidate is weighed (:func:`cleaner.evidence.choose`); the run is repaired only if every
   damaged character has a clear winner, by the character model or, where it hesitates, by
   the word lists (:func:`_settled_by_words`), and is otherwise reported as unsettled. (A long
   run settled but for a few characters is repaired in the end with those few kept as they
   were read, each reported: see :func:`_kept_as_read`.)
4. A line with no intact evidence may still be repaired through lost bytes when the gain, after
   a cost per recovered byte, clears :data:`LOST_LINE_GAIN` (a line that is all damaged runs).

Double and triple mojibake are further layers: the caller runs :func:`repair_layer` again on
its output while it keeps finding repairs.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from typing import Any

from cleaner.evidence import (
    ACRONYM_MARKS,
    CLEAR_MARGIN,
    Choice,
    choose_with_words,
    is_cjk,
    is_thai,
    listed_as,
    reading_cost,
    written_case,
)
from cleaner.languages import identify, text_cost_in, word_frequency, writes
from cleaner.lossy_words import pieces_mask, words_with_mask
from cleaner.mojibake import CODECS, MAX_LOST_WHOLE, Codec, DecodedRun, Piece, Token, decode_tokens
from cleaner.repair_lm import char_class, char_cost, is_word_char, scripts_with_pairs, step_cost, text_cost

# A line must gain this much (nats) from its reader before anything on it is repaired.
LINE_GAIN = 8.0
# A run repaired through a reader other than the line's must gain this much on its own.
RUN_GAIN = 14.0
# Each byte recovered costs this much: a lost byte is a guess, however well supported.
RECOVERED_BYTE_COST = 2.0
# A line whose every run lost bytes needs this much gain, after the cost of the guesses.
LOST_LINE_GAIN = 12.0
# Reading a space after a run as the no-break space 0xA0 that became it costs this much.
SPACE_AS_A0_COST = RECOVERED_BYTE_COST
# ... and is only considered when it yields a common character (not ``†``, E2 80 A0).
A0_MAX_CHAR_COST = 9.0
# Another reader's repair of a run must beat the line's reader by this much.
OTHER_READER_MARGIN = 4.0
# A repaired word must cost at most this much per character (real words: 2-4 nats).
MAX_WORD_COST = 6.5
# ... or, for a run of at least LONG_CJK_RUN ideographs, kana or hangul, this much.
MAX_LONG_CJK_COST = 9.0
LONG_CJK_RUN = 4
# Each run of correctly decoded non-ASCII text on a line raises the evidence it needs by this
# much: a line that shows its bytes were read right needs more proof that some were not.
CLEAN_RUN_COST = 16.0
# Readings of one damaged character worth weighing: the cheapest by the character model.
MAX_READINGS = 16
# ... and of a character lost whole (U+FFFD for each of its bytes), ranked by its neighbours.
MAX_WHOLE_READINGS = 48
# A lost character is settled by the word lists only within a word of at least this many letters.
MIN_DICTIONARY_WORD = 3
# The longest word worth looking up in the lists.
MAX_LISTED_WORD = 32
# ... and for the readings of one word's unsettled characters taken together, this many at most.
MAX_WORD_READINGS = 2304
# Characters lost whole are read only on lines where U+FFFD is less than this share: a short
# Romanian line through EUC-KR (``d?? mult?? energie``) has a fifth of it; Greek or Hebrew
# through Big5, where nearly every letter is lost, three quarters and more.
MAX_HOLE_SHARE = 0.3
# Readers weighed in full for a line that has only damaged runs (the best by a quick look).
MAX_DAMAGED_READERS = 2
# Characters of one run a multi-byte reader may have cut short: beyond this many (EUC-KR and
# Big5 reject half the continuation bytes of UTF-8) no reading is clear, and weighing them is slow.
MAX_MULTIBYTE_RECOVERED = 16
# Passes over a line's runs that lost bytes, each in the context the settled ones leave.
LOSSY_SWEEPS = 2
# A run of at least this many characters whose lost bytes the evidence settles for all but a few
# (at most this share of them) is repaired, with those few kept as they were read, and warned
# about (see _kept_as_read): a Japanese line of 89 characters through cp1252, all but ``心`` or
# ``忘`` (1.4 nats apart) clear, was left whole as mojibake.
MIN_KEPT_RUN = 8
MAX_KEPT_SHARE = 0.125

_RUNS = re.compile(r"[^\x00-\x7f]+")
_SINGLE = tuple(codec for codec in CODECS.values() if not codec.multibyte)
_MULTI = tuple(codec for codec in CODECS.values() if codec.multibyte)


@dataclass
class RunRepair:
    """One run of a line read back through one reader."""

    start: int
    end: int
    before: str
    after: str
    codec: Codec
    data: bytes
    gain: float
    pieces: tuple[Piece, ...] = ()
    choice: Choice | None = None
    guessed_a0: bool = False  # a space read as the byte 0xA0
    word: str = ""  # of a lost-byte reading: the word it makes, and that word's cost
    word_cost: float = 0.0
    by_words: bool = False  # settled by the word lists where the character model could not
    kept: tuple[Unsettled, ...] = ()  # characters left as read, inside the run (see _kept_as_read)

    @property
    def recovered(self) -> list[dict[str, str]]:
        return [
            {"char": piece.char, "bytes": piece.data.hex(" "),
             "byte": " ".join(f"{piece.data[index]:02x}" for index in piece.recovered)}
            for piece in self.pieces
            if piece.recovered
        ]

    def detail(self) -> dict[str, Any]:
        detail: dict[str, Any] = {
            "chain": [["encode", self.codec.name], ["decode", "utf-8"]],
            "bytes": self.data.hex(" "),
        }
        if self.choice is not None:
            detail["recovered"] = self.recovered
            detail["confidence"] = self.choice.confidence
            detail["candidates"] = self.choice.readings
            if self.by_words:
                detail["settled_by"] = "word-list"
            if self.kept:
                detail["kept_as_read"] = [{"text": self.before[doubt.start - self.start : doubt.end - self.start],
                                           "readings": doubt.readings} for doubt in self.kept]
        return detail


@dataclass
class Unsettled:
    """A run that lost bytes the evidence does not settle: left alone, and warned about."""

    start: int
    end: int
    codec: str
    readings: int
    word_cost: float = 0.0  # of the word the best reading makes, as RunRepair's
    line_unrepaired: bool = False  # on a line no reader repaired (see _plainly_unsettled)
    word: str = ""  # that word
    # The run repaired but for the characters the evidence leaves unsettled, which it keeps as
    # read (see _kept_as_read): taken where no later layer settles the run (see stages.repair).
    partial: RunRepair | None = None


@dataclass
class LayerResult:
    repairs: list[RunRepair] = field(default_factory=list)
    unsettled: list[Unsettled] = field(default_factory=list)


def _context(line: str, start: int, end: int) -> tuple[str, str]:
    return (line[start - 1] if start else " "), (line[end] if end < len(line) else " ")


def _cost(text: str, before: str, after: str) -> float:
    return text_cost(text + after, before)


# Thai letters inside a Latin word (``Yรกng``) are how cp874 shows the UTF-8 of an accented
# letter, never how clean text mixes the two: Thai meets Latin at a word's end (``titrationเป็น``).
# The character pairs cannot see it (``รก`` is a common Thai pair), so it costs this much more.
THAI_IN_LATIN_WORD = 8.0


def _thai_inside_latin_word(run: str, before: str, after: str) -> float:
    """:data:`THAI_IN_LATIN_WORD` if ``run`` is Thai with an ASCII letter on either side.

    >>> _thai_inside_latin_word("รก", "Y", "n"), _thai_inside_latin_word("รก", " ", "n")
    (8.0, 0.0)
    """
    if before.isascii() and before.isalpha() and after.isascii() and after.isalpha() and all(map(is_thai, run)):
        return THAI_IN_LATIN_WORD
    return 0.0


@lru_cache(maxsize=4096)  # runs recur (the same word, the same mojibake) all through a text
def _candidate_codecs(run: str) -> tuple[Codec, ...]:
    chars = set(run)
    chars.discard("\ufffd")
    found = [codec for codec in _SINGLE if chars <= codec.characters]
    return (*found, *_MULTI)


def _intact(line: str, start: int, end: int, codec: Codec) -> RunRepair | None:
    """The run read through ``codec`` with nothing lost, if it decodes and reproduces itself.

    A run one byte short and followed by a space is also read with that space as 0xA0: a
    no-break space in the bytes (``à`` is C3 A0) that something turned into a plain one, as
    ftfy's ``restore_byte_a0`` does for the readers it knows.
    """
    run = line[start:end]
    if "\ufffd" in run or (codec.multibyte and not codec.multibyte_chars(run)):
        return None
    tokens = codec.unmake(run)
    if tokens is None:
        return None
    data = bytes(tokens)  # type: ignore[arg-type]
    if codec.multibyte and not _is_utf8(data):
        # A Latin-1 character in a multi-byte reader's output is either a character of its own
        # table (EUC-KR has ³ as A9 F8) or a byte it rejected, shown as itself: try the latter.
        data = bytes(codec.unmake(run, latin1_as_bytes=True) or b"")  # type: ignore[arg-type]
    extra_cost = 0.0
    before_char, after_char = _context(line, start, end)
    try:
        after = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if not (error.reason == "unexpected end of data" and after_char == " "
                and not codec.multibyte and codec.decoding.get(0xA0) == "\xa0"):
            return None
        try:
            after = (data + b"\xa0").decode("utf-8")
        except UnicodeDecodeError:
            return None
        if char_cost(after[-1]) > A0_MAX_CHAR_COST:
            return None
        # The no-break space became this space (hĂ i: hài), or vanished before it (Ã perturber:
        # à perturber; HTML and scrapers collapse a no-break space and a space into one); the
        # words say which (``àbien`` is none, ``à bien`` two).
        word_end = end + 1
        while word_end < len(line) and is_word_char(line[word_end]):
            word_end += 1
        word = line[end + 1 : word_end]
        if reading_cost(after + word, before_char) <= reading_cost(after + " " + word, before_char):
            run, end = run + " ", end + 1
            after_char = line[end] if end < len(line) else " "
        data += b"\xa0"
        extra_cost = SPACE_AS_A0_COST
    if after == run or not _acceptable(after):
        return None
    if codec.multibyte and codec.remake(data, "sloppy") != run:
        return None
    gain = (_cost(run, before_char, after_char) + _thai_inside_latin_word(run, before_char, after_char)
            - _cost(after, before_char, after_char) - codec.prior - extra_cost)
    if gain <= 0 and not codec.multibyte:
        # The model may know a letter only as its language's commoner spelling writes it:
        # Romanian ţ with a cedilla beside ț, and ``corupÅ£iei`` cost it as little as
        # ``corupţiei``. As the line's language writes them, Å is no letter of its.
        languages = identify(line)
        if languages:
            gain = max(gain, text_cost_in(languages, run + after_char, before_char)
                       - text_cost_in(languages, after + after_char, before_char) - codec.prior - extra_cost)
    pieces = tuple(Piece(char, char.encode()) for char in after)
    return RunRepair(start, end, run, after, codec, data, gain, pieces, guessed_a0=extra_cost > 0)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _telling(line: str, repair: RunRepair) -> bool:
    """Whether a repair yields writing, and so is evidence about its line.

    Not evidence: symbols a reader could as well have made up (``Ôôô`` read as cp850 is
    ``ⓓ``, ``Āø`` as cp1257 ``¸``); punctuation touching no letter or digit (the ``¬´`` of a
    kaomoji is MacRoman for ``«``); a word no language writes (line art ``├┤a┼┐a`` read as
    cp437 is ``ôaſa``).
    """
    after = repair.after
    if not any(char_cost(char) < 10.0 for char in after if not char.isascii()):
        return False
    if not any(is_word_char(char) for char in after):
        before_char, after_char = _context(line, repair.start, repair.end)
        return before_char.isalnum() or after_char.isalnum()
    word_start, word_end = repair.start, repair.end
    while word_start > 0 and is_word_char(line[word_start - 1]):
        word_start -= 1
    while word_end < len(line) and is_word_char(line[word_end]):
        word_end += 1
    word = line[word_start : repair.start] + after + line[repair.end : word_end]
    if char_class(after[0]) not in scripts_with_pairs():
        return True  # a script whose pairs the model does not know (Thai): no yardstick
    if any(is_cjk(char) for char in after):
        # The character model knows few ideograph pairs: a Chinese sentence costs ~7.5 nats a
        # character by it, ~4.5 by dictionary words (GBK mojibake like 鈥檚: ~18 either way).
        # Literary Chinese, whose words the modern lists lack, costs ~8: a long run of it
        # (every byte of several three-byte sequences in place) is writing all the same.
        limit = MAX_LONG_CJK_COST if len(word) >= LONG_CJK_RUN else MAX_WORD_COST
        return reading_cost(word) / max(1, len(word)) <= limit
    return text_cost(word) / max(1, len(word)) <= MAX_WORD_COST


# Marks that begin a list item, which an extractor writes for <li> (in its own, correct encoding)
# whatever the page's bytes were.
_LIST_MARKERS = frozenset("•◦▪▫‣●○■□·–—")


def _list_marker(line: str, start: int, end: int) -> bool:
    """Whether the run is a list item's mark at the start of the line: no evidence of how the
    page's bytes were read (seed 004's ``  • ... would โ€œhave``).

    >>> _list_marker("  • a", 2, 3), _list_marker("a • b", 2, 3)
    (True, False)
    """
    return end - start == 1 and line[start] in _LIST_MARKERS and not line[:start].strip()


def _clean(line: str, start: int, end: int) -> bool:
    """A run no reader decodes and that reads as text where it stands: correctly decoded
    non-ASCII. A Thai letter is cheap on its own, but not inside a Latin word (``pลistฤhovalce``:
    ř and ě, each with a byte lost to cp874), where the pairs on either side price it."""
    run = line[start:end]
    if "\ufffd" in run:
        return False
    before, after = _context(line, start, end)
    own = text_cost(run + after, before) - text_cost(after, " ")
    return own / len(run) <= MAX_WORD_COST + 2.0


def _acronym_mark_before(context: str, start: int) -> bool:
    """Whether the character before ``start`` is a Hebrew acronym's mark (see
    :func:`cleaner.evidence.inside_acronym`) for the run read from ``start``: ``חז"`` before the
    lost ``ל`` of ``חז"ל`` belongs to its word."""
    return start >= 2 and context[start - 1] in ACRONYM_MARKS and char_class(context[start - 2]) == "L:HEBREW"


def _acronym_mark_after(context: str, end: int) -> bool:
    """:func:`_acronym_mark_before`, after a run that ends at ``end``."""
    return (end + 1 < len(context) and context[end] in ACRONYM_MARKS
            and char_class(context[end + 1]) == "L:HEBREW")


def _acceptable(text: str) -> bool:
    """A repair must give real text: no controls, private use, or unassigned code points."""
    return all(_real_char(char) for char in text)


# Letters that are variant forms of others (the Greek symbols ϐ ϑ ϕ ϖ, the long s, ...): text
# hardly writes them, but the word lists fold them into the plain letter, so that a reading with
# one passes for a listed word (``ϐαγόνια`` for ``σαγόνια``, where ``βαγόνια`` is listed).
_VARIANT_LETTERS = frozenset("ŉſǰͅϐϑϕϖϰϱϵ")


@lru_cache(maxsize=16384)
def _real_char(char: str) -> bool:
    return (unicodedata.category(char)[0] != "C" or char == "\t") and char not in _VARIANT_LETTERS


def _damaged(line: str, start: int, end: int, codec: Codec,
             view: tuple[str, int, int] | None = None) -> RunRepair | Unsettled | None:
    """The run read through ``codec`` with lost bytes recovered, if the evidence settles them.

    ``view`` is the line as the layer's other repairs leave it, with the run's place in it: the
    run is weighed in that context, so that ``vÄetnÄ›`` (``č`` lost its 8D) is judged as part of
    ``v?etně``, a word the lists hold, not of ``v?etnÄ›``.

    A run of nothing but U+FFFD is read only as characters a multi-byte reader lost whole (see
    :func:`_hole_run`), and taken only where they make words the lists hold.
    """
    run = line[start:end]
    context, context_start, context_end = view if view is not None else (line, start, end)
    if not run.strip("\ufffd") and not _hole_run(run, codec, line):
        # Nothing but U+FFFD (ftfy's mark for a whole lost sequence, in a later pass): no byte
        # left to say what it was, so any reading would be invented.
        return None
    if codec.multibyte and not codec.multibyte_chars(run) and not _hole_run(run, codec, line):
        return None
    tokens = codec.unmake(run)
    if tokens is None or not codec.dropped:
        return None
    decoded = _decode_lossy(line, start, end, codec, tokens)
    if decoded is None or not decoded.recovered_count:
        return None
    before_char, after_char = _context(context, context_start, context_end)
    choices = _filter(decoded, before_char, after_char)
    if choices is None:
        return None
    word_start, word_end = context_start, context_end
    while word_start > 0 and (is_word_char(context[word_start - 1]) or _acronym_mark_before(context, word_start)):
        word_start -= 1
    while word_end < len(context) and (is_word_char(context[word_end]) or _acronym_mark_after(context, word_end)):
        word_end += 1
    choice = choose_with_words(choices, before_char, after_char, context[word_start:context_start],
                               context[context_end:word_end], context[:context_start], context[context_end:],
                               line_known=True)
    prefix, suffix = context[word_start:context_start], context[context_end:word_end]
    settled, by_words = choice.settled, False
    if not settled:
        pieces = _settled_by_words(choice, choices, prefix, suffix, context[:word_start], codec)
        if pieces is not None:
            text = "".join(piece.char for piece in pieces)
            choice = replace(choice, pieces=pieces, cost=reading_cost(text, before_char, after_char))
            settled = by_words = True
    if all(piece.char.isspace() for piece in choice.pieces if piece.recovered):
        # A lost byte read as white space (U+FFFD and A0 as the no-break space C2 A0) says
        # nothing, and would erase a U+FFFD that marks something lost: ``ðŸ“�Â `` is an emoji
        # ftfy could not read, then a no-break space.
        return None
    data = b"".join(piece.data for piece in choice.pieces)
    after = "".join(piece.char for piece in choice.pieces)
    # What another reader's reading of the run is measured against (see _cheaper).
    word = prefix + after + suffix
    word_cost = reading_cost(word)
    kept = {} if settled else _kept_as_read(choice, tokens, codec)
    if kept is None or not _whole_losses_make_words(word, prefix, choice.pieces, choice.languages):
        return Unsettled(start, end, codec.name, choice.readings, word_cost, word=word)
    variant = "replace" if "\ufffd" in run else "ignore"
    if codec.remake(data, variant) != run:
        return None  # this reader would not have broken it this way
    recovered = sum(1 for piece in choice.pieces if piece.recovered)
    gain = (_cost(run, before_char, after_char) + _thai_inside_latin_word(run, before_char, after_char)
            - choice.cost - codec.prior - RECOVERED_BYTE_COST * recovered)
    # The run's own characters may read as text (``Ä`` of ``Äinjenice`` is a letter), while the
    # word they make is none and the repaired one is (``činjenice``): the words' gain counts too.
    word_gain = reading_cost(prefix + run + suffix) - word_cost - codec.prior - RECOVERED_BYTE_COST * recovered
    if choice.languages and not _read_intact(line, start, end, codec):
        # ... and as the line's language writes them: ``Äin`` passes for a word by the character
        # model, but a Czech line writes no Ä (ftfy's cp1252 reading left it of ``čin``). Not
        # where the run also reads intact (``Ù `` is ٠, D9 A0, with the space as A0): that
        # reading is weighed by the character model, and so must this one be.
        languages = choice.languages
        word_gain = max(word_gain, reading_cost(prefix + run + suffix, languages=languages)
                        - reading_cost(word, languages=languages) - codec.prior - RECOVERED_BYTE_COST * recovered)
    gain = max(gain, word_gain)
    if kept and gain <= 0:
        return Unsettled(start, end, codec.name, choice.readings, word_cost, word=word)
    if kept:
        after = "".join(run[slice(*kept[index])] if index in kept else piece.char
                        for index, piece in enumerate(choice.pieces))
        doubts = tuple(Unsettled(start + first, start + last, codec.name, len(choices[index]))
                       for index, (first, last) in sorted(kept.items()))
        repair = RunRepair(start, end, run, after, codec, data, gain, choice.pieces, choice, word=word,
                           word_cost=word_cost, kept=doubts)
        return Unsettled(start, end, codec.name, choice.readings, word_cost, word=word, partial=repair)
    return RunRepair(start, end, run, after, codec, data, gain, choice.pieces, choice, word=word,
                     word_cost=word_cost, by_words=by_words)


def _kept_as_read(choice: Choice, tokens: list[Token], codec: Codec) -> dict[int, tuple[int, int]] | None:
    """The run's unsettled characters, each with the span of run characters it was read from,
    where those may stay as read while the rest of the run is repaired: a run of a single-byte
    reader (a character of the run is a byte) of :data:`MIN_KEPT_RUN` characters or more, with
    at most :data:`MAX_KEPT_SHARE` of them unsettled, each of which left a byte to show. ``None``
    where not: the run is then left whole. (What a character left is no guess: it stays, and is
    warned about, as a run the evidence does not settle is.)

    >>> from cleaner.mojibake import CODECS
    >>> pieces = tuple(Piece(char, char.encode()) for char in "の心を") + (Piece("x", b"x"),) * 5
    >>> doubtful = Choice(pieces, 0.0, (9.0, 1.4, 9.0) + (9.0,) * 5, 5)
    >>> tokens = list("の心を".encode()[:5] + "の心を".encode()[6:]) + [0x78] * 5
    >>> broken = pieces[:1] + (Piece("心", "心".encode(), (2,)),) + pieces[2:]
    >>> _kept_as_read(replace(doubtful, pieces=broken), tokens, CODECS["cp1252"])
    {1: (3, 5)}
    """
    unsettled = choice.unsettled()
    if codec.multibyte or len(choice.pieces) < MIN_KEPT_RUN or len(unsettled) > MAX_KEPT_SHARE * len(choice.pieces):
        return None
    spans = []
    position = 0
    for piece in choice.pieces:
        first = position
        for index, byte in enumerate(piece.data):
            if index in piece.recovered:
                if position < len(tokens) and tokens[position] is None:
                    position += 1  # a byte shown as U+FFFD
                continue  # (else a byte dropped: no character of the run)
            if position >= len(tokens) or tokens[position] != byte:
                return None
            position += 1
        spans.append((first, position))
    if position != len(tokens) or any(spans[index][0] == spans[index][1] for index in unsettled):
        return None
    return {index: spans[index] for index in unsettled}


def _read_intact(line: str, start: int, end: int, codec: Codec) -> bool:
    intact = _intact(line, start, end, codec)
    return intact is not None and intact.gain > 0


def _settled_by_words(choice: Choice, choices: list[tuple[Piece, ...]], prefix: str,
                      suffix: str, line_before: str = "", codec: Codec | None = None) -> tuple[Piece, ...] | None:
    """The reading of a run whose unsettled characters are settled by the word lists: in the
    word each sits in, one reading makes a word the lists hold, and a clearly commoner one than
    any other reading makes. ``k?`` + ``ů`` (lost whole) has four dozen readings,
    and the character model puts the non-word ``kůß`` within 2.1 nats of ``kůň``, but only
    ``kůň`` is a word (``ve?ina`` stays unsettled: Croatian ``većina`` and Slovene ``večina``
    are both words). The unsettled characters of one word are read together (``dozv?d?li``),
    and where they have too many readings for that, ``codec``'s lost bytes are looked up whole
    in the line's languages' lists (:func:`_settled_by_index`).
    ``None`` where a character is not so settled. Words of three letters or more: shorter ones
    are made by chance too often.
    """
    unsettled = choice.unsettled()
    if not unsettled:
        return None
    pieces = list(choice.pieces)
    starts = []  # where each piece starts in prefix + run + suffix
    position = len(prefix)
    for piece in pieces:
        starts.append(position)
        position += len(piece.char)
    text = prefix + "".join(piece.char for piece in pieces) + suffix
    groups: dict[tuple[int, int], list[int]] = {}
    for index in unsettled:
        span = _letters_span(text, starts[index])
        if span is None:
            return None
        groups.setdefault(span, []).append(index)
    for span, indices in groups.items():
        if math.prod(len(choices[index]) for index in indices) > MAX_WORD_READINGS:
            # Too many readings to try: the lists' words that leave what the reader left.
            if codec is None or not _settled_by_index(pieces, choices, starts, text, span, codec,
                                                      choice.languages, line_before):
                return None
            continue
        # Each word (case folded) by its cost and, of its spellings (the lists are case folded),
        # the one in the case its place wants (``o ďalší``, ``. Ďalší``; the character model's
        # own choice is worse at this: measured, it lost 16 more lines of the matrix).
        words: dict[str, tuple[float, float, tuple[Piece, ...]]] = {}
        for options in itertools.product(*(choices[index] for index in indices)):
            trial = list(pieces)
            for index, option in zip(indices, options, strict=True):
                trial[index] = option
            trial_text = prefix + "".join(piece.char for piece in trial) + suffix
            span = _letters_span(trial_text, starts[indices[0]])
            word = trial_text[span[0] : span[1]] if span else ""
            cost = _listed_word_cost(word, choice.languages) if len(word) >= MIN_DICTIONARY_WORD else None
            if cost is None:
                continue
            spelling = _case_misfit(trial_text, span, line_before)  # type: ignore[arg-type]
            if word.casefold() not in words or (cost, spelling) < words[word.casefold()][:2]:
                words[word.casefold()] = (cost, spelling, options)
        ranked = sorted(words.values(), key=lambda item: item[0])
        if not ranked or (len(ranked) > 1 and ranked[1][0] - ranked[0][0] < CLEAR_MARGIN):
            return None
        for index, option in zip(indices, ranked[0][2], strict=True):
            pieces[index] = option
    return tuple(pieces)


def _settled_by_index(pieces: list[Piece], choices: list[tuple[Piece, ...]], starts: list[int], text: str,
                      span: tuple[int, int], codec: Codec, languages: tuple[str, ...], line_before: str) -> bool:
    """Settle the word at ``span`` of ``text`` (``pieces`` start at ``starts`` in it) by the
    words of ``languages`` that ``codec`` leaves as it left this one (see
    :mod:`cleaner.lossy_words`): where one is clearly commoner than any other, each of its
    characters that lost bytes is taken, in ``pieces``. Russian ``ะพะฑัะปัะถะธะฒะฐัั`` through
    cp874 has 65,536 readings; one is a word, ``обслуживают``. ``False`` where none settles it."""
    if codec.multibyte or not languages:
        return False
    inside = [index for index, start in enumerate(starts) if span[0] <= start < span[1]]
    key = (text[span[0] : starts[inside[0]]]
           + pieces_mask("", (pieces[index] for index in inside), "")
           + text[starts[inside[-1]] + len(pieces[inside[-1]].char) : span[1]])
    found = words_with_mask(key, codec.name, languages)
    if not found:
        return False
    spelt: dict[str, tuple[float, int, str]] = {}  # case-folded word -> cost, case misfit, form
    for form, frequency in found.items():
        trial = text[: span[0]] + form + text[span[1] :]
        ranked = (-math.log(frequency), _case_misfit(trial, (span[0], span[0] + len(form)), line_before), form)
        folded = form.casefold()
        if folded not in spelt or ranked[:2] < spelt[folded][:2]:
            spelt[folded] = ranked
    ranked_words = sorted(spelt.values())
    if len(ranked_words) > 1 and ranked_words[1][0] - ranked_words[0][0] < CLEAR_MARGIN:
        return False
    word = ranked_words[0][2]
    if len(word) != span[1] - span[0]:
        return False
    settled = {}
    for index in inside:
        if pieces[index].recovered:
            char = word[starts[index] - span[0]]
            option = next((option for option in choices[index] if option.char == char), None)
            if option is None:
                return False
            settled[index] = option
    for index, option in settled.items():
        pieces[index] = option
    return True


def _case_misfit(text: str, span: tuple[int, int], line_before: str) -> int:
    """0 if the word at ``span`` of ``text`` is in the case its place wants, else 1: all upper
    case, or lower case after a capital that starts a sentence (the line's start, or after
    ``.``, ``!``, ``?``, ``…``, ``:`` and opening quotes) and only there. Names written mid-sentence
    (``az Egyesült Államokban``) are missed: the lists are case folded.

    >>> _case_misfit("o ďalší", (2, 7), ""), _case_misfit("o Ďalší", (2, 7), ""), _case_misfit("Ďalší", (0, 5), "rok. ")
    (0, 1, 0)
    """
    word = text[span[0] : span[1]]
    if word.isupper():
        return 0
    if word[1:] != word[1:].lower():
        return 1
    before = (line_before + text[: span[0]]).rstrip(" \"'“„«(")
    sentence_start = not before or before[-1] in ".!?…:"
    return 0 if word[0].isupper() == sentence_start or not word[0].isalpha() else 1


def _letters_span(text: str, offset: int) -> tuple[int, int] | None:
    """The run of letters in ``text`` that holds the character at ``offset``, if it is one."""
    if not text[offset : offset + 1].isalpha():
        return None
    start, end = offset, offset + 1
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    while end < len(text) and text[end].isalpha():
        end += 1
    return start, end


# What a word of none of the line's languages pays where the word lists settle a lost byte: the
# line's words are told there from a line the search has repaired around them, so the languages
# are surer than where :data:`cleaner.evidence.OTHER_LANGUAGE_WORD` applies.
FOREIGN_WORD = 3.0


def _listed_word_cost(word: str, languages: tuple[str, ...] = ()) -> float | None:
    """The word's cost in the word index, if it holds it in the case it is written in; with
    ``languages``, as their own lists price it, and a word of none of them at a small surcharge
    (as :func:`cleaner.evidence.reading_cost` prices words): Bulgarian ``човешката`` and
    Macedonian ``човечката`` are alike by the merged index, not in a Bulgarian line."""
    if not word or not written_case(word):
        return None
    found = listed_as(word.casefold())
    if found is None:
        return None
    cost, bare, marks = found
    if languages:
        own = word_frequency(bare, languages)
        cost = -math.log(own) if own > 0 else cost + FOREIGN_WORD
    return cost + marks


def _decode_lossy(line: str, start: int, end: int, codec: Codec, tokens: list[Token]) -> DecodedRun | None:
    """The run's bytes read as UTF-8 with lost bytes put back where ``codec`` can have lost
    them. A multi-byte reader that showed U+FFFD for what it rejected dropped nothing else."""
    run = line[start:end]
    fits = codec.lost_bytes(run, tokens, line[end : end + 3])
    if fits is None:
        return decode_tokens(tokens, codec.dropped, insert=True)
    return decode_tokens(tokens, codec.dropped, insert="\ufffd" not in run, fits=fits,
                         max_recovered=MAX_MULTIBYTE_RECOVERED,
                         max_lost_whole=MAX_LOST_WHOLE if _few_holes(line) else 0)


def _hole_run(run: str, codec: Codec, line: str) -> bool:
    """Whether ``run`` can be characters a multi-byte reader lost whole, with U+FFFD for each
    byte (Python's CJK codecs do so): an even number of them, each pair one character of two
    bytes that the reader rejected both bytes of (``č``, C4 8D, is ``\ufffd\ufffd`` in EUC-KR,
    Big5 and EUC-JP, which want a second byte from A1 up). Only on a line that kept most of its
    text: where U+FFFD is MAX_HOLE_SHARE of it or more (Greek or Hebrew through Big5), nothing is.

    >>> from cleaner.mojibake import CODECS
    >>> line = "Pravo im budi, mudro i pravi\ufffd\ufffdno."
    >>> _hole_run("\ufffd\ufffd", CODECS["euc_kr"], line), _hole_run("\ufffd\ufffd", CODECS["cp1252"], line)
    (True, False)
    >>> _hole_run("\ufffd", CODECS["euc_kr"], line), _hole_run("\ufffd\ufffd", CODECS["euc_kr"], "i\ufffd\ufffdno")
    (False, False)
    """
    return codec.multibyte and len(run) >= 2 and len(run) % 2 == 0 and not run.strip("\ufffd") and _few_holes(line)


def _few_holes(line: str) -> bool:
    return line.count("\ufffd") < MAX_HOLE_SHARE * len(line)


def _lost_whole(options: tuple[Piece, ...] | list[Piece]) -> bool:
    """Whether these are the readings of a character that lost every byte."""
    return bool(options) and len(options[0].recovered) == len(options[0].data)


@lru_cache(maxsize=4096)
def _fitting_between(left: str, right: str) -> tuple[str, ...]:
    """Every character of two UTF-8 bytes, the likeliest between ``left`` and ``right`` first.
    Between two letters, letters only: a character lost from inside a word is part of it
    (``pad??laných``; a no-break space there would make two words of one)."""
    chars = (chr(code) for code in range(0x80, 0x800))
    inside_word = is_word_char(left) and is_word_char(right)
    return tuple(sorted((char for char in chars if _real_char(char) and (is_word_char(char) or not inside_word)),
                        key=lambda char: step_cost(left, char) + step_cost(char, right)))


def _whole_losses_make_words(word: str, prefix: str, pieces: tuple[Piece, ...],
                             languages: tuple[str, ...] = ()) -> bool:
    """Whether every word a character lost whole sits in, as read, is a word the lists hold,
    or else the letter read is one of the line's languages' own.

    A character lost whole has a thousand readings, and the right one is not always among
    those the character model lets through (:func:`_filter`): the cheapest of the rest can
    still clear the margin. A known word is evidence enough (``pravično``, not ``pravißno``);
    so is a letter of the language the rest of the line is written in, which the choice has
    already weighed as that language writes it (``padělaných`` in a Czech line: the lists do not
    hold the word, but ``ě`` is Czech and ``ß`` is not). ``word`` is the repaired run with the
    rest of its word around it, ``prefix`` that rest's head; ``languages`` those of the choice.
    """
    position = len(prefix)
    lost_at = []
    for piece in pieces:
        if piece.recovered and len(piece.recovered) == len(piece.data):
            lost_at.append(position)
        position += len(piece.char)
    if not lost_at:
        return True
    for match in _WORD_PARTS.finditer(word):
        part = match.group()
        # (One letter is no word to look up: the character model's clear margin decides it.)
        lost_here = [at for at in lost_at if match.start() <= at < match.end()]
        if lost_here and len(part) > 1 and not written_case(part):
            return False  # ``končÍ``: the lists hold ``končí``, but no one writes it so
        if lost_here and len(part) > 1 and not _known_word(part) and not (
                languages and all(writes(languages, word[at]) for at in lost_here)):
            return False
    return all(is_word_char(word[at]) for at in lost_at)  # a lost mark (not a letter) is a guess


_WORD_PARTS = re.compile(r"[^\W\d_]+")


def _filter(decoded: DecodedRun, before: str = " ", after: str = " ") -> list[tuple[Piece, ...]] | None:
    """Drop readings that are not real text, keep the :data:`MAX_READINGS` likeliest of each
    character; ``None`` if a character has none left.

    Likeliest by how well each fits between its neighbours (the run's own characters, or
    ``before`` and ``after`` at its ends), so that ``pravi??no`` keeps Latin letters to weigh;
    for a character lost whole (a pair of U+FFFD; some thousand readings in every script),
    among the characters :func:`_fitting_between` them.
    """
    choices: list[tuple[Piece, ...]] = []
    for index, options in enumerate(decoded.choices):
        # Its neighbours: the run's, or the run's own characters where nothing was lost.
        left = before if index == 0 else choices[-1][0].char if len(choices[-1]) == 1 else None
        following = decoded.choices[index + 1] if index + 1 < len(decoded.choices) else None
        right = after if following is None else following[0].char if len(following) == 1 else None
        if _lost_whole(options) and len(options) > MAX_WHOLE_READINGS:
            by_char = {piece.char: piece for piece in options}
            kept = []
            for char in _fitting_between(left or " ", right or " "):  # real characters only
                if char in by_char:
                    kept.append(by_char[char])
                    if len(kept) == MAX_WHOLE_READINGS:
                        break
        else:
            kept = [piece for piece in options if _real_char(piece.char)]
            if len(kept) > MAX_READINGS:
                # By how each fits beside the neighbours that are known, not by its own
                # frequency alone: capitals are rare characters, and ``MOLIÈRE`` and
                # ``ROZDZIELCZOŚĆ`` lost their ``È`` and ``Ć`` from the readings kept that way.
                kept = sorted(kept, key=lambda piece: _fit(left, piece.char, right))[:MAX_READINGS]
        if not kept:
            return None
        choices.append(tuple(kept))
    return choices


def _fit(left: str | None, char: str, right: str | None) -> float:
    """What ``char`` costs between its neighbours, those of them that are known."""
    cost = char_cost(char) if left is None else step_cost(left, char)
    return cost if right is None else cost + step_cost(char, right)


def repair_layer(line: str, refuted: frozenset[str] = frozenset()) -> LayerResult:
    """One layer of repair of one line (see the module docstring). ``refuted``: readers that an
    earlier layer's lost-byte repairs of this line rule out for its lost bytes (see
    :func:`refuted_by`)."""
    runs = [(match.start(), match.end()) for match in _RUNS.finditer(line)]
    if not runs:
        return LayerResult()
    intact: dict[tuple[int, int], list[RunRepair]] = {}
    totals: dict[str, float] = {}
    for start, end in runs:
        found = []
        for codec in _candidate_codecs(line[start:end]):
            repair = _intact(line, start, end, codec)
            if repair is not None:
                found.append(repair)
                if repair.gain > 0 and _telling(line, repair):
                    totals[codec.name] = totals.get(codec.name, 0.0) + repair.gain
        intact[(start, end)] = found
    result = LayerResult()
    reader = max(totals, key=lambda name: (totals[name], -CODECS[name].prior), default=None)
    clean_runs = 0
    if reader is not None:
        # A run that reads as text but is one byte short under the line's reader (``ToatÄ`` is
        # ``Toată`` that lost the 83 of ă) is no evidence that the line's bytes were read right.
        clean_runs = sum(1 for (start, end), found in intact.items()
                         if not found and _clean(line, start, end) and not _list_marker(line, start, end)
                         and not _recoverable(line, start, end, CODECS[reader]))
    if reader is not None and totals[reader] >= LINE_GAIN + CLEAN_RUN_COST * clean_runs:
        tied = _tied_readers(intact, CODECS[reader])
        _repair_with(line, runs, intact, CODECS[reader], result, tied)
    else:
        _repair_damaged_line(line, runs, result, intact, refuted)
    return result


def _tied_readers(intact: dict[tuple[int, int], list[RunRepair]], reader: Codec) -> list[Codec]:
    """Readers that drop bytes and read every run the line's reader repairs intact just as it
    does: cp1252 and cp1258 agree on Arabic's Ø§ and Ù„, and only their priors made cp1252
    the line's reader, but only cp1258 can drop the 8A of ي. A lost byte is weighed under each
    (see _cheaper)."""
    agreeing: set[str] | None = None
    for found in intact.values():
        mine = next((repair for repair in found if repair.codec is reader), None)
        if mine is None or mine.gain <= 0:
            continue
        alike = {repair.codec.name for repair in found if repair.after == mine.after}
        agreeing = alike if agreeing is None else agreeing & alike
        if not agreeing - {reader.name}:
            return []
    return [CODECS[name] for name in sorted(agreeing or ()) if name != reader.name and CODECS[name].dropped]


def _recoverable(line: str, start: int, end: int, reader: Codec) -> bool:
    damaged = _damaged(line, start, end, reader)
    return isinstance(damaged, RunRepair) and damaged.gain > 0


def _repair_with(line: str, runs: list[tuple[int, int]], intact: dict[tuple[int, int], list[RunRepair]],
                 reader: Codec, result: LayerResult, tied: list[Codec] | None = None) -> None:
    # Intact readings first; the runs that may have lost bytes are then weighed in the line as
    # those readings leave it (see _damaged's ``view``).
    decided: dict[tuple[int, int], RunRepair] = {}
    lossy: list[tuple[int, int, RunRepair | None]] = []
    for start, end in runs:
        found = intact[(start, end)]
        mine = next((repair for repair in found if repair.codec is reader), None)
        other = max(found, key=lambda repair: repair.gain, default=None)
        if other is not None and other.gain >= max(RUN_GAIN, (mine.gain if mine else 0.0) + OTHER_READER_MARGIN):
            decided[(start, end)] = other  # a line that mixes readers, or one reading clearly better
            continue
        worded = _better_word(line, mine, found)
        if worded is not None:
            decided[(start, end)] = worded  # another reader's reading is a word, the line's is not
            continue
        if mine is None or mine.gain <= 0 or mine.guessed_a0:
            lossy.append((start, end, mine))
        elif mine.gain > 0:
            decided[(start, end)] = mine
    # Each settled run joins the context of the next; a run left unsettled is weighed once more
    # when the runs after it have been settled too (``ΓÏÏπα``: each ``Ï`` lost its byte).
    unsettled: dict[tuple[int, int], Unsettled] = {}
    for sweep in range(LOSSY_SWEEPS):
        pending = [item for item in lossy if (item[0], item[1]) not in decided]
        if sweep and not (unsettled and len(pending) < len(lossy)):
            break  # nothing was settled the first time: no context has changed
        unsettled = {}
        for start, end, mine in pending:
            context, shift = _view(line, start, list(decided.values()))
            view = (context, start + shift, end + shift)
            damaged = _damaged(line, start, end, reader, view)
            for rival in tied or ():
                damaged = _cheaper(damaged, _damaged(line, start, end, rival, view), partial(identify, context))
            if isinstance(damaged, RunRepair) and damaged.gain > max(0.0, mine.gain if mine else 0.0):
                decided[(start, end)] = damaged  # a lost byte, more plausible than a space read as 0xA0
            elif mine is not None and mine.gain > 0 and not _lost_byte_likelier(line, mine, damaged):
                decided[(start, end)] = mine
            elif isinstance(damaged, Unsettled):
                unsettled[(start, end)] = damaged
    refuting = _refuting_rival(decided.values(), reader, tied)
    if refuting is not None:
        still_tied = [codec for codec in tied or () if codec is not refuting and codec is not reader
                      and set(refuting.dropped) <= set(codec.dropped)]
        _repair_with(line, runs, intact, refuting, result, still_tied)
        return
    _look_again_at_marks(line, [(start, end) for start, end, _ in lossy], decided, reader)
    result.unsettled.extend(unsettled.values())
    result.repairs.extend(repair for _, repair in sorted(decided.items()))


def refuted_by(repairs: Iterable[RunRepair]) -> frozenset[str]:
    """The single-byte readers that would have shown a byte these lost-byte repairs recovered,
    and so did not read the line: once one layer reads Hebrew ``×”××•×¨×”`` as ``המורה`` (the 9E
    of מ lost), cp1252, which shows 9E as ``ž``, is no reader of the line's other lost bytes."""
    recovered = {piece.data[index] for repair in repairs if repair.choice is not None
                 for piece in repair.pieces for index in piece.recovered}
    if not recovered:
        return frozenset()
    return frozenset(codec.name for codec in _SINGLE if recovered & codec.decoding.keys())


def _refuting_rival(repairs: Iterable[RunRepair], reader: Codec, tied: list[Codec] | None) -> Codec | None:
    """A tied reader whose repair of some run recovered a byte the line's reader would not have
    lost: that repair says the line was not read by the line's reader. Hebrew through cp1254
    lost the 9E of מ (D7 9E) and the 90 of א alike; cp1252, tied with cp1254 by every intact run
    and the likelier a priori, would have shown 9E as ``ž``. Once one run's ``מ`` settles it, the
    other runs' lost bytes are weighed under cp1254 too, where ``במה`` competes with ``באה``."""
    kept = set(reader.decoding) if not reader.multibyte else set()
    for repair in repairs:
        if repair.codec is reader or repair.choice is None or tied is None or repair.codec not in tied:
            continue
        if any(piece.data[index] in kept for piece in repair.pieces for index in piece.recovered):
            return repair.codec
    return None


def _look_again_at_marks(line: str, lossy: list[tuple[int, int]], decided: dict[tuple[int, int], RunRepair],
                         reader: Codec, settled: Sequence[RunRepair] = ()) -> None:
    """Weigh once more, in the line as every other run's repair leaves it, each run whose lost
    byte was read as a mark: a bracket or quotation mark that would pair with it may stand in
    a run settled after it. ``維基大典（Wikipedia）`` through cp1250 lost the 88 of （ (EF BC 88) and the 8C of the
    ， after ）; the first run was settled as ``！`` while ``）`` was still mojibake. A second
    look that settles nothing keeps the first reading. (``settled``: repairs of other runs, not
    in ``decided``, that the line is seen with too.)"""
    for start, end in lossy:
        first = decided.get((start, end))
        if first is None or not first.choice or not any(
                piece.recovered and not piece.char.isalnum() for piece in first.pieces):
            continue
        others = [*settled, *(repair for key, repair in decided.items() if key != (start, end))]
        context, shift = _view(line, start, others)
        again = _damaged(line, start, end, reader, (context, start + shift, end + shift))
        if isinstance(again, RunRepair) and again.gain > 0:
            decided[(start, end)] = again


def _plainly_unsettled(line: str, verdicts: dict[str, dict[tuple[int, int], RunRepair | Unsettled]]) -> list[Unsettled]:
    """A line no reader repairs, whose runs one reader reads as far likelier words than they are,
    though not clearly enough to settle which (Thai through cp874, which drops the byte that
    tells most consonants apart): it is mojibake all the same, and is warned about, not passed
    over. The reader's readings must gain :data:`LOST_LINE_GAIN` over the runs as they stand."""
    best: list[Unsettled] = []
    best_gain = LOST_LINE_GAIN
    for name, found in verdicts.items():
        unsettled = [verdict for verdict in found.values() if isinstance(verdict, Unsettled)]
        gain = sum(_word_cost_as_is(line, verdict) - verdict.word_cost for verdict in unsettled) - CODECS[name].prior
        if unsettled and gain >= best_gain:
            best, best_gain = unsettled, gain
    return [replace(verdict, line_unrepaired=True) for verdict in best]


def _word_cost_as_is(line: str, verdict: Unsettled) -> float:
    word_start, word_end = verdict.start, verdict.end
    while word_start > 0 and is_word_char(line[word_start - 1]):
        word_start -= 1
    while word_end < len(line) and is_word_char(line[word_end]):
        word_end += 1
    return reading_cost(line[word_start:word_end])


def _lost_byte_likelier(line: str, mine: RunRepair, damaged: RunRepair | Unsettled | None) -> bool:
    """Whether the readings of a lost byte that the evidence left unsettled are all the same
    clearly likelier than reading a space as the byte A0: that is a guess too. Korean ``역사적``
    (EC A0 81, the 81 dropped) or ``역사점`` is more likely than ``역사젠`` (EC A0 A0) by the
    words; it is left, and warned about, rather than read as the least likely of the three."""
    if not (mine.guessed_a0 and isinstance(damaged, Unsettled)):
        return False
    word = _repaired_word(line, mine)
    return bool(word) and damaged.word_cost + CLEAR_MARGIN < reading_cost(word)


def _cheaper(first: RunRepair | Unsettled | None, second: RunRepair | Unsettled | None,
             languages_of: Callable[[], tuple[str, ...]] = tuple) -> RunRepair | Unsettled | None:
    """Of the line reader's verdict on a run (``first``) and a tied reader's (``second``).

    Where the other reader's best reading makes a clearly likelier word, the line reader's
    reading is not settled: the hybrid cannot drop the 9B of ě, so its ``tāch`` is no answer
    beside cp874's ``těch``. The other reading wins if it is settled and a word the lists hold,
    or if the line's reader left the run unsettled and the other's word is clearly likelier in the
    line's languages too; otherwise the run is left unsettled (cp874's ``Qßzz`` is no word
    either). Where the words are alike, the line's reader stands, unless they differ clearly in the
    line's languages (``languages_of()``, asked only then): Latvian ``zemā`` is a word as common
    as Czech ``země``, but not in a Czech line.
    """
    if first is None or second is None:
        return first if second is None else second
    if second.word_cost + CLEAR_MARGIN > first.word_cost:
        languages = languages_of()
        if not languages or _word_cost_in(second, languages) + CLEAR_MARGIN > _word_cost_in(first, languages):
            return first
    if isinstance(second, RunRepair) and _known_word(second.word):
        return second
    if isinstance(second, RunRepair) and isinstance(first, Unsettled) and (languages := languages_of()) and (
            _word_cost_in(second, languages) + CLEAR_MARGIN <= _word_cost_in(first, languages)):
        return second  # the line's reader settles nothing (cp1252 has no Ş for Turkish ``IŞİD``)
    if isinstance(first, RunRepair):
        readings = first.choice.readings if first.choice else 1
        return Unsettled(first.start, first.end, first.codec.name, readings, first.word_cost, word=first.word)
    return first


def _word_cost_in(verdict: RunRepair | Unsettled, languages: tuple[str, ...]) -> float:
    if not languages or not verdict.word:
        return verdict.word_cost
    return reading_cost(verdict.word, languages=languages)


def _view(line: str, start: int, repairs: list[RunRepair]) -> tuple[str, int]:
    """The line with ``repairs`` applied, and how far they move the offset ``start`` (which no
    repair covers)."""
    pieces: list[str] = []
    cursor = shift = 0
    for repair in sorted(repairs, key=lambda repair: repair.start):
        pieces.append(line[cursor : repair.start] + repair.after)
        if repair.end <= start:
            shift += len(repair.after) - (repair.end - repair.start)
        cursor = repair.end
    pieces.append(line[cursor:])
    return "".join(pieces), shift


def _better_word(line: str, mine: RunRepair | None, found: list[RunRepair]) -> RunRepair | None:
    """Another reader's repair of the run that makes a word the word lists hold, where the line
    reader's makes none: ISO-8859-15's ``izobraževanje`` over cp1252's ``izobraşevanje``, which
    the character model alone cannot tell apart. Only between two spellings of a word, both
    all letters (not ``،`` against a one-letter "word"); where neither or both are known
    words, the character model's gains have decided already."""
    if mine is None or mine.gain <= 0 or not _spelling(mine.after) or _known_word(_repaired_word(line, mine)):
        return None
    for repair in sorted(found, key=lambda repair: -repair.gain):
        if (repair is not mine and repair.gain > 0 and repair.after != mine.after and _spelling(repair.after)
                and _known_word(_repaired_word(line, repair))):
            return repair
    return None


def _spelling(text: str) -> bool:
    return all(is_word_char(char) for char in text)


def _known_word(word: str) -> bool:
    """Whether the word index holds ``word`` (case folded); one letter is no evidence."""
    found = listed_as(word.casefold())
    return found is not None and len(found[1]) > 1


def _repaired_word(line: str, repair: RunRepair) -> str:
    """The word the repaired run sits in, as the repair would leave it; "" if the word runs on
    into other non-ASCII text (more mojibake: ``prĂ\xadsĹĄ`` is one word, not ``sť``)."""
    word_start, word_end = repair.start, repair.end
    while word_start > 0 and is_word_char(line[word_start - 1]):
        word_start -= 1
    while word_end < len(line) and is_word_char(line[word_end]):
        word_end += 1
    if not (line[word_start - 1 : word_start] or " ").isascii() or not (line[word_end : word_end + 1] or " ").isascii():
        return ""
    return line[word_start : repair.start] + repair.after + line[repair.end : word_end]


def _quick_word_gain(line: str, start: int, end: int, decoded: DecodedRun) -> float:
    """For the quick look at a line with no intact evidence: what a run with one damaged
    character gains as a word where a reading of it makes a listed word (``praviÄno`` is no
    word, ``pravično`` is; by the characters alone ``Ä`` is a letter and gains nothing): listed
    words of three letters or more (a lone ``\x81`` read as ``Á`` is a "word" too), or, where no
    reading makes one, the likeliest reading as a letter in its word."""
    damaged = [index for index, options in enumerate(decoded.choices) if len(options) > 1 or options[0].recovered]
    if len(damaged) != 1 or len(decoded.choices[damaged[0]]) > MAX_READINGS:
        return 0.0
    if end - start > MAX_LISTED_WORD:
        return 0.0
    word_start, word_end = start, end
    while word_start > 0 and is_word_char(line[word_start - 1]) and word_end - word_start <= MAX_LISTED_WORD:
        word_start -= 1
    while word_end < len(line) and is_word_char(line[word_end]) and word_end - word_start <= MAX_LISTED_WORD:
        word_end += 1
    if word_end - word_start > MAX_LISTED_WORD:
        return 0.0  # no listed word is that long (Thai, which sets no spaces, runs on for a line)
    prefix, suffix = line[word_start:start], line[end:word_end]
    first = [options[0].char for options in decoded.choices]
    best = math.inf
    for option in decoded.choices[damaged[0]]:
        first[damaged[0]] = option.char
        word = prefix + "".join(first) + suffix
        if len(word) >= MIN_DICTIONARY_WORD and _listed_word_cost(word) is not None:
            best = min(best, reading_cost(word))
    if best == math.inf:
        # No reading makes a listed word (inflected forms are often missing: ``povišice``): the
        # likeliest reading by the character model, so that a reader whose first reading of the
        # byte is poor (cp1257's C5 81, ``poviŁice``) is not passed over for one that cannot
        # drop the byte that was lost (cp1252 has no reading of C5 A1, š, without it).
        for option in decoded.choices[damaged[0]]:
            if not option.char.isalpha():
                continue
            first[damaged[0]] = option.char
            word = prefix + "".join(first) + suffix
            if len(word) >= MIN_DICTIONARY_WORD:
                best = min(best, reading_cost(word))
    if best == math.inf:
        return 0.0
    return max(0.0, reading_cost(prefix + line[start:end] + suffix) - best - RECOVERED_BYTE_COST)


def _repair_damaged_line(line: str, runs: list[tuple[int, int]], result: LayerResult,
                         intact: dict[tuple[int, int], list[RunRepair]] | None = None,
                         refuted: frozenset[str] = frozenset()) -> None:
    """A line without enough intact evidence: weigh the readers that lose bytes, the most
    promising (by a quick look at their first readings) in full.

    Once the lost bytes settle the line's reader, the runs it reads intact with a gain are its
    mojibake too, though too little of it to name the reader on their own (``URZÄ„DZENIE``, the
    ``Ą`` of a line in capitals, gains 7.2 nats of the 8 a line needs): ``intact`` holds them."""
    quick: list[tuple[float, Codec]] = []
    for codec in CODECS.values():
        if not codec.dropped or codec.name in refuted:
            continue
        gain = -codec.prior
        for start, end in runs:
            run = line[start:end]
            if not codec.multibyte and not set(run) - {"\ufffd"} <= codec.characters:
                continue
            if codec.multibyte and not codec.multibyte_chars(run) and not _hole_run(run, codec, line):
                continue  # it made no character of the run itself (as in _damaged)
            tokens = codec.unmake(run)
            decoded = _decode_lossy(line, start, end, codec, tokens) if tokens is not None else None
            if decoded is None or not decoded.recovered_count:
                continue
            if _hole_run(run, codec, line) or any(_lost_whole(options) for options in decoded.choices):
                # A character lost whole: its first reading is U+0080; look at its likeliest.
                filtered = _filter(decoded, *_context(line, start, end))
                if filtered is None:
                    continue
                first = "".join(options[0].char for options in filtered)
            else:
                first = "".join(piece.char for piece in decoded.first())
            # In context: a Thai letter costs little alone, but not in a Latin word (``francezฤ.``).
            # (Not a run with U+FFFD: marks say little of a reader until the words settle them,
            # and a line of nothing but marks is the traceless pass's, which asks three readers.)
            before, after = _context(line, start, end) if "\ufffd" not in run else (" ", "")
            gain += max(0.0, _cost(run, before, after) - _cost(first, before, after)
                        - RECOVERED_BYTE_COST * decoded.recovered_count,
                        _quick_word_gain(line, start, end, decoded))
        if gain > 0:
            quick.append((gain, codec))
    quick.sort(key=lambda item: -item[0])
    verdicts: dict[str, dict[tuple[int, int], RunRepair | Unsettled]] = {}
    best: tuple[float, str] | None = None
    for _, codec in quick[:MAX_DAMAGED_READERS]:
        found = verdicts[codec.name] = {}
        for start, end in runs:
            run = line[start:end]
            if not codec.multibyte and not set(run) - {"\ufffd"} <= codec.characters:
                continue
            damaged = _damaged(line, start, end, codec)
            if isinstance(damaged, Unsettled) or (isinstance(damaged, RunRepair) and damaged.gain > 0):
                found[(start, end)] = damaged
        repairs = [verdict for verdict in found.values() if isinstance(verdict, RunRepair)]
        total = sum(repair.gain for repair in repairs) - codec.prior
        if repairs and total >= LOST_LINE_GAIN and (best is None or total > best[0]):
            best = (total, codec.name)
    if best is None:
        result.unsettled.extend(_plainly_unsettled(line, verdicts))
        return
    repairs, unsettled = _settle_damaged_line(line, best[1], verdicts, intact)
    rival = _refuting_rival(repairs, CODECS[best[1]], [CODECS[name] for name in verdicts])
    if rival is not None:
        repairs, unsettled = _settle_damaged_line(line, rival.name, verdicts, intact)
    result.repairs.extend(repairs)
    result.unsettled.extend(unsettled)
    result.repairs.sort(key=lambda repair: repair.start)  # in the line's order, as elsewhere


def _settle_damaged_line(line: str, reader: str, verdicts: dict[str, dict[tuple[int, int], RunRepair | Unsettled]],
                         intact: dict[tuple[int, int], list[RunRepair]] | None,
                         ) -> tuple[list[RunRepair], list[Unsettled]]:
    """The repairs and the unsettled runs of a line without enough intact evidence, once
    ``reader`` is taken as the line's reader (see _repair_damaged_line)."""
    repairs: list[RunRepair] = []
    unsettled: list[Unsettled] = []
    for key, found_intact in (intact or {}).items():
        mine = next((repair for repair in found_intact if repair.codec.name == reader), None)
        if mine is not None and mine.gain > 0 and key not in verdicts[reader] and _telling(line, mine):
            repairs.append(mine)
    # Each run as the reader reads it, unless another weighed reader makes a clearly likelier
    # word of it (see _cheaper): the readers differ in the bytes they can drop.
    chosen_reader = dict(verdicts[reader])
    repaired = {key: verdict for key, verdict in chosen_reader.items() if isinstance(verdict, RunRepair)}
    _look_again_at_marks(line, list(repaired), repaired, CODECS[reader], repairs)
    chosen_reader.update(repaired)
    settled = list(repaired.values())

    @cache
    def languages() -> tuple[str, ...]:
        return identify(_view(line, 0, [*repairs, *settled])[0])

    for key, chosen in chosen_reader.items():
        verdict: RunRepair | Unsettled | None = chosen
        for name, found in verdicts.items():
            if name != reader and key in found:
                verdict = _cheaper(verdict, found[key], languages)
        if isinstance(verdict, RunRepair):
            repairs.append(verdict)
        elif verdict is not None:
            unsettled.append(verdict)
    return repairs, unsettled
