"""Corpus runs as a CI job sees them: formats round-trip, any -j gives the same bytes, resume,
interruption, reports a CI can act on, and configuration files."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixture_paths import FIXTURES

from cleaner.cli import main
from cleaner.formats import read_all

MOJIBAKE = "Yรกng Jiรฉchรญ ๆจๆด็ฏช said โ€œnoโ€"


def run(*args: str | Path) -> int:
    return main([str(arg) for arg in args])


def make_records(count: int) -> list[str]:
    lines = []
    for number in range(count):
        text = [f"Plain line {number}.\n", f"{MOJIBAKE} {number}", f"fbpx\nReal content {number}\nShare:",
                f"caf\u00c3\u00a9 {number}  \n\n\n\nend\n"][number % 4]
        record = {"id": f"doc-{number}", "text": text, "meta": {"score": 1.50, "tags": ["a", "b"]}}
        # Producers differ: some escape non-ASCII, some do not; both must survive untouched.
        lines.append(json.dumps(record, ensure_ascii=number % 2 == 0).replace('"score": 1.5', '"score": 1.50'))
    return lines


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A tree with text files, a .gz text file, and JSONL shards (plain, gz, zst, one malformed line)."""
    import zstandard

    root = tmp_path / "corpus"
    (root / "site-a").mkdir(parents=True)
    (root / "site-b").mkdir()
    for name in ("one", "two", "three"):
        (root / "site-a" / f"{name}.txt").write_text(f"{MOJIBAKE}\n\n\n\nShare:\n{name}\n", encoding="utf-8")
    (root / "site-b" / "clean.txt").write_text("Already clean.\n", encoding="utf-8")
    (root / "site-b" / "packed.txt.gz").write_bytes(gzip.compress(b"fbpx\nPacked text.  \n"))
    lines = make_records(1200)
    shard = ("\n".join(lines) + "\n").encode()
    (root / "shards").mkdir()
    (root / "shards" / "a.jsonl").write_bytes(shard)
    (root / "shards" / "b.jsonl.gz").write_bytes(gzip.compress(shard))
    (root / "shards" / "c.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(shard))
    return root


def tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_jobs_do_not_change_a_single_byte(corpus: Path, tmp_path: Path) -> None:
    assert run("fix", corpus, "-o", tmp_path / "one", "-j", "1", "-q") == 0
    assert run("fix", corpus, "-o", tmp_path / "two", "-j", "2", "-q") == 0
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one == two
    assert len(one) == 2 * 8  # every input has an output and a change log


def test_jsonl_records_are_cleaned_and_everything_else_kept(corpus: Path, tmp_path: Path) -> None:
    assert run("fix", corpus / "shards", "-o", tmp_path, "-q") == 0
    source = (corpus / "shards" / "a.jsonl").read_text("utf-8").splitlines()
    output = (tmp_path / "a.jsonl").read_text("utf-8").splitlines()
    assert len(output) == len(source)
    for before, after in zip(source, output, strict=True):
        old, new = json.loads(before), json.loads(after)
        assert {key: value for key, value in old.items() if key != "text"} == \
            {key: value for key, value in new.items() if key != "text"}
        assert '"score": 1.50' in after  # other fields keep their exact bytes
        assert ("\\u" in before) == ("\\u" in after) or new["text"].isascii()
    assert json.loads(output[1])["text"].startswith("Yáng Jiéchí 杨洁篪 said “no”")
    assert json.loads(output[2])["text"] == "Real content 2\n"


@pytest.mark.parametrize("name", ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst"])
def test_shard_change_logs_replay_and_revert_exactly(corpus: Path, tmp_path: Path, name: str,
                                                     capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert run("fix", corpus / "shards" / name, "-o", tmp_path, "-q") == 0
    log = tmp_path / f"{name}.changes.jsonl"
    assert run("log", "revert", log, tmp_path / name) == 0
    assert capsysbinary.readouterr().out == read_all(corpus / "shards" / name)
    assert run("log", "replay", log, corpus / "shards" / name) == 0
    assert capsysbinary.readouterr().out == read_all(tmp_path / name)


def test_gzip_text_files_stay_gzip(corpus: Path, tmp_path: Path) -> None:
    assert run("fix", corpus / "site-b", "-o", tmp_path, "-q") == 0
    assert gzip.decompress((tmp_path / "packed.txt.gz").read_bytes()) == b"Packed text.\n"


def test_a_malformed_record_is_kept_reported_and_fails_the_run(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    shard = tmp_path / "in" / "x.jsonl"
    shard.parent.mkdir()
    lines = make_records(5)
    lines.insert(2, '{"id": "broken", "text": ')
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run("fix", shard, "-o", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert f"{shard}:3: error:" in err and "kept as it was" in err
    output = (tmp_path / "out" / "x.jsonl").read_text("utf-8").splitlines()
    assert output[2] == '{"id": "broken", "text": '
    assert len(output) == 6


def test_resume_skips_what_is_done_and_redoes_what_changed(corpus: Path, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert run("fix", corpus, "-o", out, "-q") == 0
    first = tree(out)
    capsys.readouterr()
    assert run("fix", corpus, "-o", out, "--resume") == 0
    assert "8 files skipped (up to date)" in capsys.readouterr().err
    (corpus / "site-a" / "two.txt").write_text("fbpx\nNew text.\n", encoding="utf-8")
    (out / "site-a" / "one.txt").write_text("half-writ", encoding="utf-8")  # a damaged output is redone
    assert run("fix", corpus, "-o", out, "--resume") == 0
    summary = capsys.readouterr().err.splitlines()[-1]
    assert summary.startswith("2 files cleaned, 0 files left unchanged, 6 files skipped")
    assert (out / "site-a" / "two.txt").read_text("utf-8") == "New text.\n"
    assert (out / "site-a" / "one.txt").read_bytes() == first["site-a/one.txt"]
    assert run("fix", corpus, "-o", out, "--resume", "--punctuation", "ascii") == 0  # other options: redo all
    assert "skipped" not in capsys.readouterr().err.splitlines()[-1]


def test_an_interrupted_run_leaves_no_partial_output(tmp_path: Path) -> None:
    source = tmp_path / "big"
    source.mkdir()
    text = ("The caf\u00c3\u00a9 was open.\nShare:\n" + "A sentence of real prose, long enough. " * 40 + "\n") * 4
    for number in range(300):
        (source / f"doc{number:04}.txt").write_text(text, encoding="utf-8")
    (source / "shard.jsonl").write_text("\n".join(make_records(5000)) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "fix", str(source), "-o", str(out), "-j", "2", "-q"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out.exists() and len(list(out.glob("doc*.txt"))) > 20):
        time.sleep(0.05)
    # (On a loaded machine the run can end before the deadline's signal: the message says so.)
    waited, ended = time.monotonic() - deadline + 60, process.poll()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, (err, f"signalled after {waited:.1f} s; exit status then: {ended}")
    assert "Traceback" not in err
    written = sorted(out.glob("*"))
    assert not [path for path in written if path.name.startswith(".")], "temporary files left behind"
    assert not (out / "shard.jsonl").exists() or (out / "shard.jsonl.changes.jsonl").exists()
    for path in written:  # every output that exists is complete: its log's summary vouches for it
        if path.name.endswith(".txt"):
            summary = json.loads((out / (path.name + ".changes.jsonl")).read_text("utf-8").splitlines()[-1])
            assert summary["type"] == "summary"
    assert run("fix", source, "-o", out, "--resume", "-q") == 0
    assert run("fix", source, "-o", tmp_path / "fresh", "-q") == 0
    assert tree(out) == tree(tmp_path / "fresh")


def test_github_annotations_are_escaped_and_capped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(15):
        (folder / f"f{number:02},x.txt").write_text("Yรกng met Xรq today.\n", encoding="utf-8")
    (folder / "bad.bin").write_bytes(b"\x00\x01binary")
    assert run("check", folder, "--output-format", "github", "--fail-on", "warning") == 2
    out = capsys.readouterr().out.splitlines()
    warnings = [line for line in out if line.startswith("::warning ")]
    errors = [line for line in out if line.startswith("::error ")]
    assert len(warnings) == 10 and len(errors) == 1
    assert "file=" + str(folder / "f00%2Cx.txt") in warnings[0] and ",line=1,col=" in warnings[0]
    assert "title=RP003" in warnings[0]
    assert out[-1].startswith("::notice::") and "more warning annotation(s) not shown" in out[-1]


def test_fail_on_decides_what_fails(tmp_path: Path) -> None:
    changed = tmp_path / "changed.txt"
    changed.write_text("fbpx\ntext\n", encoding="utf-8")
    warned = tmp_path / "warned.txt"
    warned.write_text("Yรกng met Xรq today.\n", encoding="utf-8")
    assert run("check", changed, "-q") == 1
    assert run("check", changed, "-q", "--fail-on", "warning") == 0
    assert run("check", warned, "-q", "--fail-on", "warning") == 1
    assert run("check", warned, changed, "-q", "--fail-on", "error") == 0
    assert run("fix", changed, "-o", tmp_path / "o", "-q") == 0
    assert run("fix", warned, "-o", tmp_path / "o", "-q", "--fail-on", "warning") == 1


def test_json_report_and_summary_json(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    summary_path = tmp_path / "reports" / "summary.json"
    assert run("check", corpus, "missing.txt", "--output-format", "json", "--summary-json", summary_path) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["exit_code"] == 2
    assert report["summary"]["files"] == {"changed": 7, "unchanged": 1, "skipped": 0, "failed": 1}
    assert report["summary"]["records"]["seen"] == 3600
    assert {entry["status"] for entry in report["files"]} == {"changed", "unchanged", "failed"}
    saved = json.loads(summary_path.read_text("utf-8"))
    assert saved == report["summary"] and saved["edits"]["by_stage"]["repair"] > 0
    assert saved["errors"] == [{"path": "missing.txt", "line": 0, "message": "no such file or directory"}]


def test_configuration_file_with_command_line_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[tool.cleaner]\npunctuation = "ascii"\nignore = ["BP"]\n', "utf-8")
    (project / "docs" / "a.txt").write_text("fbpx\n“Quoted” — text\n", encoding="utf-8")
    monkeypatch.chdir(project / "docs")
    assert run("fix", "a.txt", "-o", tmp_path / "o1", "-q") == 0
    assert (tmp_path / "o1" / "a.txt").read_text("utf-8") == 'fbpx\n"Quoted" -- text\n'
    assert run("fix", "a.txt", "-o", tmp_path / "o2", "-q", "--punctuation", "keep") == 0
    assert (tmp_path / "o2" / "a.txt").read_text("utf-8") == "fbpx\n“Quoted” — text\n"
    assert run("fix", "a.txt", "-o", tmp_path / "o3", "-q", "--isolated") == 0
    assert (tmp_path / "o3" / "a.txt").read_text("utf-8") == "“Quoted” — text\n"
    headers = [json.loads((tmp_path / o / "a.txt.changes.jsonl").read_text("utf-8").splitlines()[0])
               for o in ("o1", "o2", "o3")]
    assert len({header["config_sha256"] for header in headers}) == 3
    (project / "cleaner.toml").write_text('punctuaton = "ascii"\n', encoding="utf-8")
    assert run("check", "a.txt") == 2
    assert "unknown key 'punctuaton'" in capsys.readouterr().err


def test_progress_bar_is_silent_when_not_on_a_terminal(corpus: Path, tmp_path: Path) -> None:
    process = subprocess.run([sys.executable, "-m", "cleaner", "fix", str(corpus), "-o", str(tmp_path / "o")],
                             capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "80"})
    assert process.returncode == 0
    assert "\r" not in process.stderr and "it/s" not in process.stderr
    assert process.stderr.strip().splitlines()[-1].startswith("7 files cleaned, 1 file left unchanged")


def test_parquet_shards_round_trip(tmp_path: Path) -> None:
    pyarrow = pytest.importorskip("pyarrow")
    import pyarrow.parquet as parquet

    texts = [f"{MOJIBAKE} {n}" if n % 3 == 0 else (f"fbpx\nText {n}" if n % 3 == 1 else None) for n in range(1500)]
    table = pyarrow.table({"id": [f"r{n}" for n in range(1500)], "text": texts, "score": [n / 2 for n in range(1500)]})
    parquet.write_table(table, tmp_path / "p.parquet")
    assert run("fix", tmp_path / "p.parquet", "-o", tmp_path / "one", "-q", "-j", "1") == 0
    assert run("fix", tmp_path / "p.parquet", "-o", tmp_path / "two", "-q", "-j", "2") == 0
    result = parquet.read_table(tmp_path / "one" / "p.parquet")
    assert result.column("score").to_pylist() == table.column("score").to_pylist()
    cleaned = result.column("text").to_pylist()
    assert cleaned[0] == "Yáng Jiéchí 杨洁篪 said “no” 0\n" and cleaned[1] == "Text 1\n" and cleaned[2] is None
    assert parquet.read_table(tmp_path / "two" / "p.parquet").equals(result)


def test_fixtures_tree_is_handled_like_any_corpus(tmp_path: Path) -> None:
    assert run("fix", FIXTURES / "seeds", "-o", tmp_path, "-q", "-j", "2") == 0
    assert sorted(path.name for path in tmp_path.iterdir() if not path.name.endswith(".jsonl")) == \
        sorted(path.name for path in (FIXTURES / "seeds").iterdir())


def test_write_atomic_streams_pieces_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    from cleaner.corpus import write_atomic

    target = tmp_path / "log.jsonl"
    write_atomic(target, (f"{number}\n".encode() for number in range(1000)))
    assert target.read_bytes() == b"".join(f"{number}\n".encode() for number in range(1000))

    def failing() -> Iterator[bytes]:
        yield b"half of a file"
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, failing())
    # The old file is intact and no temporary file is left behind.
    assert target.read_bytes().startswith(b"0\n1\n") and sorted(tmp_path.iterdir()) == [target]


def test_write_atomic_finishes_short_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.write may write less than it is given (a signal, a pipe, a full quota): the rest follows."""
    from cleaner import corpus

    real_write = os.write
    monkeypatch.setattr(corpus.os, "write", lambda descriptor, data: real_write(descriptor, bytes(data[:3])))
    corpus.write_atomic(tmp_path / "a.txt", "Grüße, world\n".encode())
    corpus.write_atomic(tmp_path / "b.txt", iter([b"one ", b"", b"two\n"]))
    assert (tmp_path / "a.txt").read_bytes() == "Grüße, world\n".encode()
    assert (tmp_path / "b.txt").read_bytes() == b"one two\n"


def test_a_shard_is_cut_into_chunks_by_bytes_as_well_as_records(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.runner as runner

    # Big records make few-record chunks (memory: chunks in flight times their size); the
    # output is the same bytes whatever the chunking.
    shard = tmp_path / "in" / "pages.jsonl"
    shard.parent.mkdir()
    shard.write_text("".join(json.dumps({"id": n, "text": f"Page {n} cafÃ© " + "x" * 300}) + "\n"
                             for n in range(40)), encoding="utf-8")
    assert run("fix", shard, "-o", tmp_path / "whole", "-q", "-j", "1") == 0
    monkeypatch.setattr(runner, "CHUNK_BYTES", 1000)
    settings = runner.RunSettings(mode="check")
    chunks = [task for task in runner._TaskSource(settings, [str(shard)]) if isinstance(task, runner.ChunkTask)]
    assert len(chunks) >= 10 and all(sum(len(raw) for _, raw in chunk.lines) < 1400 for chunk in chunks)
    assert run("fix", shard, "-o", tmp_path / "cut", "-q", "-j", "2") == 0
    assert tree(tmp_path / "whole") == tree(tmp_path / "cut")


def test_a_run_leaves_the_garbage_collector_as_it_found_it(corpus: Path, tmp_path: Path) -> None:
    import gc

    # A run freezes what exists before the workers fork (so that they never walk it), and
    # thaws it at the end: a library caller's process is left as it was.
    assert gc.get_freeze_count() == 0
    thresholds = gc.get_threshold()
    assert run("fix", corpus, "-o", tmp_path / "out", "-q", "-j", "2") == 0
    assert gc.get_freeze_count() == 0
    # It collects the youngest objects less often while it runs, and restores the thresholds.
    assert gc.get_threshold() == thresholds
    assert run("fix", corpus, "-o", tmp_path / "out1", "-q", "-j", "1") == 0
    assert gc.get_threshold() == thresholds


@pytest.mark.parametrize("damage", ["edit", "input hash", "output hash"])
def test_a_log_that_does_not_replay_fails_the_file_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      damage: str) -> None:
    """The writer's check before writing: a change log that would not rebuild the output and the
    input (a bug) fails its file, and neither the output nor the log is written."""
    from cleaner import runner
    from cleaner.changelog import dumps

    def damaged_dumps(records: list[dict[str, object]]) -> bytes:
        records = [dict(record) for record in records]
        if damage == "edit":
            edit = next(record for record in records if record["type"] == "edit")
            edit["after"] = str(edit["after"]) + "x"
        else:
            record, key = (records[0], "input_sha256") if damage == "input hash" else (records[-1], "output_sha256")
            record[key] = "0" * 64
        return dumps(records)

    monkeypatch.setattr(runner, "dumps", damaged_dumps)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Title  \n\n\n\nText.\n", "utf-8")
    assert run("fix", tmp_path / "in", "-o", tmp_path / "out", "-q") != 0
    assert not (tmp_path / "out" / "a.txt").exists()
    assert not (tmp_path / "out" / "a.txt.changes.jsonl").exists()


def test_no_change_log_builds_no_log_and_writes_the_same_outputs(corpus: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Without change logs, no log is built or checked (a sixth of a run's time went to logs that
    were then not written): a log builder that fails stops nothing, and every output is the byte
    of the run with logs, for text files and shards alike."""
    from cleaner import runner

    assert run("fix", corpus, "-o", tmp_path / "logged", "-j", "1", "-q") == 0

    def no_log(*args: object, **kwargs: object) -> object:
        raise AssertionError("a change log was built for a run that writes none")

    monkeypatch.setattr(runner, "build_records", no_log)
    monkeypatch.setattr(runner, "check_text_log", no_log)
    monkeypatch.setattr(runner, "document_records", no_log)
    assert run("fix", corpus, "-o", tmp_path / "bare", "-j", "1", "-q", "--no-change-log") == 0
    logged, bare = tree(tmp_path / "logged"), tree(tmp_path / "bare")
    assert bare == {name: data for name, data in logged.items() if not name.endswith(".changes.jsonl")}
    assert len(bare) == 8
    # Standard input has no log to write either.
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"fbpx\nText.  \n"), encoding="utf-8"))
    assert run("fix", "-", "-q") == 0


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="O_TMPFILE is Linux's")
def test_write_atomic_new_files_are_linked_whole_and_like_the_usual_way(tmp_path: Path) -> None:
    """A new file is written unnamed and linked into place (the fast path); it must come out as
    the temporary-and-rename way makes it: same bytes, same mode, nothing else in the folder."""
    from cleaner import corpus

    fast, usual = tmp_path / "fast", tmp_path / "usual"
    fast.mkdir()
    usual.mkdir()
    data = "Grüße\n".encode() * 1000
    assert corpus._write_new(fast / "a.txt", data)
    corpus._NO_TMPFILE.add(usual)  # the usual way, for comparison
    corpus.write_atomic(usual / "a.txt", data)
    assert (fast / "a.txt").read_bytes() == (usual / "a.txt").read_bytes() == data
    assert (fast / "a.txt").stat().st_mode == (usual / "a.txt").stat().st_mode
    assert (fast / "a.txt").stat().st_mode & 0o777 == 0o666 & ~_umask()
    assert sorted(path.name for path in fast.iterdir()) == ["a.txt"]


def test_write_atomic_replacing_a_file_keeps_its_mode_and_skips_the_fast_path(tmp_path: Path) -> None:
    from cleaner import corpus

    target = tmp_path / "a.txt"
    target.write_bytes(b"old\n")
    target.chmod(0o600)
    assert not corpus._write_new(target, b"new\n")  # nothing written: the target exists
    assert target.read_bytes() == b"old\n"
    corpus.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n" and target.stat().st_mode & 0o777 == 0o600 & ~_umask()
    # A folder with existing targets (a run over its own outputs) is written the usual way.
    assert tmp_path in corpus._NO_TMPFILE
    corpus.write_atomic(tmp_path / "b.txt", b"b\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_write_atomic_without_o_tmpfile_writes_the_usual_way(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import corpus

    real_open = os.open

    def no_tmpfile(path: object, flags: int, *args: object) -> int:
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            raise OSError(95, "Operation not supported")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus.os, "open", no_tmpfile)
    corpus.write_atomic(tmp_path / "a.txt", b"text\n")
    assert (tmp_path / "a.txt").read_bytes() == b"text\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_write_atomic_links_each_process_own_file_after_a_fork(tmp_path: Path) -> None:
    """Workers are forked: /proc/self must be the worker's, not the parent's (whose descriptor
    of the same number is another file, or none)."""
    from cleaner import corpus

    corpus.write_atomic(tmp_path / "parent.txt", b"parent\n")  # the parent's state set up first
    keep = os.open(tmp_path / "parent.txt", os.O_RDONLY)  # a descriptor the child's may collide with
    try:
        child = os.fork()
        if child == 0:  # pragma: no cover - runs in the child
            code = 0
            try:
                for number in range(5):
                    corpus.write_atomic(tmp_path / f"child{number}.txt", f"child {number}\n".encode())
            except BaseException:
                code = 1
            os._exit(code)
        _, status = os.waitpid(child, 0)
    finally:
        os.close(keep)
    assert os.waitstatus_to_exitcode(status) == 0
    for number in range(5):
        assert (tmp_path / f"child{number}.txt").read_bytes() == f"child {number}\n".encode()
    assert (tmp_path / "parent.txt").read_bytes() == b"parent\n"
