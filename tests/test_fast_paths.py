"""Fast paths of the repair search's helpers against the slow code they replace: each must
give exactly what the slow one gives (same readings, same order)."""

from __future__ import annotations

import itertools
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.mojibake import CODECS, Piece, _decode_one, _two_bytes_short


def _two_bytes_short_slow(sequence: tuple[int, ...], values: tuple[int, ...]) -> list[Piece]:
    """_two_bytes_short as it was: every value of ``values`` tried in both places."""
    options: list[Piece] = []
    length = len(sequence) + 2
    for first, second in itertools.combinations(range(1, length), 2):
        tokens: list[int | None] = list(sequence)
        tokens.insert(first, None)
        tokens.insert(second, None)
        for first_value, second_value in itertools.product(values, repeat=2):
            tokens[first], tokens[second] = first_value, second_value
            raw = bytes(tokens)  # type: ignore[arg-type]
            char = _decode_one(raw)
            if char is not None:
                options.append(Piece(char, raw, (first, second)))
    return options


def test_two_bytes_short_only_tries_continuation_bytes() -> None:
    value_sets = {tuple(range(0x80, 0x100)), tuple(range(0x00, 0x100, 3)),
                  *(codec.dropped for codec in CODECS.values() if codec.dropped)}
    sequences = [(0xE4,), (0xE0,), (0xED,), (0xEF,), (0xF0, 0x9F), (0xF4, 0x8F), (0xF0,), (0xE6, 0x96)]
    for values in value_sets:
        for sequence in sequences:
            assert _two_bytes_short.__wrapped__(sequence, values) == _two_bytes_short_slow(sequence, values), \
                (sequence, values)


def _multibyte_chars_slow(codec_name: str, run: str) -> int:
    """Codec.multibyte_chars as it was: a loop over the run's characters."""
    from cleaner.mojibake import _multibyte_char, _native_single

    python_codec = CODECS[codec_name].python_codec
    count = 0
    for char in run:
        data = _multibyte_char(python_codec, char) if char != "\ufffd" else None
        count += data is not None and (len(data) > 1 or _native_single(python_codec, char))
    return count


def test_multibyte_chars_table_matches_the_loop() -> None:
    clean = "Москва — столица России. Grüße, “naïve” café ½ ³. 中文 日本語 한국어 ภาษาไทย ﾃｽﾄ"
    runs = ["鈥檚", "Â¢", "ﾃ｡", "\ufffd\ufffd", "", "abc", "涓鏂", "é³"]
    for source in ("utf-8",):
        data = clean.encode(source)
        for codec in CODECS.values():
            if not codec.multibyte:
                continue
            shown = [data.decode(codec.python_codec, handler) for handler in ("replace", "ignore", "cleaner-sloppy")]
            for run in [*runs, *shown, clean]:
                assert codec.multibyte_chars(run) == _multibyte_chars_slow(codec.name, run), (codec.name, run)


def test_rejected_before_unchanged() -> None:
    from cleaner.mojibake import rejected_before

    for codec in ("gbk", "gb18030", "big5", "shift_jis", "cp932", "euc_kr", "cp949", "euc_jp"):
        for following in (b"", b"a", b"\xe5\xa4", b"\xb8\xad", b"\x80", b"\xa1\xa1", b"no"):
            expected = "\ufffd" + following.decode(codec, "replace")
            slow = frozenset(byte for byte in range(0x80, 0x100)
                             if (bytes([byte]) + following).decode(codec, "replace") == expected)
            assert frozenset(rejected_before.__wrapped__(codec, following)) == slow, (codec, following)


def test_candidate_codecs_cache_is_the_function() -> None:
    from cleaner.repair_search import _candidate_codecs

    for run in ("Ã©", "Ð¿Ñ€", "â€œ", "\ufffd", "鈥檚", "รก", "Ã\ufffd"):
        first = _candidate_codecs(run)
        assert _candidate_codecs(run) is first  # cached
        assert list(first) == list(_candidate_codecs.__wrapped__(run))


def test_has_badness_is_badness_re_search() -> None:
    """The RE2 pre-screen never hides a BADNESS_RE match: has_badness equals the search on
    clean text, mojibake of many codecs, every white-space and word character around the
    pattern's \\s and \\w, and random text over the characters BADNESS_RE names."""
    import random

    from ftfy.badness import BADNESS_RE

    from cleaner.repair_screen import _badness_pattern, has_badness

    texts = ["", "plain", "Grüße aus Köln — “quoted”", "cafÃ© au lait", "Ã ", "aÃ\u3000", "x\u2028Ã ", "Ð¿Ñ€",
             "ГўВЂВ x", "вЂ", "é¢ word", "Œ\u00e9", "l\ud800Ã "]
    clean = "Москва — столица России. Grüße, “naïve” café ½. 中文 日本語 한국어 ภาษาไทย Ελληνικά"
    for codec in ("cp1252", "latin-1", "cp1251", "cp1250", "koi8_r", "mac_roman", "cp437", "cp1253", "cp874", "gbk"):
        texts.append(clean.encode("utf-8").decode(codec, "replace"))
    spaces = [chr(code) for code in range(0x110000) if chr(code).isspace()]
    words = [chr(code) for code in (0x5F, 0x30, 0xAA, 0x660, 0x2160, 0x3007, 0x4E00, 0x10400, 0x1D7CE, 0x20000)]
    pattern_chars = sorted({char for char in _badness_pattern() if not char.isascii()} | set("aAzZ .,?!"))
    for space in spaces:
        texts += [f"a{space}Ã ", f"{space}À", f"z{space}Â "]
    for word in words:
        texts += [f"é¡{word}", f"à«{word}", f"Ã{word}"]
    rng = random.Random(7)
    alphabet = [*pattern_chars, *spaces[:8], *words]
    for _ in range(20000):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8))))
    for text in texts:
        assert has_badness(text) == (BADNESS_RE.search(text) is not None), repr(text)


def test_lost_byte_check_keep_matches_the_plain_test() -> None:
    """LostByteCheck.keep (rejected sets looked up once per following bytes) keeps exactly the
    readings, in order, that the per-reading test keeps, for readings that lost two bytes."""
    from cleaner.mojibake import LostByteCheck, _two_bytes_short, rejected_before

    def keep_slow(check: LostByteCheck, index: int, options: list[Piece]) -> list[Piece]:
        groups: dict[tuple[int, tuple[int, ...]], list[Piece]] = {}
        for piece in options:
            groups.setdefault((len(piece.data), piece.recovered), []).append(piece)
        kept: list[Piece] = []
        for (length, recovered), pieces in groups.items():
            layout = check._layout(index, length, recovered)
            if layout is None:
                continue
            lost, after = layout
            if len(lost) == 1:
                offset = lost[0]
                allowed = rejected_before(check.python_codec, (pieces[0].data[offset + 1 : offset + 3] + after)[:2])
                kept.extend(piece for piece in pieces if piece.data[offset] in allowed)
                continue
            for piece in pieces:
                data = piece.data
                if all(data[offset] in rejected_before(check.python_codec, (data[offset + 1 : offset + 3] + after)[:2])
                       for offset in lost):
                    kept.append(piece)
        return kept

    compared = 0
    for codec in ("gbk", "big5", "shift_jis", "euc_kr", "euc_jp", "gb18030"):
        for text in ("中文。", "한국어"):
            data = text.encode("utf-8")
            for cut in range(1, len(data)):
                tokens = tuple(data[:cut])
                for after in (b"", b"\xa1\xa1"):
                    check = LostByteCheck(codec, tokens, frozenset(range(len(tokens) + 1)), after)
                    sequence = tokens[-1:] if tokens[-1:] and tokens[-1] >= 0xE0 else (0xE4,)
                    options = _two_bytes_short(sequence, tuple(range(0x80, 0x100)))
                    index = len(tokens) - len(sequence)
                    assert check.keep(index, options) == keep_slow(check, index, options)
                    compared += 1
    assert compared > 50


def test_rule_patterns_compiled_with_int_flags_behave_as_with_the_enum() -> None:
    """Packs compile their patterns with int(regex.IGNORECASE): every packaged rule's pattern
    gives the same verdicts, whole and partial, on every example line of every rule."""
    import regex

    from cleaner.rules import load_rule_packs

    rules = [rule for pack in load_rule_packs() for rule in pack.rules if rule.compiled is not None]
    lines = sorted({line for rule in rules for line in (*rule.examples_match, *rule.examples_no_match)})
    lines += [line[:cut] for line in lines[:50] for cut in (1, 3, 6)]
    assert len(rules) > 50
    regex.purge()  # its cache takes IGNORECASE and its int as one key: compile afresh
    for rule in rules:
        with_enum = regex.compile(rule.pattern, 0 if rule.case_sensitive else regex.IGNORECASE)
        assert rule.compiled.flags == with_enum.flags
        for line in lines:
            assert (rule.compiled.fullmatch(line) is None) == (with_enum.fullmatch(line) is None), (rule.id, line)
            assert (rule.compiled.fullmatch(line, partial=True) is None) == \
                (with_enum.fullmatch(line, partial=True) is None), (rule.id, line)


def test_scripts_with_pairs_from_distinct_characters() -> None:
    from cleaner.repair_lm import _tables, char_class, scripts_with_pairs

    _, pairs = _tables()
    assert scripts_with_pairs() == frozenset(char_class(char) for pair in pairs for char in pair if char != " ")


def test_looks_binary_counts_the_same_controls() -> None:
    import random

    from cleaner.stages.decode import _looks_binary

    def slow(text: str) -> bool:
        controls = sum(1 for char in text if char < " " and char not in "\t\r\n\f")
        return controls > max(2, len(text) // 100)

    rng = random.Random(2)
    alphabet = [chr(code) for code in range(0x21)] + ["a", "é", "\x7f", "\x85", "\u2028"]
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        assert _looks_binary(text) == slow(text)
    for code in range(0x80):
        text = chr(code) * 5
        assert _looks_binary(text) == slow(text), code


def test_has_badness_without_its_screen_is_re_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the RE2 screen (no google-re2, or a BADNESS_RE it cannot translate), has_badness
    is BADNESS_RE.search alone."""
    from ftfy.badness import BADNESS_RE

    from cleaner import repair_screen

    texts = ("cafÃ© au lait", "café", "", "a\u2028Ã ")
    screened = [repair_screen.has_badness(text) for text in texts]
    monkeypatch.setattr(repair_screen, "_badness_screen", lambda: None)
    for text, verdict in zip(texts, screened, strict=True):
        assert repair_screen.has_badness(text) == verdict == (BADNESS_RE.search(text) is not None)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab Ã©é\ufffd", max_size=16), st.text(alphabet="ab Ã©é\ufffd", max_size=16))
def test_opcodes_are_difflibs(before: str, after: str) -> None:
    """The repair stage's own matching-block search gives SequenceMatcher's opcodes exactly (small
    alphabets: many ties between equally long blocks, which difflib breaks by position)."""
    from cleaner.stages.repair import _opcodes

    expected = [(tag == "equal", i1, i2, j1, j2)
                for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes()]
    assert _opcodes(before, after) == expected
