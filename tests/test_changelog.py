"""The change log replays to the output and reverts to the input, byte for byte, and says so when it cannot."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from cleaner import Pipeline
from cleaner.changelog import ChangeLogError, build_records, check_text_log, dumps, loads, replay, revert, sha256

INPUTS = {
    "crlf-bom-junk": codecs.BOM_UTF8 + "Title  \r\n\r\n\r\n\r\nA “quote”\u200b here.\r\nShare:\r\n".encode(),
    "cp1252": "The crème brûlée was “perfect”, the café said — twice.\n\n\n".encode("cp1252"),
    "utf16": codecs.BOM_UTF16_LE + "Zoë’s line\r\n".encode("utf-16-le"),
    "empty": b"",
    "mojibake": "Yรกng Jiรฉchรญ ๆจๆด็ฏช said โ€œnoโ€ and cafÃ© closed.\n".encode(),
}


def make_log(data: bytes, **options: object) -> tuple[bytes, bytes]:
    pipeline = Pipeline.from_options(**options)
    result = pipeline.clean_bytes(data)
    records = build_records(result, input_bytes=data, source="x", options=pipeline.options.as_dict(),
                            rule_packs=pipeline.rule_packs)
    return dumps(records), result.text.encode("utf-8")


@pytest.mark.parametrize("name", sorted(INPUTS))
@pytest.mark.parametrize("punctuation", ["keep", "ascii", "unicode"])
def test_replay_and_revert_are_exact(name: str, punctuation: str) -> None:
    data = INPUTS[name]
    log_bytes, output = make_log(data, punctuation=punctuation)
    log = loads(log_bytes)
    assert replay(log, data) == output
    assert revert(log, output) == data


def test_records_say_what_happened() -> None:
    data = INPUTS["crlf-bom-junk"]
    log_bytes, _ = make_log(data)
    records = [json.loads(line) for line in log_bytes.decode().split("\n") if line]
    header, summary = records[0], records[-1]
    assert header["type"] == "header" and header["encoding"] == "utf-8"
    assert len(header["input_sha256"]) == 64 and header["rule_packs"]
    assert summary["type"] == "summary" and summary["by_stage"]["whitespace"] >= 3
    edits = [record for record in records if record["type"] == "edit"]
    assert {"stage", "rule", "name", "line", "column", "start", "end", "before", "after"} <= set(edits[0])
    bom = next(edit for edit in edits if edit["rule"] == "DC001")
    assert (bom["line"], bom["column"], bom["before"]) == (1, 1, "\ufeff")
    zero_width = next(edit for edit in edits if edit["rule"] == "PN001")
    assert (zero_width["line"], zero_width["column"]) == (5, 10)  # in the ORIGINAL input
    assert summary["edits"] == len(edits)


def test_replay_refuses_another_input() -> None:
    log_bytes, _ = make_log(INPUTS["cp1252"])
    with pytest.raises(ChangeLogError, match="not the same input"):
        replay(loads(log_bytes), b"something else\n")


def test_revert_refuses_another_output() -> None:
    log_bytes, _ = make_log(INPUTS["cp1252"])
    with pytest.raises(ChangeLogError, match="not the same output"):
        revert(loads(log_bytes), b"something else\n")


def test_a_truncated_log_is_refused() -> None:
    log_bytes, _ = make_log(INPUTS["mojibake"])
    with pytest.raises(ChangeLogError, match="no summary"):
        loads(b"\n".join(log_bytes.split(b"\n")[:2]))


def test_a_tampered_edit_is_detected() -> None:
    data = INPUTS["mojibake"]
    log_bytes, _ = make_log(data)
    tampered = log_bytes.replace("杨洁篪".encode(), "恨洁篪".encode())
    with pytest.raises(ChangeLogError):
        replay(loads(tampered), data)


def test_garbage_is_not_a_change_log(tmp_path: Path) -> None:
    with pytest.raises(ChangeLogError, match="not a change-log record"):
        loads(b"{not json\n", "bad.jsonl")


def test_dumps_writes_what_json_dumps_writes() -> None:
    """dumps() keeps one C encoder for a whole log: each line must still be exactly json.dumps'."""
    records = [
        {"type": "header", "confidence": 0.875, "ratio": 1e-20, "big": 2**70, "none": None, "flag": True,
         "nested": {"list": [1, 2.5, "x"], "empty": {}}, "tuple": (1, 2)},
        {"type": "edit", "before": "“quote”\u200b\ud7ff\U0001f600\n\t\\\"\x00\x7f\u2028", "after": ""},
        {"type": "summary", "by_rule": {"é": 1, "a": 2}},
    ]
    expected = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode("utf-8")
    assert dumps(records) == expected
    assert dumps(records) == expected  # the encoder holds no state from one log to the next
    circular: dict[str, object] = {"type": "x"}
    circular["self"] = circular
    with pytest.raises(ValueError, match="Circular"):
        dumps([circular])
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps([{"type": "x", "value": object()}])
    assert dumps([{"type": "after an error"}]) == b'{"type": "after an error"}\n'


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_check_text_log_accepts_what_replay_and_revert_accept(name: str) -> None:
    data = INPUTS[name]
    log_bytes, output = make_log(data)
    check_text_log(log_bytes, data, output, input_sha256=sha256(data), output_sha256=sha256(output))


def test_check_text_log_refuses_what_replay_or_revert_refuse() -> None:
    """The writer's check hashes nothing again: it must still refuse every log replay() or
    revert() would refuse for these bytes."""
    data = INPUTS["mojibake"]
    log_bytes, output = make_log(data)
    hashes = {"input_sha256": sha256(data), "output_sha256": sha256(output)}
    bad_logs = [
        log_bytes.replace("杨洁篪".encode(), "恨洁篪".encode()),  # an edit's text
        log_bytes.replace(hashes["input_sha256"].encode(), b"0" * 64),
        log_bytes.replace(hashes["output_sha256"].encode(), b"0" * 64),
        log_bytes.replace(b'"encoding": "utf-8"', b'"encoding": "cp1252"'),
        log_bytes.replace(b'"kind": "text"', b'"kind": "jsonl"'),
        b"\n".join(line for line in log_bytes.split(b"\n") if b'"type": "step"' not in line),
        b"\n".join(log_bytes.split(b"\n")[:2]),
    ]
    for bad in bad_logs:
        assert bad != log_bytes
        with pytest.raises(ChangeLogError):
            check_text_log(bad, data, output, **hashes)
    with pytest.raises(ChangeLogError):
        check_text_log(log_bytes, data + b" ", output, input_sha256=sha256(data + b" "),
                       output_sha256=hashes["output_sha256"])
    with pytest.raises(ChangeLogError):
        check_text_log(log_bytes, data, output + b" ", input_sha256=hashes["input_sha256"],
                       output_sha256=sha256(output + b" "))


def test_check_text_log_of_an_unchanged_file_is_the_check_of_replay_and_revert() -> None:
    """A file that comes out as it went in has a log of a header and a summary, and the writer's
    check of it decodes once instead of replaying and reverting: it must accept and refuse what
    replay() and revert() accept and refuse."""
    data = "Already clean text, in Kraków.\n".encode()
    log_bytes, output = make_log(data)
    assert output == data and len(log_bytes.splitlines()) == 2
    hashes = {"input_sha256": sha256(data), "output_sha256": sha256(output)}
    check_text_log(log_bytes, data, output, **hashes)
    log = loads(log_bytes)
    assert replay(log, data) == output and revert(log, output) == data
    # The same log and hashes for bytes that are not UTF-8: replay and revert refuse them, so must it.
    latin = "Kraków\n".encode("latin-1")
    same = log_bytes.replace(hashes["input_sha256"].encode(), sha256(latin).encode()).replace(
        hashes["output_sha256"].encode(), sha256(latin).encode())
    with pytest.raises(ChangeLogError):
        replay(loads(same), latin)
    with pytest.raises(ChangeLogError):
        revert(loads(same), latin)
    with pytest.raises(ChangeLogError, match="does not fit"):
        check_text_log(same, latin, latin, input_sha256=sha256(latin), output_sha256=sha256(latin))
    # Its header says another encoding: the full replay and revert run, and refuse it.
    other = log_bytes.replace(b'"encoding": "utf-8"', b'"encoding": "cp1252"')
    with pytest.raises(ChangeLogError):
        check_text_log(other, data, output, **hashes)


def test_parse_line_is_json_loads() -> None:
    """The change log's fast record parser returns what json.loads returns, and raises what it
    raises, on good lines, white space around them, a BOM, extra data and broken JSON."""
    import json

    from cleaner.changelog import _parse_line

    lines = ['{"type": "edit", "before": "caf\\u00c3\\u00a9", "after": "café", "detail": {"a": [1, 2.5, null]}}',
             ' {"type": "step"}', '{"type": "step"} ', '\t{"a": 1}\r', '\ufeff{"a": 1}', '{"a": 1} x', '{"a": 1}{}',
             '{"a": ', '{"a": "\\x"}', '"text"', '12', '[1, 2]', 'null', '', '   ', 'NaN', '{"a": 1e400}',
             '{"a": "\ud800"}', '{"a": 1, "a": 2}']
    for line in lines:
        try:
            expected: object = json.loads(line)
        except json.JSONDecodeError as error:
            expected = ("error", str(error))
        try:
            got: object = _parse_line(line)
        except json.JSONDecodeError as error:
            got = ("error", str(error))
        assert got == expected or (got != got and expected != expected), line


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_build_records_with_the_callers_counts_and_bytes_is_the_same_log(name: str) -> None:
    """The runner hands build_records the output bytes and counts it already has: the log must be
    the very bytes build_records makes from the result alone."""
    pipeline = Pipeline.from_options()
    result = pipeline.clean_bytes(INPUTS[name])
    common = {"input_bytes": INPUTS[name], "source": "x", "options": pipeline.options.as_dict(),
              "rule_packs": pipeline.rule_packs}
    alone = dumps(build_records(result, **common))
    given = dumps(build_records(result, **common, output_bytes=result.text.encode("utf-8"),
                                by_stage=result.counts_by_stage(), by_rule=result.counts_by_rule()))
    assert given == alone
