"""Shared paths and helpers for the test suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SHARED = REPO.parent / "shared"


@pytest.fixture(params=SEEDS, ids=[path.name[:3] for path in SEEDS])
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param


def seed_path(prefix: str) -> Path:
    return next(path for path in SEEDS if path.name.startswith(prefix))
