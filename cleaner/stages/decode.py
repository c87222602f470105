"""Decode: bytes of unknown encoding to text, reversibly.

Order of evidence: a byte-order mark; then strict UTF-8 (fast, and right for almost all of the
web); then charset-normalizer for legacy encodings. charset-normalizer is never asked about valid
UTF-8: it is ~60x slower and mis-reads some valid UTF-8 as cp1251 or gb18030.

Decoding must be exactly reversible, because ``cleaner log revert`` rebuilds the input bytes from
the text: a decoding whose re-encoding differs from the input is rejected, not used.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from dataclasses import dataclass

from cleaner.edits import Edit
from cleaner.plausibility import implausibility, letter_coverage
from cleaner.stages.base import StageResult
from cleaner.stages.rule_info import RuleInfo

RULES = (
    RuleInfo("DC001", "byte-order-mark", "decode",
             "A byte-order mark says how the bytes were encoded; once decoded it is not text.",
             (("\ufeffHello\n", "Hello\n"), ("Hello\n", "Hello\n"))),
)

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class UndecodableInput(ValueError):
    """The input is binary or in no encoding we can read reversibly; the message says which."""


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes; ``text.encode(encoding) == the input`` always holds."""

    text: str
    encoding: str
    confidence: float
    method: str  # "bom", "utf-8", "charset-normalizer" or "empty"


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` reversibly, or raise :class:`UndecodableInput` saying why.

    A BOM is kept as U+FEFF in the text; the decode stage's edit then removes it, so the change
    log shows it and revert puts it back.

    >>> decode_bytes("crème".encode("utf-8")).encoding
    'utf-8'
    >>> decode_bytes(codecs.BOM_UTF8 + b"hi").text
    '\\ufeffhi'
    """
    if not data:
        return Decoded("", "utf-8", 1.0, "empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding, 1.0, "bom")
            except UnicodeDecodeError as error:
                raise UndecodableInput(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: "
                    f"{error.reason} at byte {error.start}"
                ) from None
    if b"\x00" in data:
        raise UndecodableInput("binary data (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", 1.0, "utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_legacy(data)


# Legacy encodings in rough order of how common they are on the web; the order breaks ties
# between decodings that look equally plausible (short texts often fit several codecs).
COMMON_LEGACY_ENCODINGS = (
    "cp1252", "cp1250", "cp1251", "koi8_r", "shift_jis", "cp932", "euc_jp", "gb18030", "big5",
    "euc_kr", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp874", "cp1258", "koi8_u",
    "iso8859_2", "iso8859_5", "iso8859_7", "mac_roman", "cp437", "cp850", "cp866",
)
# Ranking candidates needs only the lines that hold non-ASCII bytes, and not all of them.
_SAMPLE_BYTES = 8192
_SCORED_CHARS = 4096  # the plausibility measure is a Python loop: the windows hold the evidence




def _decode_legacy(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))[:10]
    detected = [codecs.lookup(match.encoding).name for match in matches]
    chaos = {name: match.chaos for name, match in zip(detected, matches, strict=True)}
    candidates = list(dict.fromkeys([*(codecs.lookup(name).name for name in COMMON_LEGACY_ENCODINGS), *detected]))
    # Score every candidate on a sample (whole lines, so no character is cut), then decode the
    # whole input only with the best-scoring candidates, until one decodes reversibly.
    sample_bytes = _non_ascii_sample(data)
    scored: list[tuple[float, int, str]] = []
    # Codecs that read the sample alike (cp1252, cp1250, cp1257 and ISO 8859 variants agree on
    # most accented letters) score alike: each reading is scored once. On the benchmark's legacy
    # files 509 distinct readings among 896 candidates.
    penalties: dict[str, float] = {}
    for rank, encoding in enumerate(candidates):
        try:
            sample = sample_bytes.decode(encoding)
        except UnicodeDecodeError:
            continue
        penalty = penalties.get(sample)
        if penalty is None:
            penalty = penalties[sample] = implausibility(sample[:_SCORED_CHARS]) + 1.0 - letter_coverage(sample)
        scored.append((penalty, rank, encoding))
    scored.sort()
    decoded = ((position, _reversible(data, encoding)) for position, (_, _, encoding) in enumerate(scored))
    position, text = next(((position, text) for position, text in decoded if text is not None), (-1, None))
    if text is None:
        raise UndecodableInput("not UTF-8, and no plausible text encoding was found (binary data?)")
    penalty, _, encoding = scored[position]
    runner_up = scored[position + 1][0] if position + 1 < len(scored) else penalty + 1.0
    # Confidence: how clearly the winner beats the next-best reading, damped by its own oddities.
    margin = runner_up - penalty
    confidence = round(max(0.05, min(1.0, margin / (margin + 0.02)) * (1.0 - min(penalty, 0.9))
                           * (1.0 - chaos.get(encoding, 0.0))), 3)
    return Decoded(text, encoding, confidence, "charset-normalizer")


_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_WINDOW = 40


def _non_ascii_sample(data: bytes) -> bytes:
    """Up to ``_SAMPLE_BYTES`` of the input around its non-ASCII bytes: the evidence.

    Each window reaches out to a space or line break, which no ASCII-compatible legacy codec
    uses inside a character, so no character is cut.
    """
    pieces: list[bytes] = []
    size = 0
    end = 0
    for match in _NON_ASCII_RUN.finditer(data):
        if match.start() < end:
            continue  # already inside the previous window
        left = max(data.rfind(b" ", 0, max(0, match.start() - _WINDOW)), data.rfind(b"\n", 0, match.start()), -1) + 1
        right_space = data.find(b" ", match.end() + _WINDOW)
        right_break = data.find(b"\n", match.end())
        ends = [position for position in (right_space, right_break) if position != -1]
        end = min(ends) if ends else len(data)
        pieces.append(data[left:end])
        size += end - left
        if size >= _SAMPLE_BYTES:
            break
    return b"\n".join(pieces) or data[:_SAMPLE_BYTES]


def _reversible(data: bytes, encoding: str) -> str | None:
    """``data`` decoded, if it decodes, is text, and encodes back to the same bytes (for revert)."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if text.encode(encoding) == data and not _looks_binary(text) else None


def _looks_binary(text: str) -> bool:
    """Control characters other than tab, CR, LF, FF in more than 1% of the text."""
    controls = len(_CONTROLS.findall(text))  # counted in C, not by a generator over every character
    return controls > max(2, len(text) // 100)


_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # below " ", but not \t \n \f \r


class DecodeStage:
    """The text-side part of decoding: removes a leading byte-order mark."""

    name = "decode"
    settles = True  # its edits never create work for another stage (see Pipeline.clean_text)

    def __init__(self, enabled: Callable[[str], bool] = lambda rule_id: True) -> None:
        self._bom = enabled("DC001")

    def find_edits(self, text: str) -> StageResult:
        if self._bom and text.startswith("\ufeff"):
            return StageResult([Edit(self.name, "DC001", "byte-order-mark", 0, 1, "\ufeff", "")])
        return StageResult()
