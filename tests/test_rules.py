"""Rule packs: the packaged packs are well-formed, and a bad pack fails loudly with file and reason."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest

from cleaner.rules import (
    BoilerplateRule,
    RulePack,
    RulePackError,
    boilerplate_rules,
    default_rules_dir,
    load_rule_pack,
    load_rule_packs,
    prepare_line,
)

GOOD_RULE = """
[[rules]]
id = "BP9001"
name = "test-spam"
why = "A test rule."
pattern = '''spam(?: spam)*'''
examples.match = ["spam", "spam spam"]
examples.no_match = ["spam is tinned meat."]
"""

BLOCK_RULE = """
[[rules]]
id = "BP9003"
name = "test-block"
kind = "short-line-block"
why = "A test block rule."
examples.match = ["a document"]
examples.no_match = ["another document"]
"""

PACK_HEADER = """
[pack]
name = "{name}"
description = "A pack written by a test."
"""


def write_pack(directory: Path, body: str, name: str = "user", filename: str = "user.toml") -> Path:
    path = directory / filename
    path.write_text(PACK_HEADER.format(name=name) + body, encoding="utf-8")
    return path


# --- the packaged packs ---------------------------------------------------------------------------


def test_default_rules_dir_holds_the_boilerplate_packs() -> None:
    directory = default_rules_dir()
    assert (directory / "boilerplate").is_dir()
    assert sorted(path.name for path in (directory / "boilerplate").glob("*.toml")) == [
        "comments.toml", "meta.toml", "newsletter.toml", "structure.toml", "web.toml", "wordpress-i18n.toml",
    ]


def test_packaged_packs_load_in_file_order_with_hashes() -> None:
    packs = load_rule_packs()
    assert [pack.name for pack in packs] == ["comments", "meta", "newsletter", "structure", "web", "wordpress-i18n"]
    for pack in packs:
        assert isinstance(pack, RulePack)
        assert pack.description.strip()
        assert pack.sha256 == hashlib.sha256(pack.path.read_bytes()).hexdigest()
        assert all(rule.pack == pack.name for rule in pack.rules)


def test_packaged_rules_are_many_unique_and_documented() -> None:
    rules = boilerplate_rules(load_rule_packs())
    assert len(rules) >= 50
    ids = [rule.id for rule in rules]
    names = [rule.name for rule in rules]
    assert len(set(ids)) == len(ids)
    assert len(set(names)) == len(names)
    for rule in rules:
        assert re.fullmatch(r"BP\d{3}", rule.id), rule.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
        assert rule.why.strip() and "\n" not in rule.why
        # Each rule documents at least two lines it removes and two realistic lines it keeps.
        assert len(rule.examples_match) >= 2, rule.id
        assert len(rule.examples_no_match) >= 2, rule.id
        if rule.kind == "phrase":
            assert rule.compiled is not None
        assert rule.scope in {"line", "head", "tail"}
        assert (rule.scope_lines is None) == (rule.scope == "line")


def test_ids_are_grouped_by_pack() -> None:
    prefixes = {"web": "BP0", "comments": "BP1", "newsletter": "BP2", "structure": "BP3", "meta": "BP4",
                "wordpress-i18n": "BP5"}
    for pack in load_rule_packs():
        assert all(rule.id.startswith(prefixes[pack.name]) for rule in pack.rules), pack.name


def test_enabled_filters_rules_by_id() -> None:
    packs = load_rule_packs()
    every = boilerplate_rules(packs)
    without_web = boilerplate_rules(packs, lambda rule_id: not rule_id.startswith("BP0"))
    assert {rule.id for rule in without_web} == {rule.id for rule in every if not rule.id.startswith("BP0")}
    assert boilerplate_rules(packs, lambda rule_id: False) == []


def test_patterns_are_case_insensitive_unless_said_otherwise() -> None:
    rules = {rule.id: rule for rule in boilerplate_rules(load_rule_packs())}
    assert rules["BP003"].matches("SHARE THIS:")
    credit = rules["BP022"]  # case-sensitive: credits are capitalised names
    assert credit.case_sensitive
    assert credit.matches("Photo: Jane Doe")
    assert not credit.matches("Photo: jane doe")


# --- user packs -----------------------------------------------------------------------------------


def test_extra_pack_file_and_directory_are_loaded_after_the_packaged_ones(tmp_path: Path) -> None:
    pack_file = write_pack(tmp_path, GOOD_RULE)
    by_file = load_rule_packs([pack_file])
    assert by_file[-1].name == "user"
    assert by_file[-1].rules[0].id == "BP9001"
    by_directory = load_rule_packs([tmp_path])
    assert [pack.name for pack in by_directory] == [pack.name for pack in by_file]
    # The same pack named twice (as a file and through its directory) is loaded once.
    assert len(load_rule_packs([pack_file, tmp_path])) == len(by_file)


def test_user_rule_defaults(tmp_path: Path) -> None:
    rule = load_rule_pack(write_pack(tmp_path, GOOD_RULE)).rules[0]
    assert isinstance(rule, BoilerplateRule)
    assert (rule.scope, rule.scope_lines, rule.action, rule.max_length, rule.kind) == (
        "line", None, "drop-line", 120, "phrase",
    )
    assert rule.examples_match == ("spam", "spam spam")
    head = load_rule_pack(write_pack(tmp_path, GOOD_RULE.replace('why =', 'scope = "head"\nwhy ='))).rules[0]
    tail = load_rule_pack(write_pack(tmp_path, GOOD_RULE.replace('why =', 'scope = "tail"\nwhy ='))).rules[0]
    assert (head.scope_lines, tail.scope_lines) == (5, 10)


BAD_PACKS = [
    pytest.param(GOOD_RULE.replace('id = "BP9001"\n', ""), "missing required field 'id'", id="missing-id"),
    pytest.param(GOOD_RULE.replace('why = "A test rule."\n', ""), "missing required field 'why'", id="missing-why"),
    pytest.param(re.sub(r"pattern = .*\n", "", GOOD_RULE), "missing required field 'pattern'", id="missing-pattern"),
    pytest.param(re.sub(r"examples\.no_match = .*\n", "", GOOD_RULE), "examples.no_match", id="missing-examples"),
    pytest.param(GOOD_RULE + GOOD_RULE.replace("test-spam", "other-name"), "duplicate rule id BP9001",
                 id="duplicate-id-in-pack"),
    pytest.param(GOOD_RULE + GOOD_RULE.replace("BP9001", "BP9002"), "duplicate rule name 'test-spam'",
                 id="duplicate-name-in-pack"),
    pytest.param(GOOD_RULE.replace("spam(?: spam)*", "spam(unclosed"), "pattern does not compile", id="bad-regex"),
    pytest.param(GOOD_RULE.replace("spam(?: spam)*", "(?:spam)?"), "matches an empty line", id="matches-empty"),
    pytest.param(GOOD_RULE.replace('why =', 'scope = "middle"\nwhy ='), "unknown scope 'middle'", id="bad-scope"),
    pytest.param(GOOD_RULE.replace('why =', 'action = "replace"\nwhy ='), "unknown action 'replace'",
                 id="bad-action"),
    pytest.param(GOOD_RULE.replace('why =', 'kind = "magic"\nwhy ='), "unknown kind 'magic'", id="bad-kind"),
    pytest.param(GOOD_RULE.replace('why =', 'action = "drop-rest"\nwhy ='), "only allowed with scope 'tail'",
                 id="drop-rest-outside-tail"),
    pytest.param(GOOD_RULE.replace('why =', 'scope_lines = 3\nwhy ='), "'scope_lines' only applies",
                 id="scope-lines-on-line-scope"),
    pytest.param(GOOD_RULE.replace('why =', 'max_length = 0\nwhy ='), "'max_length' must be a positive integer",
                 id="bad-max-length"),
    pytest.param(GOOD_RULE.replace('why =', 'scope_line = 3\nwhy ='), "unknown key(s): scope_line", id="typo-key"),
    pytest.param(GOOD_RULE.replace('"BP9001"', '"XX001"'), "must be 'BP' followed by", id="bad-id"),
    pytest.param(GOOD_RULE.replace('"test-spam"', '"Test Spam"'), "must be kebab-case", id="bad-name"),
    pytest.param(GOOD_RULE.replace('why = "A test rule."', 'why = """two\nlines"""'), "single line",
                 id="multi-line-why"),
    pytest.param(GOOD_RULE.replace('why =', 'near = ["BP9999"]\nwhy ='), "unknown rule BP9999",
                 id="near-unknown-rule"),
    pytest.param(GOOD_RULE.replace('why =', 'kind = "repeated-head-line"\nwhy ='), "takes no 'pattern'",
                 id="structural-rule-with-pattern"),
    pytest.param(GOOD_RULE.replace("[[rules]]", "[[rules]\n"), "not a valid TOML file", id="toml-syntax"),
    pytest.param(GOOD_RULE.replace('why =', 'kind = "short-line-block"\nwhy ='), "takes no 'pattern'",
                 id="block-rule-with-pattern"),
    pytest.param(BLOCK_RULE.replace('why =', 'scope = "head"\nwhy ='), "needs scope 'line'", id="block-rule-scoped"),
    pytest.param(BLOCK_RULE.replace('why =', 'min_lines = 0\nwhy ='), "'min_lines' must be a positive integer",
                 id="block-rule-bad-min-lines"),
    pytest.param(GOOD_RULE.replace('why =', 'min_lines = 3\nwhy ='), "'min_lines' only applies to kind",
                 id="min-lines-on-phrase-rule"),
    pytest.param(GOOD_RULE.replace('why =', 'min_outside_lines = 3\nwhy ='), "'min_outside_lines' only applies",
                 id="min-outside-lines-on-phrase-rule"),
    pytest.param(GOOD_RULE.replace('"BP9001"', '"BP900"'), "reserved", id="reserved-id"),
    pytest.param("", "no [[rules]]", id="no-rules"),
]


@pytest.mark.parametrize(("body", "problem"), BAD_PACKS)
def test_bad_pack_names_the_file_and_the_problem(tmp_path: Path, body: str, problem: str) -> None:
    path = write_pack(tmp_path, body)
    with pytest.raises(RulePackError) as error:
        load_rule_packs([path])
    assert str(path) in str(error.value)
    assert problem in str(error.value)
    assert isinstance(error.value, ValueError)


def test_missing_pack_table(tmp_path: Path) -> None:
    path = tmp_path / "headless.toml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    with pytest.raises(RulePackError, match=r"headless\.toml: missing \[pack\] table"):
        load_rule_packs([path])


def test_duplicate_id_across_packs_names_both(tmp_path: Path) -> None:
    clash = GOOD_RULE.replace("BP9001", "BP003").replace("test-spam", "my-share")
    path = write_pack(tmp_path, clash)
    with pytest.raises(RulePackError, match=r"duplicate rule id BP003 \(my-share; already used by share-prompt"):
        load_rule_packs([path])
    first = write_pack(tmp_path, GOOD_RULE, name="one", filename="one.toml")
    second = write_pack(tmp_path, GOOD_RULE.replace("test-spam", "spam-two"), name="two", filename="two.toml")
    with pytest.raises(RulePackError, match=r"two\.toml: duplicate rule id BP9001"):
        load_rule_packs([first, second])


def test_duplicate_pack_name(tmp_path: Path) -> None:
    path = write_pack(tmp_path, GOOD_RULE, name="web")
    with pytest.raises(RulePackError, match="duplicate pack name 'web'"):
        load_rule_packs([path])


def test_missing_extra_path(tmp_path: Path) -> None:
    with pytest.raises(RulePackError, match="no such rule pack"):
        load_rule_packs([tmp_path / "nope.toml"])


def test_near_must_name_a_plain_rule(tmp_path: Path) -> None:
    near_a_near_rule = GOOD_RULE.replace('why =', 'near = ["BP020"]\nwhy =')  # BP020 is itself a near rule
    with pytest.raises(RulePackError, match="must be a plain drop-line phrase rule"):
        load_rule_packs([write_pack(tmp_path, near_a_near_rule)])


# --- matching -------------------------------------------------------------------------------------


def test_prepare_line_strips_and_collapses_white_space() -> None:
    assert prepare_line("  Share\u00a0 this: \r\n") == "Share this:"
    assert prepare_line("\u200bShare:\ufeff\n") == "Share:"
    assert prepare_line(" \t \n") == ""


def test_matches_is_a_whole_line_match(tmp_path: Path) -> None:
    rule = load_rule_pack(write_pack(tmp_path, GOOD_RULE)).rules[0]
    assert rule.matches("spam spam")
    assert not rule.matches("spam spam eggs")
    assert not rule.matches("eggs spam")


def test_may_start_is_exact_about_prefixes(tmp_path: Path) -> None:
    rule = load_rule_pack(write_pack(tmp_path, GOOD_RULE)).rules[0]
    assert rule.may_start("sp")
    assert rule.may_start("spam s")
    assert not rule.may_start("eggs")
    assert not rule.may_start("spa m")


def test_a_pathological_pattern_times_out_instead_of_hanging(tmp_path: Path) -> None:
    slow = GOOD_RULE.replace("spam(?: spam)*", "(?:a|aa)+b")
    rule = load_rule_pack(write_pack(tmp_path, slow)).rules[0]
    started = time.perf_counter()
    with pytest.raises(TimeoutError):
        rule.matches("a" * 60, timeout=0.02)
    assert time.perf_counter() - started < 2
    assert rule.matches("aab")


def test_short_line_block_rule_defaults_and_settings(tmp_path: Path) -> None:
    rule = load_rule_pack(write_pack(tmp_path, BLOCK_RULE)).rules[0]
    assert (rule.kind, rule.scope, rule.action, rule.min_lines, rule.min_outside_lines, rule.pattern) == (
        "short-line-block", "line", "drop-line", 2, 10, "")
    assert rule.compiled is None and not rule.matches("anything")
    custom = BLOCK_RULE.replace('why =', 'min_lines = 3\nmin_outside_lines = 25\nwhy =')
    rule = load_rule_pack(write_pack(tmp_path, custom)).rules[0]
    assert (rule.min_lines, rule.min_outside_lines) == (3, 25)


def test_reserved_ids_are_three_digit_bp9() -> None:
    # Four digits are free for users (the tests above use BP9001); BP900-BP999 are the stage's.
    rules = boilerplate_rules(load_rule_packs())
    assert not [rule.id for rule in rules if re.fullmatch(r"BP9\d\d", rule.id)]
