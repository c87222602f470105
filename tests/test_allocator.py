"""The CLI's allocator settings (cleaner.allocator): freed large blocks go back to the system."""

from __future__ import annotations

import platform
import subprocess
import sys
from pathlib import Path

import pytest

# (The plain run does not import cleaner: its imports leave glibc's heap in another state.)
# 64 blocks of 1 MiB, each followed by a small malloc'ed object that outlives it (a bytearray of
# 1,000 bytes is beyond Python's own small-object allocator), after glibc has seen one 8 MiB
# block freed: what a corpus run's main process does with its chunks, in miniature.
SCENARIO = """
import sys
if sys.argv[1] == "tuned":
    from cleaner.allocator import release_large_blocks
    tuned = release_large_blocks()
else:
    tuned = None
def rss_mb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS"))
big = bytes(8 << 20)
del big
base = rss_mb()
blocks, pins = [], []
for _ in range(64):
    blocks.append(bytearray(1 << 20))
    pins.append(bytearray(1000))
del blocks
print(tuned, rss_mb() - base)
"""


def _held_after_free(mode: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", SCENARIO, mode], capture_output=True, text=True, check=True).stdout
    tuned, held = out.split()
    return tuned, int(held)


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="needs glibc's mallopt")
def test_freed_large_blocks_are_returned_once_tuned() -> None:
    assert _held_after_free("tuned") == ("True", pytest.approx(0, abs=8))
    # The scenario does show the problem: untuned, glibc keeps the freed megabytes.
    assert _held_after_free("plain")[1] >= 32


def test_the_cli_tunes_the_allocator(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cleaner import cli

    calls = []
    monkeypatch.setattr(cli, "release_large_blocks", lambda: calls.append(True) or True)
    (tmp_path / "a.txt").write_text("café\n", encoding="utf-8")
    assert cli.main(["check", str(tmp_path / "a.txt"), "-q"]) in (0, 1)
    assert calls == [True]
