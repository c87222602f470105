"""Repeated-line detection: counting per group, the guard, determinism, and removal by the stage."""

from __future__ import annotations

import doctest
import random

import pytest
from fixture_paths import SEEDS
from hypothesis import given
from hypothesis import strategies as st

import cleaner.repeated_lines
from cleaner.edits import apply_edits, check_edits
from cleaner.repeated_lines import (
    PROTECTED_LINES,
    LineCounts,
    RepeatedLineSettings,
    count_lines,
    normalize_line,
    repeated_for,
)
from cleaner.rules import boilerplate_rules, load_rule_packs
from cleaner.stages.boilerplate import REPEATED_EXAMPLE, RULES, BoilerplateStage

ARTICLE = ("The minister spoke for an hour on Tuesday and took no questions from the reporters who had "
           "gathered outside the building in the rain.")
MENU = ["Home", "World", "Politics", "Subscribe to our podcast"]


def site(pages: int, extra: str = "") -> list[str]:
    """Pages of one site: the same menu, a different article each."""
    return [
        "\n".join([*MENU, f"Story number {page} of the week", f"{ARTICLE} Page {page}.", extra]) + "\n"
        for page in range(pages)
    ]


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(cleaner.repeated_lines).failed == 0


# --- counting -------------------------------------------------------------------------------------


def test_normalize_line_strips_collapses_and_casefolds() -> None:
    assert normalize_line("  Share\u00a0 THIS:  \r\n") == "share this:"
    assert normalize_line("\u200bMenu\ufeff") == "menu"
    assert normalize_line("   ") == ""


def test_a_line_counts_once_per_document_and_per_group() -> None:
    counts = LineCounts()
    counts.add_document("a", "Menu\nMenu\nmenu\n")
    counts.add_document("a", "MENU\r\nText.\r\n")
    counts.add_document("b", "Menu\n")
    assert counts.documents("a", "menu") == 2
    assert counts.documents("b", "Menu") == 1
    assert (counts.group_size("a"), counts.group_size("b"), counts.group_size("c")) == (2, 1, 0)
    assert counts.groups() == ["a", "b"]


def test_lines_without_a_letter_are_not_counted_but_their_documents_are() -> None:
    counts = count_lines([("g", "1\n2019\n* * *\n—\n")] * 3)
    assert counts.group_size("g") == 3
    assert counts.repeated("g", RepeatedLineSettings(min_documents=2, min_group_size=1)) == {}


def test_empty_documents_count_toward_the_group() -> None:
    counts = count_lines([("g", ""), ("g", "\n\n")])
    assert counts.group_size("g") == 2


# --- thresholds and the guard ---------------------------------------------------------------------


def test_min_documents_and_min_group_size() -> None:
    counts = count_lines(("site", page) for page in site(6))
    assert counts.repeated("site") == {"home": 6, "politics": 6, "subscribe to our podcast": 6, "world": 6}
    assert counts.repeated("site", RepeatedLineSettings(min_documents=7)) == {}
    assert counts.repeated("site", RepeatedLineSettings(min_group_size=7)) == {}
    small = count_lines(("site", page) for page in site(4))
    assert small.repeated("site") == {}  # 4 documents < the default group size of 5
    assert small.repeated("site", RepeatedLineSettings(min_group_size=4)) != {}


@pytest.mark.parametrize(
    "line",
    ["Yes.", "No, sir.", "Why not?", "Thank you!", "“Never.”", "Introduction", "REFERENCES", "See also",
     "Ingredients", "yes", "OK", "1", "2019", "* * *"],
)
def test_guarded_lines_are_never_repeated_lines(line: str) -> None:
    counts = count_lines(("g", f"{line}\n{ARTICLE} {number}\n") for number in range(10))
    assert counts.repeated("g") == {}


@pytest.mark.parametrize(
    "line",
    ["Your email address will not be published.", "Facebook", "Most popular", "Sign up for our daily email.",
     "© 2019 Example Media Inc.", "Related stories:"],
)
def test_furniture_is_a_repeated_line(line: str) -> None:
    counts = count_lines(("g", f"{line}\n{ARTICLE} {number}\n") for number in range(10))
    assert counts.repeated("g") == {normalize_line(line): 10}


def test_sentence_guard_length_is_a_setting() -> None:
    counts = count_lines(("g", "Thanks for reading.\nThanks for reading this far.\n") for _ in range(5))
    assert RepeatedLineSettings().max_sentence_words == 3
    assert counts.repeated("g") == {"thanks for reading this far.": 5}
    assert counts.repeated("g", RepeatedLineSettings(max_sentence_words=2)) == {
        "thanks for reading.": 5, "thanks for reading this far.": 5}
    assert counts.repeated("g", RepeatedLineSettings(max_sentence_words=5)) == {}


def test_user_protected_lines_replace_the_default_and_are_normalized() -> None:
    counts = count_lines(("g", "Our  TEAM\nIntroduction\n") for _ in range(5))
    mine = RepeatedLineSettings(protected=frozenset({"  our team "}))
    assert counts.repeated("g", mine) == {"introduction": 5}
    assert "introduction" in PROTECTED_LINES
    assert counts.repeated("g") == {"our team": 5}


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [({"min_documents": 1}, "min_documents"), ({"min_group_size": 0}, "min_group_size"),
     ({"max_sentence_words": -1}, "max_sentence_words")],
)
def test_bad_settings_are_refused(kwargs: dict[str, int], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        RepeatedLineSettings(**kwargs)


# --- determinism: file order, workers, serialisation ----------------------------------------------

DOCUMENTS = [(group, page) for group in ("a.example", "b.example") for page in site(7, extra="Share this:")]


def count_in_workers(documents: list[tuple[str, str]], workers: int, seed: int) -> LineCounts:
    """Shuffle, deal the documents to workers, count each share, merge the results in a random order."""
    shuffled = list(documents)
    random.Random(seed).shuffle(shuffled)
    shares = [count_lines(shuffled[worker::workers]) for worker in range(workers)]
    random.Random(seed + 1).shuffle(shares)
    total = LineCounts()
    for share in shares:
        total.merge(share)
    return total


@pytest.mark.parametrize("workers", [1, 2, 3, 8])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_counts_do_not_depend_on_order_or_workers(workers: int, seed: int) -> None:
    reference = count_lines(DOCUMENTS)
    counts = count_in_workers(DOCUMENTS, workers, seed)
    assert counts == reference
    assert counts.to_bytes() == reference.to_bytes()
    assert repeated_for(counts) == repeated_for(reference)


@given(
    st.lists(st.tuples(st.sampled_from(["g1", "g2"]), st.lists(st.sampled_from(
        ["Menu", "Home", "Yes.", "A story.", "Share:", "", "  ", "Ünïcode LINE", "中文", "\ud800x"]), max_size=6)
    ).map(lambda pair: (pair[0], "\n".join(pair[1]))), max_size=12),
    st.integers(1, 4),
    st.integers(0, 1000),
)
def test_merge_is_commutative_and_associative(documents: list[tuple[str, str]], workers: int, seed: int) -> None:
    assert count_in_workers(documents, workers, seed) == count_lines(documents)


def test_to_bytes_round_trips_and_is_sorted() -> None:
    counts = count_lines([*DOCUMENTS, ("c", "Zebra\nälpha\n\ud800 lone surrogate\n")])
    data = counts.to_bytes()
    assert LineCounts.from_bytes(data) == counts
    assert LineCounts.from_bytes(data).to_bytes() == data
    assert data.index(b'"a.example"') < data.index(b'"b.example"') < data.index(b'"c"')


@pytest.mark.parametrize("data", [b"", b"not json", b"[]", b'{"format": 99}', b'{"format": 1}',
                                  b'{"format": 1, "groups": {"g": {"documents": "x", "lines": []}}}'])
def test_from_bytes_refuses_other_data(data: bytes) -> None:
    with pytest.raises(ValueError):
        LineCounts.from_bytes(data)


# --- removal by the boilerplate stage (BP900) -----------------------------------------------------

RULES_ALL = boilerplate_rules(load_rule_packs())


def removed(stage: BoilerplateStage, text: str) -> list[tuple[str, str]]:
    edits = stage.find_edits(text).edits
    check_edits(text, edits)
    return [(edit.rule, edit.before.strip()) for edit in edits]


def test_stage_removes_the_groups_repeated_lines_with_their_counts() -> None:
    pages = site(6, extra="Share this:")
    repeated = count_lines(("site", page) for page in pages).repeated("site")
    stage = BoilerplateStage(RULES_ALL, repeated=repeated)
    result = stage.find_edits(pages[0])
    assert [(edit.rule, edit.before.strip()) for edit in result.edits] == [
        ("BP900", "Home"), ("BP900", "World"), ("BP900", "Politics"), ("BP900", "Subscribe to our podcast"),
        # A pack rule that matches keeps its own, more telling id.
        ("BP003", "Share this:"),
    ]
    assert result.edits[0].name == "repeated-line"
    assert result.edits[0].detail == {"documents": 6}
    assert apply_edits(pages[0], result.edits) == f"Story number 0 of the week\n{ARTICLE} Page 0.\n"


def test_stage_without_a_map_removes_no_repeated_line() -> None:
    page = site(1)[0]
    assert [rule for rule, _ in removed(BoilerplateStage(RULES_ALL), page)] == []
    assert removed(BoilerplateStage(RULES_ALL, repeated={}), page) == []


def test_a_repeated_line_in_a_headings_place_stays() -> None:
    repeated = {"the bottom line": 12, "most popular": 30}
    stage = BoilerplateStage([], repeated=repeated)
    heading = f"{ARTICLE}\nThe bottom line\n{ARTICLE}\n"
    assert removed(stage, heading) == []
    # Not before a paragraph, or right after another removed line: furniture.
    assert removed(stage, f"{ARTICLE}\nThe bottom line\nMost popular\n") == [
        ("BP900", "The bottom line"), ("BP900", "Most popular")]
    assert removed(stage, f"{ARTICLE}\nMost popular\nThe bottom line\n{ARTICLE}\n") == [
        ("BP900", "Most popular"), ("BP900", "The bottom line")]
    # The first line has no line before it to vouch for it.
    assert removed(stage, f"The bottom line\n{ARTICLE}\n") == [("BP900", "The bottom line")]


def test_long_repeated_lines_are_found_too() -> None:
    notice = "We use cookies " + "and partners " * 40 + "to improve this site"
    repeated = count_lines(("g", f"{ARTICLE} {number}\n{notice}\n") for number in range(5)).repeated("g")
    assert list(repeated) == [normalize_line(notice)]
    stage = BoilerplateStage([], repeated=repeated)
    assert removed(stage, f"{ARTICLE}\r\n  {notice}  \r\n") == [("BP900", notice)]


def test_lines_are_looked_up_exactly_as_they_are_counted() -> None:
    # Whatever the spacing, case, line ending or invisible padding, the stage finds what was counted.
    variants = ["Subscribe to our podcast", "  SUBSCRIBE   to our Podcast ", "\u200bSubscribe to our podcast\ufeff"]
    counts = count_lines(("g", f"{variant}\r\n{ARTICLE} {number}\r\n") for number, variant in enumerate(variants * 2))
    stage = BoilerplateStage([], repeated=counts.repeated("g"))
    for variant in variants:
        assert removed(stage, f"{ARTICLE}\n{variant}\nMenu\n") == [("BP900", variant.strip())]


def test_result_does_not_depend_on_order_or_workers_end_to_end() -> None:
    outputs = set()
    for workers, seed in ((1, 0), (3, 5), (8, 9)):
        counts = count_in_workers(DOCUMENTS, workers, seed)
        stages = {group: BoilerplateStage(RULES_ALL, repeated=counts.repeated(group)) for group in counts.groups()}
        cleaned = tuple(apply_edits(text, stages[group].find_edits(text).edits) for group, text in DOCUMENTS)
        outputs.add(cleaned)
    assert len(outputs) == 1


def test_seeds_as_one_group_share_no_line() -> None:
    # The five seeds are one folder, so one group by default: nothing in them repeats.
    counts = count_lines(("seeds", path.read_text("utf-8")) for path in SEEDS)
    assert counts.group_size("seeds") == 5
    assert counts.repeated("seeds", RepeatedLineSettings(min_documents=2)) == {}


def test_built_in_rule_examples_hold() -> None:
    # BP900's examples assume REPEATED_EXAMPLE; BP901's document would lose more than the share.
    for rule in RULES:
        for text, expected in rule.examples:
            stage = BoilerplateStage([], repeated=REPEATED_EXAMPLE)
            assert apply_edits(text, stage.find_edits(text).edits) == expected, (rule.id, text)
    without_valve = BoilerplateStage([], repeated=REPEATED_EXAMPLE, max_removed_share=None)
    valve_text = RULES[1].examples[0][0]
    assert apply_edits(valve_text, without_valve.find_edits(valve_text).edits) != valve_text
    assert [rule.id for rule in RULES] == ["BP900", "BP901"]
    assert all(rule.stage == "boilerplate" and rule.why for rule in RULES)
