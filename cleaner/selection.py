"""Turning rules on and off by id or id prefix, as ruff's ``--select``/``--ignore`` do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSelection:
    """Which rule ids are enabled: selected (default: all) and not ignored; the longer prefix wins.

    >>> selection = RuleSelection(select=("BP", "WS"), ignore=("BP0", "WS001"))
    >>> selection("BP001"), selection("BP101"), selection("WS001"), selection("WS002"), selection("PN001")
    (False, True, False, True, False)
    >>> RuleSelection(select=("BP001",), ignore=("BP",))("BP001")
    True
    """

    select: Sequence[str] = ()
    ignore: Sequence[str] = ()

    def __call__(self, rule_id: str) -> bool:
        selected = max((len(prefix) for prefix in self.select if rule_id.startswith(prefix)), default=-1)
        ignored = max((len(prefix) for prefix in self.ignore if rule_id.startswith(prefix)), default=-1)
        if self.select and selected < 0:
            return False
        return selected >= ignored
