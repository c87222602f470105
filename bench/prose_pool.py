"""Real prose for the throughput corpus: fetch Debian documentation packages and two PyPI sdists,
extract their pages to plain text once, and cache the result outside the repository.

Nothing here was written by the cleaner team. Sources (see bench/README.md for the licences):

- Debian packages, fetched with ``apt-get download`` and unpacked with ``dpkg-deb -x``:
  ``debian-handbook`` (26 languages, HTML), ``gnome-user-docs`` (42 languages, Mallard XML),
  ``python3.11-doc`` and ``postgresql-doc-15`` (English, HTML).
- PyPI sdists, fetched with ``pip download --no-deps --no-binary :all:``: the news pages in
  ``newspaper4k``'s ``tests/data/html`` and the web pages in ``trafilatura``'s ``tests/resources``.

HTML becomes text with ``trafilatura.extract``; Mallard pages become text with lxml (one line per
title and paragraph). The pool is a gzipped JSON-lines file per source under
``$CLEANER_BENCH_CACHE/prose-pool/`` (default ``~/.cache/cleaner-bench``), rebuilt only when a
package version, the extractor versions or ``POOL_FORMAT`` change.

    python bench/prose_pool.py            # fetch and extract if needed, then list the pool
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

POOL_FORMAT = 1  # bump when the extraction below changes what text comes out

# Versions the documented corpus was built from. If the archive no longer serves one, the newest
# version is used instead and the manifest records it (the corpus is then not byte-identical).
DEBIAN_PACKAGES: dict[str, str] = {
    "debian-handbook": "11.20220922",
    "gnome-user-docs": "43.0-2",
    "python3.11-doc": "3.11.2-6+deb12u9",
    "postgresql-doc-15": "15.20-0+deb12u1",
}
PYPI_SDISTS: dict[str, str] = {"newspaper4k": "0.9.6", "trafilatura": "2.3.1"}

MIN_DOC_CHARS = 200  # shorter extractions (menus, redirects, empty index pages) are dropped


@dataclass(frozen=True)
class Doc:
    """One extracted page."""

    source: str
    lang: str
    name: str
    text: str

    def to_json(self) -> str:
        return json.dumps({"source": self.source, "lang": self.lang, "name": self.name, "text": self.text},
                          ensure_ascii=False, sort_keys=True)


def cache_dir() -> Path:
    """``$CLEANER_BENCH_CACHE`` or ``~/.cache/cleaner-bench``: everything downloaded or generated."""
    return Path(os.environ.get("CLEANER_BENCH_CACHE") or Path.home() / ".cache" / "cleaner-bench").expanduser()


def _log(message: str) -> None:
    print(f"[prose-pool] {message}", file=sys.stderr, flush=True)


# --- fetching -------------------------------------------------------------------------------------------------


def fetch_deb(package: str, version: str, dest: Path) -> tuple[Path, str]:
    """Download ``package`` (pinned version first, newest as fallback) and unpack it under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    debs = sorted(dest.glob(f"{package}_*.deb"))
    if not debs:
        for spec in (f"{package}={version}", package):
            _log(f"apt-get download {spec}")
            result = subprocess.run(["apt-get", "download", "-q", spec], cwd=dest, capture_output=True, text=True)
            debs = sorted(dest.glob(f"{package}_*.deb"))
            if result.returncode == 0 and debs:
                break
            _log(f"  failed: {(result.stderr or result.stdout).strip().splitlines()[-1:]}")
        else:
            raise RuntimeError(f"cannot download the Debian package {package} (run 'apt-get update' first?)")
    deb = debs[-1]
    got = deb.name.split("_")[1].replace("%3a", ":")
    unpacked = dest / f"{package}-root"
    if not (unpacked / ".complete").exists():
        shutil.rmtree(unpacked, ignore_errors=True)
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
        (unpacked / ".complete").touch()
    return unpacked, got


def fetch_sdist(name: str, version: str, dest: Path) -> tuple[Path, str]:
    """``pip download`` the sdist of ``name`` (pinned version first, newest as fallback)."""
    dest.mkdir(parents=True, exist_ok=True)
    found = sorted(dest.glob(f"{name}-*.tar.gz"))
    if not found:
        for spec in (f"{name}=={version}", name):
            _log(f"pip download {spec}")
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                            "-d", str(dest), spec], capture_output=True, text=True)
            found = sorted(dest.glob(f"{name}-*.tar.gz"))
            if found:
                break
        else:
            raise RuntimeError(f"cannot download the sdist of {name} from PyPI")
    sdist = found[-1]
    return sdist, sdist.name[len(name) + 1: -len(".tar.gz")]


# --- extraction -----------------------------------------------------------------------------------------------


def html_to_text(html: bytes | str) -> str:
    """Main text of an HTML page via trafilatura (recall-leaning, no tables, no comments)."""
    import trafilatura

    text = trafilatura.extract(html, favor_recall=True, include_tables=False, include_comments=False,
                               deduplicate=False)
    return text or ""


_MALLARD_BLOCKS = {"title", "subtitle", "p", "desc", "code", "screen"}


def mallard_to_text(data: bytes) -> str:
    """Text of a GNOME Mallard ``.page``: its titles and paragraphs, one per line, without ``<info>``."""
    from lxml import etree

    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for info in list(root.iter("{*}info")):
        info.getparent().remove(info)
    lines: list[str] = []
    for element in root.iter("{*}title", "{*}subtitle", "{*}p", "{*}code", "{*}screen"):
        if any(etree.QName(parent).localname in _MALLARD_BLOCKS for parent in element.iterancestors()):
            continue  # nested inside a block we already took whole
        text = "".join(element.itertext())
        if etree.QName(element).localname in {"code", "screen"}:
            lines.extend(line.rstrip() for line in text.strip("\n").splitlines() if line.strip())
        else:
            collapsed = " ".join(text.split())
            if collapsed:
                lines.append(collapsed)
    return "\n".join(lines)


def _extract_one(job: tuple[str, str, str, str, bytes]) -> Doc | None:
    source, lang, name, kind, data = job
    try:
        text = mallard_to_text(data) if kind == "mallard" else html_to_text(data if kind == "html-bytes"
                                                                            else data.decode("utf-8"))
    except Exception as error:  # one broken page must not stop the pool
        _log(f"skipped {source}/{name}: {type(error).__name__}: {error}")
        return None
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    if len(text) < MIN_DOC_CHARS:
        return None
    return Doc(source, lang, name, text)


def _handbook_jobs(root: Path) -> Iterator[tuple[str, str, str, str, bytes]]:
    base = root / "usr/share/doc/debian-handbook/html"
    for lang_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        for page in sorted(lang_dir.glob("*.html")):
            if page.name in {"index.html", "toc.html"}:
                continue
            yield "debian-handbook", lang_dir.name, f"{lang_dir.name}/{page.name}", "html", page.read_bytes()


def _gnome_jobs(root: Path) -> Iterator[tuple[str, str, str, str, bytes]]:
    base = root / "usr/share/help"
    for lang_dir in sorted(p for p in base.iterdir() if p.is_dir()):
        lang = "en" if lang_dir.name == "C" else lang_dir.name
        for guide in ("gnome-help", "system-admin-guide"):
            for page in sorted((lang_dir / guide).glob("*.page")):
                yield "gnome-user-docs", lang, f"{lang_dir.name}/{guide}/{page.name}", "mallard", page.read_bytes()


def _html_tree_jobs(source: str, base: Path) -> Iterator[tuple[str, str, str, str, bytes]]:
    for page in sorted(base.rglob("*.html")):
        relative = page.relative_to(base).as_posix()
        if relative.startswith(("_static", "genindex", "py-modindex", "search")) or relative.endswith("index.html"):
            continue
        yield source, "en", relative, "html", page.read_bytes()


# Languages of newspaper4k's test pages (file name -> BCP 47 tag); the rest are English.
_NEWS_LANGS = {"arabic": "ar", "burmese": "my", "chinese": "zh", "japanese": "ja", "latvian": "lv", "spanish": "es",
               "thai": "th", "autoindustria": "it"}


def _sdist_jobs(sdist: Path, source: str, folder: str) -> Iterator[tuple[str, str, str, str, bytes]]:
    with tarfile.open(sdist) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if not member.isfile() or f"/{folder}/" not in member.name:
                continue
            name = member.name.rsplit("/", 1)[-1]
            handle = archive.extractfile(member)
            if handle is None:
                continue
            data = handle.read()
            if name.endswith(".html.gz"):
                data, name = gzip.decompress(data), name[:-3]
            if not name.endswith(".html"):
                continue
            lang = next((tag for key, tag in _NEWS_LANGS.items() if name.startswith(key)), "en")
            yield source, lang, name, "html-bytes", data


def _dedupe(docs: Iterable[Doc]) -> list[Doc]:
    seen: set[str] = set()
    kept = []
    for doc in docs:
        if doc.text not in seen:
            seen.add(doc.text)
            kept.append(doc)
    return kept


def _versions(fetched: dict[str, str]) -> dict[str, object]:
    import lxml.etree
    import trafilatura

    return {"pool_format": POOL_FORMAT, "packages": fetched, "trafilatura": trafilatura.__version__,
            "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)), "python": sys.version.split()[0]}


def build_pool(jobs_workers: int = 2) -> Path:
    """Fetch every source and extract it to ``prose-pool/*.jsonl.gz`` unless an up-to-date pool exists."""
    cache = cache_dir()
    downloads = cache / "downloads"
    pool = cache / "prose-pool"
    fetched: dict[str, str] = {}
    roots: dict[str, Path] = {}
    for package, version in DEBIAN_PACKAGES.items():
        roots[package], fetched[package] = fetch_deb(package, version, downloads / "debian")
    sdists: dict[str, Path] = {}
    for name, version in PYPI_SDISTS.items():
        sdists[name], fetched[name] = fetch_sdist(name, version, downloads / "pypi")
    versions = _versions(fetched)
    meta_path = pool / "meta.json"
    if meta_path.exists() and json.loads(meta_path.read_text())["versions"] == versions:
        return pool

    _log("extracting text (once; about a minute on 2 cores) ...")
    shutil.rmtree(pool, ignore_errors=True)
    pool.mkdir(parents=True)
    groups: dict[str, Iterable[tuple[str, str, str, str, bytes]]] = {
        "debian-handbook": _handbook_jobs(roots["debian-handbook"]),
        "gnome-user-docs": _gnome_jobs(roots["gnome-user-docs"]),
        "python3.11-doc": _html_tree_jobs("python3.11-doc", roots["python3.11-doc"] / "usr/share/doc/python3.11/html"),
        "postgresql-doc-15": _html_tree_jobs("postgresql-doc-15",
                                             roots["postgresql-doc-15"] / "usr/share/doc/postgresql-doc-15/html"),
        "news": (job for name, folder in (("newspaper4k", "tests/data/html"), ("trafilatura", "tests/resources"))
                 for job in _sdist_jobs(sdists[name], name, folder)),
    }
    summary: dict[str, dict[str, int]] = {}
    with ProcessPoolExecutor(max_workers=jobs_workers) as executor:
        for group, jobs in groups.items():
            docs = _dedupe(doc for doc in executor.map(_extract_one, jobs, chunksize=16) if doc is not None)
            with gzip.open(pool / f"{group}.jsonl.gz", "wt", encoding="utf-8") as handle:
                for doc in docs:
                    handle.write(doc.to_json() + "\n")
            summary[group] = {"docs": len(docs), "bytes": sum(len(d.text.encode()) for d in docs),
                              "languages": len({d.lang for d in docs})}
            _log(f"{group}: {summary[group]}")
    meta_path.write_text(json.dumps({"versions": versions, "summary": summary}, indent=2, sort_keys=True) + "\n")
    return pool


def load_pool(pool: Path | None = None) -> list[Doc]:
    """Every extracted page, in a fixed order (source file order, then extraction order)."""
    pool = pool or build_pool()
    docs = []
    for path in sorted(pool.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                docs.append(Doc(record["source"], record["lang"], record["name"], record["text"]))
    return docs


def pool_versions(pool: Path) -> dict[str, object]:
    versions: dict[str, object] = json.loads((pool / "meta.json").read_text())["versions"]
    return versions


def main() -> int:
    pool = build_pool()
    docs = load_pool(pool)
    by_source: Counter[str] = Counter()
    bytes_by_source: Counter[str] = Counter()
    langs: dict[str, set[str]] = {}
    for doc in docs:
        by_source[doc.source] += 1
        bytes_by_source[doc.source] += len(doc.text.encode())
        langs.setdefault(doc.source, set()).add(doc.lang)
    out = io.StringIO()
    for source in sorted(by_source):
        out.write(f"{source:20} {by_source[source]:6} pages {bytes_by_source[source] / 1e6:7.1f} MB  "
                  f"{len(langs[source]):2} languages: {' '.join(sorted(langs[source]))}\n")
    print(out.getvalue(), end="")
    print(f"pool: {pool}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
