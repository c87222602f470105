"""Real, clean, multilingual text for the mojibake benchmark.

Nothing here was written by the cleaner team.  All text comes from files that
other projects publish on PyPI or ship with Python itself:

* charset-normalizer (sdist, same version as the installed package), folder
  ``data/``: 18 sample files in 12 languages and several legacy encodings.
  Its ``data/NOTICE.md`` says they are "EITHER pulled from Wikipedia (CC-BY-SA)
  OR public domain archive".  The package itself is MIT-licensed.
* chardet 5.2.0 (sdist), folder ``tests/``: the ``_ude_*.txt`` plain-text
  samples (from Mozilla's universal charset detector test data) and the Thai
  TIS-620 RSS feeds.  chardet is LGPL-2.1; its ``tests/README.txt`` says the
  feeds were downloaded from public sites and "each feed is copyright its
  respective publisher".  The Japanese samples are Project Gutenberg etexts
  (Akutagawa's Rashomon, a translation of Luther's Small Catechism).
  This is only needed because charset-normalizer's samples give 11 languages
  with non-ASCII text (its English sample is pure ASCII), fewer than the 12
  we want; chardet also adds Japanese and Thai, which the CJK and Thai cells
  of the matrix need.
* ftfy 6.3.1 (sdist, Apache-2.0), ``tests/test_cases.json``: ftfy's
  real-world mojibake cases (mostly collected from Twitter and Common Crawl).
* Python's own ``pydoc_data.topics`` (the language reference, PSF licence):
  clean English prose with curly quotes and dashes for the false-repair check.

Downloads go to a cache directory outside the repository
(``$CLEANER_BENCH_CACHE``, default ``~/.cache/cleaner-bench``) through
``pip download --no-deps --no-binary :all:``.  Once an sdist is cached it is
read straight from the tarball, so a second run does not touch the network.

Run ``python bench/corpus_sources.py`` to fetch everything and print what was
obtained.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import tarfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any, Literal

CACHE_ENV_VAR = "CLEANER_BENCH_CACHE"
DEFAULT_CACHE = Path("~/.cache/cleaner-bench")

FTFY_VERSION = "6.3.1"
# 5.2.0 is the last chardet release whose sdist is known to ship its tests/
# sample corpus; it is only used as data, never imported.
CHARDET_VERSION = "5.2.0"

# A clean line must be at least this long, contain this many letters, and be
# mostly letters (this drops subtitle timestamps, ruler lines, numbers, ...).
MIN_CHARS = 20
MIN_LETTERS = 8
MIN_LETTER_RATIO = 0.5
# Longer lines are cut at sentence ends (then at spaces) into pieces of at most
# this many characters, so one long paragraph yields several samples.
MAX_CHARS = 240

Format = Literal["text", "csv-target", "rss"]


@dataclass(frozen=True)
class SourceFile:
    """One sample file inside an sdist, with its known encoding and language."""

    package: str  # PyPI name of the sdist that ships the file
    member: str  # path inside the sdist, below its top-level folder
    encoding: str  # Python codec name
    language: str
    fmt: Format = "text"


# Encodings and languages as listed in charset-normalizer's own
# tests/test_full_detection.py (the file names carry only the language).
CHARSET_NORMALIZER_FILES: tuple[tuple[str, str, str, Format], ...] = (
    ("sample-arabic-1.txt", "cp1256", "Arabic", "text"),
    ("sample-arabic.txt", "utf_8", "Arabic", "text"),
    ("sample-bulgarian.txt", "utf_8", "Bulgarian", "text"),
    # The Classical Chinese Wikipedia's self-description.
    ("sample-chinese.txt", "big5", "Chinese", "text"),
    ("sample-english.bom.txt", "utf_8_sig", "English", "text"),
    ("sample-french-1.txt", "cp1252", "French", "text"),
    ("sample-french.txt", "utf_8", "French", "text"),
    ("sample-greek-2.txt", "cp1253", "Greek", "text"),
    ("sample-greek.txt", "cp1253", "Greek", "text"),
    ("sample-hebrew-2.txt", "cp1255", "Hebrew", "text"),
    ("sample-hebrew-3.txt", "cp1255", "Hebrew", "text"),
    ("sample-korean.txt", "cp949", "Korean", "text"),
    # A "source";"target" CSV of UI strings: only the Polish column is text.
    ("sample-polish.txt", "utf_8", "Polish", "csv-target"),
    ("sample-russian-2.txt", "utf_8", "Russian", "text"),
    ("sample-russian-3.txt", "utf_8", "Russian", "text"),
    ("sample-russian.txt", "mac_cyrillic", "Russian", "text"),
    ("sample-spanish.txt", "utf_8", "Spanish", "text"),
    ("sample-turkish.txt", "cp1254", "Turkish", "text"),
)

# chardet's sample folders are named after the encoding (and language).  Exact
# duplicates of other samples (the same Russian text in six encodings, ...) and
# ISO-8859-2 copies of Windows-1250 files (which lose „“ quotes to '?') are
# left out; languages were read off the text itself.
CHARDET_FILES: tuple[tuple[str, str, str, Format], ...] = (
    ("EUC-JP/_ude_1.txt", "euc_jp", "Japanese", "text"),
    ("SHIFT_JIS/_ude_1.txt", "shift_jis", "Japanese", "text"),
    ("SHIFT_JIS/_ude_4.txt", "shift_jis", "Japanese", "text"),
    ("EUC-KR/_ude_euc1.txt", "euc_kr", "Korean", "text"),
    ("EUC-KR/_ude_euc2.txt", "euc_kr", "Korean", "text"),
    ("utf-8/_ude_5.txt", "utf_8", "Gan Chinese", "text"),
    ("iso-8859-1/_ude_1.txt", "iso8859_1", "Portuguese", "text"),
    ("iso-8859-1/_ude_2.txt", "iso8859_1", "French", "text"),
    ("iso-8859-1/_ude_3.txt", "iso8859_1", "Italian", "text"),
    ("iso-8859-1/_ude_4.txt", "iso8859_1", "Italian", "text"),
    ("iso-8859-1/_ude_5.txt", "iso8859_1", "Spanish", "text"),
    ("iso-8859-1/_ude_6.txt", "iso8859_1", "Finnish", "text"),
    ("windows-1252/_ude_1.txt", "cp1252", "German", "text"),
    ("windows-1252/_ude_2.txt", "cp1252", "Dutch", "text"),
    ("windows-1250-croatian/_ude_1.txt", "cp1250", "Croatian", "text"),
    ("windows-1250-czech/_ude_1.txt", "cp1250", "Czech", "text"),
    ("windows-1250-czech/_ude_2.txt", "cp1250", "Czech", "text"),
    ("windows-1250-hungarian/_ude_1.txt", "cp1250", "Hungarian", "text"),
    ("windows-1250-hungarian/_ude_2.txt", "cp1250", "Hungarian", "text"),
    ("windows-1250-hungarian/_ude_3.txt", "cp1250", "Hungarian", "text"),
    ("iso-8859-2-hungarian/_ude_1.txt", "iso8859_2", "Hungarian", "text"),
    ("iso-8859-2-hungarian/_ude_2.txt", "iso8859_2", "Hungarian", "text"),
    ("windows-1250-polish/_ude_1.txt", "cp1250", "Polish", "text"),
    ("windows-1250-romanian/_ude_1.txt", "cp1250", "Romanian", "text"),
    ("windows-1250-slovak/_ude_1.txt", "cp1250", "Slovak", "text"),
    ("windows-1250-slovak/_ude_2.txt", "cp1250", "Slovak", "text"),
    ("windows-1250-slovak/_ude_3.txt", "cp1250", "Slovak", "text"),
    ("windows-1250-slovene/_ude_1.txt", "cp1250", "Slovene", "text"),
    ("iso-8859-2-slovene/_ude_1.txt", "iso8859_2", "Slovene", "text"),
    ("iso-8859-7-greek/_ude_1.txt", "iso8859_7", "Greek", "text"),
    ("iso-8859-7-greek/_ude_2.txt", "iso8859_7", "Greek", "text"),
    ("iso-8859-9-turkish/_ude_1.txt", "iso8859_9", "Turkish", "text"),
    ("iso-8859-9-turkish/_ude_2.txt", "iso8859_9", "Turkish", "text"),
    ("windows-1254-turkish/_ude_1.txt", "cp1254", "Turkish", "text"),
    ("utf-8/_ude_he1.txt", "utf_8", "Hebrew", "text"),
    ("utf-8/_ude_he2.txt", "utf_8", "Hebrew", "text"),
    ("TIS-620/opentle.org.xml", "tis_620", "Thai", "rss"),
    ("TIS-620/pharmacy.kku.ac.th.analyse1.xml", "tis_620", "Thai", "rss"),
    ("TIS-620/pharmacy.kku.ac.th.centerlab.xml", "tis_620", "Thai", "rss"),
    ("TIS-620/pharmacy.kku.ac.th.healthinfo-ne.xml", "tis_620", "Thai", "rss"),
    ("TIS-620/trickspot.boxchart.com.xml", "tis_620", "Thai", "rss"),
)

SOURCE_FILES: tuple[SourceFile, ...] = tuple(
    SourceFile("charset-normalizer", f"data/{name}", enc, lang, fmt)
    for name, enc, lang, fmt in CHARSET_NORMALIZER_FILES
) + tuple(SourceFile("chardet", f"tests/{name}", enc, lang, fmt) for name, enc, lang, fmt in CHARDET_FILES)

LICENCES = {
    "charset-normalizer": "MIT package; data/ samples are Wikipedia (CC-BY-SA) or public-domain texts (data/NOTICE.md)",
    "chardet": "LGPL-2.1 package; tests/ samples are public web pages and "
    "Project Gutenberg etexts, each copyright its publisher (tests/README.txt)",
    "ftfy": "Apache-2.0",
    "pydoc_data": "Python documentation, PSF licence",
}


# --------------------------------------------------------------------------
# Cache and downloads


def cache_dir() -> Path:
    """The download cache: ``$CLEANER_BENCH_CACHE`` or ``~/.cache/cleaner-bench``."""
    path = Path(os.environ.get(CACHE_ENV_VAR) or DEFAULT_CACHE).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def package_versions() -> dict[str, str]:
    """The sdist version to fetch for each package."""
    return {
        "charset-normalizer": installed_version("charset-normalizer"),
        "chardet": CHARDET_VERSION,
        "ftfy": FTFY_VERSION,
    }


def _cached_sdist(name: str, version: str, cache: Path) -> Path | None:
    stems = {name, name.replace("-", "_"), name.replace("_", "-")}
    for stem in sorted(stems):
        candidate = cache / f"{stem}-{version}.tar.gz"
        if candidate.is_file():
            return candidate
    return None


def fetch_sdist(name: str, version: str, cache: Path | None = None) -> Path:
    """Return the cached sdist tarball of ``name==version``, downloading it once."""
    cache = cache or cache_dir()
    found = _cached_sdist(name, version, cache)
    if found is not None:
        return found
    print(f"[corpus] downloading sdist {name}=={version} into {cache}", file=sys.stderr)
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:"]
    cmd = [*pip, f"{name}=={version}", "-d", str(cache)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    found = _cached_sdist(name, version, cache)
    if proc.returncode != 0 or found is None:
        raise RuntimeError(
            f"could not download the sdist of {name}=={version} (pip exit {proc.returncode}):\n{proc.stderr.strip()}"
        )
    return found


def read_members(tarball: Path, wanted: set[str]) -> dict[str, bytes]:
    """Read files from an sdist without unpacking it.

    ``wanted`` holds paths below the sdist's top-level folder.
    """
    out: dict[str, bytes] = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            inner = member.name.split("/", 1)[1] if "/" in member.name else ""
            if inner in wanted and member.isfile():
                handle = tar.extractfile(member)
                if handle is not None:
                    out[inner] = handle.read()
    return out


def list_members(tarball: Path, prefix: str) -> list[str]:
    """Paths (below the top-level folder) of the sdist's files under ``prefix``."""
    with tarfile.open(tarball, "r:gz") as tar:
        names = [m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile() and "/" in m.name]
    return sorted(n for n in names if n.startswith(prefix))


# --------------------------------------------------------------------------
# Turning sample files into clean lines

_SENTENCE_END = re.compile(r"(?<=[.!?;。！？؟])\s+|(?<=[。！？])")
_TAG = re.compile(r"<[^>]*>")
_RSS_FIELD = re.compile(r"<(title|description)>(.*?)</\1>", re.DOTALL)
_LEFTOVER_MARKUP = re.compile(r"[<>]|&#?\w+;|https?:|www\.")


def _pack(pieces: list[str], sep: str, limit: int) -> list[str]:
    """Greedily join ``pieces`` with ``sep`` into chunks of at most ``limit`` chars."""
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}{sep}{piece}" if current else piece
        if len(joined) <= limit or not current:
            current = joined
        else:
            chunks.append(current)
            current = piece
    if current:
        chunks.append(current)
    return chunks


def segment(line: str, limit: int = MAX_CHARS) -> list[str]:
    """Cut a long line at sentence ends, then spaces, into pieces <= ``limit``."""
    if len(line) <= limit:
        return [line]
    out: list[str] = []
    for chunk in _pack([s for s in _SENTENCE_END.split(line) if s], " ", limit):
        if len(chunk) <= limit:
            out.append(chunk)
        elif " " in chunk:
            out.extend(_pack(chunk.split(), " ", limit))
        else:  # no sentence end and no space: keep the long piece whole
            out.append(chunk)
    return [piece.strip() for piece in out if piece.strip()]


_BAD_CHARS = "\ufffd\ufeff"  # replacement character, stray byte-order mark
_BAD_CATEGORIES = {"Cc", "Cs", "Co", "Cn"}  # controls, surrogates, private use, unassigned


def is_clean(line: str) -> bool:
    """A line worth using: long enough, mostly letters, no control/odd chars."""
    if len(line) < MIN_CHARS:
        return False
    letters = sum(ch.isalpha() for ch in line)
    visible = sum(not ch.isspace() for ch in line)
    if letters < MIN_LETTERS or letters < MIN_LETTER_RATIO * visible:
        return False
    return not any(ch in _BAD_CHARS or unicodedata.category(ch) in _BAD_CATEGORIES for ch in line)


def _raw_lines(text: str, fmt: Format) -> list[str]:
    if fmt == "csv-target":
        rows = [row.split(";") for row in text.splitlines()[1:]]
        return [row[-1].strip().strip('"') for row in rows if len(row) >= 2]
    if fmt == "rss":
        lines: list[str] = []
        for _, body in _RSS_FIELD.findall(text):
            body = body.replace("<![CDATA[", "").replace("]]>", "")
            # RSS escapes the HTML it carries: unescape, drop tags, unescape again.
            body = html.unescape(_TAG.sub(" ", html.unescape(body)))
            lines.extend(ln for ln in body.splitlines() if not _LEFTOVER_MARKUP.search(ln))
        return lines
    return text.splitlines()


def split_clean_lines(text: str, fmt: Format = "text", keep_ascii: bool = True) -> list[str]:
    """Split decoded text into clean, whitespace-trimmed lines."""
    out: list[str] = []
    for raw in _raw_lines(text, fmt):
        line = " ".join(raw.split()) if fmt == "rss" else raw.strip()
        for piece in segment(line):
            if is_clean(piece) and (keep_ascii or not piece.isascii()):
                out.append(piece)
    return out


# --------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True)
class CleanLine:
    text: str
    language: str
    source: str  # "package version: path"


@dataclass
class FileReport:
    source: str
    language: str
    encoding: str
    verified: str  # how the encoding was checked
    lines: int  # clean lines contributed after dedupe
    error: str = ""


@dataclass
class Corpus:
    lines: list[CleanLine]
    files: list[FileReport] = field(default_factory=list)

    def non_ascii(self) -> list[CleanLine]:
        return [ln for ln in self.lines if not ln.text.isascii()]

    def languages(self, non_ascii_only: bool = True) -> Counter[str]:
        pool = self.non_ascii() if non_ascii_only else self.lines
        return Counter(ln.language for ln in pool)


def verify_encoding(data: bytes, encoding: str) -> tuple[str, str]:
    """Decode ``data`` strictly with ``encoding`` and cross-check with charset-normalizer.

    Returns the text and a short verification note.  Raises UnicodeDecodeError
    if the named codec does not decode the bytes strictly.
    """
    text = data.decode(encoding)  # strict: raises on any undecodable byte
    note = f"strict {encoding} decode OK"
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed in the dev environment
        return text, note
    best = from_bytes(data).best()
    if best is None:
        return text, note + "; charset-normalizer: no guess"
    if str(best) == text:
        return text, note + f"; charset-normalizer agrees ({best.encoding})"
    return text, note + f"; charset-normalizer guessed {best.encoding} (different text)"


def load_corpus(cache: Path | None = None) -> Corpus:
    """Fetch (once) and decode all sample files into deduplicated clean lines."""
    cache = cache or cache_dir()
    versions = package_versions()
    by_package: dict[str, list[SourceFile]] = {}
    for src in SOURCE_FILES:
        by_package.setdefault(src.package, []).append(src)

    corpus = Corpus(lines=[])
    seen: set[str] = set()
    for package, sources in by_package.items():
        ver = versions[package]
        tarball = fetch_sdist(package, ver, cache)
        blobs = read_members(tarball, {s.member for s in sources})
        known = {s.member for s in sources}
        if package == "charset-normalizer":
            for extra in list_members(tarball, "data/sample-"):
                if extra not in known:
                    skipped = FileReport(f"{package} {ver}: {extra}", "?", "?", "", 0)
                    skipped.error = "skipped: encoding not known to this script"
                    corpus.files.append(skipped)
        for src in sources:
            label = f"{package} {ver}: {src.member}"
            report = FileReport(label, src.language, src.encoding, "", 0)
            corpus.files.append(report)
            if src.member not in blobs:
                report.error = "missing from the sdist"
                continue
            try:
                text, report.verified = verify_encoding(blobs[src.member], src.encoding)
            except UnicodeDecodeError as exc:
                report.error = f"does not decode as {src.encoding}: {exc}"
                continue
            keep_ascii = src.language == "English"
            for line in split_clean_lines(text, src.fmt, keep_ascii=keep_ascii):
                if line not in seen:
                    seen.add(line)
                    corpus.lines.append(CleanLine(line, src.language, label))
                    report.lines += 1
    return corpus


def load_ftfy_cases(cache: Path | None = None) -> list[dict[str, Any]]:
    """ftfy's real-world test cases (tests/test_cases.json of its sdist)."""
    tarball = fetch_sdist("ftfy", FTFY_VERSION, cache or cache_dir())
    blob = read_members(tarball, {"tests/test_cases.json"})["tests/test_cases.json"]
    cases: list[dict[str, Any]] = json.loads(blob.decode("utf-8"))
    return cases


_TYPOGRAPHIC = re.compile("[\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")


def typographic_english(limit: int = 200) -> list[str]:
    """Clean English sentences with curly quotes, dashes or ellipses.

    Taken from the Python language reference that ships with CPython
    (``pydoc_data.topics``): paragraphs are re-joined from their wrapped
    lines, cut into sentences, and the first ``limit`` sentences (in sorted
    topic order) that contain a typographic character are kept.
    """
    try:
        from pydoc_data.topics import topics
    except ImportError:  # some distributions strip pydoc_data from the stdlib
        return []

    out: list[str] = []
    seen: set[str] = set()
    for key in sorted(topics):
        for para in re.split(r"\n\s*\n", topics[key]):
            lines = para.splitlines()
            if any(ln.startswith(("   ", ">>>", "...")) for ln in lines):
                continue  # code sample, grammar rule or table
            joined = " ".join(" ".join(lines).split())
            for sentence in segment(joined):
                if _TYPOGRAPHIC.search(sentence) and is_clean(sentence) and sentence not in seen:
                    seen.add(sentence)
                    out.append(sentence)
                    if len(out) >= limit:
                        return out
    return out


def main() -> None:
    cache = cache_dir()
    corpus = load_corpus(cache)
    print(f"cache: {cache}")
    print(f"{len(corpus.lines)} clean lines, {len(corpus.non_ascii())} with non-ASCII text")
    print("\nfiles:")
    for rep in corpus.files:
        status = rep.error or rep.verified
        print(f"  {rep.source:<62} {rep.language:<12} {rep.lines:>4} lines  {status}")
    print("\nlanguages (non-ASCII lines / all lines):")
    all_langs = corpus.languages(non_ascii_only=False)
    non_ascii = corpus.languages()
    for lang in sorted(all_langs):
        print(f"  {lang:<12} {non_ascii.get(lang, 0):>4} / {all_langs[lang]}")
    print(f"\n{len(non_ascii)} languages with non-ASCII lines")
    print(f"ftfy test cases: {len(load_ftfy_cases(cache))}")
    print(f"typographic English sentences: {len(typographic_english())}")


if __name__ == "__main__":
    main()
