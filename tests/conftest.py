"""Shared paths and helpers for the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SHARED = REPO.parent / "shared"


@pytest.fixture(params=SEEDS, ids=[path.name[:3] for path in SEEDS])
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param


def seed_path(prefix: str) -> Path:
    return next(path for path in SEEDS if path.name.startswith(prefix))
