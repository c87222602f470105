"""Repair throughput: cleaner's repair stage vs ftfy.fix_encoding, in MB/s, in the same run.

Usage (from the repository root)::

    python bench/repair_throughput.py [--mb 2] [--repeat 3] [--no-re2] [--json PATH]

Texts (all from the mojibake benchmark's corpus, see bench/README.md):

* ``clean``: the clean corpus lines of one script group joined into a document, repeated to
  about ``--mb`` MB of UTF-8. Groups: ASCII English (Python's docs), Latin-script languages,
  Cyrillic + Greek, Arabic + Hebrew, Thai, CJK.
* ``mojibake``: the same lines read through a wrong codec (cp1252, cp1251, koi8_r, gbk,
  cp874+cp1252), a realistic document where every line is broken.

Each is timed for:

* ``ftfy.is_bad``: ftfy's own pre-check on the whole document (what "clean text must cost
  about" refers to);
* ``ftfy.fix_encoding``: line by line (it is not line-aware, and one broken line would make it
  try to re-encode a whole document);
* ``cleaner``: ``RepairStage().find_edits(document)``, the stage on the whole document (it
  screens the document once and works line by line on the lines the screen flags).

MB/s are megabytes of UTF-8 input per second, best of ``--repeat`` runs. ``--no-re2`` builds
the screen with Python's ``re`` even when google-re2 is installed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
for _path in (BENCH_DIR, REPO_ROOT):
    if str(_path) not in sys.path:
        sys.path.append(str(_path))

import corpus_sources  # noqa: E402
import mojibake_matrix  # noqa: E402

GROUPS = {
    "Latin": ("Croatian", "Czech", "Dutch", "Finnish", "French", "German", "Hungarian", "Italian", "Polish",
              "Portuguese", "Romanian", "Slovak", "Slovene", "Spanish", "Turkish"),
    "Cyrillic+Greek": ("Russian", "Bulgarian", "Greek"),
    "Arabic+Hebrew": ("Arabic", "Hebrew"),
    "Thai": ("Thai",),
    "CJK": ("Chinese", "Gan Chinese", "Japanese", "Korean"),
}
MOJIBAKE = {
    "cp1252": "Latin",
    "cp1251": "Cyrillic+Greek",
    "koi8_r": "Cyrillic+Greek",
    "cp874+cp1252": "Thai",
    # Latin text read as GBK (it’s -> it鈥檚): CJK text's UTF-8 is rarely valid GBK at all, so
    # "CJK via gbk" in strict mode was an empty document.
    "gbk": "Latin",
}


def _document(lines: list[str], megabytes: float) -> str:
    text = "\n".join(lines) + "\n"
    size = len(text.encode("utf-8"))
    return text * max(1, round(megabytes * 1e6 / size))


def _best(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure(document: str, repeat: int, use_re2: bool | None) -> dict[str, float]:
    import ftfy
    from ftfy.badness import is_bad

    from cleaner.repair_screen import Screen
    from cleaner.stages.repair import RepairStage

    stage = RepairStage(screen=Screen(use_re2=use_re2))
    stage.find_edits(document[:20000])  # load the model and tables outside the timing
    lines = document.split("\n")
    megabytes = len(document.encode("utf-8")) / 1e6
    times = {
        "ftfy.is_bad": _best(lambda: is_bad(document), repeat),
        "ftfy.fix_encoding": _best(lambda: [ftfy.fix_encoding(line) for line in lines], repeat),
        "cleaner": _best(lambda: stage.find_edits(document), repeat),
    }
    return {name: megabytes / seconds for name, seconds in times.items()} | {"MB": megabytes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=2.0, help="size of each document in MB (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts")
    parser.add_argument("--no-re2", action="store_true", help="screen with Python's re even if re2 is installed")
    parser.add_argument("--json", type=Path, help="write the numbers as JSON")
    args = parser.parse_args(argv)

    from cleaner.repair_screen import Screen

    use_re2 = False if args.no_re2 else None
    engine = Screen(use_re2=use_re2).engine
    corpus = corpus_sources.load_corpus()
    by_language: dict[str, list[str]] = {}
    for line in corpus.lines:
        by_language.setdefault(line.language, []).append(line.text)

    documents: dict[str, str] = {"clean ASCII English": _document(corpus_sources.typographic_english(), args.mb)}
    for group, languages in GROUPS.items():
        lines = [text for language in languages for text in by_language.get(language, [])]
        documents[f"clean {group}"] = _document(lines, args.mb)
    for codec, group in MOJIBAKE.items():
        lines = [text for language in GROUPS[group] for text in by_language.get(language, [])]
        broken = [b for text in lines if (b := mojibake_matrix.misdecode(text, (codec,), "strict")) and b != text]
        if not broken:
            raise SystemExit(f"no line of {group} reads differently through {codec}: nothing to measure")
        documents[f"mojibake {group} via {codec}"] = _document(broken, args.mb / 4)

    print(f"Repair throughput, MB/s of UTF-8 input (best of {args.repeat}); screen engine: {engine}")
    head = (f"{'text':<34} {'MB':>5} {'ftfy.is_bad':>12} {'ftfy.fix_encoding':>18} {'cleaner':>9} "
            f"{'cleaner/fix_encoding':>21}")
    print(head)
    print("-" * len(head))
    results = {}
    for name, document in documents.items():
        numbers = measure(document, args.repeat, use_re2)
        results[name] = numbers
        ratio = numbers["cleaner"] / numbers["ftfy.fix_encoding"]
        print(f"{name:<34} {numbers['MB']:5.1f} {numbers['ftfy.is_bad']:12.1f} {numbers['ftfy.fix_encoding']:18.1f} "
              f"{numbers['cleaner']:9.1f} {ratio:20.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"engine": engine, "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
