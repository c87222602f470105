"""Letters a multi-byte reader dropped whole, without a trace (cleaner.traceless), and the repair
stage putting them back."""

from __future__ import annotations

import pytest

from cleaner import clean_text
from cleaner.edits import apply_edits, revert_edits
from cleaner.traceless import dropped_whole, restore


def ignored(text: str, reader: str) -> str:
    """``text`` as UTF-8 read through ``reader``, which drops what it cannot read."""
    return text.encode("utf-8").decode(reader, "ignore")


def restored(line: str, reader: str) -> str:
    for found in reversed(restore(line, reader)):
        line = line[: found.start] + found.after + line[found.end :]
    return line


@pytest.mark.parametrize("reader", ["euc_kr", "euc_jp", "big5"])
def test_the_readers_drop_letters_whose_second_byte_is_below_a1(reader: str) -> None:
    dropped = dropped_whole(reader)
    for letter in "ěčřňàłąęśćńőşğ":
        assert letter in dropped and ignored(f"a{letter}a", reader) == "aa"
    for letter in "áéíóúýžšůöüç":  # C3 A1 and up: a pair the reader reads (as mojibake)
        assert letter not in dropped and ignored(f"a{letter}a", reader) != "aa"


@pytest.mark.parametrize("reader", ["gbk", "gb18030", "shift_jis", "cp1252", "koi8_r", "cp874+cp1252"])
def test_readers_that_drop_no_letter_whole_have_nothing_to_restore(reader: str) -> None:
    assert dropped_whole(reader) == frozenset()
    assert restore("Na kon, hárem a kriminalisté zabavili mužům auta", reader) == []


@pytest.mark.parametrize(("original", "reader"), [
    ("Na koně, hárem a kriminalisté zabavili mužům auta", "euc_kr"),  # kon -> koně
    ("Policie zadržela muže, kteří zabavili dětmi hárem auta", "big5"),  # dtmi -> dětmi
    ("A képviselők hétfőn érkeztek és az erős szél miatt késtek", "euc_jp"),  # hétfn, ers
    ("Il séjourne à Paris depuis février et il écrit à sa mère", "euc_kr"),  # two spaces -> à
])
def test_a_dropped_letter_is_put_back_where_the_language_has_one_clear_word(original: str, reader: str) -> None:
    line = original.translate(str.maketrans("", "", "".join(dropped_whole(reader))))
    assert line != original
    assert restored(line, reader) == original


@pytest.mark.parametrize(("original", "reader"), [
    # Only wordfreq's large Czech list holds this inflected form (pozmnní -> pozměnění).
    ("Soud uznal, že pozměnění návrhu bylo schváleno a kriminalisté zabavili mužům auta", "euc_kr"),
    # A Turkish capital I is dotted: İmparatorluğun, not Imparatorluğun (ğ dropped).
    ("İstanbul, İmparatorluğun en büyük kenti ve dünyanın en kalabalık kentlerinden biri olarak kaldı",
     "euc_kr"),
])
def test_a_dropped_letter_is_found_in_inflected_forms_and_in_the_languages_capitals(original: str,
                                                                                  reader: str) -> None:
    line = ignored(original, reader)
    assert line != original
    assert restored(clean_text(line, only=["repair"]).text, reader) == original


@pytest.mark.parametrize(("repaired", "word"), [
    ("Cele mai importante declaraţii ale preedintelui României, Klaus Iohannis:", "preşedintelui"),
    ("Cele mai importante declaratii ale preedintelui României, Klaus Iohannis:", "președintelui"),
])
def test_a_restored_romanian_word_is_spelt_with_the_lines_own_s_and_t(repaired: str, word: str) -> None:
    # The lists spell ș and ț with a comma below; a line whose surviving ţ has a cedilla writes
    # its ş with one too (Big5 drops ş, C5 9F, and ș, C8 99, but reads ţ, C5 A3); a line that
    # shows neither is spelt as the lists spell.
    assert [found.after for found in restore(repaired, "big5")] == [word]


def test_a_word_the_language_writes_both_ways_is_left_as_read() -> None:
    # Polish ``mog`` is ``mogą`` or ``mogę``: as common as each other; neither is taken.
    line = "Wpływ otyoci na zdrowie mog być różny w różnych grupach wiekowych"
    assert not any(found.before == "mog" for found in restore(line, "euc_kr"))


def test_a_capital_the_reader_dropped_is_restored_only_at_the_start_of_a_sentence() -> None:
    # Czech ``Česko``: both č and Č are dropped, so ``esko`` is ``česko`` or ``Česko``.
    assert restored("esko má nové zákony. Vláda je schválila", "euc_kr").startswith("Česko")
    # Spanish ``MS`` is an abbreviation, not ``MÁS``; mid-sentence ``til`` is not ``Útil``.
    line = "Este programa está escrito para MS Windows y til para sus usuarios también"
    assert restore(line, "euc_kr") == []


@pytest.mark.parametrize("line", [
    "Kromě karet kriminalisté u mužů zabavili koně a auta",  # holds ě: nothing was dropped
    "Na kon, hárem a kriminalisté zabavili \ufffd mužům auta",  # a reader that marks its losses
    "plain English with one café and nothing more to say here",  # no language that writes ě
])
def test_lines_that_cannot_have_lost_letters_without_a_trace_are_left(line: str) -> None:
    assert restore(line, "euc_kr") == []


@pytest.mark.parametrize(("original", "reader"), [
    ("Policie zadržela muže, kteří zabavili koně, hárem a auta plná zboží.", "euc_kr"),
    ("Il séjourne à Paris depuis février et il écrit à sa mère.", "big5"),
    ("A képviselők hétfőn érkeztek és az erős szél miatt késtek.", "euc_jp"),
])
def test_the_repair_stage_restores_what_the_reader_dropped_and_logs_it(original: str, reader: str) -> None:
    broken = ignored(original, reader)
    result = clean_text(broken, only=["repair"])
    assert result.text == original
    assert apply_edits(broken, result.edits) == original
    assert revert_edits(original, result.edits) == broken
    traceless = [edit for edit in result.edits if edit.detail.get("lost") == "whole, without a trace"]
    assert traceless and all(edit.rule == "RP003" and edit.detail["reader"] == reader for edit in traceless)
    assert all(0.5 < edit.detail["confidence"] <= 1 for edit in traceless)
    assert clean_text(result.text, only=["repair"]).text == result.text


def test_a_line_read_without_losses_keeps_its_words() -> None:
    # Every letter survived EUC-KR as mojibake, and the repair reads them all back. ``pes`` (dog)
    # is also what the reader would leave of ``přes`` (across), ten times commoner: not enough
    # to take a word the line may well mean.
    original = "Náš pes má rád zimu a sníh, víš."
    broken = original.encode("utf-8").decode("euc_kr")
    assert broken != original
    assert clean_text(broken, only=["repair"]).text == original


def marked(text: str, reader: str) -> str:
    """``text`` as UTF-8 read through ``reader``, which shows a U+FFFD for each byte it rejects."""
    return text.encode("utf-8").decode(reader, "replace")


def test_a_letter_marked_as_a_pair_of_replacement_characters_takes_the_lines_language() -> None:
    # ``Ve��ina`` is Croatian većina or Slovene večina; the merged word index cannot tell, the
    # line's own language can.
    original = "Većina ljudi živi u gradovima, a mnogi žele živjeti na selu."
    result = clean_text(marked(original, "euc_kr"), only=["repair"])
    assert result.text == original
    assert any(edit.rule == "RP003" and "ć" in edit.after and "\ufffd\ufffd" in edit.before for edit in result.edits)


def test_a_line_with_nothing_but_pairs_of_marks_is_read_where_the_three_readers_agree() -> None:
    original = "Pachatel koně ukradl a prodal je na trhu v Brně."
    broken = marked(original, "big5")
    assert broken == "Pachatel kon\ufffd\ufffd ukradl a prodal je na trhu v Brn\ufffd\ufffd."
    result = clean_text(broken, only=["repair"])
    assert result.text == original
    assert {edit.detail["reader"] for edit in result.edits} == {"euc_kr/big5/euc_jp"}
    assert apply_edits(broken, result.edits) == original and revert_edits(original, result.edits) == broken


@pytest.mark.parametrize("line", [
    "Pachatel kon\ufffd ukradl a prodal je na trhu v Brn\ufffd.",  # one mark a letter: not these readers
    "Pachatel kon\ufffd\ufffd\ufffd\ufffd ukradl a prodal je na trhu.",  # four in a row: no letter of two bytes
])
def test_marks_no_multibyte_reader_leaves_are_not_read_as_its_letters(line: str) -> None:
    assert clean_text(line, only=["repair"]).text == line


@pytest.mark.parametrize("reader", ["euc_kr", "big5", "euc_jp"])
@pytest.mark.parametrize("original", [
    "Il comitato ricontrollerà tutti i documenti entro sabato sera.",
    "Domani la squadra riorganizzerà gli allenamenti nella palestra nuova.",
])
def test_a_marked_letter_in_a_word_no_list_holds_is_the_one_the_language_writes(original: str, reader: str) -> None:
    # Italian futures like ``ricontrollerà`` are missing from the word lists; of the letters these
    # readers drop whole, Italian writes only ``à`` in lower case.
    result = clean_text(marked(original, reader), only=["repair"])
    assert result.text == original
    assert [edit.detail["settled_by"] for edit in result.edits] == ["letter-pairs"]


def test_a_marked_letter_starting_a_word_at_a_sentence_start_is_left() -> None:
    # Capital or not, nothing in the word says: Hungarian ``Úgy`` or ``úgy``.
    line = "\ufffd\ufffdgy vélte, hogy a megoldás egyszerű."
    assert clean_text(line, only=["repair"]).text == line
