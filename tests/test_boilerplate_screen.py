"""The boilerplate stage's RE2 screen and its other shortcuts: they may skip work, never change a
result. Each test compares the stage with the screen against the same stage examining every line."""

from __future__ import annotations

import dataclasses
import string

import pytest
import regex
from fixture_paths import SEEDS
from hypothesis import given
from hypothesis import strategies as st

from cleaner.rule_screen import _FOLDS_BEYOND_ASCII, WHITE_SPACE, re2_line_screen
from cleaner.rules import ZERO_WIDTH, BoilerplateRule, boilerplate_rules, load_rule_packs, prepare_line
from cleaner.stages.boilerplate import (
    _MENU_RUN,
    _MENU_WORDS,
    _NO_SPACES,
    BoilerplateStage,
    _Lines,
    _lines_in_runs,
    _no_spaces_screen,
    _short_lines_in_runs,
)

RULES = boilerplate_rules(load_rule_packs())
PLAIN = [rule for rule in RULES if rule.kind == "phrase" and not rule.near]
PARAGRAPH = ("The minister spoke for an hour on Tuesday and took no questions from the reporters who had "
             "gathered outside the building in the rain.")


def unscreened(stage: BoilerplateStage) -> BoilerplateStage:
    """The same stage, with every line a candidate (the stage as it was before the screen)."""
    clone = BoilerplateStage(RULES)
    clone.__dict__.update(stage.__dict__)
    clone._screen_every_line = True
    clone._by_first, clone._by_prefix = {}, {}
    return clone


STAGE = BoilerplateStage(RULES)
EVERY_LINE = unscreened(STAGE)


def same_result(text: str) -> None:
    screened, reference = STAGE.find_edits(text), EVERY_LINE.find_edits(text)
    assert screened.edits == reference.edits
    assert [edit.detail for edit in screened.edits] == [edit.detail for edit in reference.edits]
    assert screened.warnings == reference.warnings


def test_every_packaged_line_rule_is_screened() -> None:
    """A packaged rule the screen cannot translate would make every line of every document a
    candidate again: the speed of the stage depends on this."""
    assert STAGE._screen is not None
    assert not STAGE._screen_every_line
    assert [rule.id for rule in PLAIN if rule.scope == "line" and re2_line_screen(rule.pattern, rule.case_sensitive)
            is None] == []


def test_ascii_case_folds_match_the_regex_module() -> None:
    """The translation spells out what regex's IGNORECASE matches for each ASCII letter."""
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000)
    for letter in string.ascii_lowercase:
        expected = {letter, letter.upper(), *_FOLDS_BEYOND_ASCII.get(letter, "")}
        assert set(regex.findall("(?i)" + letter, everything)) == expected, letter


def variants(line: str) -> list[str]:
    """The raw forms a prepared line may come from: other white space, runs of it, zero-width
    characters and indentation at the ends."""
    return [
        line,
        f"  {line}\t",
        line.replace(" ", "\u00a0"),
        line.replace(" ", " \t  "),
        line.replace(" ", "\u3000"),
        f"\u200b{line}\ufeff",
        f"\u200b \u200b {line} \u2060",
        line.upper(),
        line.lower(),
    ]


@pytest.mark.parametrize("rule", PLAIN, ids=[rule.id for rule in PLAIN])
def test_screen_hits_every_match_example(rule: BoilerplateRule) -> None:
    for example in rule.examples_match:
        for line in variants(example):
            text = f"{PARAGRAPH}\n\n{line}\n\n{PARAGRAPH}\n"
            found = STAGE.screened_lines(_Lines(text, STAGE._prepare_limit))
            if rule.matches(prepare_line(line)):  # line 1 is in every scope here
                assert 1 in found, (rule.id, line)
            same_result(text)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_line_endings_and_examples_in_one_document(ending: str) -> None:
    lines = [PARAGRAPH]
    for rule in PLAIN:
        lines.extend(rule.examples_match)
        lines.extend(rule.examples_no_match)
        lines.append(PARAGRAPH)
    same_result(ending.join(lines) + ending)


@pytest.mark.parametrize("seed", SEEDS, ids=[path.name[:3] for path in SEEDS])
def test_seeds(seed) -> None:  # type: ignore[no-untyped-def]
    same_result(seed.read_bytes().decode("utf-8", "replace"))


def test_untranslatable_rule_sees_every_line() -> None:
    fuzzy = BoilerplateRule(id="BP990", name="fuzzy", why="", pattern=r"(?:share this){e<=1}", scope="line",
                            scope_lines=None, action="drop-line", max_length=120, kind="phrase",
                            examples_match=(), examples_no_match=(), pack="test",
                            compiled=regex.compile(r"(?:share this){e<=1}", regex.IGNORECASE))
    assert re2_line_screen(r"(?:share this){e<=1}", False) is None
    assert re2_line_screen(r"\p{L}+ only", False) is None
    stage = BoilerplateStage([*RULES, fuzzy])
    assert stage._screen_every_line
    text = f"{PARAGRAPH}\nShare thus\n{PARAGRAPH}\n"
    assert [edit.rule for edit in stage.find_edits(text).edits] == ["BP990"]


def test_users_rules_see_every_line() -> None:
    """A user's rule runs with a timeout: the lines it would time out on must still be tried."""
    user = BoilerplateRule(id="BP991", name="user", why="", pattern="share this", scope="line",
                           scope_lines=None, action="drop-line", max_length=120, kind="phrase",
                           examples_match=(), examples_no_match=(), pack="test",
                           compiled=regex.compile("share this", regex.IGNORECASE))
    assert BoilerplateStage([*RULES, user])._screen_every_line
    head = dataclasses.replace(user, scope="head", scope_lines=3)
    stage = BoilerplateStage([*RULES, head])
    assert not stage._screen_every_line
    text = "".join(f"line {number}\n" for number in range(10))
    assert stage.screened_lines(_Lines(text, stage._prepare_limit)) == [0, 1, 2]


def test_lone_surrogate_falls_back_to_every_line() -> None:
    same_result(f"{PARAGRAPH}\nShare this:\n\ud800 Share this:\n{PARAGRAPH}\n")


PIECES = st.sampled_from(
    [example for rule in PLAIN for example in (*rule.examples_match, *rule.examples_no_match)]
    + [PARAGRAPH, "Home", "World", "Politics", "Sign in", "- item", "| a | b |", "中国外交部", "1.", ""]
)
WHITE = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u200b", "\u2028", "\x0c", "\x85", "\u3000", ""])
ENDINGS = st.sampled_from(["\n", "\r\n", "\r", "\n\n"])


def document(parts: list[tuple[str, str, str, str]]) -> str:
    return "".join(before + piece.replace(" ", space) + after + ending
                   for (before, piece, after, ending), space in zip(parts, [" ", "  ", "\t"] * 40, strict=False))


@given(st.lists(st.tuples(WHITE, PIECES, WHITE, ENDINGS), max_size=40))
def test_property_screen_changes_nothing(parts: list[tuple[str, str, str, str]]) -> None:
    same_result(document(parts))


@given(st.lists(st.tuples(WHITE, PIECES, WHITE, ENDINGS), max_size=40))
def test_property_gate_count_is_an_upper_bound(parts: list[tuple[str, str, str, str]]) -> None:
    """The short-line-block gate is skipped when RE2 finds too few lines with at most two runs of
    white space in runs of three such lines: that count must never be below the exact one
    (zero-width texts are not screened), and equals it when every line is short enough to prepare."""
    lines = _Lines(document(parts), STAGE._prepare_limit)
    data = lines.utf8()
    if lines.zero_width or data is None:
        return
    exact = _lines_in_runs([text is not None and text.count(" ") < _MENU_WORDS for text in lines.texts], _MENU_RUN)
    found = _short_lines_in_runs(data, len(lines) + 1)
    assert found >= exact
    if None not in lines.texts:
        assert found == exact


@pytest.mark.parametrize(("text", "count"), [
    ("Home\nNews\nSport\n", 3),
    ("Home\n\nNews\r\n \t\n\u3000\r\nSport page\rA line of more words\nx\ny y\nz\n", 6),
    ("Home\nNews\n" + PARAGRAPH + "\nSport\n", 0),
    (" a b c \n\td\u00a0e\nf\ng h i j\n", 3),
    ("a\nb\nc\n" + "x " * 200 + "\nd\ne\nf", 6),
])
def test_short_lines_in_runs(text: str, count: int) -> None:
    data = _Lines(text, STAGE._prepare_limit).utf8()
    assert data is not None
    assert _short_lines_in_runs(data, 100) == count


def test_white_space_constant_is_what_split_splits_at() -> None:
    assert set(WHITE_SPACE) == {chr(code) for code in range(0x110000) if chr(code).isspace()} - {"\n", "\r"}
    assert ZERO_WIDTH == "\u200b\u200c\u200d\u2060\ufeff"


def test_spaceless_script_screen_is_the_pattern() -> None:
    """RE2 finds exactly the code points _NO_SPACES finds (a text that does not encode uses re)."""
    screen = _no_spaces_screen()
    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        assert (screen.search(char.encode("utf-8")) is not None) == (_NO_SPACES.search(char) is not None), hex(code)
    assert _Lines("abc 中文\n", 100).spaceless_script()
    assert not _Lines("abc café\n", 100).spaceless_script()
    assert _Lines("\ud800 中文\n", 100).spaceless_script()
    assert not _Lines("\ud800 café\n", 100).spaceless_script()
