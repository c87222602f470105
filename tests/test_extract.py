"""HTML input: trafilatura extracts the article, which then goes through the normal pipeline."""

from __future__ import annotations

import doctest
import logging
from importlib.metadata import version
from pathlib import Path

import pytest

import cleaner.extract
from cleaner.extract import (
    DEFAULT_MODE,
    MODES,
    Extraction,
    ExtractionFailed,
    extract_html,
    is_html_path,
    looks_like_html,
)
from cleaner.pipeline import Pipeline
from cleaner.rules import boilerplate_rules, load_rule_packs
from cleaner.stages.boilerplate import BoilerplateStage
from cleaner.stages.whitespace import WhitespaceStage

ARTICLE = [
    "The council approved the new budget on Monday after a debate that lasted more than six hours.",
    "Councillors voted 31 to 12 in favour, with two abstentions, and the measures take effect in April.",
    "The mayor said the cuts were painful but necessary, and promised a review of library opening hours.",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Budget approved | The Example Times</title>
<script>window.dataLayer = window.dataLayer || [];</script><style>body {{ color: black; }}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Budget approved after six-hour debate</h1>
<p>{ARTICLE[0]}</p>
<p>{ARTICLE[1]}</p>
<p>{ARTICLE[2]}</p>
</article>
<div class="comments"><h3>3 Comments</h3><p>First! This council never listens to anyone, says a reader.</p></div>
<footer><a href="/about">About us</a> | <a href="/privacy">Privacy Policy</a> | © 2019 The Example Times</footer>
</body></html>
"""


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(cleaner.extract).failed == 0


def test_the_article_is_extracted_and_the_furniture_is_not() -> None:
    result = extract_html(PAGE)
    assert isinstance(result, Extraction)
    for paragraph in ARTICLE:
        assert paragraph in result.text
    for furniture in ("Home", "Sport", "Privacy Policy", "dataLayer", "color: black", "First! This council"):
        assert furniture not in result.text
    assert result.text.endswith("\n") and not result.text.endswith("\n\n")
    assert (result.tool, result.mode) == ("trafilatura", DEFAULT_MODE)
    assert result.tool_version == version("trafilatura")


def test_bytes_are_decoded_by_their_declared_charset() -> None:
    latin = PAGE.replace("utf-8", "iso-8859-1").replace("six hours", "six heures, café compris")
    result = extract_html(latin.encode("iso-8859-1"))
    assert "café compris" in result.text


@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_mode_extracts_the_article(mode: str) -> None:
    result = extract_html(PAGE, mode=mode)
    assert result.mode == mode
    assert ARTICLE[1] in result.text


def test_extraction_is_deterministic() -> None:
    assert extract_html(PAGE) == extract_html(PAGE) == extract_html(PAGE.encode("utf-8"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("", "empty input"),
        (b"   \n", "empty input"),
        ("Just a line of plain text, which is not a web page at all. " * 5, "not HTML"),
        (b"%PDF-1.4 binary stuff", "not HTML"),
        ("<html><head><title>x</title></head><body><div></div><script>var x = 1;</script></body></html>",
         "no main content found"),
    ],
)
def test_extraction_failures_say_why(data: str | bytes, reason: str) -> None:
    with pytest.raises(ExtractionFailed, match=reason) as error:
        extract_html(data)
    assert isinstance(error.value, ValueError)


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match="unknown extraction mode 'best'"):
        extract_html(PAGE, mode="best")


def test_html_paths_and_sniffing() -> None:
    assert is_html_path("a/b/page.html") and is_html_path(Path("PAGE.HTM"))
    assert not is_html_path("page.html.txt") and not is_html_path("notes.md") and not is_html_path("html")
    assert looks_like_html(PAGE) and looks_like_html(PAGE.encode("utf-8"))
    assert looks_like_html("\ufeff  <div class='x'>text</div>")
    assert not looks_like_html("if a < b and c > d then swap") and not looks_like_html(b"\x00\x01")


def test_trafilatura_log_lines_do_not_reach_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ExtractionFailed):
        extract_html("<html><body></body></html>")
    assert capsys.readouterr().err == ""
    assert any(isinstance(handler, logging.NullHandler) for handler in logging.getLogger("trafilatura").handlers)


def test_extracted_text_goes_through_the_pipeline_and_loses_no_article_line() -> None:
    text = extract_html(PAGE).text
    stage = BoilerplateStage(boilerplate_rules(load_rule_packs()))
    result = Pipeline([stage, WhitespaceStage()]).clean_text(text)
    for paragraph in ARTICLE:
        assert paragraph in result.text
    assert [edit for edit in result.edits if edit.stage == "boilerplate"] == []
