"""The languages a line is written in, as evidence for its repair (cleaner/languages.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner import clean_text, evidence, languages_data, repair_search, traceless
from cleaner.languages import identify, line_fit, render_data_module, step_cost_in, text_cost_in, writes
from cleaner.repair_lm import text_cost


def test_data_module_is_the_rebuild_output() -> None:
    shipped = Path(languages_data.__file__).read_text(encoding="utf-8")
    assert shipped == render_data_module(), "wordfreq changed: run python -m cleaner.languages --rebuild"


@pytest.mark.parametrize(("text", "expected"), [
    ("Kromě karet kriminalisté u mužů", "cs"),
    ("Declaraţia ŞOCANTĂ a lui Iohannis despre Ceauşescu", "ro"),  # the cedilla spellings too
    ("Ορισμένοι από τους πελάτες", "el"),
    ("учебник по истории России", "ru"),
    ("A Déli pályaudvart január 31-én zárta le teljesen a MÁV", "hu"),
])
def test_a_line_s_letters_tell_its_language(text: str, expected: str) -> None:
    assert expected in identify(text)


@pytest.mark.parametrize("text", [
    "plain ASCII says nothing",
    "one é is not enough",
    "ÃƒÂ©Ã¢â‚¬â„¢ ÃƒÂ© Ã©",  # mojibake is no language's letters (ã and â would say Vietnamese)
    "漢字とかなの行",  # no alphabet here
])
def test_too_little_or_no_evidence_tells_nothing(text: str) -> None:
    assert identify(text) == ()


def test_a_line_without_accents_tells_its_language_by_its_letter_pairs() -> None:
    # Enough words of plain ASCII tell Croatian (lj, mj, ...) or French; English, which has no
    # letters of its own, tells nothing about accents.
    assert identify("pred zarobljeni kog logora i ostalih mjesta gdje su bili zatočeni") == ("sh",)
    assert identify("Le type de visa requis pour entrer en France dépend la fois de la durée") == ("fr",)
    assert identify("He said the café was good and then left for home with friends") == ()


def test_the_language_prices_its_own_letters_and_not_others() -> None:
    assert writes(("cs",), "ě") and writes(("cs",), "Ř") and not writes(("cs",), "ē")
    assert writes(("de",), "ß") and not writes(("cs",), "ß")
    assert writes(("el",), "ς")  # the lists fold it to σ
    czech = ("cs",)
    assert text_cost_in(czech, "padělaných") < text_cost_in(czech, "padēlaných")
    assert text_cost_in(czech, "padělaných") < text_cost_in(czech, "padßlaných")
    # The character model alone barely tells them apart: that is what the language adds.
    model_gap = text_cost("padēlaných") - text_cost("padělaných")
    language_gap = text_cost_in(czech, "padēlaných") - text_cost_in(czech, "padělaných")
    assert language_gap > model_gap + 3.0
    # The letters before a step count too: ``-ском`` is Russian, ``-уком`` hardly.
    russian = ("ru",)
    assert text_cost_in(russian, "Коломенуком") > text_cost_in(russian, "Коломенском") + 3.0
    # Steps without a non-ASCII letter are the model's own; so is everything with no language.
    assert step_cost_in(czech, "a", "b") == step_cost_in((), "a", "b")
    assert text_cost_in((), "padēlaných") == text_cost("padēlaných")


def assert_restored_only_with(broken: str, original: str, take_away: Callable[[], None]) -> None:
    """``broken`` is repaired to ``original``, and is not once ``take_away`` has removed the
    evidence that settles it."""
    assert clean_text(broken, only=["repair"]).text == original
    take_away()
    assert clean_text(broken, only=["repair"]).text != original


# Lines the repair gets right because the rest of the line says which language it is in, and
# leaves unsettled (or gets wrong) without that evidence.
@pytest.mark.parametrize(("original", "codec", "variant"), [
    ("A Déli pályaudvart január 31-én zárta le teljesen a MÁV.", "cp1257", "replace"),
    ("да бъдат общодостъпни, а висше", "cp1252", "ignore"),  # с, not я or э: the triples say
    # à lost whole (C3 A0: EUC-KR wants a second byte from A1): French by its other words, and
    # Arabic و, a word as common, is no French word.
    ("Pour des séjours égaux à 90 jours, le visa", "euc_kr", "replace"),
    ("Le type de visa requis pour entrer en France dépend à la fois de la durée", "big5", "replace"),
])
def test_the_line_s_language_settles_what_the_model_does_not(
        original: str, codec: str, variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def without_languages() -> None:
        monkeypatch.setattr(evidence, "identify", lambda context: ())
        monkeypatch.setattr(traceless, "identify", lambda context: ())  # its holes, by the same evidence
        monkeypatch.setattr(repair_search, "identify", lambda context: ())  # two readers' words

    assert_restored_only_with(original.encode("utf-8").decode(codec, variant), original, without_languages)


# Lines whose other letters do not settle the damaged one, and the line as each reading leaves it
# does (evidence._weighed_in_the_line): Hungarian á, not ß or Á (C3 A1 and C3 9F, C3 81 all lose
# their second byte to cp1257); Hebrew ט (D7 98, 98 lost to cp1250), not the × of D7 97.
@pytest.mark.parametrize(("original", "codec", "variant"), [
    ("Az új terápiáinak eredményei biztatóak", "cp1257", "replace"),
    ("במחקר נבדקו דיאלקטים וסוציולקטים שונים", "cp1250", "ignore"),
    ("הם דיברו על הניבים (סוציולקטים) של העיר", "cp1250", "replace"),
])
def test_a_reading_is_weighed_in_the_line_it_makes(
        original: str, codec: str, variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_restored_only_with(original.encode("utf-8").decode(codec, variant), original,
                              lambda: monkeypatch.setattr(evidence, "LINE_FIT_WEIGHT", 0.0))


def test_a_repair_gains_in_the_languages_of_the_line_it_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    # ă lost its 83 to cp1250: ``reproseazÄ``. Without the ă the line's letters point to
    # Slovak, which writes neither ă nor ā (1.0 nat apart by the character model): the repair
    # gained too little to make. With it the line is Romanian, which writes only ă.
    original = "Se reprosează probleme de rasism."
    broken = original.encode("utf-8").decode("cp1250", "ignore")
    assert "ro" not in identify(broken)
    assert clean_text(broken, only=["repair"]).text == original
    monkeypatch.setattr(evidence, "LINE_FIT_READINGS", 0)
    assert clean_text(broken, only=["repair"]).text == broken


def test_the_line_is_weighed_only_in_its_own_languages() -> None:
    # The first reading of the line leaves ``terĆpiĆinak``, ``hatĆsĆt``: Polish explains that
    # mojibake best of all languages, and explains it best with ß (which its pairs see as s).
    # Weighed in Hungarian, which the line's letters point to, the second Ć is á.
    original = "A kutatás a terápiáinak hatását vizsgálta"
    assert clean_text(original.encode("utf-8").decode("cp1257", "ignore"), only=["repair"]).text == original
    assert line_fit("A kutatĆs a terĆpißinak", ("hu",)) > line_fit("A kutatĆs a terĆpiáinak", ("hu",))
    assert line_fit("A kutatĆs a terĆpißinak") < line_fit("A kutatĆs a terĆpiáinak")


# Lines that once needed the line's language too, and that the words settle alone since the index
# holds wordfreq's large lists (``padělaných``, ``koně``) and reads Romanian cedillas as the lists'
# commas (``şocantă``).
@pytest.mark.parametrize(("original", "codec", "variant"), [
    ("Kromě padělaných karet kriminalisté u mužů", "euc_kr", "replace"),  # ě lost whole; not ē
    ("Byli jsme jen bílí koně, hájili se Asiaté", "cp1257", "ignore"),
    ("+Declaraţia ŞOCANTĂ a lui Iohannis despre Ceauşescu", "cp1253", "replace"),
])
def test_lines_the_words_settle_in_any_language(original: str, codec: str, variant: str) -> None:
    broken = original.encode("utf-8").decode(codec, variant)
    assert clean_text(broken, only=["repair"]).text == original


def test_clean_text_in_many_languages_is_left_alone() -> None:
    lines = [
        "Kromě padělaných karet kriminalisté u mužů zajistili hodinky.",
        "Şeful statului a declarat că România îşi respectă angajamentele.",
        "Τα παιδιά έπαιζαν στην αυλή μέχρι το βράδυ.",
        "Grüße aus München, sagte der Straßenbahnfahrer.",
        "Tiếng Việt có sáu thanh điệu.",
    ]
    for line in lines:
        assert clean_text(line, only=["repair"]).text == line


# A damaged double quotation mark is read as the line's language sets it (CLDR's delimiters):
# Czech opens with „ and closes with “ (cp1254 lost the 9E of „: E2 80 9E; ” would be 9D);
# unless the line shows a convention of its own (Croatian news that quote “…”).
@pytest.mark.parametrize(("original", "codec", "variant"), [
    ("„Tito mladíci nevědí, co dělají,“ řekl.", "cp1254", "ignore"),
    ("Maďarsko sa musí zmeniť, povedal „áno,“ a odišiel", "shift_jis", "ignore"),
    ("“U Oluji je počinjen genocid”, reče mi nedavno jedan prijatelj", "gbk", "ignore"),
    # Hungarian opens with „ and closes with ”: both lost their last byte (9E, 9D) to cp1254.
    ("A drogmentes maratont szervező „Együtt egy Drogmentes Magyarországért Alapítvány” is a "
     "szcientológusok érdekkörébe tartozik.", "cp1254", "ignore"),
])
def test_a_damaged_quotation_mark_is_read_in_the_line_s_style(original: str, codec: str, variant: str) -> None:
    broken = original.encode("utf-8").decode(codec, variant)
    assert clean_text(broken, only=["repair"]).text == original


# Where the mark stands says what it is, when the bytes do not (GBK read the E2 80 of every
# quotation mark, dash and ellipsis as 鈥 and dropped the last byte): a mark that closes a
# quotation after the sentence's stop ends the line as a stop does (not ``čišćenje.…``),
# after a comma and before a space prose sets a closing mark, not a dash or a bullet, and
# between two letters an apostrophe.
@pytest.mark.parametrize(("original", "codec"), [
    ("“Nije to bio genocid, nego etničko čišćenje.”", "gbk"),
    ("On je rekao: “Nije to bio genocid, nego etničko čišćenje.”", "gb18030"),
    ("Bolo to naozaj ťažké obdobie,“ povedal na tlačovej konferencii minister.", "gbk"),
    ("Bylo to opravdu těžké období,“ řekl na tiskové konferenci ministr.", "gb18030"),
    # Between letters a quotation mark is the apostrophe ’ (cp874 lost the 99 of E2 80 99), even
    # inside a quotation ” would close:
    ("Başbakan “Ankara’da yeni bir dönem başlıyor” dedi ve PKK’nın açıklamasını eleştirdi.", "cp874"),
])
@pytest.mark.parametrize("variant", ["ignore", "replace"])
def test_a_damaged_mark_is_read_by_where_it_stands(original: str, codec: str, variant: str) -> None:
    broken = original.encode("utf-8").decode(codec, variant)
    result = clean_text(broken, only=["repair"])
    assert result.text == original and result.warnings == []


def test_what_a_mark_s_place_costs() -> None:
    from cleaner.evidence import (
        MARK_AFTER_STOP_COST,
        QUOTE_IN_WORD_COST,
        _after_stop_cost,
        _ends_sentence,
        _in_word_cost,
    )

    assert _ends_sentence("”", "genocid.") and _ends_sentence("…", "kell") and _ends_sentence("」", "です。")
    assert not _ends_sentence("”", "genocid") and not _ends_sentence("—", "genocid.")
    assert _after_stop_cost("–", "obdobie,", " povedal") == _after_stop_cost("•", "a.", " b") == MARK_AFTER_STOP_COST
    assert _after_stop_cost("“", "obdobie,", " povedal") == _after_stop_cost("»", "fin.", " Il") == 0.0
    assert _after_stop_cost("–", "obdobie", " povedal") == _after_stop_cost("–", "obdobie,", "povedal") == 0.0
    assert _in_word_cost("”", "Ankara", "da") == _in_word_cost("„", "a", "b") == QUOTE_IN_WORD_COST
    assert _in_word_cost("’", "Ankara", "da") == _in_word_cost("”", "Ankara", " dedi") == 0.0


def test_quotation_style_costs_only_a_mark_the_line_s_languages_do_not_set() -> None:
    from cleaner.evidence import QUOTE_STYLE_COST, _quote_style_cost

    assert _quote_style_cost("”", ("cs",)) == QUOTE_STYLE_COST
    assert _quote_style_cost("“", ("cs",)) == _quote_style_cost("”", ("hu",)) == 0.0
    assert _quote_style_cost("”", ()) == 0.0  # no language told: no style
    assert _quote_style_cost("”", ("sh",), "“U Oluji je genocid") == 0.0  # opened English-style
    assert _quote_style_cost("”", ("cs",), "a ”b” c", "") == 0.0  # the line sets ” itself
    assert _quote_style_cost("a", ("cs",)) == 0.0
    # Where it stands: Hungarian opens with „ and closes with ”; Swedish opens and closes with ”.
    assert _quote_style_cost("”", ("hu",), "szervező ", "Együtt") == QUOTE_STYLE_COST
    assert _quote_style_cost("„", ("hu",), "szervező ", "Együtt") == 0.0
    assert _quote_style_cost("”", ("hu",), "Alapítvány", " is") == 0.0
    assert _quote_style_cost("„", ("hu",), "Alapítvány", " is") == QUOTE_STYLE_COST
    assert _quote_style_cost("”", ("sv",), "säger ", "Nej") == 0.0


def test_a_letter_the_model_knows_in_another_spelling_is_read_as_the_line_s_language_writes_it() -> None:
    # Romanian ţ (cedilla, C5 A3) through cp1254 is ``Å£``: the character model, which knows
    # mostly the comma spelling ț, found ``corupÅ£iei`` as likely as ``corupţiei``.
    original = ("În timpul interviului, preşedintele a declarat că eradicarea corupţiei a fost tema "
                "principală a campaniei sale electorale şi că România trebuie să respecte trei puncte.")
    assert clean_text(original.encode("utf-8").decode("cp1254", "ignore"), only=["repair"]).text == original


def test_word_list_holds_wordfreqs_list_exactly() -> None:
    import wordfreq

    from cleaner.languages import WordList, word_list

    expected = wordfreq.get_frequency_dict("cs", "small")
    words = word_list("cs")
    assert isinstance(words, WordList)
    assert list(words) == list(expected.items())  # same words, same frequencies, same order
    assert all(words.get(word) == frequency for word, frequency in list(expected.items())[::97])
    assert words.get("chřipka") == expected["chřipka"] > 0
    assert words.get("chřipká") == 0.0 and words.get("chřipka ") == 0.0
    assert words[-1] == list(expected.items())[-1]


def test_word_lists_are_not_kept_by_wordfreqs_own_caches() -> None:
    """wordfreq caches every list it reads, unbounded; the cap on word lists must be the only
    thing that keeps them."""
    import wordfreq

    from cleaner.languages import word_list

    word_list.cache_clear()
    wordfreq.get_frequency_list.cache_clear()
    wordfreq.get_frequency_dict.cache_clear()
    word_list("pl")
    assert wordfreq.get_frequency_list.cache_info().currsize == 0
    assert wordfreq.get_frequency_dict.cache_info().currsize == 0


def test_wordfreq_files_are_read_as_wordfreq_reads_them() -> None:
    """The lists are read from wordfreq's files directly (importing wordfreq costs ~0.17 s a
    process); the words and their order must be wordfreq's own, small and large lists alike,
    and a code only wordfreq's matching resolves still finds its list."""
    import wordfreq

    from cleaner.wordfreq_files import frequency_buckets, has_list

    for language, wordlist in (("cs", "small"), ("ru", "large"), ("zh", "small"), ("ar", "large")):
        assert frequency_buckets(language, wordlist) == wordfreq.get_frequency_list.__wrapped__(language, wordlist)
    assert not has_list("pt-BR", "small")
    assert frequency_buckets("pt-BR", "small") == wordfreq.get_frequency_list.__wrapped__("pt", "small")


def test_repairing_a_damaged_line_does_not_import_wordfreq() -> None:
    import subprocess
    import sys

    # Bulgarian through cp1252, which drops the bytes it has no character for: the word lists
    # weigh the readings of the lost bytes, so they are read.
    probe = (
        "import sys\n"
        "from cleaner import clean_text\n"
        "from cleaner.languages import word_list\n"
        "text = 'Всички хора се раждат свободни и равни по достойнство и права.'\n"
        "clean_text(text.encode('utf-8').decode('cp1252', 'ignore'))\n"
        "assert word_list.cache_info().currsize > 0, 'no word list was read'\n"
        "print(sorted(name for name in ('wordfreq', 'langcodes') if name in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_packed_triples_cost_what_the_stored_table_says() -> None:
    from cleaner.languages import _entries, _languages, _triples

    for language in ("cs", "ru", "el", "vi"):
        stored = dict(_entries(_languages()[language][2], 3))
        packed = _triples(language)
        assert len(packed) == len(stored) > 1000
        assert all(packed.get(key, -1.0) == level * languages_data.STEP for key, level in stored.items())
        # Keys that differ from stored ones in one code point are not found.
        for key in list(stored)[:200]:
            for other in (key[:2] + chr(ord(key[2]) + 1), chr(ord(key[0]) ^ 1) + key[1:]):
                if other not in stored:
                    assert packed.get(other, -1.0) == -1.0
