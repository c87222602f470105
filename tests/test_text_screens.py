"""The RE2 screens of the punctuation and whitespace stages: they may only skip a text on which the
stage's own pattern or tests find nothing. Each test compares the screened answer with the answer
without the screen, on every code point and on generated texts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner.rule_screen import screen_hits, utf8
from cleaner.stages import whitespace
from cleaner.stages.punctuation import PROFILES, PunctuationStage
from cleaner.stages.whitespace import _needs_scan_substrings, _scan_screen, needs_scan

EVERY_CHARACTER = [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000]
# Characters near the ones the screens look for, and the line breaks around which they look.
NEAR = st.sampled_from(list("\r\n\t \xa0\x85\x0b\x0c\x1c\x1f\x7f\x9f\xa0\xad\u200b\u200c\u2028\u3000\ufeff"
                            "a\u00e9\u4e2d\U0001f600\u2000\u200a\u200d\u2010\u2019\u201c\u2026\"'-."))
TEXTS = st.lists(st.one_of(NEAR, st.characters(exclude_categories=("Cs",))), max_size=40).map("".join)


@pytest.mark.parametrize("profile", [profile for profile in PROFILES if profile != "unicode"])
def test_punctuation_screen_finds_exactly_the_pattern_characters(profile: str) -> None:
    stage = PunctuationStage(profile)
    assert stage._screen is not None and stage._pattern is not None
    screened = {char for char in EVERY_CHARACTER if screen_hits(stage._screen, "x" + char + "y")}
    matched = {char for char in EVERY_CHARACTER if stage._pattern.search("x" + char + "y") is not None}
    assert screened == matched


def test_the_unicode_profile_is_not_screened() -> None:
    """Its straight quotes and full stops are in nearly every text: a screen would only cost."""
    assert PunctuationStage("unicode")._screen is None


@pytest.mark.parametrize("profile", PROFILES)
@given(text=TEXTS)
def test_punctuation_edits_are_the_same_with_and_without_the_screen(profile: str, text: str) -> None:
    stage = PunctuationStage(profile)
    reference = PunctuationStage(profile)
    reference._screen = None
    assert stage.find_edits(text).edits == reference.find_edits(text).edits


def test_a_lone_surrogate_goes_to_the_pattern() -> None:
    """A text that does not encode as UTF-8 cannot be screened: the stage's pattern decides."""
    stage = PunctuationStage()
    assert [edit.rule for edit in stage.find_edits("a\ud800\u200bb").edits] == ["PN001"]
    assert needs_scan("a\ud800\nb")  # conservatively: the stage's own pattern finds nothing
    assert whitespace.WhitespaceStage().find_edits("a\ud800\nb\n").edits == []


def test_whitespace_screen_sees_each_character_as_the_substring_tests_do() -> None:
    screen = _scan_screen()
    assert screen is not None
    for char in EVERY_CHARACTER:
        for text in ("a" + char + "b", "a" + char + "\nb"):
            assert screen_hits(screen, text) == _needs_scan_substrings(text), repr(text)


@given(text=TEXTS)
def test_whitespace_screen_agrees_with_the_substring_tests(text: str) -> None:
    expected = text[:1].isspace() or _needs_scan_substrings(text)
    assert needs_scan(text) == expected


def test_without_re2_the_substring_tests_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(whitespace, "_scan_screen", lambda: None)
    assert needs_scan("a \nb") and needs_scan("a\u3000b") and not needs_scan("a\nb\n\nc\n")


def test_utf8_keeps_the_last_text_by_identity_only() -> None:
    first = "".join(["caf", "é\n"])
    second = "".join(["caf", "e\n"])
    assert utf8(first) == "café\n".encode()
    assert utf8(first) is utf8(first)  # the same object: its bytes again
    assert utf8(second) == b"cafe\n"
    assert utf8("".join(["caf", "é\n"])) == "café\n".encode()  # an equal text, encoded anew
    assert utf8("a\ud800") is None and utf8("a\ud800") is None
    assert utf8("") == b""
