"""The command ends with os._exit after flushing its streams (cli.run_and_exit): what it
prints, writes and returns must be what main() does in-process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main


def _command(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # Block-buffered standard streams, as a pipe has them by default: output left in a buffer
    # would be lost by os._exit.
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True, check=False,
                          env=env)


def test_standard_output_is_complete_through_a_pipe(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    text = ("Grüße aus KÃ¶ln — “quoted”  \r\n" * 3000).encode("utf-8")  # ~90 KB (more than a pipe holds), many edits
    process = _command("fix", "-", "-q", stdin=text)
    assert process.returncode == 0
    expected = ("Grüße aus Köln — “quoted”\n" * 3000).encode("utf-8")
    assert process.stdout == expected


def test_exit_codes_and_reports_match_main(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = tmp_path / "in"
    tree.mkdir()
    (tree / "a.txt").write_text("caf\u00c3\u00a9 au lait  \n", encoding="utf-8")
    (tree / "b.txt").write_text("clean\n", encoding="utf-8")
    for args in (["check", str(tree), "--output-format", "json"], ["check", str(tree / "b.txt")],
                 ["fix", str(tree), "-o", str(tmp_path / "out"), "--summary-json", str(tmp_path / "s.json")],
                 ["fix", str(tree / "missing.txt"), "-o", str(tmp_path / "out2")]):
        process = _command(*args)
        code = main(args)
        captured = capsys.readouterr()
        assert process.returncode == code, args
        if "json" in args:
            assert json.loads(process.stdout) == json.loads(captured.out)
        assert process.stderr.decode("utf-8").splitlines()[-1:] == captured.err.splitlines()[-1:], args
    assert json.loads((tmp_path / "s.json").read_text("utf-8"))["files"]["changed"] == 1
