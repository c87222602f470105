"""Mojibake-repair benchmark: codec x variant matrix, false repairs, ftfy's suite.

Usage (from the repository root)::

    python bench/mojibake_matrix.py [--lines N] [--seed S] [--json PATH]
                                    [--by-codec] [--no-cleaner]
                                    [--candidate NAME=module:function ...]

Every candidate is a callable ``str -> str``.  By default the benchmark
compares ``ftfy.fix_encoding`` with cleaner's repair stage
(``cleaner.clean_text(s, only=["repair"]).text``) when ``cleaner`` can be
imported and that call works; otherwise ftfy runs alone and the output says
so.  See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import codecs
import difflib
import importlib
import json
import random
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
for _path in (BENCH_DIR, REPO_ROOT):  # `python bench/mojibake_matrix.py` from anywhere
    if str(_path) not in sys.path:
        sys.path.append(str(_path))

import corpus_sources  # noqa: E402  (needs the sys.path entry above)

Candidate = Callable[[str], str]

# --------------------------------------------------------------------------
# The matrix definition

HYBRID = "cp874+cp1252"
VARIANTS = ("strict", "sloppy", "ignore", "replace")
BYTES_SURVIVE = ("strict", "sloppy")  # every original byte is still recoverable
BYTES_LOST = ("ignore", "replace")

FAMILIES: dict[str, tuple[str, ...]] = {
    "Windows Latin": ("cp1250", "cp1252", "cp1254", "cp1257", "cp1258"),
    "Windows Cyrillic": ("cp1251",),
    "Windows Greek": ("cp1253",),
    "Windows Hebrew": ("cp1255",),
    "Windows Arabic": ("cp1256",),
    "Windows Thai": ("cp874",),
    "Thai hybrid": (HYBRID,),
    "ISO-8859": ("iso8859_1", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15"),
    "DOS": ("cp437", "cp850", "cp866"),
    "Mac": ("mac_roman", "mac_cyrillic"),
    "KOI8": ("koi8_r", "koi8_u"),
    "CJK": ("gbk", "gb18030", "big5", "shift_jis", "euc_kr", "euc_jp"),
}
DOUBLE_FAMILY = "Double"
# UTF-8 -> first codec -> UTF-8 -> second codec.
DOUBLE_PAIRS: tuple[tuple[str, str], ...] = (
    ("cp1252", "cp1252"),
    ("cp1250", "cp1250"),
    ("cp1251", "cp1251"),
)
DOUBLE_VARIANTS = BYTES_SURVIVE


def _sloppy(exc: UnicodeError) -> tuple[str, int]:
    """Error handler: each undecodable byte becomes the code point of the same value."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(b) for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("bench-sloppy", _sloppy)
ERROR_HANDLERS = {"strict": "strict", "sloppy": "bench-sloppy", "ignore": "ignore", "replace": "replace"}


def _byte_char(b: int, codec: str) -> str | None:
    try:
        return bytes([b]).decode(codec)
    except UnicodeDecodeError:
        return None


def _hybrid_table() -> list[str | None]:
    """cp874 where it defines a byte, else cp1252 for 0x80-0x9F; None = undefined.

    This is how Windows/browsers show Thai pages: cp874's holes in 0x80-0x9F
    are filled from cp1252.  Bytes neither defines (0x81, 0x8D, 0x8F, 0x90,
    0x9D, 0xDB-0xDE, 0xFC-0xFF) stay undefined and are handled per variant.
    """
    table: list[str | None] = []
    for b in range(256):
        char = _byte_char(b, "cp874")
        if char is None and 0x80 <= b <= 0x9F:
            char = _byte_char(b, "cp1252")
        table.append(char)
    return table


_HYBRID_TABLE = _hybrid_table()


def decode(data: bytes, codec: str, variant: str) -> str:
    """``data.decode(codec)`` with the variant's error handling (raises if strict)."""
    if codec != HYBRID:
        return data.decode(codec, ERROR_HANDLERS[variant])
    out: list[str] = []
    for i, b in enumerate(data):
        char = _HYBRID_TABLE[b]
        if char is not None:
            out.append(char)
        elif variant == "strict":
            raise UnicodeDecodeError(HYBRID, data, i, i + 1, "undefined byte")
        elif variant == "sloppy":
            out.append(chr(b))
        elif variant == "replace":
            out.append("\ufffd")
    return "".join(out)


def misdecode(text: str, codecs_chain: tuple[str, ...], variant: str) -> str | None:
    """Encode ``text`` as UTF-8 and decode it wrongly through each codec in turn.

    Returns None when the line does not belong in this variant: ``strict``
    takes only lines whose bytes all decode at every step; the other variants
    take only lines that hit at least one undefined byte somewhere (otherwise
    they would just repeat the strict cell).
    """
    hit_undefined = False
    for codec in codecs_chain:
        data = text.encode("utf-8")
        try:
            text = decode(data, codec, "strict")
        except UnicodeDecodeError:
            if variant == "strict":
                return None
            hit_undefined = True
            text = decode(data, codec, variant)
    if variant != "strict" and not hit_undefined:
        return None
    return text


@dataclass(frozen=True)
class Cell:
    family: str
    codec: str  # display name: a codec, the hybrid, or "a→b" for double mojibake
    variant: str
    chain: tuple[str, ...]


def build_cells() -> list[Cell]:
    cells = [
        Cell(family, codec, variant, (codec,))
        for family, members in FAMILIES.items()
        for codec in members
        for variant in VARIANTS
    ]
    cells += [
        Cell(DOUBLE_FAMILY, "→".join(pair), variant, pair) for pair in DOUBLE_PAIRS for variant in DOUBLE_VARIANTS
    ]
    return cells


# --------------------------------------------------------------------------
# Scoring


@dataclass
class Tally:
    """How one candidate did on one set of (original, broken) pairs."""

    cases: int = 0
    exact: int = 0  # output == original
    exact_nfc: int = 0  # equal after NFC on both sides (informational)
    unchanged: int = 0  # output == broken input
    wrong: int = 0  # output differs from both: a wrong repair
    wrong_closer: int = 0  # wrong repairs that are still closer to the original than the input
    errors: int = 0  # the candidate raised
    seconds: float = 0.0
    examples: list[dict[str, str]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        counters = ("cases", "exact", "exact_nfc", "unchanged", "wrong", "wrong_closer", "errors", "seconds")
        for name in counters:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float:
        return self.exact / self.cases if self.cases else 0.0


MAX_EXAMPLES = 3


def similarity(a: str, b: str) -> float:
    """difflib's similarity ratio of two strings (1.0 = identical)."""
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def run_candidate(fn: Candidate, original: str, broken: str, tally: Tally) -> str | None:
    """Run one candidate on one input and record the outcome in ``tally``."""
    tally.cases += 1
    start = time.perf_counter()
    try:
        output: str | None = fn(broken)
    except Exception as exc:  # a crash is a failed case, not a failed benchmark
        output = None
        tally.errors += 1
        if len(tally.examples) < MAX_EXAMPLES:
            tally.examples.append({"original": original, "input": broken, "error": repr(exc)})
    tally.seconds += time.perf_counter() - start
    if output is None:
        return None
    if output == original:
        tally.exact += 1
    elif output == broken:
        tally.unchanged += 1
    else:
        tally.wrong += 1
        if similarity(output, original) > similarity(broken, original):
            tally.wrong_closer += 1
    if output != original and len(tally.examples) < MAX_EXAMPLES:
        tally.examples.append({"original": original, "input": broken, "output": output})
    if unicodedata.normalize("NFC", output) == unicodedata.normalize("NFC", original):
        tally.exact_nfc += 1
    return output


@dataclass
class CellResult:
    cell: Cell
    languages: dict[str, int]  # cases per language
    tallies: dict[str, Tally]
    exact_by_language: dict[str, dict[str, int]]  # candidate -> language -> exact

    @property
    def cases(self) -> int:
        return sum(self.languages.values())


def sample_cell(
    cell: Cell,
    lines_by_lang: Mapping[str, list[str]],
    per_language: int,
    seed: int,
) -> list[tuple[str, str, str]]:
    """Deterministically pick up to ``per_language`` (lang, original, broken) per language."""
    picked: list[tuple[str, str, str]] = []
    pool = "clean-bytes" if cell.variant == "strict" else "undefined-bytes"
    for lang in sorted(lines_by_lang):
        eligible: list[tuple[str, str]] = []
        for line in lines_by_lang[lang]:
            broken = misdecode(line, cell.chain, cell.variant)
            if broken is not None and broken != line:
                eligible.append((line, broken))
        # Seeded by codec and pool, not variant: the sloppy/ignore/replace cells
        # of one codec see the same original lines.
        rng = random.Random(f"{seed}|{cell.codec}|{pool}|{lang}")
        chosen = rng.sample(eligible, min(per_language, len(eligible)))
        picked.extend((lang, original, broken) for original, broken in chosen)
    return picked


def run_matrix(
    candidates: Mapping[str, Candidate],
    lines_by_lang: Mapping[str, list[str]],
    per_language: int,
    seed: int,
) -> list[CellResult]:
    results = []
    for cell in build_cells():
        sample = sample_cell(cell, lines_by_lang, per_language, seed)
        tallies = {name: Tally() for name in candidates}
        by_lang: dict[str, Counter[str]] = {name: Counter() for name in candidates}
        for lang, original, broken in sample:
            for name, fn in candidates.items():
                if run_candidate(fn, original, broken, tallies[name]) == original:
                    by_lang[name][lang] += 1
        languages = dict(Counter(lang for lang, _, _ in sample))
        exact_by_language = {name: dict(counts) for name, counts in by_lang.items()}
        results.append(CellResult(cell, languages, tallies, exact_by_language))
    return results


def false_repairs(candidates: Mapping[str, Candidate], groups: Mapping[str, list[str]]) -> dict[str, dict[str, Tally]]:
    """Run each candidate on clean text: any change is a false repair."""
    out: dict[str, dict[str, Tally]] = {}
    for group, lines in groups.items():
        out[group] = {}
        for name, fn in candidates.items():
            tally = Tally()
            for line in lines:
                run_candidate(fn, line, line, tally)
            out[group][name] = tally
    return out


def ftfy_suite(candidates: Mapping[str, Candidate], cases: list[dict[str, Any]]) -> dict[str, dict[str, Tally]]:
    """ftfy's tests/test_cases.json, judged against "fixed-encoding" (else "fixed").

    Groups: the JSON's "expect" flag ("pass" = ftfy's own suite asserts
    ftfy.fix_encoding gets it right, "fail" = a known ftfy failure, run there
    as a strict xfail) crossed with whether the case needs a repair at all;
    plus ftfy's "extra layer" test: each "pass" case once more encoded as
    UTF-8 and decoded as Latin-1.
    """
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for case in cases:
        expected = case.get("fixed-encoding", case["fixed"])
        kind = "repair" if case["original"] != expected else "leave alone"
        groups[f"expect={case['expect']}, {kind}"].append((case["original"], expected))
        if case["expect"] == "pass":
            extra = case["original"].encode("utf-8").decode("latin-1")
            groups["expect=pass + extra Latin-1 layer"].append((extra, expected))
    out: dict[str, dict[str, Tally]] = {}
    for group in sorted(groups):
        out[group] = {}
        for name, fn in candidates.items():
            tally = Tally()
            for broken, expected in groups[group]:
                run_candidate(fn, expected, broken, tally)
            out[group][name] = tally
    return out


# --------------------------------------------------------------------------
# Candidates


def cleaner_candidate() -> tuple[Candidate | None, str]:
    """cleaner's repair stage, or None and the reason it is unavailable."""
    try:
        cleaner = importlib.import_module("cleaner")
        clean_text = cleaner.clean_text

        def repair(s: str) -> str:
            text: str = clean_text(s, only=["repair"]).text
            return text

        repair("caf\u00c3\u00a9")  # smoke test: does the call work at all?
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return repair, "cleaner.clean_text(s, only=['repair']).text"


def load_callable(spec: str) -> Candidate:
    """``module:attr.path`` -> the callable it names."""
    module_name, _, attr_path = spec.partition(":")
    obj: Any = importlib.import_module(module_name)
    for attr in attr_path.split("."):
        obj = getattr(obj, attr)
    if not callable(obj):
        raise TypeError(f"{spec} is not callable")
    fn: Candidate = obj
    return fn


def default_candidates(use_cleaner: bool, extra: Iterable[str]) -> tuple[dict[str, Candidate], list[str]]:
    import ftfy

    candidates: dict[str, Candidate] = {"ftfy": ftfy.fix_encoding}
    notes = [f"ftfy: ftfy.fix_encoding (ftfy {ftfy.__version__})"]
    if use_cleaner:
        fn, how = cleaner_candidate()
        if fn is None:
            notes.append(f"cleaner: NOT AVAILABLE ({how}); running without it")
        else:
            candidates["cleaner"] = fn
            notes.append(f"cleaner: {how}")
    else:
        notes.append("cleaner: skipped (--no-cleaner)")
    for item in extra:
        name, _, spec = item.partition("=")
        if not spec:
            raise SystemExit(f"--candidate wants NAME=module:function, got {item!r}")
        candidates[name] = load_callable(spec)
        notes.append(f"{name}: {spec}")
    return candidates, notes


# --------------------------------------------------------------------------
# Report


def aggregate(results: Iterable[CellResult], names: Iterable[str]) -> tuple[int, int, dict[str, Tally]]:
    """Pooled tallies over cells, plus the number of non-empty cells and cases."""
    total = {name: Tally() for name in names}
    n_cells = cases = 0
    for res in results:
        if res.cases == 0:
            continue
        n_cells += 1
        cases += res.cases
        for name in total:
            total[name].add(res.tallies[name])
    return n_cells, cases, total


def macro_rate(results: Iterable[CellResult], name: str) -> float:
    rates = [res.tallies[name].rate for res in results if res.cases]
    return sum(rates) / len(rates) if rates else 0.0


def _pct(tally: Tally) -> str:
    return f"{100 * tally.rate:5.1f}%" if tally.cases else "    - "


def format_matrix(results: list[CellResult], names: list[str], by_codec: bool) -> list[str]:
    key_width = 28 if by_codec else 17
    key = "family / codec" if by_codec else "family"
    head = f"{key:<{key_width}} {'variant':<8} {'cells':>5} {'cases':>6}"
    head += "".join(f" {name + ' exact':>14}" for name in names)
    head += "".join(f" {name + ' wrong (closer)':>22}" for name in names)
    lines = [head, "-" * len(head)]
    families = [*FAMILIES, DOUBLE_FAMILY]
    for family in families:
        in_family = [r for r in results if r.cell.family == family]
        groups: list[tuple[str, list[CellResult]]] = []
        if by_codec:
            for codec in dict.fromkeys(r.cell.codec for r in in_family):
                groups.append((f"{family} / {codec}", [r for r in in_family if r.cell.codec == codec]))
        else:
            groups.append((family, in_family))
        for label, members in groups:
            for variant in VARIANTS:
                cells = [r for r in members if r.cell.variant == variant]
                if not cells:
                    continue
                n_cells, cases, total = aggregate(cells, names)
                if cases == 0:
                    continue  # listed under the table by format_empty_cells
                row = f"{label:<{key_width}} {variant:<8} {n_cells:>5} {cases:>6}"
                row += "".join(f" {_pct(total[n]):>14}" for n in names)
                row += "".join(f" {f'{total[n].wrong} ({total[n].wrong_closer})':>22}" for n in names)
                lines.append(row)
    return lines


def format_empty_cells(results: list[CellResult]) -> list[str]:
    """Name the cells that got no cases (they are left out of the table)."""
    empty: dict[str, list[str]] = defaultdict(list)
    for res in results:
        if res.cases == 0:
            empty[res.cell.variant].append(res.cell.codec)
    by_codecs: dict[tuple[str, ...], list[str]] = defaultdict(list)  # same codecs -> one line
    for variant, codec_names in empty.items():
        by_codecs[tuple(codec_names)].append(variant)
    lines = []
    for same_codecs, variants in by_codecs.items():
        why = "no line decodes cleanly" if variants == ["strict"] else "no line hits an undefined byte"
        lines.append(f"  empty {'/'.join(variants)} cells ({why}): {', '.join(same_codecs)}")
    return lines


def format_by_language(results: list[CellResult], names: list[str]) -> list[str]:
    """Exact rate per language, pooled over the bytes-survived and bytes-lost cells."""
    head = f"{'language':<12}" + "".join(
        f" {'cases':>6}" + "".join(f" {n + ' exact':>13}" for n in names) for _ in ("survived", "lost")
    )
    width = 6 + 14 * len(names)
    title = f"{'':<12} {'--- bytes survived ---':^{width}} {'--- bytes lost ---':^{width}}"
    lines = [title, head, "-" * len(head)]
    languages = sorted({lang for r in results for lang in r.languages})
    for lang in languages:
        row = f"{lang:<12}"
        for variants in (BYTES_SURVIVE, BYTES_LOST):
            members = [r for r in results if r.cell.variant in variants]
            cases = sum(r.languages.get(lang, 0) for r in members)
            row += f" {cases:>6}"
            for n in names:
                exact = sum(r.exact_by_language[n].get(lang, 0) for r in members)
                row += f" {100 * exact / cases:12.1f}%" if cases else f" {'-':>13}"
        lines.append(row)
    return lines


SummaryRow = tuple[str, int, int, dict[str, Tally], dict[str, float]]


def summary_rows(results: list[CellResult], names: list[str]) -> list[SummaryRow]:
    """(label, cells, cases, pooled tallies, macro rates) for survived / lost / overall."""
    groups = {
        "bytes survived (strict+sloppy+double)": [r for r in results if r.cell.variant in BYTES_SURVIVE],
        "bytes lost (ignore+replace)": [r for r in results if r.cell.variant in BYTES_LOST],
        "overall": results,
    }
    rows = []
    for label, members in groups.items():
        n_cells, cases, total = aggregate(members, names)
        macro = {n: macro_rate(members, n) for n in names}
        rows.append((label, n_cells, cases, total, macro))
    return rows


def format_report(
    report: dict[str, Any], results: list[CellResult], names: list[str], by_codec: bool, by_language: bool
) -> str:
    meta = report["meta"]
    out = [
        "Mojibake repair benchmark",
        f"  corpus: {meta['corpus_lines']} clean lines ({meta['corpus_non_ascii_lines']} non-ASCII) "
        f"in {len(meta['languages'])} languages with non-ASCII text; "
        f"up to {meta['lines_per_language']} lines per language per cell, seed {meta['seed']}",
        *(f"  {note}" for note in meta["candidates"]),
        "",
        "Exact restoration (output == original line) per codec family and variant.",
        "'wrong' = outputs that differ from both the broken input and the original;",
        "'(closer)' = how many of those are still more similar to the original than the input was.",
        "",
        *format_matrix(results, names, by_codec),
        *format_empty_cells(results),
        "",
    ]
    head = f"{'summary':<40} {'cells':>5} {'cases':>6}" + "".join(
        f" {name + ' exact':>14} {'(macro)':>8}" for name in names
    )
    out += [head, "-" * len(head)]
    for label, n_cells, cases, total, macro in summary_rows(results, names):
        row = f"{label:<40} {n_cells:>5} {cases:>6}"
        row += "".join(f" {_pct(total[n]):>14} {100 * macro[n]:7.1f}%" for n in names)
        out.append(row)
    out.append("(exact = pooled over all cases; macro = mean of the per-cell rates)")
    nfc_gaps = [
        f"{n}: {t['exact_nfc'] - t['exact']}"
        for n, t in report["summary"]["overall"]["candidates"].items()
        if t["exact_nfc"] != t["exact"]
    ]
    if nfc_gaps:
        out.append("NFC-only mismatches (would be exact after NFC): " + ", ".join(nfc_gaps))
    if by_language:
        out += ["", "Exact restoration per language:", *format_by_language(results, names)]

    out += ["", "False repairs: lines changed when the input is already clean (target 0)"]
    for group, per_cand in report["false_repair"].items():
        cells = "  ".join(
            f"{n}: {t['cases'] - t['exact'] - t['errors']} changed" + (f", {t['errors']} errors" if t["errors"] else "")
            for n, t in per_cand.items()
        )
        first = next(iter(per_cand.values()))
        out.append(f"  {group:<44} {first['cases']:>5} lines   {cells}")
        for n, t in per_cand.items():
            for example in t["examples"][:2]:
                before, after = example["input"], example.get("output", example.get("error", ""))
                start = max(0, _first_difference(before, after) - 20)
                out.append(f"      {n}: {before[start : start + 50]!r} -> {after[start : start + 50]!r}")

    out += ["", "ftfy's real-world suite (tests/test_cases.json, judged against fixed-encoding, else fixed)"]
    for group, per_cand in report["ftfy_suite"].items():
        first = next(iter(per_cand.values()))
        cells = "  ".join(f"{n}: {t['exact']}/{t['cases']}" for n, t in per_cand.items())
        out.append(f"  {group:<44} {first['cases']:>5} cases   {cells}")

    out += ["", "Time spent inside each candidate:"]
    for name, seconds in report["meta"]["candidate_seconds"].items():
        out.append(f"  {name}: {seconds:.1f} s")
    out.append(f"Total run time: {meta['elapsed_seconds']:.1f} s")
    return "\n".join(out)


def _first_difference(a: str, b: str) -> int:
    """Index of the first character where ``a`` and ``b`` differ."""
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _tally_json(tally: Tally, examples: bool = True) -> dict[str, Any]:
    data = asdict(tally)
    if not examples:  # pooled tallies do not collect examples
        del data["examples"]
    data["rate"] = round(tally.rate, 4)
    data["seconds"] = round(tally.seconds, 3)
    return data


def build_report(
    corpus: corpus_sources.Corpus,
    notes: list[str],
    results: list[CellResult],
    names: list[str],
    fr: dict[str, dict[str, Tally]],
    suite: dict[str, dict[str, Tally]],
    args: argparse.Namespace,
    elapsed: float,
) -> dict[str, Any]:
    seconds: dict[str, float] = dict.fromkeys(names, 0.0)
    for res in results:
        for n in names:
            seconds[n] += res.tallies[n].seconds
    for block in (fr, suite):
        for per_cand in block.values():
            for n in names:
                seconds[n] += per_cand[n].seconds
    summary = {}
    for label, n_cells, cases, total, macro in summary_rows(results, names):
        summary[label.split(" (")[0]] = {
            "cells": n_cells,
            "cases": cases,
            "candidates": {
                n: {**_tally_json(total[n], examples=False), "macro_rate": round(macro[n], 4)} for n in names
            },
        }
    return {
        "meta": {
            "lines_per_language": args.lines,
            "sources_used": args.source or "all",
            "seed": args.seed,
            "candidates": notes,
            "candidate_names": names,
            "corpus_lines": len(corpus.lines),
            "corpus_non_ascii_lines": len(corpus.non_ascii()),
            "languages": dict(sorted(corpus.languages().items())),
            "sources": [asdict(f) for f in corpus.files],
            "licences": corpus_sources.LICENCES,
            "cache_dir": str(corpus_sources.cache_dir()),
            "elapsed_seconds": round(elapsed, 1),
            "candidate_seconds": {n: round(seconds[n], 1) for n in names},
        },
        "summary": summary,
        "cells": [
            {
                **asdict(res.cell),
                "cases": res.cases,
                "languages": res.languages,
                "candidates": {
                    n: {**_tally_json(res.tallies[n]), "exact_by_language": res.exact_by_language[n]} for n in names
                },
            }
            for res in results
        ],
        "false_repair": {g: {n: _tally_json(t) for n, t in per.items()} for g, per in fr.items()},
        "ftfy_suite": {g: {n: _tally_json(t) for n, t in per.items()} for g, per in suite.items()},
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--lines", type=int, default=20, metavar="N", help="max lines per language per cell (default 20)")
    add("--seed", type=int, default=0, help="sampling seed (default 0)")
    add("--json", type=Path, metavar="PATH", help="write the full results as JSON")
    add("--by-codec", action="store_true", help="one table row per codec instead of per family")
    add("--by-language", action="store_true", help="also print exact rates per language")
    packages = sorted({src.package for src in corpus_sources.SOURCE_FILES})
    add("--source", action="append", choices=packages, help="use only this package's samples (repeatable)")
    add("--no-cleaner", action="store_true", help="do not try to import cleaner")
    add(
        "--candidate",
        action="append",
        default=[],
        metavar="NAME=module:function",
        help="add a candidate callable str -> str (repeatable)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    candidates, notes = default_candidates(not args.no_cleaner, args.candidate)
    names = list(candidates)

    corpus = corpus_sources.load_corpus()
    if args.source:
        corpus.lines = [ln for ln in corpus.lines if ln.source.split(" ", 1)[0] in args.source]
    lines_by_lang: dict[str, list[str]] = defaultdict(list)
    for line in corpus.non_ascii():
        lines_by_lang[line.language].append(line.text)

    results = run_matrix(candidates, lines_by_lang, args.lines, args.seed)
    clean_groups = {
        "clean corpus lines (all languages)": [ln.text for ln in corpus.lines],
        "typographic English (Python docs)": corpus_sources.typographic_english(),
    }
    fr = false_repairs(candidates, clean_groups)
    suite = ftfy_suite(candidates, corpus_sources.load_ftfy_cases())

    report = build_report(corpus, notes, results, names, fr, suite, args, time.perf_counter() - start)
    print(format_report(report, results, names, args.by_codec, args.by_language))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"Full results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
