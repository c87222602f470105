"""The shipped word index and common-CJK list agree with the wordfreq lists they distil."""

from __future__ import annotations

import math
import random
import sys

import pytest
import wordfreq

from cleaner.word_index import (
    CJK_LISTS,
    COST_STEP,
    LATIN_LISTS,
    SCRIPT_LISTS,
    WordIndex,
    build_common_cjk,
    common_cjk,
    key,
    word_index,
)


def _sample(language: str, size: str, keep, count: int = 150) -> list[tuple[str, float]]:
    words = [(word, freq) for word, freq in wordfreq.get_frequency_dict(language, size).items() if keep(word)]
    return random.Random(language).sample(words, min(count, len(words)))


def _found(words: list[tuple[str, float]]) -> float:
    """Share of ``words`` the index holds at no more than their own cost (another language may
    use a word more often, so its cost can be lower)."""
    index = word_index()
    good = 0
    for word, frequency in words:
        cost = index.cost(word)
        good += cost is not None and cost <= -math.log(frequency) + COST_STEP / 2 + 1e-9
    return good / len(words)


@pytest.mark.parametrize("language", [language for language, _ in CJK_LISTS])
def test_cjk_words_are_indexed(language: str) -> None:
    size = dict(CJK_LISTS)[language]
    words = _sample(language, size, lambda word: 2 <= len(word) <= 6 and not word.isascii() and word.isalpha())
    assert _found(words) >= 0.98


@pytest.mark.parametrize("language", SCRIPT_LISTS)
def test_words_of_other_scripts_are_indexed(language: str) -> None:
    assert _found(_sample(language, "small", lambda word: True)) >= 0.99


@pytest.mark.parametrize("language", LATIN_LISTS)
def test_latin_words_with_accents_are_indexed(language: str) -> None:
    words = _sample(language, "small", lambda word: not word.isascii())
    if not words:
        pytest.skip(f"{language} has no non-ASCII words")
    assert _found(words) >= 0.99


def test_ascii_and_mojibake_words_are_not() -> None:
    index = word_index()
    # All-ASCII words of Latin-script lists are never in question for a lost byte: left out.
    assert index.cost("perturber") is None and index.cost("weiterhin") is None
    # What the wrong readings of lost bytes look like.
    assert [index.cost(word) for word in ("rÿflexion", "théologienš", "пpивет", "杨洁篪篪篪")] == [None] * 4
    assert index.cost("réflexion") is not None and index.cost("杨洁篪") is not None


def test_round_trip_keeps_every_cost() -> None:
    index = WordIndex.from_words({"réflexion": 1e-5, "théologiens": 1e-7, "中国": 1e-3})
    again = WordIndex.from_bytes(index.to_bytes())
    assert [again.cost(w) for w in ("réflexion", "théologiens", "中国", "x")] == \
        [index.cost(w) for w in ("réflexion", "théologiens", "中国", "x")]
    assert abs(again.cost("中国") - (-math.log(1e-3))) <= COST_STEP / 2
    assert key("a") != key("b")


def test_a_foreign_file_is_refused() -> None:
    with pytest.raises(ValueError, match="not a cleaner word index"):
        WordIndex.from_bytes(b"PK\x03\x04 something else")


def test_a_truncated_file_is_refused() -> None:
    data = WordIndex.from_words({"réflexion": 1e-5, "中国": 1e-3}).to_bytes()
    with pytest.raises(ValueError, match="truncated"):
        WordIndex.from_bytes(data[:-1])


def test_the_shipped_index_loads_without_copying_its_arrays() -> None:
    # Loaded as it lies on disk: a cast of the file's bytes, which forked workers share.
    index = word_index()
    assert isinstance(index._keys, memoryview) or sys.byteorder == "big"
    assert len(index) > 500_000


def test_shipped_common_cjk_is_what_the_lists_give() -> None:
    assert common_cjk() == frozenset(build_common_cjk())


def test_a_word_that_shares_a_stored_words_crc32_is_not_found() -> None:
    # Two strings with one CRC-32 (found by a birthday search over random strings): the check
    # hash tells them apart. Without it, chance hits read a damaged 千 as 厃 (``口は約厃``).
    from cleaner.word_index import WordIndex, key

    stored, impostor = "ckeqvnée", "zkkyctuç"
    assert key(stored) == key(impostor)
    index = WordIndex.from_bytes(WordIndex.from_words({stored: 1e-5}).to_bytes())
    assert index.cost(stored) is not None and index.cost(impostor) is None
    both = WordIndex.from_bytes(WordIndex.from_words({stored: 1e-5, impostor: 1e-3}).to_bytes())
    assert both.cost(stored) > both.cost(impostor)  # each keeps its own cost
    assert word_index().cost("口は約厃") is None and word_index().cost("人口") is not None
