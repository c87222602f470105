"""Where the test data lives (imported by tests as a plain module: tests/ is on sys.path)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
SHARED = REPO.parent / "shared"


def seed_path(prefix: str) -> Path:
    return next(path for path in SEEDS if path.name.startswith(prefix))
