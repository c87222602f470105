"""HTML input: the article text of a page, extracted with trafilatura before the normal pipeline.

An ``.html``/``.htm`` file (or a JSONL record's ``html`` field) is not text to clean line by
line: its menus, footers and scripts are markup, which an extractor that sees the DOM removes far
better than any line rule (see ``bench/article_extraction.py``). So such input goes through
:func:`extract_html` first; the pipeline then cleans the extracted text like any other, and the
change log records the extraction (tool, version, mode) as the origin of the text it replays.

Modes map to trafilatura's own settings. Comments are never included (they are not the article),
tables are. Measured on the 181 pages of the article-extraction benchmark (token F1 against the
human-checked bodies; even-indexed pages / odd-indexed pages, trafilatura 2.3.1):

=========== =========================== ===== ===== ===== ======================
mode        trafilatura settings        P     R     F1    F1 even / odd
=========== =========================== ===== ===== ===== ======================
precision   favor_precision=True        0.979 0.973 0.976 0.983 / 0.968
balanced    (its defaults)              0.961 0.978 0.969 0.973 / 0.965
recall      favor_recall=True           0.966 0.978 0.972 0.979 / 0.965
fast        fast=True (no fallback)     0.965 0.979 0.972 0.981 / 0.962
=========== =========================== ===== ===== ===== ======================

``precision`` is the default: the best F1 on both halves, for a recall 0.005 lower; the
boilerplate stage that runs after it cannot put back what an extractor dropped, but it can
remove what it kept. ``bench/article_extraction.py --modes`` repeats the measurement.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import PurePath
from typing import Any

TOOL = "trafilatura"
DEFAULT_MODE = "precision"
MODES: dict[str, dict[str, Any]] = {
    "precision": {"favor_precision": True},
    "balanced": {},
    "recall": {"favor_recall": True},
    "fast": {"fast": True},
}
HTML_SUFFIXES = (".html", ".htm")

# Something that only HTML has near its start: a doctype, or one of the tags a page begins with.
_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|main|section|table|span|a|h[1-6]|ul|br)\b",
    re.IGNORECASE,
)
_SNIFF_BYTES = 4096


class ExtractionFailed(ValueError):
    """The page gave no text: not HTML, empty, or no main content found. The message says which."""


@dataclass(frozen=True)
class Extraction:
    """The extracted text and how it was made (for the change log's header)."""

    text: str
    tool: str
    tool_version: str
    mode: str


def is_html_path(path: str | PathLike[str]) -> bool:
    """Whether a file is HTML input by its name (``.html`` or ``.htm``, any case).

    >>> is_html_path("pages/index.HTML"), is_html_path("a.htm"), is_html_path("notes.txt")
    (True, True, False)
    """
    # A path object is asked directly: building a Path again parses it again, per file of a corpus.
    suffix = path.suffix if isinstance(path, PurePath) else PurePath(path).suffix
    return suffix.lower() in HTML_SUFFIXES


def looks_like_html(data: str | bytes) -> bool:
    """Whether the start of ``data`` holds a doctype or an HTML tag.

    >>> looks_like_html("<!DOCTYPE html><p>Hi"), looks_like_html(b"  <div>x</div>"), looks_like_html("a < b")
    (True, True, False)
    """
    head = data[:_SNIFF_BYTES]
    if isinstance(head, str):
        head = head.encode("utf-8", "surrogatepass")
    return _HTML_START.search(head) is not None


def extract_html(html: str | bytes, *, mode: str = DEFAULT_MODE) -> Extraction:
    """The main text of an HTML page, one paragraph (or list item, or table row) per line.

    Bytes are decoded by trafilatura (meta charset, then detection). Raises
    :class:`ExtractionFailed` for input that is not HTML or has no main text, and ValueError
    for an unknown mode.

    >>> article = "<article><p>" + "A sentence of text. " * 8 + "</p></article>"
    >>> result = extract_html(f"<html><body><nav><a href='/'>Home</a></nav>{article}</body></html>")
    >>> result.text.startswith("A sentence of text."), "Home" in result.text, result.mode
    (True, False, 'precision')
    """
    if mode not in MODES:
        raise ValueError(f"unknown extraction mode {mode!r}; modes are {', '.join(MODES)}")
    if not html.strip():
        raise ExtractionFailed("empty input")
    if not looks_like_html(html):
        raise ExtractionFailed("not HTML: no doctype or HTML tag near the start")
    import trafilatura

    text = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        with_metadata=False,
        deduplicate=False,  # trafilatura's duplicate filter keeps state across documents
        **MODES[mode],
    )
    if not text or not text.strip():
        raise ExtractionFailed("no main content found")
    return Extraction(text=text if text.endswith("\n") else text + "\n", tool=TOOL,
                      tool_version=_version(), mode=mode)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(TOOL)
    except PackageNotFoundError:  # pragma: no cover - a vendored or unusual install
        import trafilatura

        return str(getattr(trafilatura, "__version__", "unknown"))


# trafilatura reports pages it finds empty or odd through logging; with no handler configured,
# Python's last-resort handler would print those to stderr in the middle of the CLI's own report.
# ExtractionFailed carries what matters, so the library's log lines are not shown by default.
logging.getLogger(TOOL).addHandler(logging.NullHandler())
