"""The library API: options select stages and rules; results carry edits, warnings and encoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Options, Pipeline, clean_bytes, clean_text
from cleaner.edits import Edit
from cleaner.pipeline import removes_whole_lines
from cleaner.stages.base import StageResult
from cleaner.stages.punctuation import PunctuationStage
from cleaner.stages.whitespace import WhitespaceStage

MESSY = "Caf\u00e9 \u201cdeal\u201d\u200b \u2014 buy now\u2026   \r\n\r\n\r\n\r\nfbpx\r\n"


def test_only_runs_the_named_stage() -> None:
    result = clean_text(MESSY, only=["whitespace"])
    assert {edit.stage for edit in result.edits} == {"whitespace"}
    assert "\u200b" in result.text


def test_skip_leaves_a_stage_out() -> None:
    result = clean_text(MESSY, skip=["whitespace"])
    assert "whitespace" not in {edit.stage for edit in result.edits}
    assert "\r\n" in result.text


def test_ignore_turns_a_rule_off_by_prefix() -> None:
    assert "\u200b" in clean_text(MESSY, ignore=["PN00"]).text
    assert "\u200b" not in clean_text(MESSY).text


def test_punctuation_profiles() -> None:
    assert clean_text(MESSY, punctuation="ascii").text.startswith('Caf\u00e9 "deal" -- buy now...')
    assert clean_text(MESSY, punctuation="keep").text.startswith("Caf\u00e9 \u201cdeal\u201d \u2014 buy now\u2026")


def test_unknown_options_are_clear_errors() -> None:
    with pytest.raises(ValueError, match="unknown stage 'repiar'"):
        clean_text("x", only=["repiar"])
    with pytest.raises(ValueError, match="unknown punctuation profile"):
        clean_text("x", punctuation="fancy")
    with pytest.raises(TypeError, match="unknown option"):
        clean_text("x", colour="red")


def test_clean_bytes_reports_the_encoding() -> None:
    result = clean_bytes("Cr\u00e8me br\u00fbl\u00e9e, s'il vous pla\u00eet.\n".encode("cp1252"))
    assert result.encoding == "cp1252"
    assert result.text == "Cr\u00e8me br\u00fbl\u00e9e, s'il vous pla\u00eet.\n"
    assert result.changed and result.transcoded


def test_a_custom_pipeline_of_chosen_stages() -> None:
    pipeline = Pipeline([PunctuationStage("ascii"), WhitespaceStage()])
    result = pipeline.clean_text("\u201cHi\u201d  \n\n\n")
    assert result.text == '"Hi"\n'
    assert [stage for stage, edits in result.steps if edits] == ["punctuation", "whitespace"]


def test_options_object_and_keywords_agree() -> None:
    options = Options(punctuation="ascii", ignore=("WS",))
    assert Pipeline.from_options(options).clean_text(MESSY).text == clean_text(MESSY, punctuation="ascii",
                                                                               ignore="WS").text


def test_empty_text_gives_empty_output() -> None:
    result = clean_text("")
    assert result.text == "" and result.edits == []


def test_work_revealed_by_a_later_stage_is_done_in_a_second_pass() -> None:
    # Removing the zero-width space (punctuation) joins the halves of a mojibake "é" (repair).
    result = clean_text("caf\u00c3\u200b\u00a9 au lait")
    assert result.text == "caf\u00e9 au lait\n"
    assert [stage for stage, edits in result.steps if edits] == ["punctuation", "whitespace", "repair"]
    assert clean_text(result.text).edits == []


def test_whitespace_stage_is_idempotent_on_its_own() -> None:
    # The whitespace stage declares that its edits settle a document; it must then be a fixed point.
    for text in ["\n\t", " \n \n", "\r\n\r\nx \r\n\r\n\r\n", "\t", "x\n\n\n \n"]:
        once = Pipeline([WhitespaceStage()]).clean_text(text).text
        assert Pipeline([WhitespaceStage()]).clean_text(once).edits == [], repr(text)


@given(text=st.text(alphabet=st.sampled_from(list("ab .\t\n\r\u00a0\u3000\u2028\x0b\x85")), max_size=40))
def test_whitespace_screen_never_changes_the_result(text: str) -> None:
    from cleaner.stages import whitespace

    screened = WhitespaceStage().find_edits(text).edits
    real = whitespace.needs_scan
    try:
        whitespace.needs_scan = lambda _text: True  # type: ignore[assignment]
        full = WhitespaceStage().find_edits(text).edits
    finally:
        whitespace.needs_scan = real
    assert screened == full


def test_repair_judges_lines_as_whitespace_will_leave_them() -> None:
    # Found by hypothesis: a lone CR (or trailing spaces) must not change repair's verdict
    # between the first cleaning and the next.
    for text in ["€é\ré", "€é  \nx", "x\r\n€é\t\r\n"]:
        once = clean_text(text).text
        assert clean_text(once).text == once, repr(text)


class _RemovesFirstLine:
    """A stand-in for boilerplate: removes the first line while there is more than one."""

    name = "boilerplate"

    def find_edits(self, text: str) -> StageResult:
        end = text.find("\n") + 1
        if 0 < end < len(text):
            return StageResult([Edit(self.name, "BPX", "first", 0, end, text[:end], "")])
        return StageResult()


class _CountsCalls:
    name = "repair"
    line_local = True

    def __init__(self) -> None:
        self.calls = 0

    def find_edits(self, text: str) -> StageResult:
        self.calls += 1
        return StageResult()


def test_line_local_stages_do_not_rerun_after_passes_that_only_removed_whole_lines() -> None:
    counter = _CountsCalls()
    result = Pipeline([counter, _RemovesFirstLine()]).clean_text("a\nb\nc\n")
    # Three passes remove a, then b, then find nothing; the line-local stage ran in the first only.
    assert result.text == "c\n" and counter.calls == 1
    assert removes_whole_lines("a\r\nb", Edit("s", "R", "r", 0, 3, "a\r\n", ""))
    assert not removes_whole_lines("a\r\nb", Edit("s", "R", "r", 0, 2, "a\r", ""))
