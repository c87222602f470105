"""Every rule of every stage in one list, for ``cleaner rules`` (ruff's ``rule`` command)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cleaner.stages import boilerplate, decode, punctuation, repair, whitespace
from cleaner.stages.rule_info import RuleInfo

# In stage order. The boilerplate stage's own rules (repeated lines, the safety valve) are built
# in; its phrase and structure rules come from the packs.
BUILT_IN_RULES: tuple[RuleInfo, ...] = (*decode.RULES, *repair.RULES, *boilerplate.RULES, *punctuation.RULES,
                                        *whitespace.RULES)


@dataclass(frozen=True)
class CatalogEntry:
    """A rule as people read it: id, stage, name, why, and the details shown by ``explain``."""

    id: str
    stage: str
    name: str
    why: str
    details: tuple[str, ...] = ()

    def explain(self) -> str:
        lines = [f"{self.id} {self.name} ({self.stage})", "", f"Why: {self.why}"]
        if self.details:
            lines.append("")
            lines.extend(self.details)
        return "\n".join(lines)


def all_rules(extra_packs: Sequence[Path] = ()) -> list[CatalogEntry]:
    """Built-in rules in stage order, then the boilerplate packs' rules."""
    from cleaner.rules import load_rule_packs

    entries = [
        CatalogEntry(rule.id, rule.stage, rule.name, rule.why,
                     tuple(f"Example: {text!r} -> {expected!r}" for text, expected in rule.examples))
        for rule in BUILT_IN_RULES
    ]
    for pack in load_rule_packs(extra_packs):
        for rule in pack.rules:
            details = [f"Pack: {pack.name} ({pack.path.name})", f"Kind: {rule.kind}", f"Pattern: {rule.pattern}",
                       f"Scope: {rule.scope}" + (f" ({rule.scope_lines} lines)" if rule.scope_lines else ""),
                       f"Action: {rule.action}", f"Applies to lines of at most {rule.max_length} characters"]
            details += [f"Matches: {example!r}" for example in rule.examples_match]
            details += [f"Does not match: {example!r}" for example in rule.examples_no_match]
            entries.append(CatalogEntry(rule.id, "boilerplate", rule.name, rule.why, tuple(details)))
    return entries
