"""Evidence for choosing among candidate repairs: word and character frequencies.

Used only where bytes were lost and several readings decode (e.g. 杨 E6 9D A8 arrived without
its 9D: 恨, 杨, 樁 and 樝 all fit). The score is a log-probability-like number; the caller
accepts the best candidate only when it beats the runner-up by a clear margin.

* Runs of CJK characters are segmented into words of wordfreq's offline lists (the best
  segmentation's log-frequency), so the name 杨洁篪, a dictionary word, beats 恨洁篪.
* Other letters: the log-frequency of the word containing them, best over several languages.
* Punctuation and symbols: a prior that prefers the punctuation text actually uses (” over the
  invisible U+200D or the rare U+2010 HYPHEN that the same bytes could also be).
"""

from __future__ import annotations

import math
import unicodedata
from functools import cache

UNKNOWN_WORD = math.log(1e-9)
LATIN_LANGUAGES = ("en", "fr", "es", "de", "pt", "it", "nl", "vi", "pl", "cs", "tr", "ro", "hu", "sv")
MAX_CJK_WORD = 6

# Punctuation that real text uses all the time (cp1252's 0x80-0x9F set, Latin-1's, CJK's).
COMMON_PUNCTUATION = frozenset("“”‘’–—…•€™„‚«»¡¿·°§©®±×÷¶、。，：；！？「」『』（）《》〈〉・ー　")


@cache
def _frequencies(language: str) -> dict[str, float]:
    import wordfreq

    return wordfreq.get_frequency_dict(language)


def _cjk_language(text: str) -> str:
    if any("\u3040" <= char <= "\u30ff" for char in text):
        return "ja"
    if any("\uac00" <= char <= "\ud7a3" for char in text):
        return "ko"
    return "zh"


def is_cjk(char: str) -> bool:
    return (
        "\u3040" <= char <= "\u30ff"
        or "\u3400" <= char <= "\u9fff"
        or "\uac00" <= char <= "\ud7a3"
        or "\uf900" <= char <= "\ufaff"
    )


def cjk_score(text: str) -> float:
    """Log-frequency of the best split of a CJK run into dictionary words.

    >>> cjk_score("杨洁篪") > cjk_score("恨洁篪")
    True
    """
    frequencies = _frequencies(_cjk_language(text))
    best = [0.0] + [-math.inf] * len(text)
    for end in range(1, len(text) + 1):
        for length in range(1, min(MAX_CJK_WORD, end) + 1):
            word = text[end - length : end]
            frequency = frequencies.get(word)
            if frequency:
                score = math.log(frequency)
            elif length == 1:
                score = UNKNOWN_WORD
            else:
                continue
            best[end] = max(best[end], best[end - length] + score)
    return best[-1]


def word_score(word: str) -> float:
    """Log-frequency of an alphabetic word in the most likely of several languages.

    >>> word_score("Crème") > word_score("CrÝme")
    True
    """
    lowered = word.lower()
    best = max((_frequencies(language).get(lowered, 0.0) for language in LATIN_LANGUAGES), default=0.0)
    return math.log(best) if best else UNKNOWN_WORD


def char_prior(char: str) -> float:
    """How likely a non-letter character is to be what a lost byte stood for.

    >>> char_prior("”") > char_prior("\\u2010") > char_prior("\\u200d")
    True
    """
    if char in COMMON_PUNCTUATION:
        return 0.0
    category = unicodedata.category(char)
    if category[0] in "PS":
        return -6.0
    if category[0] in "LMN":
        return -3.0
    return -12.0  # format, space, control, unassigned: invisible, almost never what was meant


def text_score(text: str) -> float:
    """Sum of the evidence for every word, CJK run and other character of ``text``."""
    score = 0.0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        end = index + 1
        if is_cjk(char):
            while end < length and is_cjk(text[end]):
                end += 1
            score += cjk_score(text[index:end])
        elif char.isalpha():
            while end < length and text[end].isalpha() and not is_cjk(text[end]):
                end += 1
            score += word_score(text[index:end])
        elif not char.isascii():  # including the Unicode spaces: rarely what a lost byte meant
            score += char_prior(char)
        index = end
    return score


def quote_balance_bonus(line: str) -> float:
    """Balanced curly quotes in a line are evidence; an unmatched one is against.

    >>> quote_balance_bonus("“a”") > quote_balance_bonus("“a\\u200d")
    True
    """
    opened = line.count("“") - line.count("”")
    return -2.0 * abs(opened)
