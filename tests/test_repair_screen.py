"""The repair screen's shipped signatures (cleaner/repair_screen_data.py) are what the codec tables
and the language model give now: rebuild with ``python -m cleaner.repair_screen --rebuild``."""

from __future__ import annotations

from pathlib import Path

import cleaner.repair_screen
from cleaner import repair_screen_data
from cleaner.repair_screen import Screen, build_pattern, codec_signatures, render_data_module


def test_shipped_signatures_are_current() -> None:
    assert codec_signatures() == repair_screen_data.SIGNATURES, (
        "the codec tables or the language model changed: run python -m cleaner.repair_screen --rebuild"
    )


def test_data_module_is_the_rebuild_output() -> None:
    shipped = Path(repair_screen_data.__file__).read_text(encoding="utf-8")
    assert shipped == render_data_module()


def test_pattern_holds_every_part() -> None:
    pattern = build_pattern()
    assert pattern.startswith("[\\x{80}-\\x{9f}\\x{fffd}]|")
    assert all(signature in pattern for signature in codec_signatures())
    assert pattern.endswith(f"|(?:{cleaner.repair_screen._badness_pattern()})")
    screen = Screen(pattern)
    assert screen.search("caf\u00c3\u00a9") and not screen.search("café")


def test_flagged_lines_map_byte_offsets_back_to_characters_across_many_hits() -> None:
    from cleaner.repair_screen import default_screen

    lines = ["漢字の行", "café Ã© here", "Ελληνικά", "naïve â€œquotedâ€", "ok"] * 40
    text = "\n".join(lines) + "\n"
    flagged = list(default_screen().flagged_lines(text))
    assert len(flagged) == 80
    for offset, line in flagged:
        assert text[offset : offset + len(line)] == line and line in ("café Ã© here", "naïve â€œquotedâ€")


def test_a_pair_real_text_writes_is_flagged_against_a_latin_word_but_homoglyphs_are_not() -> None:
    from cleaner.repair_screen import default_screen

    screen = default_screen()
    # Spanish ó through cp1251, German ü through cp1253, ä through MacRoman, č through cp866,
    # Italian à through cp1250: each pair is one clean text writes, but not inside a Latin word.
    for broken in ("que decretГі su ingreso", "gefΓΌrdert", "esitell√§√§n", "po─Нetkom", "indicherĂ\xa0 la"):
        assert screen.search(broken), broken
    # Clean Bulgarian with Latin homoglyphs (a Latin O and c, as in the UN declaration's text).
    assert not screen.search("2. Oбразованието трябва да бъде насочено към цялостно развитие, cила")
    assert not screen.search("Гімн України, « Tout va bien »")


def test_shift_jis_eating_a_latin_letter_after_a_half_width_kana_is_flagged() -> None:
    from cleaner import clean_text
    from cleaner.repair_screen import default_screen

    # Croatian "či" is C4 8D 69: Shift-JIS reads C4 alone (ﾄ), then 8D 69 as one ideograph.
    broken = "Nacionalizam to stalno ﾄ絞ni, njemu nijedna svinjarija"
    assert default_screen().search(broken)
    assert clean_text(broken, only=["repair"]).text == "Nacionalizam to stalno čini, njemu nijedna svinjarija"
    assert not default_screen().search("ﾃｽﾄ test")  # half-width katakana as Japanese writes it


def test_a_lead_whose_continuation_was_dropped_is_flagged_inside_or_before_a_latin_word() -> None:
    # č (C4 8D) through cp1253 with 8D dropped: Δ inside ``končno``, or starting ``čelj``.
    screen = Screen(build_pattern())
    assert screen.search("je konΔno dobil delo") and screen.search("na vu Δelj vojske")
    assert screen.search("les prΓtres de son culte")
    for clean in ("Δt = 5 s, and Δx is small", "Die Äpfel und Ölfässer", "Москва — столица"):
        assert not screen.search(clean), clean
