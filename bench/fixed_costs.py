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
  run that keeps cleaner's repairs pays it however the rest is done;
* for the -j 2 target: what a process spends only the first time it cleans (the pipeline over
  the corpus twice in one process: the first pass less the second), and how much slower a core
  runs while the other is busy; with the start-up, they bound what two workers can gain.

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


_PROBE = """
import pickle, sys, time
from pathlib import Path
from cleaner.pipeline import Options, cached_pipeline
from cleaner.repair_screen import default_screen
from cleaner.stages.decode import decode_bytes
paths = pickle.loads(Path(sys.argv[1]).read_bytes())
texts = [decode_bytes(Path(path).read_bytes()).text for path in paths]
pipeline = cached_pipeline(Options())
passes = []
for _ in range(2):
    start = time.perf_counter()
    for text in texts:
        pipeline.clean_text(text)
    passes.append(time.perf_counter() - start)
stage = next(stage for stage in pipeline.stages if stage.name == "repair")
lines = [line for text in texts for _, line in default_screen().flagged_lines(text)]
start = time.perf_counter()
for line in lines:
    stage.find_edits(line)
print(passes[0], passes[1], time.perf_counter() - start, len(lines), sum(map(len, lines)))
"""


def in_process_seconds(corpus: Path, env: dict[str, str], scratch: Path) -> dict[str, float]:
    """In a child process (so that this one's imports do not count): the pipeline over every text
    of the corpus twice, and then the repair stage over the lines the mojibake screen flags, warm.
    The first pass less the second is what a process spends the first time only (models and
    tables loaded, RE2's DFA states built, caches filled): every worker pays it again."""
    probe = scratch / "probe.py"
    probe.write_text(_PROBE)
    paths = scratch / "paths.pickle"
    paths.write_bytes(pickle.dumps([str(corpus / relative) for relative in walk(corpus)]))
    result = subprocess.run([sys.executable, str(probe), str(paths)], check=True, env=env, capture_output=True,
                            text=True)
    first, second, search, lines, chars = result.stdout.split()
    return {"first_pass_s": float(first), "second_pass_s": float(second), "cold_s": float(first) - float(second),
            "repair_search_s": float(search), "flagged_lines": int(lines), "flagged_characters": int(chars)}


_SPIN = ("import time\nstart = time.process_time()\nx = 0\nfor i in range(10_000_000): x += i\n"
         "print(time.process_time() - start)")


def two_cores_slowdown(env: dict[str, str], rounds: int = 3) -> float:
    """How much slower a pure-Python loop runs (CPU seconds) while a second copy runs on the other
    core than alone: what the machine takes from two workers before any cost of cleaner's own."""
    alone, together = [], []
    for _ in range(rounds):
        alone.append(float(subprocess.run([sys.executable, "-c", _SPIN], env=env, capture_output=True,
                                          text=True, check=True).stdout))
        pair = [subprocess.Popen([sys.executable, "-c", _SPIN], env=env, stdout=subprocess.PIPE, text=True)
                for _ in range(2)]
        together.extend(float(process.communicate()[0]) for process in pair)
    return statistics.median(together) / statistics.median(alone)


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
        cleaner = [sys.executable, "-m", "cleaner", "fix"]
        rows = {
            "python -c pass": median_run(lambda out: [sys.executable, "-c", "pass"], args.runs, env, scratch),
            "I/O floor": median_run(lambda out: [*floor, str(out)], args.runs, env, scratch),
            "plsfix.fix_text": median_run(lambda out: [*floor, str(out), "--fix", "plsfix"], args.runs, env, scratch),
            "cleaner fix, one file": median_run(lambda out: [*cleaner, str(one), "-o", str(out), "-q", "-j", "1"],
                                                args.runs, env, scratch),
            "cleaner fix -j 1": median_run(lambda out: [*cleaner, str(corpus), "-o", str(out), "-q", "-j", "1"],
                                           args.runs, env, scratch),
            "cleaner fix -j 2": median_run(lambda out: [*cleaner, str(corpus), "-o", str(out), "-q", "-j", "2"],
                                           args.runs, env, scratch),
        }
        probe = in_process_seconds(corpus, env, scratch)
        slowdown = two_cores_slowdown(env)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    floor_budget = 2 * rows["I/O floor"]["wall_s"]
    plsfix_budget = rows["plsfix.fix_text"]["wall_s"]
    start_up = rows["cleaner fix, one file"]["wall_s"]
    one_worker, two_workers = rows["cleaner fix -j 1"]["wall_s"], rows["cleaner fix -j 2"]["wall_s"]
    # Paid once per process: the start-up, and what the first cleaning of each kind of text loads
    # and builds. Two workers pay the rest of a -j 1 run half each, each on a core that runs
    # slower while the other is busy.
    once = start_up + probe["cold_s"]
    predicted = one_worker / (once + (one_worker - once) * slowdown / 2)
    print(f"corpus: {files} files, {megabytes:.2f} MB ({corpus})")
    for name, row in rows.items():
        print(f"  {name:24s} wall {row['wall_s']:6.3f} s  CPU {row['cpu_s']:6.3f} s")
    print(f"  in one process: the pipeline over every text {probe['first_pass_s']:.3f} s the first time, "
          f"{probe['second_pass_s']:.3f} s the second (first time only: {probe['cold_s']:.3f} s); the repair "
          f"search over the {probe['flagged_lines']} flagged lines ({probe['flagged_characters']:,} characters), "
          f"warm, {probe['repair_search_s']:.3f} s")
    print(f"  a pure-Python loop runs {slowdown:.2f}x as long (CPU) while a second copy runs on the other core")
    print()
    # The floor's own work: reading, decoding and writing the files, without the interpreter's start.
    floor_work = rows["I/O floor"]["wall_s"] - rows["python -c pass"]["wall_s"]
    search = probe["repair_search_s"]
    print(f"-j 1 >= 0.5x the I/O floor: {floor_budget:.3f} s for the whole process; start-up alone "
          f"{start_up:.3f} s ({start_up / floor_budget:.0%} of it), with the floor's own reading and writing "
          f"{start_up + floor_work:.3f} s ({(start_up + floor_work) / floor_budget:.0%}), before cleaning a byte "
          f"or writing a change log; -j 1 took {one_worker:.3f} s")
    print(f"-j 1 >= 1x plsfix.fix_text: {plsfix_budget:.3f} s for the whole process; start-up + repair search "
          f"{start_up + search:.3f} s ({(start_up + search) / plsfix_budget:.0%} of it); -j 1 took {one_worker:.3f} s")
    print(f"-j 2 >= 1.7x -j 1: measured {one_worker / two_workers:.2f}x; what {once:.3f} s paid in every process "
          f"and cores {slowdown:.2f}x slower when both are busy predict: {predicted:.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"files": files, "megabytes": megabytes, "rows": rows, "in_process": probe,
                                         "two_cores_slowdown": slowdown, "floor_budget_s": floor_budget,
                                         "plsfix_budget_s": plsfix_budget, "j2_predicted": predicted}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
