"""Every built-in rule's documented examples, run through its stage (ruff-style self-testing docs).

A positive example (text != expected) must come out as documented with the stage's rules on,
and must come out differently with the rule under test turned off, so each example proves that
its own rule does the work. A negative example (text == expected) must be left alone.
"""

from __future__ import annotations

import pytest

from cleaner.catalog import BUILT_IN_RULES
from cleaner.pipeline import Pipeline
from cleaner.selection import RuleSelection
from cleaner.stages.base import Stage
from cleaner.stages.boilerplate import REPEATED_EXAMPLE, BoilerplateStage
from cleaner.stages.decode import DecodeStage
from cleaner.stages.punctuation import PunctuationStage
from cleaner.stages.repair import RepairStage
from cleaner.stages.rule_info import RuleInfo
from cleaner.stages.whitespace import WhitespaceStage

CASES = [(rule, text, expected) for rule in BUILT_IN_RULES for text, expected in rule.examples]


def stage_for(rule: RuleInfo, selection: RuleSelection) -> Stage:
    profile = "ascii" if rule.id.startswith("PN1") else "unicode" if rule.id.startswith("PN2") else "keep"
    builders = {
        "decode": lambda: DecodeStage(selection),
        "repair": lambda: RepairStage(selection),
        # Only the stage's built-in rules: BP900 with its example's group counts, BP901 the valve.
        "boilerplate": lambda: BoilerplateStage([], repeated=REPEATED_EXAMPLE if selection("BP900") else None,
                                                max_removed_share=0.9 if selection("BP901") else None),
        "punctuation": lambda: PunctuationStage(profile, selection),
        "whitespace": lambda: WhitespaceStage(selection),
    }
    return builders[rule.stage]()


def test_every_built_in_rule_has_examples_and_a_unique_id() -> None:
    ids = [rule.id for rule in BUILT_IN_RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.examples for rule in BUILT_IN_RULES)
    # A rule that only warns (the safety valve, unrepaired mojibake) has no example that changes text.
    changing = [rule for rule in BUILT_IN_RULES if rule.id not in {"BP901", "RP004"}]
    assert all(any(text != out for text, out in rule.examples) for rule in changing)


@pytest.mark.parametrize(("rule", "text", "expected"), CASES, ids=[f"{case[0].id}-{i}" for i, case in enumerate(CASES)])
def test_rule_example(rule: RuleInfo, text: str, expected: str) -> None:
    everything = Pipeline([stage_for(rule, RuleSelection())]).clean_text(text).text
    assert everything == expected
    if text != expected:
        without = Pipeline([stage_for(rule, RuleSelection(ignore=(rule.id,)))]).clean_text(text).text
        assert without != expected, f"{rule.id} is not what makes this example work"
