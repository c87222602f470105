"""Golden tests: the seeds and hand-made cases give exactly their reviewed outputs and change logs.

To accept a deliberate change, regenerate with ``cleaner fix fixtures/seeds -o fixtures/expected``
and read every changed line of the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixture_paths import FIXTURES, SEEDS

from cleaner.changelog import loads, replay, revert
from cleaner.cli import main

EXPECTED = FIXTURES / "expected"
CASES = sorted((FIXTURES / "cases").glob("*/*.input.txt"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    assert main(["fix", str(FIXTURES / "seeds"), "-o", str(out), "-q"]) == 0
    return out


def comparable(log: Path) -> list[dict[str, object]]:
    """The records, without what depends on where and with which version the log was made."""
    records = [json.loads(line) for line in log.read_text("utf-8").split("\n") if line]
    for field in ("source", "version", "rule_packs", "config_sha256"):
        records[0].pop(field)
    return records


@pytest.mark.parametrize("seed", SEEDS, ids=[path.name[:3] for path in SEEDS])
def test_seed_output_and_change_log_match_the_reviewed_ones(fresh: Path, seed: Path) -> None:
    assert (fresh / seed.name).read_bytes() == (EXPECTED / seed.name).read_bytes()
    log_name = seed.name + ".changes.jsonl"
    assert comparable(fresh / log_name) == comparable(EXPECTED / log_name)


@pytest.mark.parametrize("seed", SEEDS, ids=[path.name[:3] for path in SEEDS])
def test_reviewed_change_logs_replay_and_revert(seed: Path) -> None:
    log = loads((EXPECTED / (seed.name + ".changes.jsonl")).read_bytes())
    output = (EXPECTED / seed.name).read_bytes()
    assert replay(log, seed.read_bytes()) == output
    assert revert(log, output) == seed.read_bytes()


@pytest.mark.parametrize("seed", SEEDS, ids=[path.name[:3] for path in SEEDS])
def test_cleaning_clean_output_changes_nothing(fresh: Path, seed: Path, tmp_path: Path) -> None:
    assert main(["fix", str(fresh / seed.name), "-o", str(tmp_path), "-q"]) == 0
    assert (tmp_path / seed.name).read_bytes() == (fresh / seed.name).read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[f"{path.parent.name}/{path.name}" for path in CASES])
def test_hand_made_case(case: Path, tmp_path: Path) -> None:
    expected = case.with_name(case.name.replace(".input.", ".expected."))
    assert main(["fix", str(case), "-o", str(tmp_path), "-q"]) == 0
    output = tmp_path / case.name
    assert output.read_bytes() == expected.read_bytes()
    log = loads((tmp_path / (case.name + ".changes.jsonl")).read_bytes())
    assert revert(log, output.read_bytes()) == case.read_bytes()
    stage = case.parent.name
    if stage != "decode":  # decoding cannot be skipped; every other case is its own stage's work
        assert _clean_without(case, stage, tmp_path) != expected.read_bytes()


def _clean_without(case: Path, stage: str, tmp_path: Path) -> bytes:
    out = tmp_path / "without"
    main(["fix", str(case), "-o", str(out), "--skip", stage, "-q"])
    return (out / case.name).read_bytes()
