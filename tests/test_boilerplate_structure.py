"""The boilerplate stage's document-level rules: navigation blocks (BP303) and the safety valve (BP901).

BP303 is what a naive scrape needs (every text node of a page on its own line: menus, link lists
and footers around the article) and what a clean document must never feel: headings, lists,
tables, a title with its byline and captions stay.
"""

from __future__ import annotations

import dataclasses

import pytest
from fixture_paths import seed_path
from hypothesis import given
from hypothesis import strategies as st

from cleaner.edits import apply_edits, check_edits, revert_edits
from cleaner.rules import boilerplate_rules, load_rule_packs
from cleaner.stages.boilerplate import DEFAULT_MAX_REMOVED_SHARE, BoilerplateStage, count_words

RULES = boilerplate_rules(load_rule_packs())
BLOCK = next(rule for rule in RULES if rule.kind == "short-line-block")
STAGE = BoilerplateStage(RULES)
ONLY_BLOCKS = BoilerplateStage([BLOCK], max_removed_share=None)

P1 = ("The council approved the new budget on Monday after a debate that lasted more than six hours, "
      "with the opposition walking out twice.")
P2 = ("Councillors voted 31 to 12 in favour, with two abstentions, and the measures take effect in April "
      "once the regional authority has signed them off.")
P3 = ("The mayor said the cuts were painful but necessary, and promised a review of library opening hours "
      "before the end of the year.")
MENU = ["Home", "News", "Sport", "Weather", "Politics", "Business", "Culture", "Sign in", "Search", "Menu", "Opinion"]
FOOTER = ["About us", "Contact", "Careers", "Accessibility", "Terms of use"]


def lines_removed(text: str, stage: BoilerplateStage = ONLY_BLOCKS) -> list[str]:
    result = stage.find_edits(text)
    check_edits(text, result.edits)
    assert revert_edits(apply_edits(text, result.edits), result.edits) == text
    return [edit.before.strip() for edit in result.edits]


def page(*parts: list[str] | str) -> str:
    lines: list[str] = []
    for part in parts:
        lines.extend([part] if isinstance(part, str) else part)
    return "".join(line + "\n" for line in lines)


def test_the_rule_is_packaged_with_its_settings() -> None:
    assert (BLOCK.id, BLOCK.name, BLOCK.pack) == ("BP303", "navigation-block", "structure")
    assert (BLOCK.min_lines, BLOCK.min_outside_lines) == (2, 10)


def test_menus_and_footers_around_the_article_go() -> None:
    text = page(MENU, "Budget approved after six-hour debate", P1, P2, P3, "Most read", "Ten things to do",
                "Why bonds are falling", FOOTER)
    removed = lines_removed(text)
    assert removed == [*MENU, "Budget approved after six-hour debate", "Most read", "Ten things to do",
                       "Why bonds are falling", *FOOTER]
    assert apply_edits(text, ONLY_BLOCKS.find_edits(text).edits) == page(P1, P2, P3)
    edit = ONLY_BLOCKS.find_edits(text).edits[0]
    assert (edit.rule, edit.name, edit.detail) == ("BP303", "navigation-block", {"pack": "structure", "run": 12})


def test_headings_lists_and_tables_inside_the_main_text_stay() -> None:
    body = [P1, "What happens next", P2, "- libraries", "- youth centres", "- street lighting", "Key dates",
            "| Month | Measure |", "| April | Libraries |", P3]
    text = page(MENU, body, FOOTER)
    assert lines_removed(text) == [*MENU, *FOOTER]


def test_list_items_and_table_rows_outside_the_main_text_stay() -> None:
    schedule = ["- June 9: West Palm Beach", "- June 10: Tampa", "- June 14: Alpharetta",
                "| 1 | Kyle Busch | 5040 |", "| 2 | Martin Truex Jr. | 5035 |"]
    text = page(MENU, P1, P2, schedule, FOOTER)
    assert lines_removed(text) == [*MENU, *FOOTER]


def test_a_clean_document_never_passes_the_gate() -> None:
    # Title, section label, caption, byline and a few more short lines: far from a menu.
    text = page("Budget approved after six-hour debate", "Politics", "The council chamber | Photo: Jane Doe",
                "By Jane Doe", "Updated", P1, P2, P3, "Jane Doe", "City hall reporter", "Share")
    assert lines_removed(text) == []
    for prefix in ("000", "001", "002", "003", "004"):
        assert lines_removed(seed_path(prefix).read_text("utf-8")) == []


def test_headings_each_followed_by_text_are_not_menu_items() -> None:
    # A meal plan: many short lines outside any long prose, but each heading has its text after it.
    plan = []
    for meal in ("Breakfast", "Snack", "Lunch", "Snack", "Dinner", "Dessert", "Drink", "Supplement"):
        plan += [meal, "Eat within two hours of waking", f"{meal} of oats, berries and yoghurt, 1 tsp. honey"]
    text = page(P1, plan)
    assert lines_removed(text) == []


def test_short_lines_not_in_runs_of_three_never_build_units(monkeypatch: pytest.MonkeyPatch) -> None:
    # Twelve short lines, each between paragraphs: no run of three can be a menu, so the
    # document's units (the stage's costliest step) are never built.
    from cleaner.stages import boilerplate

    def no_units(self: object) -> list[object]:
        raise AssertionError("units were built")

    monkeypatch.setattr(boilerplate._Run, "_units", no_units)
    text = page(*[part for heading in MENU[:12] for part in (heading, "Sign in", "Search", P1)])
    with pytest.raises(AssertionError, match="units were built"):
        lines_removed(text)
    text = page(*[part for heading in MENU[:12] for part in (heading, P1)])
    assert lines_removed(text) == []


def test_a_paragraph_cut_at_its_links_is_one_unit_of_prose() -> None:
    # What a scraper that writes each text node on its own line makes of a paragraph with links.
    cut = ["The", "Steelers", "spent Monday trying to distance themselves from the fight that led to",
           "suspensions", "for three players, including", "Myles Garrett", ", who was banned indefinitely."]
    text = page(MENU, cut, P1, FOOTER)
    assert lines_removed(text) == [*MENU, *FOOTER]


def test_units_join_continued_lines_and_keep_items_and_removed_lines_alone() -> None:
    from cleaner.stages.boilerplate import _Lines, _Run

    long_item = "- " + " ".join(["word"] * 25)
    lines = ["Home", "News", long_item, "A sentence cut at", "its link", ", and ending here.",
             "Read the", "story", "now in full", "Removed line", "continued, but removed before", "Sign in",
             "1. a short item", P1]
    run = _Run(ONLY_BLOCKS, _Lines(page(lines), ONLY_BLOCKS._prepare_limit))
    run.removed[9] = (BLOCK, {})
    units = run._units()
    assert [list(span) for span in units.lines] == [[0], [1], [2], [3, 4, 5], [6, 7, 8], [9], [10], [11], [12], [13]]
    assert units.words == [1, 1, 26, 10, 6, 2, 4, 2, 4, count_words(P1)]
    assert units.scores == [-10, -10, 0, 10, -10, -10, -10, -10, 0, count_words(P1)]
    assert units.short == [True, True, False, False, True, True, True, True, False, False]


def test_lines_other_rules_removed_count_as_furniture() -> None:
    # A cookie notice reads as prose; once its rule removes it, it is furniture like the menu around
    # it, so the headline between it and the article is no longer inside the main text.
    cookies = "We use cookies to ensure that we give you the best experience on our website and to analyse traffic."
    text = page(MENU, cookies, "Budget approved", P1, P2)
    assert lines_removed(text) == MENU
    removed = lines_removed(text, STAGE)
    assert removed == [*MENU, cookies, "Budget approved"]
    rules = [edit.rule for edit in STAGE.find_edits(text).edits]
    assert rules == ["BP303"] * len(MENU) + ["BP010", "BP303"]


def test_min_outside_lines_and_min_lines_are_settings() -> None:
    text = page(MENU, P1, P2, "Most read", P3, FOOTER)
    lax = BoilerplateStage([dataclasses.replace(BLOCK, min_outside_lines=30)], max_removed_share=None)
    assert lines_removed(text, lax) == []
    single = BoilerplateStage([dataclasses.replace(BLOCK, min_lines=1)], max_removed_share=None)
    assert "Most read" not in lines_removed(text)  # inside the main text
    assert lines_removed(text, single) == [*MENU, *FOOTER]


def test_text_without_prose_or_without_menus_is_left_alone() -> None:
    assert lines_removed(page(MENU, FOOTER, "Chapter One", "Chapter Two")) == []
    poem = page(["Roses are red", "violets are blue", "sugar is sweet", "and so are you"] * 6)
    assert lines_removed(poem) == []


def test_cleaning_the_output_again_removes_nothing() -> None:
    text = page(MENU, "Budget approved", P1, "What happens next", P2, "Most read", "Ten things", P3, FOOTER)
    once = apply_edits(text, STAGE.find_edits(text).edits)
    assert STAGE.find_edits(once).edits == []


@given(st.lists(st.sampled_from([P1, P2, P3, "", *MENU, *FOOTER, "- a list item", "| a | b |", "and then",
                                 ", the mayor said.", "Share", "中文新闻", "Why bonds are falling"]), max_size=40))
def test_block_edits_are_whole_lines_and_stable(lines: list[str]) -> None:
    text = page(lines)
    result = STAGE.find_edits(text)
    check_edits(text, result.edits)
    for edit in result.edits:
        assert edit.start == 0 or text[edit.start - 1] == "\n"
        assert edit.before.strip() not in {P1, P2, P3}
        if edit.rule == "BP303":
            assert edit.before.strip() not in {"- a list item", "| a | b |"}
    # BP303 alone settles at once. (With every rule it may take another pass: a head or tail
    # rule's scope moves when lines above or below it go; the pipeline runs passes to a fixed point.)
    once = apply_edits(text, ONLY_BLOCKS.find_edits(text).edits)
    assert ONLY_BLOCKS.find_edits(once).edits == []


# The pieces of a naive scrape that decide where units end: lines that continue the one before
# (lower case, closing punctuation), lines continued by the next (a comma, a dash, an opening
# bracket), a link inside a sentence, list items, table rows, CJK, indentation and CR line ends.
UNIT_PIECES = [P1, P2, "", *MENU[:6], *FOOTER[:3], "- a list item", "-", "1. one", "| a | b |", "and then",
               ", the mayor said.", "Share", "中文新闻", "Why bonds are falling", "read the", "story (",
               "said:", "— and", "x y z w", "  Home  ", "Sign in\r", "ends here.", "It rained on Monday."]


@given(st.lists(st.sampled_from(UNIT_PIECES), max_size=60), st.sets(st.integers(0, 59), max_size=6))
def test_menu_items_bound_is_never_below_the_menu_items(lines: list[str], removed: set[int]) -> None:
    """The gate that builds only the units of RE2's runs of short lines (and stops a document with
    too few menu items there) must never count fewer menu items than all the document's units
    hold, whatever lines other rules removed before; it counts exactly those, as it happens."""
    from cleaner.stages.boilerplate import _Lines, _menu_items, _Run, _short_runs

    run = _Run(ONLY_BLOCKS, _Lines(page(lines), ONLY_BLOCKS._prepare_limit))
    for index in removed:
        if index < run.count:
            run.removed[index] = (BLOCK, {})
    data = run.lines.utf8()
    if data is None or run.lines.zero_width or not run.count:
        return
    units = run._units()
    exact = _menu_items(units.words, [index for index, short in enumerate(units.short) if short])
    assert run._menu_items_bound(data, list(_short_runs().finditer(data))) == exact


@given(st.lists(st.sampled_from([*UNIT_PIECES, "a " * 400, "word " * 3, " \u3000 ", "x\u00a0y"]), max_size=60))
def test_few_words_in_runs_counts_what_every_line_counts(lines: list[str]) -> None:
    """The gate's count of lines of at most three words in runs of three, taken within RE2's runs
    of short lines alone, is the count over every line of the document (lines too long to prepare
    included, which split a run)."""
    from cleaner.stages.boilerplate import _MENU_RUN, _Lines, _lines_in_runs, _Run, _short_runs

    run = _Run(ONLY_BLOCKS, _Lines(page(lines), ONLY_BLOCKS._prepare_limit))
    data = run.lines.utf8()
    if data is None or run.lines.zero_width or not run.count:
        return
    spans = run._run_spans(data, list(_short_runs().finditer(data)))
    assert spans is not None
    assert run._few_words_in_runs(spans) == _lines_in_runs(run._few_words(), _MENU_RUN)


# --- the safety valve (BP901) ---------------------------------------------------------------------


def test_the_valve_keeps_a_document_that_would_lose_too_much() -> None:
    text = page(MENU, "Short text.", FOOTER)
    stage = BoilerplateStage(RULES, repeated={line.casefold(): 20 for line in MENU})
    result = stage.find_edits(text)
    assert result.edits == []
    assert [(warning.stage, warning.rule) for warning in result.warnings] == [("boilerplate", "BP901")]
    message = result.warnings[0].message
    assert "would remove 9" in message and "more than 90%" in message and "left as it was" in message
    assert "BP900 x11" in message and "BP028 x" in message
    # Without the valve, the same stage removes them.
    unlimited = BoilerplateStage(RULES, repeated={line.casefold(): 20 for line in MENU}, max_removed_share=None)
    assert len(unlimited.find_edits(text).edits) == len(MENU) + len(FOOTER)


def test_the_valve_share_is_a_setting_and_counts_words() -> None:
    text = page("Share this:", "Leave a Reply", P1)  # 5 of 26 words are boilerplate
    assert lines_removed(text, BoilerplateStage(RULES, max_removed_share=0.5)) == ["Share this:", "Leave a Reply"]
    assert lines_removed(text, BoilerplateStage(RULES, max_removed_share=0.1)) == []
    assert DEFAULT_MAX_REMOVED_SHARE == 0.9


@pytest.mark.parametrize("share", [0, -0.1, 1.5])
def test_the_valve_share_must_be_a_share(share: float) -> None:
    with pytest.raises(ValueError, match="max_removed_share"):
        BoilerplateStage(RULES, max_removed_share=share)


def test_words_count_characters_of_scripts_without_spaces() -> None:
    assert count_words("Share this article") == 3
    assert count_words("中国外交部周一表示") >= 9
    assert count_words("ข่าวการเมือง") > 1
    assert count_words(" \n\t") == 0
