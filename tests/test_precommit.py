"""The pre-commit hooks: a valid manifest, and each hook's entry behaving as pre-commit runs it."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_paths import REPO

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def hooks() -> dict[str, dict[str, object]]:
    clientlib = pytest.importorskip("pre_commit.clientlib")
    return {hook["id"]: hook for hook in clientlib.load_manifest(str(MANIFEST))}


def run_hook(hook_id: str, files: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run a hook's entry with file names appended, as pre-commit does (``cleaner`` via this Python)."""
    entry = shlex.split(str(hooks()[hook_id]["entry"]))
    assert entry[0] == "cleaner"
    command = [sys.executable, "-m", "cleaner", *entry[1:], *(str(path) for path in files)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_manifest_is_valid_and_has_both_hooks() -> None:
    manifest = hooks()
    assert set(manifest) == {"cleaner-fix", "cleaner-check"}
    assert all(hook["language"] == "python" and hook["types"] == ["text"] for hook in manifest.values())


@pytest.fixture
def staged(tmp_path: Path) -> tuple[Path, Path]:
    dirty = tmp_path / "dirty.txt"
    dirty.write_text("fbpx\nThe cafÃ© is open.  \n", encoding="utf-8")
    clean = tmp_path / "clean.md"
    clean.write_text("Already clean.\n", encoding="utf-8")
    return dirty, clean


def test_fix_hook_cleans_in_place_and_leaves_no_change_logs(staged: tuple[Path, Path]) -> None:
    dirty, clean = staged
    process = run_hook("cleaner-fix", [dirty, clean])
    assert process.returncode == 0, process.stderr
    assert dirty.read_text("utf-8") == "The café is open.\n"
    assert clean.read_text("utf-8") == "Already clean.\n"
    assert sorted(path.name for path in dirty.parent.iterdir()) == ["clean.md", "dirty.txt"]


def test_check_hook_fails_on_a_file_that_would_change(staged: tuple[Path, Path]) -> None:
    dirty, clean = staged
    assert run_hook("cleaner-check", [clean]).returncode == 0
    process = run_hook("cleaner-check", [dirty, clean])
    assert process.returncode == 1
    assert dirty.read_text("utf-8").startswith("fbpx")  # check never writes
