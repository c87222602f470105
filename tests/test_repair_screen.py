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
    # Hits on consecutive lines, the last without a line break: each line once, none missed.
    text = "ok\nâ€œaâ€ Ã©\nÃ© Ã©\nnaïve\nlast Ã©"
    assert list(default_screen().flagged_lines(text)) == [(3, "â€œaâ€ Ã©"), (13, "Ã© Ã©"), (25, "last Ã©")]


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


def _read_wrongly(text: str, codec: str, errors: str = "strict") -> str:
    """``text``'s UTF-8 bytes read through ``codec`` (``cp874+cp1252``: each byte through cp874
    where it defines it, else cp1252), undefined bytes handled as ``errors`` says."""
    data = text.encode("utf-8")
    if codec == "cp874+cp1252":
        out = []
        for byte in data:
            try:
                out.append(bytes([byte]).decode("cp874"))
            except UnicodeDecodeError:
                out.append(bytes([byte]).decode("cp1252", errors))
        return "".join(out)
    return data.decode(codec, errors)


# Each: clean text, the reader that broke it, and what it dropped. None of these reached the
# search before the signatures of 2026-12-06's fifth session; each is now flagged and repaired.
_MISSED_BEFORE = [
    ("Romania trebuie sa fie un partener serios si de cursă lungă.", "cp1250", "ignore"),  # ă lost its 83, word end
    ("USTAWIENIA KONTROLI DOSTĘPU", "cp1253", "ignore"),  # Ę lost its 98: Δ between Latin capitals
    ("REJESTRACJA NIE POWIODŁA SIĘ", "cp1251", "ignore"),  # Д ending a word of capitals
    ("Motivacija ni enoznačna, ima globlji pomen", "cp1255", "ignore"),  # a Hebrew point inside a Latin word
    ("iz srbijanskog zarobljeničkog logora.", "cp874", "ignore"),  # a Thai letter inside a Latin word
    ("JEAN-BAPTISTE POQUELIN MOLIÈRE", "cp866", "strict"),  # ├И inside a word of capitals
    ("ทุนอบรม Open Source Training", "cp874+cp1252", "strict"),  # Thai read as Thai: เธ—เธธเธ™
    ("Da je stvarno bio genocid, nitko se ne bi vratio živ.", "gb18030", "strict"),  # 啪 starting a word
    ("Москва — столица России.", "shift_jis", "ignore"),  # ﾐｺﾐｲﾐｰ: lead bytes as half-width kana
]


def test_lines_the_screen_missed_are_flagged_and_repaired() -> None:
    from cleaner import clean_text
    from cleaner.repair_screen import default_screen

    for original, codec, errors in _MISSED_BEFORE:
        broken = _read_wrongly(original, codec, errors)
        assert broken != original
        assert default_screen().search(broken), (codec, broken)
        assert clean_text(broken, only=["repair"]).text == original, (codec, broken)


def test_the_new_signatures_leave_clean_text_alone() -> None:
    from cleaner.repair_screen import default_screen

    screen = default_screen()
    for clean in (
        "Die Geschäftsführung und årsredovisning på svenska",  # Latin letters in Latin words
        "ΔT = 5 K, and the AΔ ratio",  # a Greek capital beside Latin ones, not inside a word
        "เธอเป็นครูที่โรงเรียน และเธอสอนภาษาไทย",  # Thai that writes เธ (she) twice
        "ภาษาไทย Linux และ Python",
        "我们使用 Linux 系统，的确如此。",
        "ﾃｽﾄ ﾃﾞｰﾀ ｶﾀｶﾅ",  # Japanese in half-width kana
        "כיום מכנים את שפת התנ\"ך עברית",
        "la première fois",  # decomposed é and è: combining accents are not another script
    ):
        assert not screen.search(clean), clean


def test_capitals_a_lead_byte_reads_as_go_to_the_search_which_tells_polish_mojibake_from_german() -> None:
    from cleaner import clean_text
    from cleaner.repair_screen import default_screen

    # Ł (C5 81) through cp1250 with 81 dropped: Ĺ between capitals. German and Swedish write Ä
    # and Å between capitals too: the screen flags both, and the search repairs only the first.
    broken = _read_wrongly("GWAŁTOWNY ALARM OTWARCIA", "cp1250", "ignore")
    assert broken == "GWAĹTOWNY ALARM OTWARCIA" and default_screen().search(broken)
    assert clean_text(broken, only=["repair"]).text == "GWAŁTOWNY ALARM OTWARCIA"
    for clean in ("GESCHÄFTSFÜHRUNG UND ÄNDERUNGEN", "SKÄRGÅRDEN PÅ VÅREN", "OBČANSKÝ ZÁKONÍK"):
        assert default_screen().search(clean), clean
        assert clean_text(clean, only=["repair"]).text == clean, clean
