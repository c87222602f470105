"""Deterministic throughput corpus: real prose (see prose_pool.py) cut into pages, with the faults
scraped text has.

    python bench/make_corpus.py --size-mb 20 --files 2000 --out DIR      # a tree of .txt files
    python bench/make_corpus.py --size-mb 1000 --jsonl BIG.jsonl         # one JSONL file: {"id", "text"}

The same seed, sizes and source versions always give a byte-identical result; ``DIR/.corpus.json``
(or ``BIG.jsonl.manifest.json``) records the parameters, versions, counts, every file's faults and
a SHA-256 of the output. What is injected, per page (independent draws):

- boilerplate lines (1/3 of pages): navigation at the top, ad and app prompts inside, share bars,
  comment forms, newsletter prompts and footers at the end;
- mojibake (3 %): some lines' UTF-8 bytes decoded as cp1252, latin-1, cp1251 or the cp874+cp1252
  hybrid (bytes a table lacks become the C1/Latin-1 character of the same value, as browsers do);
- a legacy encoding (3 %, tree only): the whole page encoded in its language's legacy code page
  (cp1252, cp1250, cp1251, shift_jis, gbk, big5, euc_kr, ...);
- a UTF-8 BOM (2 %, tree only; a U+FEFF in JSONL) and CRLF line ends (5 %).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from prose_pool import Doc, build_pool, load_pool, pool_versions

GENERATOR_VERSION = 1  # bump when the same seed would give different bytes

# Share of pages from each source group; "news" is the newspaper4k and trafilatura test pages.
GROUP_WEIGHTS: dict[str, float] = {"debian-handbook": 0.35, "gnome-user-docs": 0.25, "python3.11-doc": 0.15,
                                   "postgresql-doc-15": 0.20, "news": 0.05}
MULTILINGUAL = {"debian-handbook", "gnome-user-docs"}
ENGLISH_SHARE = 0.30  # within a multilingual group; the other languages share the rest evenly
SIZE_SIGMA = 1.0  # page sizes are log-normal: median about 0.6x the mean, a long tail of big pages
MIN_PAGE, MAX_PAGE = 300, 400_000

P_BOILERPLATE = 1 / 3
P_MOJIBAKE = 0.03
P_LEGACY = 0.03
P_BOM = 0.02
P_CRLF = 0.05

BOILERPLATE_HEAD = ["Skip to content", "Menu", "Toggle navigation", "Home » News » World", "Search",
                    "Log in / Register", "Home > Blog > Technology"]
BOILERPLATE_MIDDLE = ["Advertisement", "Story continues below advertisement", "Continue reading on the app",
                      "Read more: How the city plans to fix its roads", "Related: Five things to know this week",
                      "Click to expand", "Photo: AFP"]
BOILERPLATE_TAIL = ["Share:", "Share this article", "Facebook Twitter LinkedIn Email", "fbpx", "Like this:",
                    "Like Loading...", "Submit a Comment", "Leave a Reply",
                    "Your email address will not be published. Required fields are marked *",
                    "Save my name, email, and website in this browser for the next time I comment.",
                    "Sign up for our newsletter", "Get the latest news delivered to your inbox",
                    "Follow us on Twitter", "Tags: news, politics, world", "© 2023 Example Media. All rights reserved.",
                    "Privacy Policy | Terms of Use | Contact Us", "Back to top", "Comments are closed.",
                    "Download on the App Store", "Accept all cookies"]

# Single-byte tables for mojibake: UTF-8 bytes read through these (first table that defines a byte wins;
# a byte none defines becomes the character with the same code point, as browsers and ftfy's sloppy codecs do).
MOJIBAKE_TABLES: dict[str, tuple[str, ...]] = {"cp1252": ("cp1252",), "latin-1": ("latin-1",),
                                               "cp1251": ("cp1251",), "cp874+cp1252": ("cp874", "cp1252")}
MOJIBAKE_WEIGHTS = {"cp1252": 0.5, "latin-1": 0.2, "cp1251": 0.15, "cp874+cp1252": 0.15}

# Legacy code pages by language (full tag first, then the part before '-').
LEGACY_CODECS: dict[str, tuple[str, ...]] = {
    "zh-cn": ("gbk", "gb18030"), "zh-tw": ("big5",), "zh": ("gbk",), "ja": ("shift_jis", "euc_jp", "cp932"),
    "ko": ("euc_kr", "cp949"), "ru": ("cp1251", "koi8_r"), "uk": ("cp1251", "koi8_u"), "sr": ("cp1251",),
    "el": ("cp1253", "iso8859_7"), "tr": ("cp1254",), "he": ("cp1255",), "ar": ("cp1256",), "fa": ("cp1256",),
    "lt": ("cp1257",), "lv": ("cp1257",), "th": ("cp874",), "vi": ("cp1258",),
    "cs": ("cp1250", "iso8859_2"), "pl": ("cp1250", "iso8859_2"), "hr": ("cp1250",), "sl": ("cp1250",),
    "hu": ("cp1250",), "ro": ("cp1250",), "sr@latin": ("cp1250",),
    **{lang: ("cp1252", "latin-1") for lang in ("en", "de", "fr", "es", "it", "pt", "nl", "da", "sv", "nb", "fi",
                                                 "ca", "gl", "id")},
}
MAX_UNENCODABLE = 0.01  # a page is put in a legacy code page if at most 1 % of its characters become '?'

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class Page:
    index: int
    group: str
    lang: str
    text: str
    faults: list[str] = field(default_factory=list)


def _group_of(doc: Doc) -> str:
    return "news" if doc.source in {"newspaper4k", "trafilatura"} else doc.source


def _is_english(lang: str) -> bool:
    return lang.replace("_", "-").split("-")[0].lower() in {"en", "c"}


class Streams:
    """Per (group, language): the documents in a seeded order, handed out one after another, wrapping."""

    def __init__(self, docs: Sequence[Doc], seed: int) -> None:
        grouped: dict[tuple[str, str], list[Doc]] = {}
        for doc in docs:
            key = (_group_of(doc), doc.lang if _group_of(doc) in MULTILINGUAL else "*")
            grouped.setdefault(key, []).append(doc)
        self.docs = grouped
        for key, items in grouped.items():
            random.Random(f"{seed}|order|{key[0]}|{key[1]}").shuffle(items)
        self.cursor: Counter[tuple[str, str]] = Counter()
        self.langs = {group: sorted(lang for g, lang in grouped if g == group) for group in GROUP_WEIGHTS}
        missing = [group for group, langs in self.langs.items() if not langs]
        if missing:
            raise RuntimeError(f"the prose pool has no documents for {missing}")

    def pick_key(self, rng: random.Random) -> tuple[str, str]:
        group = rng.choices(list(GROUP_WEIGHTS), weights=list(GROUP_WEIGHTS.values()))[0]
        langs = self.langs[group]
        english = [lang for lang in langs if _is_english(lang)]
        others = [lang for lang in langs if not _is_english(lang)]
        if group in MULTILINGUAL and english and others:
            return group, (rng.choice(english) if rng.random() < ENGLISH_SHARE else rng.choice(others))
        return group, rng.choice(langs)

    def next_doc(self, key: tuple[str, str]) -> Doc:
        items = self.docs[key]
        doc = items[self.cursor[key] % len(items)]
        self.cursor[key] += 1
        return doc


def page_sizes(count: int, total_bytes: int, seed: int) -> list[int]:
    """``count`` log-normal sizes that add up to about ``total_bytes``."""
    rng = random.Random(f"{seed}|sizes")
    raw = [rng.lognormvariate(0.0, SIZE_SIGMA) for _ in range(count)]
    scale = total_bytes / sum(raw)
    return [min(MAX_PAGE, max(MIN_PAGE, round(value * scale))) for value in raw]


def _take_lines(streams: Streams, key: tuple[str, str], target: int) -> tuple[str, str]:
    """Whole lines from the start of the next document(s) until ``target`` UTF-8 bytes are reached."""
    lines: list[str] = []
    size = 0
    lang = key[1]
    full = False
    while size < target and not full:
        doc = streams.next_doc(key)
        lang = doc.lang if lang == "*" else lang
        if lines:
            lines.append("")
            size += 1
        for line in doc.text.split("\n"):
            encoded = len(line.encode("utf-8")) + 1
            if size + encoded > target * 1.5 and size >= target * 0.5:
                full = True  # the next line would overshoot by far: the page ends here
                break
            if encoded > target * 2:  # one huge line: cut it at a space near what is still missing
                cut = line.rfind(" ", 0, max(1, target - size))
                line = line[: cut if cut > 0 else max(1, target - size)]
                encoded = len(line.encode("utf-8")) + 1
            lines.append(line)
            size += encoded
            if size >= target:
                break
    return "\n".join(lines).strip("\n") + "\n", lang


def _add_boilerplate(text: str, rng: random.Random) -> str:
    lines = text.rstrip("\n").split("\n")
    tail = rng.sample(BOILERPLATE_TAIL, rng.randint(1, 4))
    if rng.random() < 0.4:
        lines[len(lines) // 2: len(lines) // 2] = [rng.choice(BOILERPLATE_MIDDLE)]
    if rng.random() < 0.4:
        lines[0:0] = rng.sample(BOILERPLATE_HEAD, rng.randint(1, 2))
    return "\n".join(lines + tail) + "\n"


def _mojibake_table(name: str) -> dict[int, str]:
    table = {}
    for byte in range(256):
        char = chr(byte)
        for codec in MOJIBAKE_TABLES[name]:
            try:
                char = bytes([byte]).decode(codec)
                break
            except UnicodeDecodeError:
                continue
        table[byte] = char
    return table


_TABLES = {name: _mojibake_table(name) for name in MOJIBAKE_TABLES}


def mojibake(line: str, table_name: str) -> str:
    """``line``'s UTF-8 bytes read through a single-byte table."""
    return line.encode("utf-8").decode("latin-1").translate(_TABLES[table_name])


def _typographic(line: str) -> str:
    """Curly apostrophes and quotes, en dashes: what English pages have before they turn into mojibake."""
    line = re.sub(r"(?<=\w)'(?=\w)", "’", line)
    line = re.sub(r'"([^"\n]{1,80})"', r"“\1”", line)
    return line.replace(" - ", " – ")


def _add_mojibake(text: str, rng: random.Random) -> tuple[str, str | None]:
    table = rng.choices(list(MOJIBAKE_WEIGHTS), weights=list(MOJIBAKE_WEIGHTS.values()))[0]
    lines = text.split("\n")
    eligible = [i for i, line in enumerate(lines) if not line.isascii()]
    if not eligible:
        lines = [_typographic(line) for line in lines]
        eligible = [i for i, line in enumerate(lines) if not line.isascii()]
    if not eligible:
        return text, None
    chosen = rng.sample(eligible, max(1, round(len(eligible) * rng.uniform(0.2, 1.0))))
    for i in chosen:
        lines[i] = mojibake(lines[i], table)
    return "\n".join(lines), table


def _legacy_codecs(lang: str) -> tuple[str, ...]:
    tag = lang.replace("_", "-").lower()
    return LEGACY_CODECS.get(tag) or LEGACY_CODECS.get(tag.split("-")[0]) or ()


def _encode_legacy(text: str, lang: str, rng: random.Random) -> tuple[bytes, str] | None:
    candidates = _legacy_codecs(lang)
    if not candidates:
        return None
    codec = rng.choice(candidates)
    try:
        return text.encode(codec), codec
    except UnicodeEncodeError:
        bad = sum(1 for char in text if not _encodable(char, codec))
        if bad > MAX_UNENCODABLE * len(text):
            return None
        return text.encode(codec, errors="replace"), codec


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
        return True
    except UnicodeEncodeError:
        return False


def generate_pages(docs: Sequence[Doc], seed: int, sizes: Sequence[int], jsonl: bool = False) -> Iterator[Page]:
    """Pages with their injected faults, deterministic in ``seed`` (text only: encoding comes later)."""
    streams = Streams(docs, seed)
    for index, target in enumerate(sizes):
        rng = random.Random(f"{seed}|page|{index}")
        key = streams.pick_key(rng)
        text, lang = _take_lines(streams, key, target)
        page = Page(index, key[0], lang, text)
        if rng.random() < P_BOILERPLATE:
            page.text = _add_boilerplate(page.text, rng)
            page.faults.append("boilerplate")
        if rng.random() < P_MOJIBAKE:
            page.text, table = _add_mojibake(page.text, rng)
            page.faults.append(f"mojibake:{table}" if table else "mojibake:none-possible")
        if rng.random() < P_CRLF:
            page.text = page.text.replace("\n", "\r\n")
            page.faults.append("crlf")
        # The encoding draws are made for every page so that tree and JSONL pages share their text.
        legacy, bom = rng.random() < P_LEGACY, rng.random() < P_BOM
        if legacy and not jsonl:
            page.faults.append("legacy")
        elif bom:
            page.faults.append("bom")
        yield page


def encode_page(page: Page, rng_seed: str) -> tuple[bytes, str]:
    """The bytes of a tree page and the name of their encoding; notes a legacy page that stayed UTF-8."""
    if "legacy" in page.faults and "mojibake" not in " ".join(page.faults):
        encoded = _encode_legacy(page.text, page.lang, random.Random(rng_seed))
        if encoded is not None:
            page.faults[page.faults.index("legacy")] = f"legacy:{encoded[1]}"
            return encoded
    if "legacy" in page.faults:
        page.faults[page.faults.index("legacy")] = "legacy:skipped"
    data = page.text.encode("utf-8")
    if "bom" in page.faults:
        return UTF8_BOM + data, "utf-8-sig"
    return data, "utf-8"


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9.-]+", "_", name)


def tree_hash(root: Path) -> str:
    """SHA-256 over every non-hidden file's relative path and bytes, in sorted order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _manifest_base(kind: str, seed: int, size_mb: float, count: int, pool: Path) -> dict[str, object]:
    return {"kind": kind, "generator_version": GENERATOR_VERSION, "seed": seed, "size_mb": size_mb,
            "pages": count, "sources": pool_versions(pool)}


def write_tree(out: Path, size_mb: float, files: int, seed: int, force: bool = False) -> dict[str, object]:
    """Write the corpus tree to ``out`` (via a temporary sibling, renamed when complete)."""
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"make_corpus: {out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(out)
    pool = build_pool()
    docs = load_pool(pool)
    temporary = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    sizes = page_sizes(files, round(size_mb * 1e6), seed)
    counts: Counter[str] = Counter()
    listing = []
    total = 0
    width = max(5, len(str(files - 1)))
    for page in generate_pages(docs, seed, sizes):
        data, encoding = encode_page(page, f"{seed}|encode|{page.index}")
        relative = f"{page.index // 100:03d}/{page.index:0{width}d}-{_safe(page.group)}-{_safe(page.lang)}.txt"
        path = temporary / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        total += len(data)
        counts.update(fault.split(":")[0] for fault in page.faults)
        counts.update(f"{fault}" for fault in page.faults if ":" in fault)
        counts[f"group:{page.group}"] += 1
        listing.append({"path": relative, "bytes": len(data), "lang": page.lang, "encoding": encoding,
                        "faults": page.faults})
    manifest = _manifest_base("tree", seed, size_mb, files, pool)
    manifest.update({"bytes": total, "sha256": tree_hash(temporary), "counts": dict(sorted(counts.items())),
                     "files": listing})
    (temporary / ".corpus.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    shutil.rmtree(out, ignore_errors=True)
    temporary.rename(out)
    return manifest


def write_jsonl(path: Path, size_mb: float, seed: int, mean_kb: float = 10.0) -> dict[str, object]:
    """Write one JSONL file of about ``size_mb`` MB: one ``{"id", "text"}`` record per page."""
    pool = build_pool()
    docs = load_pool(pool)
    target = round(size_mb * 1e6)
    count = max(1, math.ceil(target / (mean_kb * 1000)))
    sizes = page_sizes(count, target, seed)
    counts: Counter[str] = Counter()
    digest = hashlib.sha256()
    total = 0
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with temporary.open("wb") as handle:
        for page in generate_pages(docs, seed, sizes, jsonl=True):
            text = ("\ufeff" + page.text) if "bom" in page.faults else page.text
            line = (json.dumps({"id": f"page-{page.index:07d}", "text": text}, ensure_ascii=False) + "\n").encode()
            handle.write(line)
            digest.update(line)
            total += len(line)
            counts.update(fault.split(":")[0] for fault in page.faults)
    temporary.rename(path)
    manifest = _manifest_base("jsonl", seed, size_mb, count, pool)
    manifest.update({"bytes": total, "sha256": digest.hexdigest(), "counts": dict(sorted(counts.items()))})
    manifest_path(path).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def manifest_path(jsonl: Path) -> Path:
    return jsonl.with_name(jsonl.name + ".manifest.json")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", type=Path, metavar="DIR", help="write a tree of .txt files here")
    target.add_argument("--jsonl", type=Path, metavar="PATH", help="write one JSONL file instead")
    parser.add_argument("--size-mb", type=float, default=20.0, help="total size in MB (10^6 bytes; default 20)")
    parser.add_argument("--files", type=int, help="number of files (tree; default 100 per MB)")
    parser.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    parser.add_argument("--force", action="store_true", help="replace a non-empty --out directory")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    if args.out:
        files = args.files or max(1, round(args.size_mb * 100))
        manifest = write_tree(args.out, args.size_mb, files, args.seed, force=args.force)
        where = args.out
    else:
        manifest = write_jsonl(args.jsonl, args.size_mb, args.seed)
        where = args.jsonl
    counts = manifest["counts"]
    assert isinstance(counts, dict)
    faults = ", ".join(f"{name} {value}" for name, value in counts.items() if ":" not in name)
    elapsed = time.perf_counter() - start
    print(f"wrote {where}: {manifest['pages']} pages, {manifest['bytes']:,} bytes in {elapsed:.1f} s; "
          f"faults: {faults}; sha256 {str(manifest['sha256'])[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
