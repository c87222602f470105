"""Metadata every built-in rule carries, so `cleaner rules` can document it (ruff-style)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleInfo:
    """A rule's stable id, kebab-case name, owning stage and one-line reason."""

    id: str
    name: str
    stage: str
    why: str
