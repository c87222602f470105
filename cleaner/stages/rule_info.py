"""Metadata every built-in rule carries, so `cleaner rules` can document it (ruff-style)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    """A rule's stable id, kebab-case name, owning stage, one-line reason, and examples.

    Each example is ``(text, expected)``: what the rule's stage makes of ``text`` when only this
    rule is enabled. The test suite runs every example, so the documentation cannot go stale.
    """

    id: str
    name: str
    stage: str
    why: str
    examples: tuple[tuple[str, str], ...] = ()
