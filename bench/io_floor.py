"""The baselines of the throughput benchmark: read every file, decode it, optionally fix it, write it.

    python bench/io_floor.py SRC OUT                 # the I/O floor: decode and rewrite unchanged
    python bench/io_floor.py SRC OUT --fix ftfy      # ftfy.fix_text over every file
    python bench/io_floor.py SRC OUT --fix plsfix    # plsfix.fix_text (the Rust port of ftfy)

Files are found the way ``cleaner fix`` finds them (os.walk in sorted order, hidden entries and
``*.changes.jsonl`` skipped) and written to the same relative paths under OUT, so every row of the
benchmark reads and writes the same files. Decoding is strict UTF-8 with Latin-1 as the fallback.
The floor writes the bytes it read (decoded, then encoded again with the codec that decoded them);
the fixers write UTF-8. Writes are plain (no temporary file and rename) and there are no change logs:
that is the floor ``cleaner fix`` is measured against.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

CHANGELOG_SUFFIX = ".changes.jsonl"


def walk(root: Path) -> Iterator[Path]:
    """Input files under ``root`` in cleaner's order, relative to ``root``."""
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith(CHANGELOG_SUFFIX):
                yield (Path(directory) / name).relative_to(root)


def load_fixer(name: str) -> Callable[[str], str] | None:
    if name == "none":
        return None
    if name == "ftfy":
        import ftfy

        return ftfy.fix_text
    if name == "plsfix":
        import plsfix

        return plsfix.fix_text
    raise SystemExit(f"io_floor: unknown fixer {name!r}")


def run(source: Path, output: Path, fix: Callable[[str], str] | None) -> tuple[int, int]:
    """Process every file; return (files, input bytes)."""
    count = total = 0
    made: set[Path] = set()
    for relative in walk(source):
        data = (source / relative).read_bytes()
        try:
            text, codec = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, codec = data.decode("latin-1"), "latin-1"
        result = text.encode(codec) if fix is None else fix(text).encode("utf-8", errors="surrogatepass")
        target = output / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(result)
        count += 1
        total += len(data)
    return count, total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Read, decode, optionally fix, and write every file.")
    parser.add_argument("source", type=Path, metavar="SRC")
    parser.add_argument("output", type=Path, metavar="OUT")
    parser.add_argument("--fix", choices=("none", "ftfy", "plsfix"), default="none")
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    fix = load_fixer(args.fix)
    count, total = run(args.source, args.output, fix)
    if not args.quiet:
        elapsed = time.perf_counter() - start
        print(f"io_floor --fix {args.fix}: {count} files, {total / 1e6:.1f} MB in {elapsed:.2f} s "
              f"({total / 1e6 / elapsed:.1f} MB/s inside the process)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
