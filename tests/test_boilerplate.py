"""The boilerplate stage: every rule's own examples, scoping, line endings, timeouts and the seeds."""

from __future__ import annotations

import doctest
import time
from pathlib import Path

import pytest
from fixture_paths import seed_path
from hypothesis import given
from hypothesis import strategies as st

import cleaner.stages.boilerplate
from cleaner.edits import apply_edits, check_edits, revert_edits
from cleaner.rules import BoilerplateRule, boilerplate_rules, load_rule_pack, load_rule_packs
from cleaner.stages.boilerplate import BoilerplateStage

RULES = boilerplate_rules(load_rule_packs())
BY_ID = {rule.id: rule for rule in RULES}
STAGE = BoilerplateStage(RULES)
NO_VALVE = BoilerplateStage(RULES, max_removed_share=None)

# Ordinary paragraphs, long enough that no rule could take them.
P1 = ("The minister spoke for an hour on Tuesday and took no questions from the reporters who had "
      "gathered outside the building in the rain.")
P2 = ("Officials later said the talks would continue next week in Geneva, though no date has yet been "
      "set for the meeting, and neither side would say more.")
P3 = ("Analysts expect little to change before the summer, when both governments face elections that "
      "could shift the balance of the negotiations.")
P4 = ("Trade between the two countries grew by a fifth last year, driven mostly by energy exports and by "
      "a surge in demand for grain.")
P5 = ("Diplomats from both sides described the mood as cordial but cautious, and said the hardest "
      "questions had been left for later rounds.")
P6 = ("A spokesman for the foreign ministry declined to comment on the reports when asked about them at "
      "a regular briefing on Wednesday.")
LINKS = ["First related headline", "Second related headline"]


def document_for(rule: BoilerplateRule, line: str) -> str:
    """A small document that puts ``line`` where ``rule`` applies (head, middle, tail, near)."""
    if rule.near:
        # Beside a line that one of its anchor rules removes, away from head and tail.
        anchor = BY_ID[rule.near[0]].examples_match[0]
        return f"{P1}\n\n{P2}\n\n{line}\n\n{anchor}\n\n{P3}\n\n{P4}\n\n{P5}\n\n{P6}\n"
    if rule.action == "drop-rest":
        return f"{P1}\n\n{P2}\n\n{line}\n" + "".join(f"{link}\n" for link in LINKS)
    if rule.scope == "head":
        return f"{line}\n\n{P1}\n\n{P2}\n"
    if rule.scope == "tail":
        return f"{P1}\n\n{P2}\n\n{line}\n"
    return f"{P1}\n\n{line}\n\n{P2}\n"


def removed_lines(text: str, stage: BoilerplateStage = STAGE) -> list[str]:
    edits = stage.find_edits(text).edits
    check_edits(text, edits)
    return [edit.before.strip() for edit in edits]


PHRASE_MATCH = [
    pytest.param(rule, example, id=f"{rule.id}-{rule.name}-{number}")
    for rule in RULES if rule.kind == "phrase"
    for number, example in enumerate(rule.examples_match)
]
PHRASE_NO_MATCH = [
    pytest.param(rule, example, id=f"{rule.id}-{rule.name}-{number}")
    for rule in RULES if rule.kind == "phrase"
    for number, example in enumerate(rule.examples_no_match)
]
STRUCTURAL_MATCH = [
    pytest.param(rule, example, id=f"{rule.id}-{rule.name}-{number}")
    for rule in RULES if rule.kind != "phrase"
    for number, example in enumerate(rule.examples_match)
]
STRUCTURAL_NO_MATCH = [
    pytest.param(rule, example, id=f"{rule.id}-{rule.name}-{number}")
    for rule in RULES if rule.kind != "phrase"
    for number, example in enumerate(rule.examples_no_match)
]


# --- every rule's examples, through the real stage ------------------------------------------------


@pytest.mark.parametrize(("rule", "example"), PHRASE_MATCH)
def test_match_example_is_removed_by_its_own_rule(rule: BoilerplateRule, example: str) -> None:
    text = document_for(rule, example)
    edits = STAGE.find_edits(text).edits
    owned = [edit for edit in edits if edit.before.strip() == example.strip()]
    assert len(owned) == 1, f"{example!r} was not removed"
    edit = owned[0]
    # Its own rule, not an earlier one shadowing it: every rule's examples prove that rule works.
    assert (edit.rule, edit.name, edit.stage) == (rule.id, rule.name, "boilerplate")
    assert edit.after == ""
    assert edit.detail is not None and edit.detail["pack"] == rule.pack
    # The whole line and its terminator go: no hole is left where it stood.
    assert edit.before == example + "\n"
    assert text[edit.start - 1] == "\n"
    output = apply_edits(text, edits)
    assert example not in output
    assert P1 in output and P2 in output


@pytest.mark.parametrize(("rule", "example"), PHRASE_NO_MATCH)
def test_no_match_example_is_kept_by_every_rule(rule: BoilerplateRule, example: str) -> None:
    text = document_for(rule, example)
    edits = STAGE.find_edits(text).edits
    assert example.strip() not in [edit.before.strip() for edit in edits]
    if rule.action == "drop-rest":
        assert edits == []  # no marker, so the lines after it stay too


@pytest.mark.parametrize(("rule", "example"), PHRASE_MATCH)
def test_phrase_inside_a_line_is_never_removed(rule: BoilerplateRule, example: str) -> None:
    # Inside a long paragraph, and inside a short sentence that only quotes the phrase.
    for line in (f"{P1} {example} {P2}", f"Officials confirmed that {example.rstrip('.!?:')} was on the page."):
        text = document_for(rule, line)
        assert line not in removed_lines(text)
        assert line in apply_edits(text, STAGE.find_edits(text).edits)


@pytest.mark.parametrize(("rule", "document"), STRUCTURAL_MATCH)
def test_structural_match_example_loses_a_line_to_its_rule(rule: BoilerplateRule, document: str) -> None:
    edits = STAGE.find_edits(document).edits
    mine = [edit for edit in edits if edit.rule == rule.id]
    assert mine
    if rule.kind == "repeated-head-line":
        # The first copy of the headline stays.
        output = apply_edits(document, edits)
        assert output.splitlines()[0] == document.splitlines()[0]


@pytest.mark.parametrize(("rule", "document"), STRUCTURAL_NO_MATCH)
def test_structural_no_match_example_is_left_alone(rule: BoilerplateRule, document: str) -> None:
    assert STAGE.find_edits(document).edits == []


# --- near rules, drop-rest, scopes ----------------------------------------------------------------


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.near], ids=lambda rule: rule.id)
def test_near_rule_needs_its_anchor(rule: BoilerplateRule) -> None:
    for example in rule.examples_match:
        alone = f"{P1}\n\n{P2}\n\n{example}\n\n{P3}\n\n{P4}\n\n{P5}\n\n{P6}\n"
        assert removed_lines(alone) == [], example


def test_near_rule_reaches_only_near_lines_lines() -> None:
    tagline, signup = "China news, weekly.", BY_ID["BP201"].examples_match[0]
    assert BY_ID["BP205"].near_lines == 2
    close = f"{P1}\n\n{tagline}\n\n{P2}\n\n{signup}\n\n{P3}\n\n{P4}\n\n{P5}\n\n{P6}\n"
    far = f"{P1}\n\n{tagline}\n\n{P2}\n\n{P3}\n\n{signup}\n\n{P4}\n\n{P5}\n\n{P6}\n"
    assert tagline in removed_lines(close)
    assert tagline not in removed_lines(far)
    edit = next(edit for edit in STAGE.find_edits(close).edits if edit.rule == "BP205")
    assert edit.detail == {"pack": "newsletter", "near": "BP201"}


def test_near_rule_keeps_to_its_own_length_and_scope(tmp_path: Path) -> None:
    pack = tmp_path / "near.toml"
    pack.write_text(
        '[pack]\nname = "near"\ndescription = "test"\n[[rules]]\nid = "BP9001"\nname = "near-spam"\n'
        'why = "test"\npattern = "(?:spam ?)+"\nmax_length = 20\nscope = "tail"\nscope_lines = 4\n'
        'near = ["BP003"]\nnear_lines = 9\nexamples.match = ["spam"]\nexamples.no_match = ["eggs"]\n',
        encoding="utf-8",
    )
    stage = BoilerplateStage([*RULES, *load_rule_pack(pack).rules])
    short, long = "spam spam", " ".join(["spam"] * 10)
    # Beside "Share:" and in the tail: the short line goes, the long one stays.
    assert removed_lines(f"{P1}\n{P2}\nShare:\n{short}\n{long}\n{P3}\n", stage) == ["Share:", short]
    # Beside "Share:" but outside the last four lines: stays.
    assert removed_lines(f"{P1}\nShare:\n{short}\n{P2}\n{P3}\n{P4}\n{P5}\n", stage) == ["Share:"]


def test_drop_rest_takes_the_marker_and_what_follows() -> None:
    text = f"{P1}\n\n{P2}\n\nRelated posts:\n\nFirst related headline\nSecond related headline\n"
    edits = STAGE.find_edits(text).edits
    assert [edit.rule for edit in edits] == ["BP302"] * 3
    assert apply_edits(text, edits) == f"{P1}\n\n{P2}\n\n\n"


def test_drop_rest_leaves_everything_when_a_long_line_follows() -> None:
    text = f"{P1}\n\nYou may also like\n\n{P2} {P3}\n"
    result = STAGE.find_edits(text)
    assert result.edits == []
    assert [warning.rule for warning in result.warnings] == ["BP302"]
    assert "left alone" in result.warnings[0].message


def test_drop_rest_leaves_everything_when_a_sentence_follows() -> None:
    text = f"{P1}\n\nRelated posts:\n\nFirst related headline\nThe talks ended without a deal.\n"
    result = STAGE.find_edits(text)
    assert result.edits == []
    assert [warning.rule for warning in result.warnings] == ["BP302"]


def test_drop_rest_marker_outside_the_tail_is_kept() -> None:
    paragraphs = [P1, P2, P3, P4, P5, P6] * 2
    assert len(paragraphs) >= (BY_ID["BP302"].scope_lines or 0)
    text = "Related posts:\n\n" + "".join(f"{paragraph}\n\n" for paragraph in paragraphs)
    assert removed_lines(text) == []


def test_head_rule_applies_only_within_its_first_lines() -> None:
    rule = BY_ID["BP013"]  # navigation-word, e.g. "Menu"
    assert rule.scope == "head" and rule.scope_lines == 6
    before = [P1, P2, P3, P4, P5]
    inside = "\n\n".join([*before, "Menu", P6]) + "\n"  # 6th non-blank line
    outside = "\n\n".join([*before, P6, "Menu"]) + "\n"  # 7th non-blank line
    assert removed_lines(inside) == ["Menu"]
    assert removed_lines(outside) == []


def test_tail_rule_applies_only_within_its_last_lines() -> None:
    rule = BY_ID["BP023"]  # all-rights-reserved
    assert rule.scope == "tail" and rule.scope_lines == 6
    notice = "© 2022 Example Media. All rights reserved."
    inside = "\n".join([P1, notice, P2, P3, P4, P5, P6]) + "\n"  # 6th from the end
    outside = "\n".join([P1, notice, P6, P2, P3, P4, P5, P6]) + "\n"  # 7th from the end
    assert removed_lines(inside) == [notice]
    assert removed_lines(outside) == []


def test_repeated_headline_only_within_the_head() -> None:
    title = "China Signals Disinterest in Providing Weapons"
    near = f"{title}\n\n{title}\n\n{P1}\n"
    far = f"{title}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P4}\n\n{title}\n\n{P5}\n"  # 6th line: out of the head
    assert [edit.start for edit in STAGE.find_edits(near).edits] == [len(title) + 2]
    assert STAGE.find_edits(far).edits == []


# --- line endings and odd input -------------------------------------------------------------------


@pytest.mark.parametrize("eol", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
def test_any_line_ending(eol: str) -> None:
    text = eol.join(["fbpx", "", "Title of the story", "", P1, "", "Share this:", "Leave a Reply", ""])
    edits = STAGE.find_edits(text).edits
    assert [edit.before for edit in edits] == ["fbpx" + eol, "Share this:" + eol, "Leave a Reply" + eol]
    assert apply_edits(text, edits) == eol.join(["", "Title of the story", "", P1, "", ""])
    assert revert_edits(apply_edits(text, edits), edits) == text


def test_last_line_without_terminator() -> None:
    text = f"{P1}\nShare:\nerror: Content is protected !!"
    edits = STAGE.find_edits(text).edits
    assert [edit.before for edit in edits] == ["Share:\n", "error: Content is protected !!"]
    assert apply_edits(text, edits) == f"{P1}\n"


def test_indented_and_invisible_padded_lines_still_match() -> None:
    text = f"{P1}\n   Share\u00a0 this:  \n\u200bLeave a Reply\ufeff\n{P2}\n"
    assert removed_lines(text) == ["Share\u00a0 this:", "\u200bLeave a Reply\ufeff"]


def test_other_unicode_line_breaks_do_not_split_lines() -> None:
    # Only \n, \r\n and \r end a line, as in the whitespace stage; U+2028 is text here.
    text = f"{P1}\nShare:\u2028Leave a Reply\n{P2}\n"
    assert removed_lines(text) == []
    assert removed_lines(f"{P1}\u2028\nShare:\n") == ["Share:"]


@pytest.mark.parametrize("text", ["", "\n", "  \r\n\t\n", "x", "Share:"])
def test_tiny_inputs(text: str) -> None:
    result = STAGE.find_edits(text)
    check_edits(text, result.edits)
    # "Share:" alone would lose all its words: the safety valve keeps it, and says so.
    assert [warning.rule for warning in result.warnings] == (["BP901"] if text == "Share:" else [])
    assert removed_lines("Share:", NO_VALVE) == ["Share:"]


def test_max_length_keeps_long_lines(tmp_path: Path) -> None:
    pack = tmp_path / "spam.toml"
    pack.write_text(
        '[pack]\nname = "spam"\ndescription = "test"\n[[rules]]\nid = "BP9001"\nname = "spam"\n'
        'why = "test"\npattern = "(?:spam ?)+"\nmax_length = 20\n'
        'examples.match = ["spam"]\nexamples.no_match = ["eggs"]\n',
        encoding="utf-8",
    )
    stage = BoilerplateStage(load_rule_pack(pack).rules)
    short, long = "spam spam spam", " ".join(["spam"] * 10)
    assert removed_lines(f"{P1}\n{short}\n{long}\n", stage) == [short]


# --- timeouts -------------------------------------------------------------------------------------


def test_a_pattern_that_times_out_removes_nothing_and_warns(tmp_path: Path) -> None:
    pack = tmp_path / "slow.toml"
    pack.write_text(
        '[pack]\nname = "slow"\ndescription = "test"\n[[rules]]\nid = "BP9001"\nname = "slow"\n'
        "why = \"catastrophic backtracking\"\npattern = '(?:a|aa)+b'\n"
        'examples.match = ["aab"]\nexamples.no_match = ["aaa"]\n',
        encoding="utf-8",
    )
    rules = [*RULES, *load_rule_pack(pack).rules]
    stage = BoilerplateStage(rules, timeout=0.02, max_removed_share=None)
    slow_line = "a" * 60
    text = f"{P1}\n{slow_line}\nShare:\n{slow_line}\naab\n{P2}\n"
    started = time.perf_counter()
    result = stage.find_edits(text)
    assert time.perf_counter() - started < 5
    # The slow rule is reported once and then skipped for the rest of the document; the lines
    # it timed out on stay; the other rules still work.
    assert [(warning.stage, warning.rule) for warning in result.warnings] == [("boilerplate", "BP9001")]
    assert "timed out" in result.warnings[0].message
    assert text[result.warnings[0].start : result.warnings[0].end] == slow_line + "\n"
    assert [edit.before.strip() for edit in result.edits] == ["Share:"]
    # In a new document the rule runs again.
    assert [edit.rule for edit in stage.find_edits("aab\n").edits] == ["BP9001"]


# --- the hot path ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["The minister said", "China", "Beijing’s refusal", "“To provide arms", "Analysts believe", "2022年3月14日"],
)
def test_ordinary_openings_pick_few_candidate_rules(line: str) -> None:
    # Prose must not be run through every rule: its opening rules out nearly all of them.
    assert len(STAGE.candidates(line)) <= 5
    assert len(STAGE.plain) > 40


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(cleaner.stages.boilerplate).failed == 0


def test_candidates_include_the_rule_of_every_match_example() -> None:
    for rule in STAGE.plain:
        for example in rule.examples_match:
            assert rule in STAGE.candidates(example.strip()), (rule.id, example)


# --- properties -----------------------------------------------------------------------------------

LINES = st.sampled_from(
    [P1, P2, "", "   ", "China", "Share:", "Share prices fell 3% on Monday.", "Leave a Reply", "fbpx",
     "Related posts:", "China news, weekly.", BY_ID["BP201"].examples_match[0], "Nadya Yeh", "Menu",
     "© 2022 Example Media. All rights reserved.", "Title of the story", "Facebook", "Share this:"]
)


@given(st.lists(st.tuples(LINES, st.sampled_from(["\n", "\r\n", "\r"])), max_size=25), st.booleans())
def test_edits_are_whole_short_lines_and_revert(lines: list[tuple[str, str]], chop_last: bool) -> None:
    text = "".join(line + eol for line, eol in lines)
    if chop_last and lines:
        text = text[: -len(lines[-1][1])]
    result = STAGE.find_edits(text)
    check_edits(text, result.edits)
    for edit in result.edits:
        # A whole line: it starts a line and ends at a terminator or the end of the text.
        assert edit.start == 0 or text[edit.start - 1] in "\r\n"
        assert edit.end == len(text) or text[edit.end - 1] in "\r\n"
        assert edit.before.strip() and edit.before.strip() not in {P1, P2, "Share prices fell 3% on Monday."}
        assert len(edit.before.strip()) <= BY_ID[edit.rule].max_length
    assert revert_edits(apply_edits(text, result.edits), result.edits) == text


@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    result = STAGE.find_edits(text)
    check_edits(text, result.edits)


# --- the seed documents ---------------------------------------------------------------------------

JUNK = {
    "fbpx",
    "Share:",
    "error: Content is protected !!",
    "Support our non-profit journalism",
    "Submit a Comment",
    "Your email address will not be published. Required fields are marked *",
    "Continue reading on the app",
    "Expand article",
    "China news, weekly.",
    "Sign up for The China Project’s weekly newsletter, our free roundup of the most important China stories.",
}
HEADLINE_001 = "China Signals Disinterest in Providing Weapons to Russia for Brutal Ukraine Campaign"
# Everything each seed loses, and nothing more: every other line (headings such as "China Denies
# Russia’s Request…", the "China" label, the map caption, the closing byline) is text and stays.
EXPECTED_REMOVALS = {
    "001": [HEADLINE_001, "Share:", "error: Content is protected !!"],
    "002": [
        "fbpx", "Support our non-profit journalism", "Submit a Comment",
        "Your email address will not be published. Required fields are marked *",
        "Continue reading on the app", "Expand article",
    ],
    "004": [
        "China news, weekly.",
        "Sign up for The China Project’s weekly newsletter, our free roundup of the most important China stories.",
    ],
}


def read_seed(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_clean_seeds_lose_nothing(prefix: str) -> None:
    result = STAGE.find_edits(read_seed(prefix))
    assert result.edits == [] and result.warnings == []


@pytest.mark.parametrize("prefix", ["001", "002", "004"])
def test_junk_seeds_lose_exactly_their_junk(prefix: str) -> None:
    text = read_seed(prefix)
    assert removed_lines(text) == EXPECTED_REMOVALS[prefix]
    output = apply_edits(text, STAGE.find_edits(text).edits)
    remaining = {line.strip() for line in output.splitlines()}
    assert not remaining & JUNK
    kept = [line for line in text.splitlines() if line.strip() and line.strip() not in JUNK]
    assert len([line for line in output.splitlines() if line.strip()]) == len(kept) - (prefix == "001")


def test_seed_001_keeps_the_first_headline_and_drops_the_copy() -> None:
    text = read_seed("001")
    output = apply_edits(text, STAGE.find_edits(text).edits)
    assert output.startswith(HEADLINE_001 + "\n")
    assert output.count(HEADLINE_001) == 1
    assert text.count(HEADLINE_001) == 2


def test_seed_002_keeps_headings_labels_and_captions() -> None:
    text = read_seed("002")
    output = apply_edits(text, STAGE.find_edits(text).edits)
    lines = output.splitlines()
    assert "China Denies Russia’s Request for Military Aid in Invasion of Ukraine" in lines
    assert "China" in lines
    assert "Russia and Ukraine map | Image by Tomasz Makowski" in lines


def test_seed_004_keeps_section_label_and_byline() -> None:
    text = read_seed("004")
    lines = apply_edits(text, STAGE.find_edits(text).edits).splitlines()
    assert "Politics & Current Affairs" in lines
    assert "Nadya Yeh" in lines
