"""Article-extraction benchmark: how much of a scraped page is the article, before and after cleaning.

Usage (from the repository root)::

    python bench/article_extraction.py [--data DIR] [--json PATH] [--modes] [--sweep] [--timing]

The data is the 181 pages of Zyte's article-extraction benchmark (gzipped HTML and
``ground-truth.json``, MIT licence), read where it lies (default ``../shared/benchmarks/
article-extraction`` beside the repository); nothing is copied into the repository.

Scores are token-level, as the benchmark's own evaluation tokenizes: ``\\w+`` tokens, compared as
multisets per page (a token counts as often as it occurs in both), summed over pages
(micro-averaged), then precision, recall and F1. Every row is given for all pages, for the
even-indexed pages (sorted by id; the rules were developed looking at these) and for the
odd-indexed pages (held out: never looked at while writing rules).

Rows (see bench/README.md):

* naive text: every text node of the page's ``<body>``, one per line, script and style removed:
  what a naive scraper saves. The input of the next four rows;
* C4 line rules: C4's line filters (a line must end in terminal punctuation and have three
  words; lines with "javascript" or a policy phrase go) on the naive text;
* cleaner (text): the cleaner pipeline on the naive text, without repeated-line detection;
* cleaner (text) + repeated lines: the same with the benchmark's pages as one group;
* trafilatura: ``trafilatura.extract`` with its defaults on the HTML;
* trafilatura (cleaner's mode): :func:`cleaner.extract.extract_html` alone;
* cleaner (HTML): extract_html, then the pipeline; with the number of lines (and gold lines)
  the boilerplate stage removed.

``--sweep`` adds rows without the navigation-block rule (BP303), for other repeated-line
thresholds and safety-valve shares, and without the repeated-line guard; ``--modes`` scores each
extraction mode; ``--timing`` times the boilerplate stage and the repeated-line look-up.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
if str(REPO_ROOT) not in sys.path:  # `python bench/article_extraction.py` from a checkout
    sys.path.insert(0, str(REPO_ROOT))

from cleaner.edits import Edit  # noqa: E402
from cleaner.extract import DEFAULT_MODE, MODES, ExtractionFailed, extract_html  # noqa: E402
from cleaner.pipeline import Pipeline, Result  # noqa: E402
from cleaner.repeated_lines import LineCounts, RepeatedLineSettings  # noqa: E402
from cleaner.rules import boilerplate_rules, load_rule_packs  # noqa: E402
from cleaner.stages.boilerplate import BoilerplateStage  # noqa: E402
from cleaner.stages.punctuation import PunctuationStage  # noqa: E402
from cleaner.stages.repair import RepairStage  # noqa: E402
from cleaner.stages.whitespace import WhitespaceStage  # noqa: E402

DEFAULT_DATA = REPO_ROOT.parent / "shared" / "benchmarks" / "article-extraction"
GROUP = "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")

# --------------------------------------------------------------------------
# Data


@dataclass(frozen=True)
class Page:
    index: int  # position in id order: even = development, odd = held out
    id: str
    url: str
    html: bytes
    gold: str


def load_pages(data: Path) -> list[Page]:
    truth_path = data / "ground-truth.json"
    if not truth_path.is_file():
        raise SystemExit(f"no ground-truth.json in {data}; pass --data DIR (the benchmark's folder)")
    truth = json.loads(truth_path.read_text("utf-8"))
    pages = []
    for index, page_id in enumerate(sorted(truth)):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(index, page_id, truth[page_id].get("url", ""), html, truth[page_id]["articleBody"]))
    return pages


def naive_text(html: bytes) -> str:
    """Every text node of <body>, stripped, one per line; script and style removed."""
    import lxml.html

    document = lxml.html.document_fromstring(html.decode("utf-8"))
    for element in document.xpath("//script|//style"):
        element.drop_tree()
    body = document.find("body")
    root = body if body is not None else document
    lines = [" ".join(node.split()) for node in root.itertext()]
    return "".join(line + "\n" for line in lines if line)


# --------------------------------------------------------------------------
# Scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: str, predicted: str) -> None:
        gold_tokens, predicted_tokens = Counter(_TOKEN.findall(gold)), Counter(_TOKEN.findall(predicted))
        tp = sum((gold_tokens & predicted_tokens).values())
        self.tp += tp
        self.fp += sum(predicted_tokens.values()) - tp
        self.fn += sum(gold_tokens.values()) - tp

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def cells(self) -> str:
        return f"{self.precision:.3f} {self.recall:.3f} {self.f1:.3f}"


@dataclass
class Row:
    name: str
    outputs: dict[str, str]
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)

    def score(self, pages: Sequence[Page], parity: int | None = None) -> Score:
        score = Score()
        for page in pages:
            if parity is None or page.index % 2 == parity:
                score.add(page.gold, self.outputs[page.id])
        return score


def gold_line_checker(gold: str) -> Callable[[str], bool]:
    """Whether a removed line is article text: its tokens (casefolded) are a whole paragraph of the
    gold body, or a run of at least four consecutive tokens of it."""
    def tokens(text: str) -> list[str]:
        return [token.casefold() for token in _TOKEN.findall(text)]

    body = " " + " ".join(tokens(gold)) + " "
    paragraphs = {" ".join(tokens(line)) for line in gold.split("\n")}

    def is_gold(line: str) -> bool:
        line_tokens = tokens(line)
        if not line_tokens:
            return False
        joined = " ".join(line_tokens)
        return joined in paragraphs or (len(line_tokens) >= 4 and f" {joined} " in body)

    return is_gold


# --------------------------------------------------------------------------
# Systems


def c4_line_rules(text: str) -> str:
    """C4's line-level filters (Raffel et al. 2020; tfds c4_utils.clean_page), without its
    page-level ones (a page with fewer than 5 sentences, "lorem ipsum" or "{" is dropped whole):
    keep lines that end in terminal punctuation and have at least 3 words; drop lines that mention
    javascript or a policy phrase."""
    policy = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
    kept = []
    for line in text.splitlines():
        line = line.strip()
        lower = line.lower()
        if not line.endswith((".", "?", "!", '"')) or len(line.split()) < 3:
            continue
        if "javascript" in lower or any(phrase in lower for phrase in policy):
            continue
        kept.append(line)
    return "".join(line + "\n" for line in kept)


def cleaner_pipeline(repeated: Mapping[str, int] | None, max_removed_share: float | None,
                     ignore: Sequence[str] = ()) -> Pipeline:
    """The standard stages after decoding, with a boilerplate stage given a repeated-line map."""
    rules = [rule for rule in boilerplate_rules(load_rule_packs()) if rule.id not in ignore]
    return Pipeline([
        RepairStage(),
        BoilerplateStage(rules, repeated=repeated, max_removed_share=max_removed_share),
        PunctuationStage(),
        WhitespaceStage(),
    ])


@dataclass
class Cleaned:
    outputs: dict[str, str]
    results: dict[str, Result]

    def boilerplate_edits(self, page_id: str) -> list[Edit]:
        return [edit for edit in self.results[page_id].edits if edit.stage == "boilerplate"]

    def valve(self) -> int:
        return sum(any(w.rule == "BP901" for w in result.warnings) for result in self.results.values())


def run_cleaner(texts: Mapping[str, str], repeated: Mapping[str, int] | None,
                max_removed_share: float | None, ignore: Sequence[str] = ()) -> Cleaned:
    pipeline = cleaner_pipeline(repeated, max_removed_share, ignore)
    results = {page_id: pipeline.clean_text(text) for page_id, text in texts.items()}
    return Cleaned({page_id: result.text for page_id, result in results.items()}, results)


def repeated_map(texts: Iterable[str], settings: RepeatedLineSettings) -> dict[str, int]:
    counts = LineCounts()
    for text in texts:
        counts.add_document(GROUP, text)
    return counts.repeated(GROUP, settings)


def extract_all(pages: Sequence[Page], mode: str) -> dict[str, str]:
    outputs = {}
    for page in pages:
        try:
            outputs[page.id] = extract_html(page.html, mode=mode).text
        except ExtractionFailed:
            outputs[page.id] = ""
    return outputs


# --------------------------------------------------------------------------
# Reports


def print_table(pages: Sequence[Page], rows: Sequence[Row]) -> None:
    width = max(len(row.name) for row in rows)
    print(f"{'':{width}}  {'all pages (181)':^17}  {'even (dev, 91)':^17}  {'odd (held out, 90)':^18}")
    print(f"{'':{width}}  {'P     R     F1':17}  {'P     R     F1':17}  {'P     R     F1':17}")
    for row in rows:
        cells = [row.score(pages, parity).cells() for parity in (None, 0, 1)]
        print(f"{row.name:{width}}  {cells[0]}  {cells[1]}  {cells[2]}" + (f"  {row.note}" if row.note else ""))


def removal_report(pages: Sequence[Page], cleaned: Cleaned, label: str) -> dict[str, object]:
    """Lines the boilerplate stage removed, how many were gold, and by which rules."""
    by_rule: Counter[str] = Counter()
    gold_by_rule: Counter[str] = Counter()
    gold_lines: list[dict[str, str]] = []
    removed = 0
    for page in pages:
        is_gold = gold_line_checker(page.gold)
        for edit in cleaned.boilerplate_edits(page.id):
            line = edit.before.strip()
            if not line:
                continue
            removed += 1
            by_rule[edit.rule] += 1
            if is_gold(line):
                gold_by_rule[edit.rule] += 1
                gold_lines.append({"page": page.id, "parity": "even" if page.index % 2 == 0 else "odd",
                                   "rule": edit.rule, "line": line})
    print(f"{label}: the boilerplate stage removed {removed} lines, {len(gold_lines)} of them gold "
          f"(by rule: {dict(sorted(gold_by_rule.items()))}); documents kept whole by the safety valve: "
          f"{cleaned.valve()}")
    for item in gold_lines[:10]:
        print(f"    gold line removed by {item['rule']} ({item['parity']}): {item['line'][:100]!r}")
    return {"removed_lines": removed, "gold_lines": gold_lines, "by_rule": dict(sorted(by_rule.items())),
            "valve": cleaned.valve()}


def timing(texts: Sequence[str], repeated: Mapping[str, int]) -> dict[str, float]:
    """The boilerplate stage alone over the naive texts: without and with a repeated-line map."""
    rules = boilerplate_rules(load_rule_packs())
    lines = sum(text.count("\n") for text in texts)
    result: dict[str, float] = {"lines": lines, "map_size": len(repeated)}
    for label, mapping, kinds in (
        ("phrase rules only", None, ("phrase",)),
        ("phrase rules + repeated-line map", repeated, ("phrase",)),
        ("all rules", None, ("phrase", "repeated-head-line", "short-line-block")),
        ("all rules + repeated-line map", repeated, ("phrase", "repeated-head-line", "short-line-block")),
    ):
        stage = BoilerplateStage([rule for rule in rules if rule.kind in kinds], repeated=mapping)
        for text in texts:  # warm the prefix caches
            stage.find_edits(text)
        best = float("inf")
        for _ in range(5):
            started = time.perf_counter()
            for text in texts:
                stage.find_edits(text)
            best = min(best, time.perf_counter() - started)
        result[label] = best / lines * 1e6
        print(f"    {label:36} {best / lines * 1e6:6.2f} µs per line ({lines} lines)")
    # The look-up itself, as the stage does it: the stage has the prepared line already.
    from cleaner.rules import prepare_line

    prepared = [prepare_line(line) for text in texts for line in text.splitlines()]
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        for line in prepared:
            repeated.get(line.casefold())
        best = min(best, time.perf_counter() - started)
    result["lookup_ns"] = best / len(prepared) * 1e9
    print(f"    {'repeated-line look-up alone':36} {best / len(prepared) * 1e9:6.0f} ns per line "
          f"(casefold of the prepared line + dict.get, map of {len(repeated)} lines)")
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the benchmark's folder")
    parser.add_argument("--json", type=Path, help="write every number (and every gold line removed) here")
    parser.add_argument("--modes", action="store_true", help="also score every extraction mode")
    parser.add_argument("--sweep", action="store_true", help="also score other repeated-line and valve settings")
    parser.add_argument("--timing", action="store_true", help="also time the boilerplate stage per line")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pages = load_pages(args.data)
    settings = RepeatedLineSettings()
    report: dict[str, object] = {"pages": len(pages), "settings": {
        "min_documents": settings.min_documents, "min_group_size": settings.min_group_size,
        "max_sentence_words": settings.max_sentence_words, "extraction_mode": DEFAULT_MODE}}

    naive = {page.id: naive_text(page.html) for page in pages}
    repeated_text = repeated_map(naive.values(), settings)
    text_plain = run_cleaner(naive, None, _default_share())
    text_repeated = run_cleaner(naive, repeated_text, _default_share())

    import trafilatura

    trafilatura_default = {page.id: trafilatura.extract(page.html) or "" for page in pages}
    extracted = extract_all(pages, DEFAULT_MODE)
    repeated_html = repeated_map(extracted.values(), settings)
    html_plain = run_cleaner(extracted, None, _default_share())
    html_repeated = run_cleaner(extracted, repeated_html, _default_share())

    rows = [
        Row("naive text", naive),
        Row("C4 line rules", {page_id: c4_line_rules(text) for page_id, text in naive.items()}),
        Row("cleaner (text)", text_plain.outputs),
        Row("cleaner (text) + repeated lines", text_repeated.outputs,
            f"N={settings.min_documents}: {len(repeated_text)} lines"),
        Row("trafilatura (defaults)", trafilatura_default),
        Row(f"trafilatura ({DEFAULT_MODE}, no comments)", extracted),
        Row("cleaner (HTML)", html_plain.outputs),
        Row("cleaner (HTML) + repeated lines", html_repeated.outputs,
            f"N={settings.min_documents}: {len(repeated_html)} lines"),
    ]
    print(f"Article-extraction benchmark: {len(pages)} pages, token P/R/F1 (micro). Repeated lines: the "
          f"pages as one group, min_documents={settings.min_documents}, min_group_size={settings.min_group_size}.")
    print()
    print_table(pages, rows)
    print()
    report["rows"] = {row.name: {part: vars(row.score(pages, parity)) for part, parity in
                                 (("all", None), ("even", 0), ("odd", 1))} for row in rows}
    report["removals"] = {
        "text": removal_report(pages, text_plain, "text"),
        "text + repeated": removal_report(pages, text_repeated, "text + repeated lines"),
        "html": removal_report(pages, html_plain, "HTML"),
        "html + repeated": removal_report(pages, html_repeated, "HTML + repeated lines"),
    }

    if args.sweep:
        print()
        print("Repeated-line and valve settings on the naive text (rows as 'cleaner (text) + repeated lines'):")
        sweep_rows = [
            Row("phrase rules only (no BP303, no repeated lines)",
                run_cleaner(naive, None, _default_share(), ignore=("BP303",)).outputs),
            Row("phrase rules + repeated lines (no BP303)",
                run_cleaner(naive, repeated_text, _default_share(), ignore=("BP303",)).outputs),
        ]
        for n in (2, 3, 5, 10):
            custom = RepeatedLineSettings(min_documents=n)
            mapping = repeated_map(naive.values(), custom)
            cleaned = run_cleaner(naive, mapping, _default_share())
            sweep_rows.append(Row(f"N={n}", cleaned.outputs, f"{len(mapping)} lines, valve {cleaned.valve()}"))
        for share in (0.5, 0.7, 0.9, None):
            cleaned = run_cleaner(naive, repeated_text, share)
            sweep_rows.append(Row(f"max_removed_share={share}", cleaned.outputs, f"valve {cleaned.valve()}"))
        no_guard = RepeatedLineSettings(protected=frozenset(), max_sentence_words=0)
        mapping = repeated_map(naive.values(), no_guard)
        sweep_rows.append(Row("no guard (no protected lines, no sentence guard)",
                              run_cleaner(naive, mapping, _default_share()).outputs, f"{len(mapping)} lines"))
        print_table(pages, sweep_rows)
        report["sweep"] = {row.name: vars(row.score(pages)) for row in sweep_rows}

    if args.modes:
        print()
        print("Extraction modes (comments never included), extract_html alone:")
        mode_rows = []
        for mode in MODES:
            mode_started = time.perf_counter()
            outputs = extract_all(pages, mode)
            mode_rows.append(Row(mode, outputs, f"{time.perf_counter() - mode_started:.1f} s"))
        print_table(pages, mode_rows)
        report["modes"] = {row.name: vars(row.score(pages)) for row in mode_rows}

    if args.timing:
        print()
        print("Boilerplate stage alone over the naive text (best of 5):")
        report["timing"] = timing(list(naive.values()), repeated_text)

    print()
    print(f"done in {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


def _default_share() -> float | None:
    from cleaner.stages.boilerplate import DEFAULT_MAX_REMOVED_SHARE

    return DEFAULT_MAX_REMOVED_SHARE


if __name__ == "__main__":
    raise SystemExit(main())
