"""What the throughput targets leave ``cleaner fix -j 1`` to spend, and what it cannot help spending.

    python bench/fixed_costs.py                 # the 20 MB / 2,000-file corpus of bench/throughput.py
    python bench/fixed_costs.py --runs 7 --json costs.json

The targets are ratios of whole-process times on one corpus: ``cleaner fix -j 1`` at >= 0.5x the
I/O floor's MB/s must finish within twice the floor's wall time, and at >= 1x plsfix.fix_text's
within plsfix's. This script measures those budgets in one run, next to two costs that do not
shrink however fast cleaning gets:

* the floor's own work: its wall time less the interpreter's start (``python -c pass``), which
  cleaner does too, and then writes as many files again (the change logs);
* start-up: ``cleaner fix`` on a single file of the corpus, the whole process (the interpreter,
  imports, rule packs compiled, the pipeline built, one file cleaned and written with its log);
* the repair search: the repair stage over the lines of the corpus that the mojibake screen
  flags, in one process that has already cleaned them once (models loaded, caches warm). This
  is the work that repairs what ftfy does not (lost bytes, readers ftfy does not try), so a
  run that keeps cleaner's repairs pays it however the rest is done.

Each whole-process row is the median of ``--runs`` runs, writing to fresh folders that are deleted
only at the end (see bench/throughput.py on this disk's deletes).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from io_floor import walk  # noqa: E402
from throughput import bench_env, corpus_bytes, ensure_corpus, ensure_plsfix, warm_page_cache  # noqa: E402


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process (CPU: user + system, from the children's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_run(make_command, runs: int, env: dict[str, str], scratch: Path) -> dict[str, float]:
    walls, cpus = [], []
    for _ in range(runs):
        output = Path(tempfile.mkdtemp(dir=scratch))
        os.sync()
        wall, cpu = timed(make_command(output / "out"), env)
        walls.append(wall)
        cpus.append(cpu)
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus)}


def repair_search_seconds(corpus: Path, env: dict[str, str], scratch: Path) -> dict[str, float]:
    """The repair stage over the corpus's flagged lines, second pass, in a child process (so that
    this process's imports do not count), and how many lines and characters that is."""
    probe = scratch / "repair_probe.py"
    probe.write_text(
        "import pickle, sys, time\n"
        "from pathlib import Path\n"
        "from cleaner.stages.decode import decode_bytes\n"
        "from cleaner.stages.repair import RepairStage\n"
        "from cleaner.repair_screen import default_screen\n"
        "paths = pickle.loads(Path(sys.argv[1]).read_bytes())\n"
        "texts = [decode_bytes(Path(path).read_bytes()).text for path in paths]\n"
        "lines = [line for text in texts for _, line in default_screen().flagged_lines(text)]\n"
        "stage = RepairStage()\n"
        "for line in lines:\n"
        "    stage.find_edits(line)\n"
        "start = time.perf_counter()\n"
        "for line in lines:\n"
        "    stage.find_edits(line)\n"
        "print(time.perf_counter() - start, len(lines), sum(map(len, lines)))\n"
    )
    paths = scratch / "paths.pickle"
    paths.write_bytes(pickle.dumps([str(corpus / relative) for relative in walk(corpus)]))
    result = subprocess.run([sys.executable, str(probe), str(paths)], check=True, env=env, capture_output=True,
                            text=True)
    seconds, lines, chars = result.stdout.split()
    return {"seconds": float(seconds), "lines": int(lines), "characters": int(chars)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None, help="a tree of text files (default: the bench's)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    corpus = ensure_corpus(args.corpus, 20, 2000, 0)
    files, size = corpus_bytes(corpus)
    megabytes = size / 1e6
    env = bench_env()
    warm_page_cache(corpus)
    ensure_plsfix()
    scratch = Path(tempfile.mkdtemp(prefix="cleaner-fixed-costs-"))
    try:
        one = scratch / "one"
        first = next(iter(walk(corpus)))
        (one / first).parent.mkdir(parents=True)
        shutil.copyfile(corpus / first, one / first)
        floor = [sys.executable, str(BENCH / "io_floor.py"), str(corpus)]
        rows = {
            "python -c pass": median_run(lambda out: [sys.executable, "-c", "pass"], args.runs, env, scratch),
            "I/O floor": median_run(lambda out: [*floor, str(out)], args.runs, env, scratch),
            "plsfix.fix_text": median_run(lambda out: [*floor, str(out), "--fix", "plsfix"], args.runs, env, scratch),
            "cleaner fix, one file": median_run(
                lambda out: [sys.executable, "-m", "cleaner", "fix", str(one), "-o", str(out), "-q", "-j", "1"],
                args.runs, env, scratch),
        }
        search = repair_search_seconds(corpus, env, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    floor_budget = 2 * rows["I/O floor"]["wall_s"]
    plsfix_budget = rows["plsfix.fix_text"]["wall_s"]
    start_up = rows["cleaner fix, one file"]["wall_s"]
    print(f"corpus: {files} files, {megabytes:.2f} MB ({corpus})")
    for name, row in rows.items():
        print(f"  {name:24s} wall {row['wall_s']:6.3f} s  CPU {row['cpu_s']:6.3f} s")
    print(f"  repair search, warm      {search['seconds']:6.3f} s  on {search['lines']} flagged lines "
          f"({search['characters']:,} characters)")
    print()
    # The floor's own work: reading, decoding and writing the files, without the interpreter's start.
    floor_work = rows["I/O floor"]["wall_s"] - rows["python -c pass"]["wall_s"]
    print(f"budget for -j 1 >= 0.5x the I/O floor:  {floor_budget:.3f} s whole process; start-up alone "
          f"{start_up:.3f} s ({start_up / floor_budget:.0%} of it); start-up + the floor's own reading and "
          f"writing {start_up + floor_work:.3f} s ({(start_up + floor_work) / floor_budget:.0%}), before "
          f"cleaning a byte or writing a change log")
    print(f"budget for -j 1 >= 1x plsfix.fix_text:  {plsfix_budget:.3f} s whole process; start-up + repair "
          f"search {start_up + search['seconds']:.3f} s ({(start_up + search['seconds']) / plsfix_budget:.0%} of it)")
    if args.json:
        args.json.write_text(json.dumps({"files": files, "megabytes": megabytes, "rows": rows, "repair_search": search,
                                         "floor_budget_s": floor_budget, "plsfix_budget_s": plsfix_budget},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
