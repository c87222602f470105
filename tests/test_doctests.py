"""Every module's docstring examples run, as ruff's rule examples do: an example that no longer
holds is a failing test, not a stale comment."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cleaner

# (cleaner.__main__ runs the command when imported.)
MODULES = sorted(info.name for info in pkgutil.walk_packages(cleaner.__path__, "cleaner.")
                 if not info.name.endswith("__main__"))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
