"""What every stage is: a name and a method that turns text into the edits it wants."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from cleaner.edits import CleanWarning, Edit


@dataclass
class StageResult:
    """The edits a stage wants (sorted, disjoint, in its input's coordinates) and its warnings."""

    edits: list[Edit] = field(default_factory=list)
    warnings: list[CleanWarning] = field(default_factory=list)


class Stage(Protocol):
    """A pipeline stage. It knows nothing of files, CLIs or engines; it only reads text."""

    name: str

    def find_edits(self, text: str) -> StageResult:
        """Return the edits this stage makes to ``text``; must not raise on any ``str``."""
        ...
