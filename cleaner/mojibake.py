"""Undoing "UTF-8 bytes read through the wrong codec", including bytes the reader lost.

A :class:`Codec` is a wrong reader: a single-byte table (Windows, ISO-8859, DOS, Mac, KOI8, or a
hybrid such as cp874 with cp1252 in 0x80-0x9F), or a multi-byte CJK codec (GBK, Big5,
Shift-JIS, EUC-KR, ...). :meth:`Codec.unmake` turns a run of its output back into the bytes it
read; :func:`decode_tokens` reads those bytes as UTF-8.

Bytes the reader did not define were lost in one of three ways, and each leaves its trace:

* shown as the C1 control or Latin-1 character of the same value ("sloppy", like ftfy's
  sloppy codecs and browsers): nothing is lost, :meth:`Codec.unmake` maps them back;
* replaced by U+FFFD: a *hole* (``None``) whose value is one of the reader's undefined bytes;
* dropped: a UTF-8 sequence comes up one byte short; with ``insert=True`` every undefined byte
  at every place is a candidate.

A multi-byte reader rejects a byte only next to certain others, and only where it was about to
start a character: :meth:`Codec.lost_bytes` says, for one run, which values each lost byte can
have had and where a dropped one can have been (GBK rejects ~8 of the 64 continuation bytes
before a given byte, GB18030 one: 0x80), so a damaged ideograph has a handful of readings, not
sixty-four.

The caller chooses among the candidates by evidence (:mod:`cleaner.repair_lm`), and checks a
choice by reading its bytes through the codec again (:meth:`Codec.remake`): a repair is only
right if it breaks the same way.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

from cleaner.codec_tables import HYBRID, MULTI_BYTE, SINGLE_BYTE

# Readings of one character; more and the character (and its run) is left alone. Two bytes lost
# from one character, under a reader that drops 12 to 17 bytes, have 144 to 289.
MAX_OPTIONS = 300
MAX_CHECKED_OPTIONS = 4096  # ... that a multi-byte reader's rules leave (Codec.lost_bytes)
MAX_TWO_SHORT_VALUES = 8  # a single-byte reader's dropped bytes, for two lost from one character
MAX_FILLINGS = 512  # ways to fill the holes of one character that are worth trying
MAX_COMBINATIONS = 4096
# Characters of one run that lost every byte (U+FFFD for each), each with hundreds of readings:
# beyond this many, too little is left of the run to read it (Greek through Big5 loses every
# other letter, Hebrew all of them).
MAX_LOST_WHOLE = 2

HOLE = None
Token = int | None


def _decode_byte(byte: int, codec: str) -> str | None:
    try:
        return bytes([byte]).decode(codec)
    except UnicodeDecodeError:
        return None


def _is_c1(char: str) -> bool:
    return "\x80" <= char <= "\x9f"


def single_byte_table(high: str, low: str | None = None) -> dict[int, str]:
    """Byte -> character for 0x80-0xFF; ``low`` fills ``high``'s holes in 0x80-0x9F.

    The ISO-8859 tables define 0x80-0x9F as the C1 controls: such a reader loses none of them,
    it shows them. A hybrid's C1 bytes are the ones ``low`` leaves undefined: lost.

    >>> table = single_byte_table("cp874", "cp1252")
    >>> table[0xE2] + table[0x80] + table[0x9C]
    'โ€œ'
    >>> 0x9D in table
    False
    >>> single_byte_table("iso8859_7")[0x83], 0x81 in single_byte_table("cp1252")
    ('\x83', False)
    """
    decoding: dict[int, str] = {}
    for byte in range(0x80, 0x100):
        char = _decode_byte(byte, high)
        if low and byte < 0xA0 and (char is None or _is_c1(char)):
            char = _decode_byte(byte, low)
            if char is not None and _is_c1(char):
                char = None
        if char is not None and len(char) == 1:
            decoding[byte] = char
    return decoding


class _MadeItself(dict[str, int]):
    """See :meth:`Codec._made_itself`; filled on first sight of each character."""

    def __init__(self, python_codec: str) -> None:
        super().__init__()
        self.python_codec = python_codec

    def __missing__(self, char: str) -> int:
        data = _multibyte_char(self.python_codec, char) if char != "\ufffd" else None
        made = int(data is not None and (len(data) > 1 or _native_single(self.python_codec, char)))
        if len(self) >= _MADE_ITSELF_LIMIT:  # a corpus of every script must not grow it forever
            self.clear()
        self[char] = made
        return made


_MADE_ITSELF_LIMIT = 8192  # per reader: the eight together as many as _multibyte_char's cache


@dataclass(frozen=True)
class Codec:
    """A wrong reader of UTF-8 bytes."""

    name: str
    family: str
    prior: float
    table: tuple[tuple[int, str], ...] = ()  # single-byte: the defined bytes 0x80-0xFF
    python_codec: str = ""  # multi-byte: the Python codec

    @cached_property
    def multibyte(self) -> bool:
        return bool(self.python_codec)

    @cached_property
    def decoding(self) -> dict[int, str]:
        return dict(self.table)

    @cached_property
    def dropped(self) -> tuple[int, ...]:
        """Bytes the reader may have lost: a single-byte table's undefined bytes; for a
        multi-byte codec any high byte (what it rejects depends on its neighbour, so
        :meth:`remake` checks each candidate)."""
        if self.multibyte:
            return tuple(range(0x80, 0x100))
        return tuple(byte for byte in range(0x80, 0x100) if byte not in self.decoding)

    @cached_property
    def encoding(self) -> dict[str, bytes]:
        """Character -> bytes for a single-byte reader, sloppy characters included."""
        encoding = {char: bytes([byte]) for byte, char in self.table}
        for byte in self.dropped:
            encoding.setdefault(chr(byte), bytes([byte]))
        return encoding

    @cached_property
    def _byte_chars(self) -> dict[int, str]:
        """For str.translate: each non-ASCII character this single-byte reader shows -> the
        Latin-1 character of its byte; the other characters of Latin-1's range, ASCII included
        (runs of mojibake have none), -> U+FFFF, which no byte is."""
        table = {code: "\uffff" for code in range(0x100)}
        table.update({ord(char): data.decode("latin-1") for char, data in self.encoding.items()})
        return table

    @cached_property
    def characters(self) -> frozenset[str]:
        """Every non-ASCII character this reader can produce (single-byte readers only)."""
        return frozenset(self.encoding)

    def unmake(self, run: str, latin1_as_bytes: bool = False) -> list[Token] | None:
        """The bytes the reader read to show ``run``; ``None`` where it showed U+FFFD.

        Returns ``None`` if some character cannot come from this reader. ``latin1_as_bytes``: a
        multi-byte reader's Latin-1 characters stand for the byte of the same value (one it
        rejected), even where its own table has them.

        >>> CODECS["cp1252"].unmake("Ã©")
        [195, 169]
        >>> CODECS["gbk"].unmake("鈥檚")
        [226, 128, 153, 115]
        >>> CODECS["cp1252"].unmake("Ð\\ufffd")
        [208, None]
        """
        if not self.multibyte and "\ufffd" not in run:
            # One C-level pass: each character to the Latin-1 character of its byte, any
            # character the reader cannot show to one that Latin-1 cannot encode.
            try:
                return list(run.translate(self._byte_chars).encode("latin-1"))
            except UnicodeEncodeError:
                return None
        tokens: list[Token] = []
        for char in run:
            if char == "\ufffd":
                tokens.append(HOLE)
                continue
            data = bytes([ord(char)]) if latin1_as_bytes and "\x80" <= char <= "\xff" else self._char_bytes(char)
            if data is None:
                return None
            tokens.extend(data)
        return tokens

    def multibyte_chars(self, run: str) -> int:
        """How many characters of ``run`` a multi-byte reader made itself from non-ASCII bytes
        (the rest stand for single bytes: ASCII, or bytes it rejected and showed as Latin-1).

        >>> CODECS["gbk"].multibyte_chars("鈥檚"), CODECS["gbk"].multibyte_chars("Â¢")
        (2, 0)
        >>> CODECS["shift_jis"].multibyte_chars("ﾃ｡")
        2
        """
        return sum(map(self._made_itself.__getitem__, run))

    @cached_property
    def _made_itself(self) -> _MadeItself:
        """Character -> 1 if this multi-byte reader makes it from non-ASCII bytes, else 0:
        :meth:`multibyte_chars` per character, remembered (it runs on every run of every
        flagged line, for each multi-byte reader)."""
        return _MadeItself(self.python_codec)

    def lost_bytes(self, run: str, tokens: list[Token], after: str) -> LostByteCheck | None:
        """For a multi-byte reader: the test a reading of ``run`` (read back as ``tokens``, with
        ``after`` the text that follows the run) must pass at each lost byte. ``None`` for a
        single-byte reader, whose undefined bytes are lost anywhere.

        >>> run = "涓鏂"  # 中文 (E4 B8 AD E6 96 87) read as GBK, which rejected AD before E6
        >>> tokens = CODECS["gbk"].unmake(run)
        >>> check = CODECS["gbk"].lost_bytes(run, tokens, "")
        >>> "".join(p.char for p in decode_tokens(tokens, CODECS["gbk"].dropped, insert=True, fits=check).choices[0])
        '一个丫丬中丮丯'
        """
        if not self.multibyte:
            return None
        starts = {0}
        position = 0
        for char in run:
            data = self._char_bytes(char) if char != "\ufffd" else b"?"
            position += len(data) if data is not None else 1
            starts.add(position)
        try:
            following = after[:3].encode(self.python_codec)
        except UnicodeEncodeError:
            following = b""
        return LostByteCheck(self.python_codec, tuple(tokens), frozenset(starts), following)

    def _char_bytes(self, char: str) -> bytes | None:
        if not self.multibyte:
            return self.encoding.get(char)
        return _multibyte_char(self.python_codec, char)

    def remake(self, data: bytes, variant: str) -> str:
        """``data`` read by this reader: ``variant`` is sloppy, ignore or replace.

        >>> CODECS["cp1252"].remake("’".encode(), "sloppy")
        'â€™'
        >>> CODECS["cp1252"].remake("”".encode(), "ignore")
        'â€'
        """
        if self.multibyte:
            handler = {"sloppy": "cleaner-sloppy", "ignore": "ignore", "replace": "replace"}[variant]
            return data.decode(self.python_codec, handler)
        out = []
        for byte in data:
            char = chr(byte) if byte < 0x80 else self.decoding.get(byte)
            if char is not None:
                out.append(char)
            elif variant == "sloppy":
                out.append(chr(byte))
            elif variant == "replace":
                out.append("\ufffd")
        return "".join(out)


@dataclass(frozen=True)
class LostByteCheck:
    """Where a multi-byte reader can have lost a byte of one run, and which.

    The reader rejects a byte where it starts a character (a lost byte sits between two
    characters it showed, or is a U+FFFD), and only a byte that starts no character together
    with the bytes after it; it then reads on from the next byte, as if the lost one was not
    there.
    """

    python_codec: str
    tokens: tuple[Token, ...]
    starts: frozenset[int]  # token indices where a character the reader showed starts
    after: bytes  # the bytes of the text after the run (none: the run ends the line)

    # Which bytes are rejected is decided by the next two: every reader here but GB18030 (four
    # bytes with ASCII digits) and EUC-JP (three after 8F) reads characters of two bytes at
    # most, and a reading is checked whole by re-reading it anyway (Codec.remake).

    def keep(self, index: int, options: list[Piece]) -> list[Piece]:
        """The readings of the character whose bytes start at token ``index`` that lost only
        bytes this reader loses. Readings that put their lost bytes at the same places share
        one look at the tokens around them."""
        groups: dict[tuple[int, tuple[int, ...]], list[Piece]] = {}
        for piece in options:
            groups.setdefault((len(piece.data), piece.recovered), []).append(piece)
        kept: list[Piece] = []
        for (length, recovered), pieces in groups.items():
            layout = self._layout(index, length, recovered)
            if layout is None:
                continue
            lost, after = layout
            if len(lost) == 1:  # the bytes after it are the same in every reading of the group
                offset = lost[0]
                allowed = rejected_before(self.python_codec, (pieces[0].data[offset + 1 : offset + 3] + after)[:2])
                kept.extend(piece for piece in pieces if piece.data[offset] in allowed)
                continue
            # Several lost bytes: the bytes after each differ between readings, but repeat (a
            # group holds up to thousands of readings): their rejected sets are looked up once.
            rejected: dict[bytes, bytes] = {}
            for piece in pieces:
                data = piece.data
                for offset in lost:
                    following = (data[offset + 1 : offset + 3] + after)[:2]
                    lost_here = rejected.get(following)
                    if lost_here is None:
                        lost_here = rejected[following] = rejected_before(self.python_codec, following)
                    if data[offset] not in lost_here:
                        break
                else:
                    kept.append(piece)
        return kept

    def lost_whole(self, index: int) -> list[Piece]:
        """The characters of two bytes that this reader can have shown as the two U+FFFD at
        token ``index``: it rejected both bytes (what :meth:`keep` checks, which depends only on
        the bytes that follow)."""
        return list(_lost_whole(self.python_codec, self._known(index + 2)))

    def one_byte_short(self, index: int, sequence: tuple[Token, ...], values: tuple[int, ...]) -> list[Piece]:
        """:func:`_one_byte_short` for the sequence at token ``index``, the byte put back only
        where this reader can have dropped it and only as a byte it rejects there: the readings
        :meth:`keep` would keep, without making the others."""
        options: list[Piece] = []
        for place in range(1, len(sequence) + 1):
            if index + place not in self.starts:
                continue
            allowed = rejected_before(self.python_codec, self._known(index + place))
            fitting = tuple(value for value in values if value in allowed)
            if fitting:
                options.extend(_fillings((*sequence[:place], None, *sequence[place:]), fitting))
        return list(dict.fromkeys(options))

    def _layout(self, index: int, length: int, recovered: tuple[int, ...]) -> tuple[tuple[int, ...], bytes] | None:
        """Where a reading of ``length`` bytes with ``recovered`` ones, from token ``index`` on,
        lost them: the offsets of the lost bytes and the bytes the reader read after the
        reading's; ``None`` if a byte would have been lost inside a character it showed."""
        tokens, position = self.tokens, index
        lost = []
        for offset in range(length):
            if offset not in recovered:
                position += 1
            elif position < len(tokens) and tokens[position] is None:  # a U+FFFD
                lost.append(offset)
                position += 1
            elif position in self.starts:  # dropped before the character at ``position``
                lost.append(offset)
            else:
                return None
        return tuple(lost), self._known(position)

    def _known(self, position: int) -> bytes:
        known: list[int] = []
        for token in self.tokens[position : position + 2]:
            if token is None:
                return bytes(known)
            known.append(token)
        return bytes(known) + self.after[: 2 - len(known)]


@lru_cache(maxsize=16384)  # ~250 B an entry
def rejected_before(codec: str, following: bytes) -> bytes:
    """The high bytes a multi-byte ``codec`` rejects where it starts a character, with
    ``following`` next: it shows U+FFFD and reads ``following`` as it would have anyway.

    >>> sorted(rejected_before("gb18030", bytes([0xE5, 0xA4])))
    [128, 255]
    >>> len(rejected_before("gbk", bytes([0xB8, 0xAD]))) < 20
    True
    """
    expected = "\ufffd" + following.decode(codec, "replace")
    # As bytes, not a frozenset: ``byte in rejected`` works the same, and a cached entry takes
    # ~250 bytes instead of ~2.8 kB (a worker on a 1 GB corpus filled 65,536 of them).
    return bytes(byte for byte, lead in zip(range(0x80, 0x100), _HIGH_BYTES, strict=True)
                 if (lead + following).decode(codec, "replace") == expected)


_HIGH_BYTES = tuple(bytes([byte]) for byte in range(0x80, 0x100))  # made once, not per call


@lru_cache(maxsize=4096)
def _native_single(codec: str, char: str) -> bool:
    """A non-ASCII character the codec itself makes from one byte (Shift-JIS half-width kana:
    ``ﾃ`` is C3), as opposed to a byte it rejected and showed as Latin-1."""
    try:
        return not char.isascii() and len(char.encode(codec)) == 1
    except UnicodeEncodeError:
        return False


@lru_cache(maxsize=16384)
def _multibyte_char(codec: str, char: str) -> bytes | None:
    """A character's bytes under a multi-byte codec; a Latin-1 character it cannot encode
    stands for the byte of the same value (the sloppy reading of a rejected byte)."""
    try:
        return char.encode(codec)
    except UnicodeEncodeError:
        if "\x80" <= char <= "\xff":
            return bytes([ord(char)])
        return None


def _sloppy_decode(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(byte) for byte in error.object[error.start : error.end]), error.end


def _register() -> None:
    import codecs

    codecs.register_error("cleaner-sloppy", _sloppy_decode)


_register()


def _build_codecs() -> dict[str, Codec]:
    codecs: dict[str, Codec] = {}
    for name, family, prior in SINGLE_BYTE:
        codecs[name] = Codec(name, family, prior, tuple(sorted(single_byte_table(name).items())))
    for name, family, prior, high, low in HYBRID:
        codecs[name] = Codec(name, family, prior, tuple(sorted(single_byte_table(high, low).items())))
    for name, family, prior in MULTI_BYTE:
        codecs[name] = Codec(name, family, prior, python_codec=name)
    return codecs


CODECS: dict[str, Codec] = _build_codecs()


# --------------------------------------------------------------------------------------------
# Reading bytes with holes as UTF-8


@dataclass(frozen=True)
class Piece:
    """One decoded character, the bytes it came from, and which of them were recovered."""

    char: str
    data: bytes
    recovered: tuple[int, ...] = ()  # indices in ``data`` of bytes that were lost


_ASCII_CHOICES = tuple((Piece(chr(byte), bytes([byte])),) for byte in range(0x80))


@dataclass(frozen=True)
class DecodedRun:
    """A run read as UTF-8: for each character, its possible readings (one if nothing was lost)."""

    choices: tuple[tuple[Piece, ...], ...]

    @property
    def ambiguous(self) -> bool:
        return any(len(options) > 1 for options in self.choices)

    @property
    def recovered_count(self) -> int:
        return sum(1 for options in self.choices if options[0].recovered)

    def first(self) -> tuple[Piece, ...]:
        return tuple(options[0] for options in self.choices)

    def candidates(self) -> list[tuple[Piece, ...]]:
        """Every reading, or ``[]`` if there are too many to weigh one by one."""
        count = 1
        for options in self.choices:
            count *= len(options)
        if count > MAX_COMBINATIONS:
            return []
        return list(itertools.product(*self.choices))


def sequence_length(lead: int) -> int:
    """Bytes in the UTF-8 sequence a lead byte starts (0: not a lead byte)."""
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _continuation(token: Token) -> bool:
    return token is None or 0x80 <= token <= 0xBF


@lru_cache(maxsize=8192)
def _decode_one(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if len(text) == 1 else None


@lru_cache(maxsize=4096)  # ~2 kB an entry
def _fillings(tokens: tuple[Token, ...], values: tuple[int, ...]) -> list[Piece]:
    """Every way to fill the holes of one UTF-8 sequence with ``values`` so that it decodes.

    Cached: the same damaged sequences recur all through a text (``D1 ??`` in every Russian line).
    """
    return _all_fillings(tokens, values, MAX_FILLINGS)


# Up to 4,096 readings (4 MB) each: a few, not tens of thousands like _fillings.
@lru_cache(maxsize=8)
def _many_fillings(tokens: tuple[Token, ...], values: tuple[int, ...]) -> list[Piece]:
    """:func:`_fillings` for a multi-byte reader, whose rules then weed the readings out."""
    return _all_fillings(tokens, values, MAX_CHECKED_OPTIONS)


def _all_fillings(tokens: tuple[Token, ...], values: tuple[int, ...], limit: int) -> list[Piece]:
    """Every way to fill the holes of ``tokens`` with ``values`` so that they decode as one
    character; ``[]`` if there are more than ``limit`` ways to try."""
    holes = [index for index, token in enumerate(tokens) if token is None]
    if not holes:
        char = _decode_one(bytes(tokens))  # type: ignore[arg-type]
        return [Piece(char, bytes(tokens))] if char else []  # type: ignore[arg-type]
    # A hole after the first byte can only have held a continuation byte.
    following = tuple(value for value in values if 0x80 <= value <= 0xBF)
    per_hole = [values if index == 0 else following for index in holes]
    if math.prod(map(len, per_hole)) > limit:
        return []  # too little is left of this character to say what it was
    options: list[Piece] = []
    for filling in itertools.product(*per_hole):
        data = list(tokens)
        for index, value in zip(holes, filling, strict=True):
            data[index] = value
        raw = bytes(data)  # type: ignore[arg-type]
        char = _decode_one(raw)
        if char is not None:
            options.append(Piece(char, raw, tuple(holes)))
            if len(options) > (MAX_OPTIONS if limit <= MAX_FILLINGS else limit):
                return []
    return options


@lru_cache(maxsize=4096)
def _one_byte_short(sequence: tuple[Token, ...], values: tuple[int, ...]) -> list[Piece]:
    """Every character a sequence one byte short can be, the byte put back at every place.
    Cached like :func:`_fillings`."""
    options: list[Piece] = []
    for place in range(1, len(sequence) + 1):
        options.extend(_fillings((*sequence[:place], None, *sequence[place:]), values))
    return list(dict.fromkeys(options))  # two places can give the same bytes


@lru_cache(maxsize=8)  # up to 4,096 readings (4 MB) each
def _two_bytes_short(sequence: tuple[Token, ...], values: tuple[int, ...]) -> list[Piece]:
    """Every character a sequence two bytes short can be: only for a multi-byte reader, whose
    rules then say which of them it can have lost (GBK rejects the 80 of ``。``, E3 80 82, and
    the 82 with it at the end of a line). Cached like :func:`_fillings`."""
    options: list[Piece] = []
    length = len(sequence) + 2
    # Both bytes go after the lead (sequence[0]), where only a continuation byte can make one
    # character: trying the other values (half of a multi-byte reader's) would find nothing,
    # at a quarter of the cost of this function. The order of what is found is unchanged.
    following = tuple(value for value in values if 0x80 <= value <= 0xBF)
    for first, second in itertools.combinations(range(1, length), 2):
        tokens: list[Token] = list(sequence)
        tokens.insert(first, None)
        tokens.insert(second, None)
        for first_value, second_value in itertools.product(following, repeat=2):
            tokens[first], tokens[second] = first_value, second_value
            raw = bytes(tokens)  # type: ignore[arg-type]
            char = _decode_one(raw)
            if char is not None:
                options.append(Piece(char, raw, (first, second)))
    return options


def decode_tokens(tokens: list[Token], dropped: tuple[int, ...], insert: bool = False,
                  max_recovered: int = 64, fits: LostByteCheck | None = None,
                  max_lost_whole: int = MAX_LOST_WHOLE) -> DecodedRun | None:
    """Read bytes (``None`` = a hole) as UTF-8; ``None`` if they cannot be UTF-8.

    A hole takes any value in ``dropped``. With ``insert``, a sequence one byte short (or
    continuation bytes without their lead) gets every byte of ``dropped`` at every place.
    ``fits``, if given, keeps only the readings with recovered bytes that its reader can have
    lost (:meth:`Codec.lost_bytes`); its holes in pairs can then be characters of two bytes
    lost whole, up to ``max_lost_whole`` of them.

    >>> run = decode_tokens(list("杨".encode()[:1] + "杨".encode()[2:]), dropped=(0x81, 0x9D), insert=True)
    >>> sorted(piece.char for piece in run.choices[0])
    ['恨', '杨', '樁', '樝']
    >>> decode_tokens([0xC3, 0xA9], dropped=()).choices[0][0].char
    'é'
    >>> [p.char for p in decode_tokens([0xD0, None], dropped=(0x81, 0x9D)).choices[0]]
    ['Ё', 'Н']
    >>> decode_tokens([0xA9, 0xC3], dropped=(0x81,)) is None
    True
    >>> [p.char for p in decode_tokens([0x84], dropped=(0xD9, 0xDA), insert=True).choices[0]]
    ['ل', 'ڄ']
    """
    choices: list[tuple[Piece, ...]] = []
    index = 0
    recovered = lost_whole = 0
    length_of = len(tokens)
    while index < length_of:
        token = tokens[index]
        if token is not None and token < 0x80:
            choices.append(_ASCII_CHOICES[token])
            index += 1
            continue
        if token is None and fits is not None:
            holes = _hole_count(tokens, index)
            if holes >= 2 and holes % 2 == 0:
                # Nothing but U+FFFD from a multi-byte reader: characters of two bytes, each
                # lost whole (see LostByteCheck.lost_whole).
                lost_whole += holes // 2
                if lost_whole > max_lost_whole:
                    return None
                for pair in range(index, index + holes, 2):
                    options = fits.lost_whole(pair)
                    if not options:
                        return None
                    choices.append(tuple(options))
                    recovered += 1
                if recovered > max_recovered:
                    return None
                index += holes
                continue
        # How many continuation bytes (or holes) follow?
        follow = 0
        while index + 1 + follow < length_of and follow < 3 and _continuation(tokens[index + 1 + follow]):
            follow += 1
        if token is None or sequence_length(token) == 0:
            sequence = tuple(tokens[index : index + 1 + follow])
            options = _lead_options(sequence, dropped, insert and token is not None)
            consumed = 1 + follow  # the hole or orphan continuation byte, and those after it
        else:
            length = sequence_length(token)
            present = min(follow, length - 1)
            sequence = tuple(tokens[index : index + 1 + present])
            if present == length - 1:
                options = _fillings(sequence, dropped) if fits is None else _many_fillings(sequence, dropped)
            elif present == length - 2 and insert and fits is not None:
                options = fits.one_byte_short(index, sequence, dropped)
            elif present == length - 2 and insert:
                options = _one_byte_short(sequence, dropped)
            elif (present == length - 3 and insert and fits is not None and not fits.after
                  and index + 1 + present == length_of):
                # Only at the end of the line, where the reader's last character was cut short.
                options = _two_bytes_short(sequence, dropped)
            elif (present == length - 3 and insert and fits is None and len(dropped) <= MAX_TWO_SHORT_VALUES
                  and None not in sequence):
                # A single-byte reader that drops few bytes can drop both continuation bytes of
                # one character: cp1252 leaves only the E5 of 十 (E5 8D 81).
                options = _two_bytes_short(sequence, dropped)
            else:
                return None
            consumed = 1 + present
        if fits is not None and options and options[0].recovered:
            # The reader's own rules leave few: keep more of them for the evidence to weigh.
            options = fits.keep(index, options)
            if len(options) > MAX_CHECKED_OPTIONS:
                return None
        elif len(options) > MAX_OPTIONS:
            return None
        if not options:
            return None
        if any(piece.recovered for piece in options):
            recovered += 1
            if recovered > max_recovered:
                return None
        choices.append(tuple(options))  # distinct: each reading has bytes of its own
        index += consumed
    return DecodedRun(tuple(choices))


def _hole_count(tokens: list[Token], index: int) -> int:
    """How many holes in a row start at ``index``; 0 if a continuation byte follows them (then
    they are the head of a sequence whose tail survived, which :func:`_lead_options` reads)."""
    end = index
    while end < len(tokens) and tokens[end] is None:
        end += 1
    if end < len(tokens) and _continuation(tokens[end]):
        return 0
    return end - index


@lru_cache(maxsize=4096)
def _lost_whole(codec: str, following: bytes) -> tuple[Piece, ...]:
    """Every character of two UTF-8 bytes (U+0080-U+07FF: Latin, Greek, Cyrillic, Hebrew,
    Arabic, ...) whose both bytes ``codec`` rejects with ``following`` next, each a reading of
    two U+FFFD.

    >>> "č" in [piece.char for piece in _lost_whole("euc_kr", b"no")]  # C4 8D: 8D is no trail
    True
    >>> "é" in [piece.char for piece in _lost_whole("euc_kr", b"no")]  # C3 A9 is a character
    False
    """
    pieces = []
    trails = rejected_before(codec, following[:2])
    for trail in range(0x80, 0xC0):
        if trail not in trails:
            continue
        leads = rejected_before(codec, bytes([trail]) + following[:1])
        for lead in range(0xC2, 0xE0):
            if lead in leads:
                data = bytes([lead, trail])
                pieces.append(Piece(data.decode(), data, (0, 1)))
    return tuple(pieces)


@lru_cache(maxsize=4096)  # ~1.5 kB an entry
def _lead_options(sequence: tuple[Token, ...], dropped: tuple[int, ...], insert_lead: bool) -> list[Piece]:
    """Readings of a sequence whose lead byte is a hole (``sequence[0] is None``), or whose
    lead was dropped before the orphan continuation bytes ``sequence`` (``insert_lead``)."""
    leads = [byte for byte in dropped if sequence_length(byte)]
    if insert_lead:
        head: tuple[Token, ...] = (None, *sequence)
    elif sequence[0] is None:
        head = sequence
    else:
        return []
    tail = head[1:]
    holes = [index for index, token in enumerate(tail) if token is None]
    if len(dropped) ** (len(holes) + 1) > MAX_FILLINGS * 4:
        return []
    options: list[Piece] = []
    for lead in leads:
        if sequence_length(lead) != len(head):
            continue
        for filling in itertools.product(dropped, repeat=len(holes)):
            data = list(tail)
            for index, value in zip(holes, filling, strict=True):
                data[index] = value
            raw = bytes([lead, *data])  # type: ignore[list-item]
            char = _decode_one(raw)
            if char is not None:
                options.append(Piece(char, raw, (0, *(i + 1 for i in holes))))
                if len(options) > MAX_OPTIONS:
                    return []
    return options
