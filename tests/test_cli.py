"""The `cleaner` command as a user runs it: files and trees in, outputs and change logs out, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from fixture_paths import FIXTURES, SEEDS, seed_path

from cleaner.cli import main

BOILERPLATE = [
    "fbpx", "Share:", "error: Content is protected !!", "Support our non-profit journalism", "Submit a Comment",
    "Your email address will not be published. Required fields are marked *", "Continue reading on the app",
    "Expand article", "China news, weekly.",
    "Sign up for The China Project’s weekly newsletter, our free roundup of the most important China stories.",
]


def run(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


@pytest.fixture(scope="module")
def cleaned_seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert run("fix", FIXTURES / "seeds", "-o", out, "-q") == 0
    return out


def test_fix_writes_an_output_and_a_change_log_per_seed(cleaned_seeds: Path) -> None:
    for seed in SEEDS:
        assert (cleaned_seeds / seed.name).is_file()
        assert (cleaned_seeds / (seed.name + ".changes.jsonl")).is_file()


def test_seed_boilerplate_is_gone(cleaned_seeds: Path) -> None:
    for prefix in ("001", "002", "004"):
        lines = {line.strip() for line in (cleaned_seeds / seed_path(prefix).name).read_text("utf-8").splitlines()}
        assert not lines & set(BOILERPLATE), prefix
    first = (cleaned_seeds / seed_path("001").name).read_text("utf-8").splitlines()
    headline = "China Signals Disinterest in Providing Weapons to Russia for Brutal Ukraine Campaign"
    assert first[0] == headline and first.count(headline) == 1


@pytest.mark.parametrize("prefix", ["000", "003"])
def test_clean_articles_keep_every_line(cleaned_seeds: Path, prefix: str) -> None:
    original = [line for line in seed_path(prefix).read_text("utf-8").splitlines() if line.strip()]
    output = [line for line in (cleaned_seeds / seed_path(prefix).name).read_text("utf-8").splitlines() if line.strip()]
    assert output == [line.rstrip() for line in original]


def test_seed_004_is_repaired(cleaned_seeds: Path) -> None:
    text = (cleaned_seeds / seed_path("004").name).read_text("utf-8")
    assert "Yáng Jiéchí 杨洁篪" in text and "Liú Péngyǔ 刘鹏宇" in text
    assert not any("\u0e00" <= char <= "\u0e7f" for char in text)


def test_replay_and_revert_from_the_command_line(
    cleaned_seeds: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    for seed in SEEDS:
        output = cleaned_seeds / seed.name
        log = cleaned_seeds / (seed.name + ".changes.jsonl")
        assert run("log", "replay", log, seed) == 0
        assert capsysbinary.readouterr().out == output.read_bytes()
        assert run("log", "revert", log, output) == 0
        assert capsysbinary.readouterr().out == seed.read_bytes()


def test_check_on_cleaned_output_finds_nothing(cleaned_seeds: Path) -> None:
    assert run("check", *sorted(cleaned_seeds.glob("*.txt"))) == 0


def test_check_reports_changes_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    assert run("check", FIXTURES / "seeds") == 1
    captured = capsys.readouterr()
    assert "would clean" in captured.out and seed_path("004").name in captured.out
    assert "files would be cleaned" in captured.err.splitlines()[-1]
    assert {path: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before


def test_diff_prints_a_unified_diff(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("diff", seed_path("004")) == 1
    out = capsys.readouterr().out
    assert out.startswith("--- a/") and "+In a seven-hour meeting" in out and "-  • The White House" in out


@pytest.fixture
def mixed_inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text("A good line.  \n\n\n\nShare:\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.dat").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    (folder / "sub" / "legacy.txt").write_bytes("La crème brûlée du café était parfaite.\n".encode("cp1252"))
    return folder


def test_bad_inputs_are_reported_and_the_rest_cleaned(mixed_inputs: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "missing.txt"
    assert run("fix", mixed_inputs, missing, "-o", out) == 2
    err = capsys.readouterr().err
    assert f"{mixed_inputs / 'binary.dat'}: error: binary data" in err
    assert f"{missing}: error: no such file or directory" in err
    assert "Traceback" not in err
    assert (out / "good.txt").read_text("utf-8") == "A good line.\n"
    assert (out / "empty.txt").read_bytes() == b""
    assert (out / "sub" / "legacy.txt").read_text("utf-8") == "La crème brûlée du café était parfaite.\n"
    assert not (out / "binary.dat").exists()
    assert err.strip().splitlines()[-1].startswith("2 files cleaned, 1 file left unchanged, 2 files failed")


def test_no_traceback_from_the_real_command(mixed_inputs: Path, tmp_path: Path) -> None:
    process = subprocess.run([sys.executable, "-m", "cleaner", "fix", str(mixed_inputs), "nope.txt", "-o",
                              str(tmp_path / "o")], capture_output=True, text=True, check=False)
    assert process.returncode == 2
    assert "Traceback" not in process.stderr and "nope.txt: error:" in process.stderr


def test_fix_refuses_to_overwrite_inputs_unless_asked(mixed_inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("fix", mixed_inputs / "good.txt") == 2
    assert "-o OUTDIR, or --in-place" in capsys.readouterr().err
    assert run("fix", mixed_inputs / "good.txt", "-o", mixed_inputs) == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert (mixed_inputs / "good.txt").read_text("utf-8").endswith("Share:\n")
    assert run("fix", mixed_inputs / "good.txt", "--in-place") == 0
    assert (mixed_inputs / "good.txt").read_text("utf-8") == "A good line.\n"
    assert (mixed_inputs / "good.txt.changes.jsonl").is_file()


def test_stdin_to_stdout(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    import io

    stdin = io.TextIOWrapper(io.BytesIO("fbpx\nYรกng  \r\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert run("fix", "-", "-q") == 0
    assert capsysbinary.readouterr().out == "Yáng\n".encode()


def test_rules_lists_every_stage_and_explains_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("rules") == 0
    listing = capsys.readouterr().out
    for rule in ("DC001", "RP003", "BP001", "PN004", "WS005"):
        assert rule in listing
    assert run("rules", "rp003") == 0
    assert "lost-byte" in capsys.readouterr().out
    assert run("rules", "XX999") == 2


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", seed_path("000"), "--only", "bogus") == 2
    assert "unknown stage 'bogus'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        run("fix", "--punctuation", "fancy", "x")
    assert exit_info.value.code == 2


def test_select_and_ignore_change_what_runs(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("fbpx\nText\u200b here.\n", encoding="utf-8")
    assert run("check", source, "--ignore", "BP,PN") == 0
    assert run("check", source, "--select", "PN001") == 1


def test_log_errors_name_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.changes.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert run("log", "replay", bad, seed_path("000")) == 2
    assert "bad.changes.jsonl" in capsys.readouterr().err


def test_two_inputs_for_one_output_path_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"from {folder}\n", encoding="utf-8")
    assert run("fix", tmp_path / "a", tmp_path / "b", "-o", tmp_path / "out") == 2
    assert "outputs would collide" in capsys.readouterr().err
    assert (tmp_path / "out" / "same.txt").read_text("utf-8") == "from a\n"


def test_outputs_survive_their_folder_being_removed_between_runs(tmp_path: Path) -> None:
    import shutil

    source = tmp_path / "a.txt"
    source.write_text("fbpx\ntext\n", encoding="utf-8")
    out = tmp_path / "out" / "deep"
    assert run("fix", source, "-o", out, "-q") == 0
    shutil.rmtree(tmp_path / "out")
    assert run("fix", source, "-o", out, "-q") == 0  # same process: a cached "made it" must not lie
    assert (out / "a.txt").read_text("utf-8") == "text\n"


def test_the_version_is_the_installed_distributions(capsys: pytest.CaptureFixture[str]) -> None:
    # cleaner/version.py is the one place the version is written; pyproject.toml reads it.
    import importlib.metadata

    import cleaner

    assert importlib.metadata.version("cleaner") == cleaner.__version__
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"cleaner {cleaner.__version__}"
