"""Shared pytest configuration: hypothesis profiles and the seed fixture."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fixture_paths import SEEDS
from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(params=SEEDS, ids=[path.name[:3] for path in SEEDS])
def seed(request: pytest.FixtureRequest) -> Path:
    return request.param
