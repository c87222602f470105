"""Evidence for choosing among the readings of a run whose bytes were partly lost.

Where bytes were lost, each damaged character has several readings (杨 E6 9D A8 arrived without
its 9D: 恨, 杨, 樁 and 樝 all fit). The language model (:mod:`cleaner.repair_lm`) scores a whole
reading as a chain of character pairs, so the best reading of a run is a Viterbi path, and the
evidence for each damaged character is its *max-marginal margin*: how much cheaper the best
reading is than the best reading with that character read any other way. A character is
settled only when that margin is clear; otherwise the caller keeps the text and warns.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from cleaner.languages import FOREIGN_LETTER, identify, line_fit, text_cost_in, word_frequency, writes
from cleaner.mojibake import Piece
from cleaner.repair_lm import char_class, char_cost, is_word_char, step_cost, text_cost
from cleaner.word_index import MAX_THAI_WORD, word_index

# The margin (nats) by which the best reading of a damaged character must beat every other:
# e^2.5 ~ 12 times likelier. (3 nats left Korean 역사적 over 역사점, 2.8 apart, unsettled; at
# 2.5 the lost cells of the matrix at --lines 5 gained 14 cases and lost 1, with no false repair
# on the clean lines or the 50 MB prose pool.)
CLEAR_MARGIN = 2.5
# Unsettled ideographs are re-weighed with dictionary words when there are at most this many
# combinations of their readings.
MAX_RESCORED = 512
MAX_CJK_WORD = 6
# An ideograph outside every dictionary word costs this much on top of its own cost.
OUT_OF_WORD = 3.0


@dataclass(frozen=True)
class Choice:
    """The best reading of a run, and the evidence for each of its characters."""

    pieces: tuple[Piece, ...]
    cost: float  # of the best reading, in its context
    margins: tuple[float, ...]  # per character: inf where there was nothing to choose
    readings: int  # how many readings there were (product of the options, capped)
    languages: tuple[str, ...] = ()  # the languages the line points to (as the best reading leaves it), if any

    @property
    def settled(self) -> bool:
        return all(margin >= CLEAR_MARGIN for margin in self.margins)

    @property
    def confidence(self) -> float:
        """1 - e^-margin of the least certain character (1.0 when nothing was in doubt)."""
        margin = min(self.margins, default=math.inf)
        return 1.0 if margin == math.inf else round(1.0 - math.exp(-margin), 4)

    def unsettled(self) -> list[int]:
        return [index for index, margin in enumerate(self.margins) if margin < CLEAR_MARGIN]


def choose(choices: Sequence[Sequence[Piece]], before: str = " ", after: str = " ") -> Choice:
    """The cheapest reading of a run between the characters ``before`` and ``after``.

    >>> pieces = [(Piece("с", b""), Piece("э", b""), Piece("я", b"")), (Piece("п", b""),),
    ...           (Piece("а", b""),), (Piece("с", b""),), (Piece("и", b""),), (Piece("б", b""),),
    ...           (Piece("о", b""),)]
    >>> best = choose(pieces)
    >>> "".join(p.char for p in best.pieces), best.margins[0] > 0, best.margins[1]
    ('спасибо', True, inf)
    """
    count = len(choices)
    if count == 0:
        return Choice((), 0.0, (), 1)
    # forward[i][k]: cheapest cost of the run up to character i, read as option k.
    forward: list[list[float]] = []
    back: list[list[int]] = []
    for index, options in enumerate(choices):
        row: list[float] = []
        pointers: list[int] = []
        for option in options:
            if index == 0:
                row.append(step_cost(before, option.char))
                pointers.append(-1)
                continue
            best, pointer = math.inf, -1
            for k, previous in enumerate(choices[index - 1]):
                cost = forward[index - 1][k] + step_cost(previous.char, option.char)
                if cost < best:
                    best, pointer = cost, k
            row.append(best)
            pointers.append(pointer)
        forward.append(row)
        back.append(pointers)
    # backward[i][k]: cheapest cost of everything after character i, given option k at i.
    backward: list[list[float]] = [[0.0] * len(options) for options in choices]
    backward[-1] = [step_cost(option.char, after) for option in choices[-1]]
    for index in range(count - 2, -1, -1):
        for k, option in enumerate(choices[index]):
            backward[index][k] = min(
                step_cost(option.char, following.char) + backward[index + 1][j]
                for j, following in enumerate(choices[index + 1])
            )
    totals = [[forward[i][k] + backward[i][k] for k in range(len(choices[i]))] for i in range(count)]
    last = min(range(len(choices[-1])), key=lambda k: totals[-1][k])
    path = [last]
    for index in range(count - 1, 0, -1):
        path.append(back[index][path[-1]])
    path.reverse()
    margins = []
    for index, options in enumerate(choices):
        if len(options) == 1:
            margins.append(math.inf)
            continue
        ranked = sorted(totals[index])
        margins.append(ranked[1] - ranked[0])
    readings = 1
    for options in choices:
        readings = min(readings * len(options), 10**9)
    best_cost = totals[-1][last]
    return Choice(tuple(choices[i][k] for i, k in enumerate(path)), best_cost, tuple(margins), readings)


def is_cjk(char: str) -> bool:
    return (
        "\u3040" <= char <= "\u30ff"
        or "\u3400" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7a3"
        or "\uf900" <= char <= "\ufaff"
    )


@cache
def _simplified() -> dict[int, str]:
    """wordfreq's traditional -> simplified table (its own module would need jieba)."""
    from cleaner.wordfreq_files import data_dir, read_msgpack_gz

    table = read_msgpack_gz(data_dir() / "_chinese_mapping.msgpack.gz")
    return {code: chr(value) if isinstance(value, int) else value for code, value in table.items()}


def _word_cost(word: str) -> float | None:
    """-ln frequency of a CJK word in the best of the Chinese, Japanese and Korean lists (the
    Chinese list is in simplified characters)."""
    index = word_index()
    cost = index.cost(word)
    simplified = word.translate(_simplified())
    if simplified != word:
        other = index.cost(simplified)
        if other is not None and (cost is None or other < cost):
            cost = other
    return cost


def cjk_cost(run: str) -> float:
    """Cost of a run of ideographs, kana or hangul: its cheapest split into dictionary words.

    >>> cjk_cost("杨洁篪") < cjk_cost("捨援篪")
    True
    """
    best = [0.0] + [math.inf] * len(run)
    for end in range(1, len(run) + 1):
        for length in range(1, min(MAX_CJK_WORD, end) + 1):
            word = run[end - length : end]
            cost = _word_cost(word)
            if cost is None:
                if length > 1:
                    continue
                cost = char_cost(word) + OUT_OF_WORD
            best[end] = min(best[end], best[end - length] + cost)
    return best[-1]


def is_thai(char: str) -> bool:
    """A Thai letter or mark (not a Thai digit, nor the baht sign)."""
    return "\u0e01" <= char <= "\u0e3a" or "\u0e40" <= char <= "\u0e4e"


@lru_cache(maxsize=65536)  # the windows of a rescored run share most of their substrings
def _thai_word_cost(word: str) -> float | None:
    return word_index().cost(word)


# A Thai letter outside every listed word costs this much on top of what the pairs ask for it.
OUT_OF_THAI_WORD = 1.5


def thai_cost(run: str) -> float:
    """Cost of a run of Thai: its cheapest split into the Thai National Corpus's words and letters
    outside them, which the character pairs price (with :data:`OUT_OF_THAI_WORD`). Thai sets no
    spaces between words, so the pairs alone see a word's letters run on into the next; the words
    tell ``ราชการ`` (civil service) from ``รางการ``, which is no word.

    >>> thai_cost("ภาษาราชการ") < thai_cost("ภาษารางการ")
    True
    """
    best = [0.0] + [math.inf] * len(run)
    for end in range(1, len(run) + 1):
        previous = run[end - 2] if end > 1 else " "
        best[end] = best[end - 1] + step_cost(previous, run[end - 1]) + OUT_OF_THAI_WORD
        for length in range(1, min(MAX_THAI_WORD, end) + 1):
            cost = _thai_word_cost(run[end - length : end])
            if cost is not None and best[end - length] + cost < best[end]:
                best[end] = best[end - length] + cost
    return best[-1]


# Scripts whose words the word index holds (:mod:`cleaner.word_index`): a word found there
# costs its -ln frequency, a word found nowhere its character cost plus OUT_OF_DICTIONARY.
# Latin-script words count only with a non-ASCII letter: the index holds no others (a lost byte
# is always part of a non-ASCII character, so an all-ASCII word is never what is in question).
DICTIONARY_SCRIPTS = frozenset({"L:CYRILLIC", "L:GREEK", "L:ARABIC", "L:HEBREW", "L:LATIN"})
OUT_OF_DICTIONARY = 4.0
LISTED_CAPITAL_COST = 0.7  # as the character model charges a word's capital (repair_lm.step_cost)
# A word the merged index holds but none of the line's languages' lists: another language's word.
# Small, since the languages are told from a line that is still mojibake (``ToatÄ cÄ sÄ`` looks
# Finnish): larger prices rejected Romanian ``că`` there, and gained nothing on the matrix.
OTHER_LANGUAGE_WORD = 1.0


def _dictionary_word_cost(word: str, languages: tuple[str, ...] = ()) -> float | None:
    """``None`` if the index does not cover the word; else the word's cost.

    >>> _dictionary_word_cost("réflexion") < _dictionary_word_cost("rÿflexion")
    True
    >>> _dictionary_word_cost("reflection") is None
    True
    """
    script = char_class(word[0])
    if script not in DICTIONARY_SCRIPTS or (script == "L:LATIN" and word.isascii()):
        return None
    cost = None
    if written_case(word):
        folded = word.casefold()
        found = listed_as(folded)
        cost, folded, marks = (None, folded, 0.0) if found is None else found
        if cost is not None and word[0].isupper():
            # The lists are case folded; the model's small price for a capital stays, so that
            # a tie between ``în`` and ``În`` mid-sentence goes to the commoner spelling.
            cost += LISTED_CAPITAL_COST
        if cost is not None and languages:
            own = word_frequency(folded, languages)
            if own > 0:
                # The line's own languages' lists tell their words apart where the merged index
                # holds both: Croatian ``većina``, Slovene ``večina``.
                cost = -math.log(own) + (LISTED_CAPITAL_COST if word[0].isupper() else 0.0)
            else:
                cost += OTHER_LANGUAGE_WORD
            # A listed word of another language's letters pays for them as the model would:
            # in a French line, Arabic و is a common word, but no French one.
            cost += FOREIGN_LETTER * sum(1 for char in folded if not char.isascii() and not writes(languages, char))
        if cost is not None:
            cost += marks
        if cost is None and script == "L:LATIN" and not folded.isascii():
            # A Cyrillic word typed with a Latin look-alike (``Tехническото``, a Latin T): the
            # word is the Cyrillic one, at a small price for the odd letter.
            cyrillic = word.translate(_LATIN_AS_CYRILLIC).casefold()
            if cyrillic != folded and char_class(cyrillic[0]) == "L:CYRILLIC":
                found = word_index().cost(cyrillic)
                cost = None if found is None else found + HOMOGLYPH_COST
    return cost if cost is not None else _text_cost(word, " ", languages) + OUT_OF_DICTIONARY


# Arabic vowel signs (harakat), shadda, sukun and the tatweel: the word lists are written without
# them (wordfreq strips them), and the character model, which learnt from those lists, prices each
# at 13-15 nats as if never seen. A word is looked up without them, and pays this much for each:
# ``يُشار`` is the listed ``يشار`` with a damma, not ``يفشار`` (D9 8F against D9 81, one byte lost).
ARABIC_MARK_COST = 3.0
# ... but tanwin (``ً ٌ ٍ``) ends a word (fathatan before a last alif: ``أحيانًا``); elsewhere it
# costs this much more, so that the damma of ``يُشار`` is not a tie with the kasratan of ``يٍشار``.
MISPLACED_TANWIN_COST = 5.0
_ARABIC_MARKS = frozenset(chr(code) for code in (*range(0x064B, 0x0660), 0x0670, 0x0640))
_TANWIN = frozenset("ًٌٍ")


def listed_form(word: str) -> tuple[str, float]:
    """``word`` as the word lists write it, and what the marks that took off cost.

    >>> listed_form("يُشار"), listed_form("réflexion")
    (('يشار', 3.0), ('réflexion', 0.0))
    >>> listed_form("أحيانًا")[1] < listed_form("يٍشار")[1]
    True
    """
    if not _ARABIC_MARKS.intersection(word):
        return word, 0.0
    bare = "".join(char for char in word if char not in _ARABIC_MARKS)
    cost = ARABIC_MARK_COST * (len(word) - len(bare))
    for index, char in enumerate(word):
        if char in _TANWIN and word[index + 1 :] not in ("", "ا", "ى"):
            cost += MISPLACED_TANWIN_COST
    return bare, cost


# Romanian s and t with a cedilla (``ş``, ``ţ``), as older encodings and keyboards wrote them:
# wordfreq's lists hold the comma-below letters only (``președinte``); Turkish ``ş`` is the cedilla.
_ROMANIAN_COMMA = str.maketrans("şţ", "șț")


def listed_as(folded: str) -> tuple[float, str, float] | None:
    """The index's cost of a case-folded word, the form it holds it in, and the cost of the
    marks that form leaves out (:func:`listed_form`); ``None`` if it holds no form of it.

    >>> listed_as("preşedinte")[1], listed_as("şehir")[1]
    ('președinte', 'şehir')
    """
    bare, marks = listed_form(folded)
    if not bare or folded[0] in _ARABIC_MARKS:
        return None  # (a mark begins no word: it sits on the letter before it)
    cost = word_index().cost(bare)
    if cost is None and ("ş" in bare or "ţ" in bare):
        bare = bare.translate(_ROMANIAN_COMMA)
        cost = word_index().cost(bare)
    return None if cost is None else (cost, bare, marks)


def _text_cost(text: str, before: str, languages: tuple[str, ...]) -> float:
    """The character model's cost of ``text``, as ``languages`` write it where any are known."""
    return text_cost_in(languages, text, before) if languages else text_cost(text, before)


# Latin letters that look like Cyrillic ones.
_LATIN_AS_CYRILLIC = str.maketrans("ABCEHIKMOPTXYaceiopxy", "АВСЕНІКМОРТХУасеіорху")
HOMOGLYPH_COST = 2.0


def written_case(word: str) -> bool:
    """Whether a word is in a case words are written in: lower, Title or UPPER, and, in Greek,
    with ς only at its end and σ never there. The index is case folded, so without this
    ``DaŁ`` would be the Polish ``dał`` (``Daň`` lost its 88), and ``ςτη`` the Greek ``στη``.

    >>> written_case("daň"), written_case("Daň"), written_case("DAŇ"), written_case("DaŁ")
    (True, True, True, False)
    >>> written_case("στης"), written_case("ςτης"), written_case("στησ")
    (True, False, False)
    """
    rest = word[1:]
    if "ς" in word[:-1] or word.endswith("σ"):
        return False
    return rest == rest.lower() or word == word.upper()


# A Hebrew acronym writes a geresh or gershayim before its last letter (``תנ"ך``, ``חז"ל``,
# ``צה"ל``), mostly as ASCII quotes: the lists hold such words whole, quote and all.
ACRONYM_MARKS = frozenset("\"'\u05f3\u05f4")


def inside_acronym(text: str, index: int) -> bool:
    """Whether ``text[index]`` is the mark inside a Hebrew acronym: between two Hebrew letters.

    >>> inside_acronym('בתנ"ך כשמו', 3), inside_acronym('"מורה"', 0), inside_acronym('say "hi"', 4)
    (True, False, False)
    """
    return (0 < index < len(text) - 1 and text[index] in ACRONYM_MARKS
            and char_class(text[index - 1]) == "L:HEBREW" == char_class(text[index + 1]))


def reading_cost(text: str, before: str = " ", after: str = " ", languages: tuple[str, ...] = ()) -> float:
    """:func:`cleaner.repair_lm.text_cost`, with each CJK or Thai run costed by dictionary words
    where that is cheaper (the character model knows few ideograph pairs, and no Thai word ends),
    and each word of a script
    with affordable word lists costed by those lists. With ``languages`` (see
    :func:`cleaner.languages.identify`), letters are priced as those languages write them."""
    cost = _text_cost(text + after, before, languages)
    index = 0
    while index < len(text):
        char = text[index]
        if is_cjk(char):
            end = index
            while end < len(text) and is_cjk(text[end]):
                end += 1
            run = text[index:end]
            cost -= max(0.0, text_cost(run) - cjk_cost(run))
            index = end
        elif is_thai(char):
            end = index
            while end < len(text) and is_thai(text[end]):
                end += 1
            run = text[index:end]
            cost += thai_cost(run) - text_cost(run)
            index = end
        elif is_word_char(char) and char_class(char) in DICTIONARY_SCRIPTS:
            end = index
            while end < len(text) and (is_word_char(text[end]) or inside_acronym(text, end)):
                end += 1
            word = text[index:end]
            whole = (index == 0 and is_word_char(before)) or (end == len(text) and is_word_char(after))
            dictionary = None if whole else _dictionary_word_cost(word, languages)
            if dictionary is not None:
                cost += dictionary - _text_cost(word, " ", languages)
            index = end
        else:
            index += 1
    return cost


# Too many damaged characters in one run to weigh every combination (a sentence of Chinese, or
# of Japanese, that lost a byte every few characters): the damaged characters are weighed in
# clusters of near neighbours (every combination within a cluster), each in a window of the
# text as the other choices left it, in two sweeps (a choice changes its neighbours' context).
RESCORE_SWEEPS = 2
CLUSTER_GAP = 2  # damaged characters this close, or in one word, are weighed together
MAX_CLUSTER = 1024  # combinations in one word's cluster (cheap to price: a lookup each)
MAX_WORD_CLUSTER = 1 << 20  # ... when its letters are all in one word, through a beam of
CLUSTER_BEAM = 64  # the likeliest partial readings by the character model
WORD_WINDOW = 12  # characters each side, within a word of an alphabet
CJK_WINDOW = MAX_CJK_WORD - 1  # characters each side for ideographs: a dictionary word's reach
THAI_WINDOW = MAX_THAI_WORD - 1  # ... and for Thai

# A bracket whose partner is nowhere on its side of the line is unlikely writing: the choice
# between 、 and 」 (E3 80 81 and E3 80 8D, one byte lost) is settled by the 「 before it, or
# its absence. The character model prices them alike.
_OPENERS = {"「": "」", "『": "』", "【": "】", "〔": "〕", "〖": "〗", "〘": "〙", "〚": "〛", "（": "）",
            "《": "》", "〈": "〉", "〝": "〞〟", "(": ")", "[": "]", "{": "}"}
_CLOSERS = {closer: opener for opener, closers in _OPENERS.items() for closer in closers}
UNPAIRED_BRACKET_COST = 5.0
# ... and a closing bracket where one of its kind is open is what the text needs next.
EXPECTED_CLOSER_COST = -4.0


# Double quotation marks pair by language (“…” in English, „…“ in German and Czech, „…” in
# Polish, Hungarian and Croatian), and “ both opens and closes; an unpaired one is common
# enough (a quotation that runs over lines) to cost nothing. What pairing does say: a mark that
# closes the quotation left open before it is what the text needs (”, not …, for the E2 80 9D
# that GBK lost the 9D of).
_QUOTE_CLOSERS = {"”": ("“", "„"), "“": ("„",)}
_PAIRED = frozenset(_OPENERS) | frozenset(_CLOSERS) | frozenset(_QUOTE_CLOSERS)


def _open_quote(before: str) -> str | None:
    """The double quotation mark left open at the end of ``before``, if any.

    >>> _open_quote("„Ano“ a „ne"), _open_quote("“yes” and “no"), _open_quote("done.”")
    ('„', '“', None)
    """
    stack: list[str] = []
    for char in before:
        if char == "„":
            stack.append(char)
        elif char == "“":
            if stack and stack[-1] == "„":
                stack.pop()
            else:
                stack.append(char)
        elif char == "”" and stack:
            stack.pop()
    return stack[-1] if stack else None


def _unpaired_cost(char: str, before: str, after: str) -> float:
    """What pairing says of a bracket ``char`` between ``before`` and ``after`` (0 for others).

    >>> _unpaired_cost("」", "「そう", "と"), _unpaired_cost("」", "「そう」と", ""), _unpaired_cost("、", "", "")
    (-4.0, 5.0, 0.0)
    >>> _unpaired_cost("（", "維基大典", "Wikipedia）者"), _unpaired_cost("（", "（a）", "b（c）")
    (-4.0, 0.0)
    """
    if char in _QUOTE_CLOSERS:
        if before[-1:].isalpha() and after[:1].isalpha():
            return 0.0  # inside a word it closes nothing (``„Ano, PKK”dan``): see _in_word_cost
        return EXPECTED_CLOSER_COST if _open_quote(before) in _QUOTE_CLOSERS[char] else 0.0
    if char in _OPENERS:
        closers = _OPENERS[char]
        if not any(closer in after for closer in closers):
            return UNPAIRED_BRACKET_COST
        # A closer after it that nothing before it opened is what this opener is there for:
        # ``維基大典（Wikipedia）`` (EF BC 88, the 88 lost), not ``！``.
        if before.count(char) <= sum(before.count(closer) for closer in closers):
            depth = 0
            for following in after:
                if following == char:
                    depth += 1
                elif following in closers:
                    if depth == 0:
                        return EXPECTED_CLOSER_COST
                    depth -= 1
        return 0.0
    if char in _CLOSERS:
        opener = _CLOSERS[char]
        open_brackets = before.count(opener) - sum(before.count(closer) for closer in _OPENERS[opener])
        return EXPECTED_CLOSER_COST if open_brackets > 0 else UNPAIRED_BRACKET_COST
    return 0.0


# At the end of a line (the rest of it known: line_known), white space is what extraction
# strips, a comma or an opening mark is what no sentence ends with, and the end of a sentence is
# what a line of prose most often ends with: ``。``, not ``\u3000``, ``、`` or ``々``, for the
# E3 80 ?? that GBK rejected the last two bytes of. A quotation or a bracket that closes after
# the sentence's own stop ends the sentence too: ``genocid.”`` (E2 80 9D, the 9D lost to GBK)
# is a line's end as much as ``kell…`` is.
LINE_END_SPACE_COST = 6.0
LINE_END_OPEN_COST = 3.0
LINE_END_SENTENCE_COST = -2.0
_CONTINUING = frozenset("、，,;；:：") | frozenset(_OPENERS)
_SENTENCE_END = frozenset("。！？．.!?…")
_CLOSING_MARKS = frozenset(_CLOSERS) | frozenset("”“»«’‘›‹")


def _ends_sentence(char: str, before: str) -> bool:
    """Whether ``char`` after ``before`` ends a sentence: a stop, or a closing mark after one.

    >>> _ends_sentence("…", "kell"), _ends_sentence("”", "genocid."), _ends_sentence("”", "genocid")
    (True, True, False)
    """
    return char in _SENTENCE_END or (char in _CLOSING_MARKS and before[-1:] in _SENTENCE_END)


# A mark with a space on each side: in 16 MB of prose in 44 languages (the throughput
# benchmark's pool of Debian documentation and news pages), 4,074 em dashes, 760 en dashes,
# 166 ellipses, 32 opening and 5 other quotation marks, no bullet: -ln of those shares, and the
# cost of one not seen there. Quotation marks hug their words; a spaced mark is a dash.
SPACED_MARK_COSTS = {"—": 0.2, "–": 1.9, "…": 3.4, "“": 5.0}
SPACED_UNSEEN_COST = 7.5
# Typesetting conventions say which dash a text uses where the bytes do not (GBK read the E2 80
# of both and lost the 93 or 94): Russian, Ukrainian and Bulgarian set the em dash (``Москва —
# столица``, ``1728—1732``); the languages of Central Europe a spaced en dash (``wpływ – mówi``),
# as common there as the em dash in English. The other dash then costs this much more.
DASH_CONVENTION_COST = 3.5
_DASHES = frozenset("–—")
_CENTRAL_EUROPEAN = frozenset("ąćęłńśźżčďěňřšťůľĺŕőűăâîșțşţ")


def _spaced_cost(char: str, before: str, after: str) -> float:
    """What a mark costs between two spaces, by the conventions of the script around it (0 for
    a letter or digit, or a mark not between spaces).

    >>> _spaced_cost("—", "Москва ", " столица"), _spaced_cost("–", "Москва ", " столица")
    (0.2, 5.4)
    >>> _spaced_cost("–", "wpływ ", " mówi"), _spaced_cost("—", "wpływ ", " mówi"), _spaced_cost("•", "a ", " b")
    (0.2, 5.4, 7.5)
    >>> _spaced_cost("—", "word", "word"), _spaced_cost("ž", "a ", " b")
    (0.0, 0.0)
    """
    if not (before.endswith(" ") and after.startswith(" ")) or unicodedata.category(char)[0] not in "PSZ":
        return 0.0
    cost = SPACED_MARK_COSTS.get(char, SPACED_UNSEEN_COST)
    if char in _DASHES:
        script = next((char_class(letter) for letter in reversed(before) if letter.isalpha()), None)
        if script is None:
            script = next((char_class(letter) for letter in after if letter.isalpha()), None)
        if script == "L:CYRILLIC":
            conventional = "—"
        elif script == "L:LATIN" and not _CENTRAL_EUROPEAN.isdisjoint((before + after).lower()):
            conventional = "–"
        else:
            return cost
        cost = SPACED_MARK_COSTS["—"] if char == conventional else SPACED_MARK_COSTS["–"] + DASH_CONVENTION_COST
    return cost


# After a comma or a stop and before a space, prose sets a closing mark: a quotation mark that
# closes (``na nákupy,“ popisoval``, Czech reported speech) or a bracket. In the throughput
# benchmark's pool of prose, 219 of the 24,000 double quotation marks stand there, and 2 of the
# 7,500 dashes and ellipses (0 dashes); no bullet or prime does. Any other mark of General
# Punctuation there costs this much: ``nákupy,“`` (E2 80 9C, the 9C lost to GBK), not
# ``nákupy,–``, ``nákupy,•`` or ``nákupy,′``.
MARK_AFTER_STOP_COST = 4.0


def _after_stop_cost(char: str, before: str, after: str) -> float:
    """:data:`MARK_AFTER_STOP_COST` for a mark of General Punctuation (U+2010-U+205E) that closes
    nothing, between a comma or stop and a space; else 0.

    >>> _after_stop_cost("–", "nákupy,", " popisoval"), _after_stop_cost("“", "nákupy,", " popisoval")
    (4.0, 0.0)
    >>> _after_stop_cost("–", "nákupy ", " popisoval"), _after_stop_cost("…", "kell", " és")
    (0.0, 0.0)
    """
    if ("\u2010" <= char <= "\u205e" and char not in _CLOSING_MARKS and before[-1:] in ",.;:!?"
            and after[:1].isspace()):
        return MARK_AFTER_STOP_COST
    return 0.0


# Between two letters, a quotation mark is an apostrophe: in the same pool, 12,192 ’ stand
# there (94% of them) and 202 of the 43,000 other quotation marks. Any other costs this much:
# Turkish ``Kolombiya’ya`` (E2 80 99, the 99 lost to cp874), not ``Kolombiya”ya``.
QUOTE_IN_WORD_COST = 4.0
_QUOTATION_MARKS = frozenset("‘‚“”„«»‹›")


def _in_word_cost(char: str, before: str, after: str) -> float:
    """:data:`QUOTE_IN_WORD_COST` for a quotation mark other than the apostrophe ’ between letters.

    >>> _in_word_cost("”", "Kolombiya", "ya"), _in_word_cost("’", "Kolombiya", "ya"), _in_word_cost("”", "ya", " dedi")
    (4.0, 0.0, 0.0)
    """
    if char in _QUOTATION_MARKS and before[-1:].isalpha() and after[:1].isalpha():
        return QUOTE_IN_WORD_COST
    return 0.0


# The double quotation marks each language sets (CLDR's delimiters, primary and alternate), as
# (opening, closing) pairs: in a Czech line ``„`` opens and ``“`` closes, and ``”`` is no mark of
# its; in a Hungarian line ``„`` opens and ``”`` closes. A mark none of the line's languages sets,
# or sets only on the other side of a quotation, costs QUOTE_STYLE_COST more, unless the line
# shows a convention of its own: Croatian news set English “…” as often.
QUOTATION_PAIRS = {
    "bg": ("„“",), "ca": ("«»", "“”"), "cs": ("„“", "»«"), "da": ("»«", "„“", "””"), "de": ("„“", "»«"),
    "el": ("«»", "“”"), "es": ("«»", "“”"), "fi": ("””", "»»"), "fr": ("«»", "“”"), "hu": ("„”", "»«"),
    "is": ("„“",), "it": ("«»", "“”"), "lt": ("„“",), "lv": ("«»", "„“", "“”"), "mk": ("„“",),
    "nb": ("«»", "“”"), "nl": ("“”", "„”"), "pl": ("„”", "«»"), "pt": ("«»", "“”"), "ro": ("„”", "«»"),
    "ru": ("«»", "„“"), "sh": ("„“", "»«"), "sk": ("„“", "»«"), "sl": ("„“", "»«"), "sv": ("””", "»»"),
    "tr": ("“”", "«»"), "uk": ("«»", "„“"), "vi": ("“”",),
}
QUOTATION_MARKS = {language: "".join(dict.fromkeys("".join(pairs))) for language, pairs in QUOTATION_PAIRS.items()}
_DOUBLE_QUOTES = frozenset("“”„«»")
QUOTE_STYLE_COST = 3.0
_BEFORE_OPENING = frozenset(" \t\xa0([{—–-/")
_AFTER_CLOSING = frozenset(" \t\xa0.,;:!?…)]}—–-/")


def _quote_style_cost(char: str, languages: tuple[str, ...], before: str = "", after: str = "") -> float:
    """:data:`QUOTE_STYLE_COST` if ``char`` is a double quotation mark none of ``languages``
    sets where it stands (none known: no cost), and the rest of the line (``before``,
    ``after``) shows no convention of its own: no mark the languages do not set, no quotation
    opened with ``“``. Where it stands: a mark after a space and before a word opens a
    quotation, one after a word and before a space or a stop closes it; Hungarian closes with
    ``”`` but opens with ``„``.

    >>> _quote_style_cost("”", ("cs",)), _quote_style_cost("“", ("cs",)), _quote_style_cost("”", ())
    (3.0, 0.0, 0.0)
    >>> _quote_style_cost("”", ("sh",), "“U Oluji je počinjen genocid")
    0.0
    >>> _quote_style_cost("”", ("hu",), "szervező ", "Együtt"), _quote_style_cost("„", ("hu",), "szervező ", "Együtt")
    (3.0, 0.0)
    >>> _quote_style_cost("”", ("hu",), "Alapítvány", " is")
    0.0
    """
    if char in _SINGLE_QUOTES:
        return _single_quote_cost(char, languages, before, after)
    if char not in _DOUBLE_QUOTES or not languages:
        return 0.0

    def sets(mark: str, side: int | None = None) -> bool:
        return any(language not in QUOTATION_PAIRS
                   or any(mark in (pair if side is None else pair[side]) for pair in QUOTATION_PAIRS[language])
                   for language in languages)

    if _open_quote(before) == "“" or any(not sets(mark) for mark in _DOUBLE_QUOTES.intersection(before + after)):
        return 0.0
    if not sets(char):
        return QUOTE_STYLE_COST
    opening = (not before or before[-1] in _BEFORE_OPENING) and after[:1].isalnum()
    closing = (before[-1:].isalnum() or before[-1:] in ".,!?…") and (not after or after[0] in _AFTER_CLOSING)
    if (opening and not sets(char, 0)) or (closing and not sets(char, 1)):
        return QUOTE_STYLE_COST
    return 0.0


_SINGLE_QUOTES = frozenset("‘‚’")


def _single_quote_cost(char: str, languages: tuple[str, ...], before: str, after: str) -> float:
    """:data:`QUOTE_STYLE_COST` for a single quotation mark that opens or closes a quotation in a
    line of languages that quote with double marks (every one in :data:`QUOTATION_PAIRS`), where
    the rest of the line opens no quotation with a single mark. The character model prices ‚ and
    „ alike, so a Czech ``„Tito`` that lost its 9E was as likely ``‚Tito``. Not an apostrophe
    between letters (``l’amico``, ``Asya’da``), and not in Korean, which quotes with ‘ ’.

    >>> _single_quote_cost("‚", ("cs",), "", "Tito"), _single_quote_cost("’", ("tr",), "Asya", "da")
    (3.0, 0.0)
    >>> _single_quote_cost("‘", ("ko",), "는 ", "북측"), _single_quote_cost("’", ("cs",), "‚Ano", " řekl")
    (0.0, 0.0)
    """
    if not languages or any(language not in QUOTATION_PAIRS for language in languages):
        return 0.0
    if "‘" in before or "‚" in before or "‘" in after or "‚" in after:
        return 0.0  # the line quotes with single marks itself
    opening = (not before or before[-1] in _BEFORE_OPENING) and after[:1].isalnum()
    closing = (before[-1:].isalnum() or before[-1:] in ".,!?…") and (not after or after[0] in _AFTER_CLOSING)
    return QUOTE_STYLE_COST if opening or closing else 0.0


# Romanian ş and ţ are written with a cedilla or with a comma below (ș, ț), one way through a text.
# A line that writes one way and not the other says how its lost letter was written: the word
# lists, which hold the comma only (see listed_as), cannot.
SPELLING_STYLE_COST = 3.0
_CEDILLA = frozenset("şţŞŢ")
_COMMA_BELOW = frozenset("șțȘȚ")
_S_AND_T = _CEDILLA | _COMMA_BELOW


def _comma_style_cost(char: str, before: str, after: str) -> float:
    """:data:`SPELLING_STYLE_COST` if the rest of the line writes ş and ţ the other way only.

    >>> _comma_style_cost("ș", "declaraţii ale ", "edintelui"), _comma_style_cost("ş", "declaraţii ale ", "")
    (3.0, 0.0)
    """
    own, other = (_CEDILLA, _COMMA_BELOW) if char in _CEDILLA else (_COMMA_BELOW, _CEDILLA)
    rest = set(before) | set(after)
    return SPELLING_STYLE_COST if not own & rest and other & rest else 0.0


# A damaged letter read as a capital that starts a word in mid-sentence (after a small letter or
# a comma, and a space; the rest of the word small, or the letter a word of its own) costs this
# much more than the character model says. Both cases are often among the readings (č and Č, C4
# 8D and C4 8C, are both lost to cp1253 and cp1255; à and À, C3 A0 and C3 80, to Shift-JIS), and
# the model's 0.7 nats for a capital made ``marljivu Čeljad`` nearly as likely as ``marljivu
# čeljad``, and ``dépend À la fois`` as ``dépend à la fois``: names are written so, but far
# fewer words than that.
MID_SENTENCE_CAPITAL_COST = 2.0


def _capital_cost(char: str, before: str, after: str) -> float:
    """:data:`MID_SENTENCE_CAPITAL_COST` for a capital ``char`` that starts a small-letter word,
    or stands alone as a word, in mid-sentence; else 0.

    >>> _capital_cost("Č", "marljivu ", "eljad poput"), _capital_cost("č", "marljivu ", "eljad")
    (2.0, 0.0)
    >>> _capital_cost("À", "dépend ", " la fois"), _capital_cost("À", "fois. ", " la")
    (2.0, 0.0)
    >>> _capital_cost("Č", "kraj. ", "eljad"), _capital_cost("Č", "marljivu ", "ELJAD"), _capital_cost("Č", "", "eljad")
    (0.0, 0.0, 0.0)
    """
    if not (char.isupper() and len(before) >= 2 and before[-1] == " " and (before[-2].islower() or before[-2] in ",;")):
        return 0.0
    rest = _LEADING_LETTERS.match(after)
    return MID_SENTENCE_CAPITAL_COST if rest is None or rest.group().islower() else 0.0


_LEADING_LETTERS = re.compile(r"[^\W\d_]+")


def _placement_cost(char: str, before: str, after: str, line_known: bool, languages: tuple[str, ...] = ()) -> float:
    """What the marks around ``char`` say of it: pairing (:func:`_unpaired_cost`), spaces on both
    sides (:func:`_spaced_cost`), the quotation marks of the line's ``languages``
    (:func:`_quote_style_cost`) and, where ``after`` is known to be the rest of the line, the
    end of the line.

    >>> _placement_cost("、", "文", "", True), _placement_cost("\u3000", "文", "", True)
    (3.0, 6.0)
    >>> _placement_cost("。", "文", "", True), _placement_cost("、", "文", "", False)
    (-2.0, 0.0)
    """
    if char in _S_AND_T:
        return _comma_style_cost(char, before, after)
    cost = _unpaired_cost(char, before, after) if char in _PAIRED else 0.0
    cost += _quote_style_cost(char, languages, before, after)
    cost += _spaced_cost(char, before, after) + _after_stop_cost(char, before, after)
    cost += _in_word_cost(char, before, after)
    if line_known and not after:
        if unicodedata.category(char) == "Zs":
            cost += LINE_END_SPACE_COST
        elif char in _CONTINUING:
            cost += LINE_END_OPEN_COST
        elif _ends_sentence(char, before):
            cost += LINE_END_SENTENCE_COST
    return cost


def _rescored_in_clusters(choices: Sequence[Sequence[Piece]], first: Choice, unsettled: list[int],
                          before: str, after: str, prefix: str, suffix: str,
                          line_before: str = "", line_after: str = "", line_known: bool = False,
                          languages: tuple[str, ...] = ()) -> Choice:
    """:func:`choose_with_words` for a run with too many combinations (see :data:`RESCORE_SWEEPS`).

    >>> options = [tuple(Piece(c, b"") for c in "恨捨杨樁"), tuple(Piece(c, b"") for c in "援洁"), (Piece("篪", b""),)]
    >>> best = _rescored_in_clusters(options, choose(options), [0, 1], " ", " ", "", "")
    >>> "".join(p.char for p in best.pieces), best.settled
    ('杨洁篪', True)
    """
    pieces = list(first.pieces)
    margins = list(first.margins)
    for _ in range(RESCORE_SWEEPS):
        start = list(pieces)
        for cluster in _clusters(choices, pieces, unsettled):
            _rescore_cluster(choices, pieces, margins, cluster, before, after, prefix, suffix, line_before, line_after,
                             line_known, languages)
        if pieces == start:
            break  # nothing moved: another sweep would weigh the same windows again
    own_cost = reading_cost("".join(piece.char for piece in pieces), before, after)
    return replace(first, pieces=tuple(pieces), cost=own_cost, margins=tuple(margins), languages=languages)


def _clusters(choices: Sequence[Sequence[Piece]], pieces: Sequence[Piece], unsettled: list[int]) -> list[list[int]]:
    """The unsettled positions in groups of near neighbours or of one word (``я?ляет??`` has
    four damaged letters: no one of them makes a word while the others are wrong), each small
    enough to enumerate."""
    clusters: list[list[int]] = []
    for index in unsettled:
        current = clusters[-1] if clusters else None
        if current is None:
            clusters.append([index])
            continue
        # Ideographs are all word characters, but their words are short: only near ones join,
        # and a cluster of them is priced with the window of dictionary words around it, so
        # it stays at MAX_RESCORED.
        spaceless = any(is_cjk(piece.char) or is_thai(piece.char) for piece in pieces[current[0] : index + 1])
        one_word = not spaceless and all(is_word_char(piece.char) for piece in pieces[current[-1] : index + 1])
        # A word's damaged letters are weighed together however many there are (beyond
        # MAX_CLUSTER, through a beam: see _rescore_cluster); split in two, each half was chosen
        # for the other's first guess (``стасува`` for ``участва``: у, ч, с, т each lost a byte).
        limit = MAX_RESCORED if spaceless else MAX_WORD_CLUSTER if one_word else MAX_CLUSTER
        if ((index - current[-1] <= CLUSTER_GAP or one_word)
                and math.prod(len(choices[i]) for i in current) * len(choices[index]) <= limit):
            current.append(index)
        else:
            clusters.append([index])
    return clusters


def _rescore_cluster(choices: Sequence[Sequence[Piece]], pieces: list[Piece], margins: list[float],
                     cluster: list[int], before: str, after: str, prefix: str, suffix: str,
                     line_before: str, line_after: str, line_known: bool = False,
                     languages: tuple[str, ...] = ()) -> None:
    """Choose the cluster's characters jointly, in a window around it; update ``pieces`` and
    ``margins`` in place."""
    last = len(pieces) - 1
    options = [option.char for index in cluster for option in choices[index]]
    reach = CJK_WINDOW if any(map(is_cjk, options)) else THAI_WINDOW if any(map(is_thai, options)) else WORD_WINDOW
    low, high = cluster[0], cluster[-1]
    while low > 0 and cluster[0] - low < reach and is_word_char(pieces[low - 1].char):
        low -= 1
    while high < last and high - cluster[-1] < reach and is_word_char(pieces[high + 1].char):
        high += 1
    # At the run's edge the window takes in the rest of the word (prefix, suffix).
    left = prefix if low == 0 else ""
    right = suffix if high == last else ""
    outer_before = (" " if prefix else before) if low == 0 else pieces[low - 1].char
    outer_after = (" " if suffix else after) if high == last else pieces[high + 1].char
    scored = []
    for combination in _cluster_combinations(choices, pieces, cluster, low, high, left, outer_before, languages):
        window = pieces[low : high + 1]
        for index, option in zip(cluster, combination, strict=True):
            window[index - low] = choices[index][option]
        text = "".join(piece.char for piece in window)
        cost = reading_cost(left + text + right, outer_before, outer_after, languages)
        for index in cluster:
            char = window[index - low].char
            if not char.isalnum() or char in _S_AND_T or char.isupper():  # what the rest of the line says of it
                head = line_before + "".join(piece.char for piece in pieces[:low]) + text[: index - low]
                tail = text[index - low + 1 :] + "".join(piece.char for piece in pieces[high + 1 :]) + line_after
                if not char.isalnum() or char in _S_AND_T:
                    cost += _placement_cost(char, head, tail, line_known, languages)
                if char.isupper():  # (Ş and Ţ too: a capital's cost is no matter of spelling)
                    cost += _capital_cost(char, head, tail)
        scored.append((cost, combination))
    scored.sort(key=lambda item: item[0])
    best_cost, best = scored[0]
    for position, index in enumerate(cluster):
        pieces[index] = choices[index][best[position]]
        rivals = [cost for cost, combination in scored if combination[position] != best[position]]
        margins[index] = (min(rivals) - best_cost) if rivals else math.inf


def _cluster_combinations(choices: Sequence[Sequence[Piece]], pieces: Sequence[Piece], cluster: list[int],
                          low: int, high: int, left: str, before: str,
                          languages: tuple[str, ...] = ()) -> Iterable[tuple[int, ...]]:
    """Every combination of the cluster's readings, or, beyond :data:`MAX_CLUSTER` of them, the
    :data:`CLUSTER_BEAM` likeliest by the character model (as ``languages`` write), built
    position by position."""
    sizes = [len(choices[index]) for index in cluster]
    if math.prod(sizes) <= MAX_CLUSTER:
        return itertools.product(*(range(size) for size in sizes))
    beam: list[tuple[float, tuple[int, ...]]] = [(0.0, ())]
    for position in range(len(cluster)):
        end = cluster[position + 1] if position + 1 < len(cluster) else high + 1
        extended = []
        for _, combination in beam:
            for option in range(sizes[position]):
                chosen = (*combination, option)
                window = list(pieces[low:end])
                for at, picked in zip(cluster, chosen, strict=False):
                    window[at - low] = choices[at][picked]
                text = left + "".join(piece.char for piece in window)
                extended.append((_text_cost(text, before, languages), chosen))
        extended.sort(key=lambda item: item[0])
        beam = extended[:CLUSTER_BEAM]
    return [combination for _, combination in beam]


# Where the evidence leaves a run's readings close (within CLEAR_MARGIN of the best) and there are
# at most this many of them, each is weighed once more with the whole line as it would read:
# in the languages that line points to, and by how well its likeliest language explains its
# letters (see _weighed_in_the_line).
LINE_FIT_READINGS = 64
# Nats of the reading's cost per nat of the line's fit (languages.line_fit): measured on the lost
# cells of the matrix at --lines 5, 1.0 gained 29 cases, 2.0 gained 47, 3.0 gained 51 (each
# losing the same 3), with no case newly wrong where the bytes survived.
LINE_FIT_WEIGHT = 3.0
# Characters of the line on each side of the run that the languages are told from.
LINE_FIT_CONTEXT = 300




def _weighed_in_the_line(scored: list[tuple[float, tuple[int, ...], tuple[Piece, ...]]], unsettled: list[int],
                         languages: tuple[str, ...], line_before: str, line_after: str,
                         cost_of: Callable[[str, tuple[str, ...]], float],
                         ) -> tuple[list[tuple[float, tuple[int, ...], tuple[Piece, ...]]],
                                    dict[tuple[int, ...], tuple[str, ...]]]:
    """Close readings of a run weighed with the whole line as each would leave it, and the
    languages each points to. Only where the rest of the line points to ``languages`` of its own:
    a reading weighed in the languages it alone points to would be weighed in its own favour
    (``Yáng met XÁq today`` reads as Spanish or Hungarian with Á, and says nothing of Ï).

    The languages a run's letters are priced in are told from the rest of the line, and a line
    whose only telling letter is the damaged one points to none or the wrong one: ``Se
    reproseazÄ probleme de rasism`` (ă lost its 83 to cp1250) looks Slovak without it, and
    Slovak writes neither ``ă`` nor ``ā``, 1.0 nat apart by the character model. Read with
    ``ă`` the line is Romanian, and Romanian writes ``ă``; read with ``ā`` it stays Slovak at
    best. So each reading is priced in the languages the line, so read, points to; and where
    its unsettled characters are letters, it pays :data:`LINE_FIT_WEIGHT` for each nat by which
    the likeliest of those languages and the rest of the line's explains the line's letters
    worse than the best such reading is explained (:func:`cleaner.languages.line_fit`: which
    letters a language pairs, which it has at all). Only those languages: the rest of the line
    may still be mojibake (``terĆpiĆinak``), which some other language explains best, and
    explains best with the wrong reading (Polish, with ``ß``). Readings with a combining mark,
    a mark or a symbol there pay nothing: the letter pairs do not price them (the lists hold few
    of Arabic's short vowels: priced as unseen pairs, the damma of ``يُشار`` lost to ``يفشار``),
    and a reading with fewer letters has fewer pairs to pay for.
    """
    head, tail = line_before[-LINE_FIT_CONTEXT:], line_after[:LINE_FIT_CONTEXT]
    weighed = []
    pointed: dict[tuple[int, ...], tuple[str, ...]] = {}
    for cost, combination, pieces in scored:
        text = "".join(piece.char for piece in pieces)
        own = identify(head + text + tail) or languages
        pointed[combination] = own
        weighed.append((cost if own == languages else cost_of(text, own), combination, pieces))
    # Every reading's fit in the same languages (a reading is no likelier for pointing to more).
    candidates = {*languages, *(language for own in pointed.values() for language in own)}
    fits = [line_fit(head + "".join(piece.char for piece in pieces) + tail, candidates)
            if candidates and all(pieces[index].char.isalpha() for index in unsettled) else None
            for _, _, pieces in weighed]
    least = min((fit for fit in fits if fit is not None), default=None)
    if least is not None:
        weighed = [(cost + LINE_FIT_WEIGHT * (fit - least) if fit is not None else cost, combination, pieces)
                   for (cost, combination, pieces), fit in zip(weighed, fits, strict=True)]
    return weighed, pointed


def choose_with_words(choices: Sequence[Sequence[Piece]], before: str = " ", after: str = " ",
                      prefix: str = "", suffix: str = "", line_before: str = "", line_after: str = "",
                      line_known: bool = False) -> Choice:
    """:func:`choose`, then the characters with a choice re-weighed with dictionary words
    (:func:`reading_cost`): every ideograph, every character of a script the word index covers,
    and any other the character model leaves unsettled.

    ``prefix`` and ``suffix`` are the rest of the word the run sits in (``r`` and ``flexion``
    around the damaged ``é``), so that the word is judged whole; ``before`` and ``after`` are
    the characters just outside the run. The cost returned is the run's own, between those.
    ``line_before`` and ``line_after``, the rest of the line, are where a bracket's partner may be;
    ``line_known``: they are all of it, so that an empty ``line_after`` is the end of the line.

    >>> options = [tuple(Piece(c, b"") for c in "恨捨杨樁"), tuple(Piece(c, b"") for c in "援洁"), (Piece("篪", b""),)]
    >>> best = choose_with_words(options)
    >>> "".join(p.char for p in best.pieces), best.settled
    ('杨洁篪', True)
    >>> accents = [tuple(Piece(c, b"") for c in "éêëÿ")]
    >>> best = choose_with_words(accents, "r", "f", prefix="r", suffix="flexion")
    >>> best.pieces[0].char, best.settled
    ('é', True)
    """
    first = choose(choices, before, after)
    # Marks are always weighed again: what is around them (a quotation left open, the line's
    # quotation style, spaces, the line's end) is evidence the character model does not see.
    unsettled = [
        index for index, options in enumerate(choices)
        if len(options) > 1 and (first.margins[index] < CLEAR_MARGIN
                                 or any(is_cjk(o.char) or is_thai(o.char) or char_class(o.char) in DICTIONARY_SCRIPTS
                                        or not o.char.isalnum() for o in options))
    ]
    if not unsettled:
        return first
    # The rest of the line says which languages to weigh the letters in (``Kromě pad?laných``
    # is Czech, and ``ě`` beats the Latvian ``ē``). The word's own letters outside the run
    # count; the run's do not (they are what is being chosen).
    languages = identify(line_before + prefix + " " + suffix + line_after)
    sizes = [len(choices[i]) for i in unsettled]
    if math.prod(sizes) > MAX_RESCORED:
        return _rescored_in_clusters(choices, first, unsettled, before, after, prefix, suffix, line_before, line_after,
                                     line_known, languages)
    # A word's letters outside the run are part of it; what lies beyond them is a word boundary.
    outer_before = " " if prefix else before
    outer_after = " " if suffix else after

    def cost_of(text: str, languages: tuple[str, ...]) -> float:
        cost = reading_cost(prefix + text + suffix, outer_before, outer_after, languages)
        for index in unsettled:
            char = text[index]
            if not char.isalnum() or char in _S_AND_T:  # what the rest of the line says of it
                cost += _placement_cost(char, line_before + text[:index], text[index + 1 :] + line_after, line_known,
                                        languages)
            if char.isupper():  # (Ş and Ţ too: a capital's cost is no matter of spelling)
                cost += _capital_cost(char, line_before + text[:index], text[index + 1 :] + line_after)
        return cost

    scored = []
    for combination in itertools.product(*(range(size) for size in sizes)):
        pieces = list(first.pieces)
        for index, option in zip(unsettled, combination, strict=True):
            pieces[index] = choices[index][option]
        text = "".join(piece.char for piece in pieces)
        scored.append((cost_of(text, languages), combination, tuple(pieces)))
    pointed: dict[tuple[int, ...], tuple[str, ...]] = {}
    if line_known and languages and 1 < len(scored) <= LINE_FIT_READINGS:
        lowest = min(cost for cost, _, _ in scored)
        if sum(1 for cost, _, _ in scored if cost - lowest < CLEAR_MARGIN) > 1:
            scored, pointed = _weighed_in_the_line(scored, unsettled, languages, line_before, line_after, cost_of)
    scored.sort(key=lambda item: item[0])
    _, best_combination, best_pieces = scored[0]
    best_cost = scored[0][0]
    margins = list(first.margins)
    for position, index in enumerate(unsettled):
        rivals = [cost for cost, combination, _ in scored if combination[position] != best_combination[position]]
        margins[index] = (min(rivals) - best_cost) if rivals else math.inf
    own_cost = reading_cost("".join(piece.char for piece in best_pieces), before, after)
    # What the repair's gain is then weighed in (repair_search._damaged): the languages of the
    # line as the best reading leaves it.
    languages = pointed.get(best_combination, languages)
    return replace(first, pieces=best_pieces, cost=own_cost, margins=tuple(margins), languages=languages)
