"""Whole-process throughput of ``cleaner fix`` against its baselines, all measured in one run.

    python bench/throughput.py                          # 20 MB / 2,000 files, generated if missing
    python bench/throughput.py --size-mb 5 --runs 5 --json results.json
    python bench/throughput.py --memory                 # peak memory of cleaner on a 1 GB JSONL file

Every row is a separate process timed from the outside (wall clock) on the same corpus, writing to a
fresh output directory: the I/O floor (read, decode, rewrite unchanged), ftfy.fix_text,
plsfix.fix_text, and ``cleaner fix CORPUS -o OUT -q`` with ``-j 1`` and ``-j 2``. Rows run round-robin,
``--runs`` times each, after a read of the whole corpus (page cache warm) and one untimed warm-up of
every command on 100 files; the table shows the median. ``os.sync()`` runs before each timed run so
one run's write-back does not land in the next one's time, and outputs are deleted only at the end
(on this ext4-with-discard disk, deleting a tree stalls the writes that follow it by up to a second).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from io_floor import walk  # noqa: E402
from prose_pool import cache_dir  # noqa: E402

GNU_TIME = Path("/usr/bin/time")
WARMUP_FILES = 100
TARGETS = {"floor": 0.5, "plsfix": 1.0, "speedup": 1.7, "memory_mb": 300.0}


# --- measuring one process ------------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed process."""

    wall_s: float
    exit_code: int
    peak_rss_mb: float | None  # the largest single process (getrusage of the child and its waited-for children)
    tree_rss_mb: float | None  # the largest sum over the process tree, sampled
    tree_pss_mb: float | None  # the same with proportional set size (shared pages counted once)
    cpu_s: float | None = None  # user + system time of the process and its waited-for children
    others_cores: float | None = None  # cores other processes kept busy during the run, on average
    outputs: int = 0
    changelogs: int = 0
    stderr_tail: str = ""


class TreeSampler(threading.Thread):
    """Samples the summed RSS and PSS of a process and its descendants from /proc every ``interval`` s."""

    def __init__(self, root_pid: int, interval: float, skip_root: bool) -> None:
        super().__init__(daemon=True)
        self.root_pid, self.interval, self.skip_root = root_pid, interval, skip_root
        self.peak_rss_kb = self.peak_pss_kb = 0
        self.stopped = threading.Event()

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry))
        found, queue = [], [self.root_pid]
        while queue:
            pid = queue.pop()
            found.append(pid)
            queue.extend(children.get(pid, ()))
        return found[1:] if self.skip_root else found

    @staticmethod
    def _memory_kb(pid: int) -> tuple[int, int]:
        rss = pss = 0
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
        except (OSError, ValueError):
            pass
        return rss, pss

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            rss = pss = 0
            for pid in self._descendants():
                one_rss, one_pss = self._memory_kb(pid)
                rss, pss = rss + one_rss, pss + one_pss
            self.peak_rss_kb, self.peak_pss_kb = max(self.peak_rss_kb, rss), max(self.peak_pss_kb, pss)


def _count_outputs(output: Path) -> tuple[int, int]:
    outputs = changelogs = 0
    for _directory, _subdirectories, files in os.walk(output):
        for name in files:
            if name.endswith(".changes.jsonl"):
                changelogs += 1
            elif not name.startswith("."):
                outputs += 1
    return outputs, changelogs


def measure(command: Sequence[str], output: Path, env: dict[str, str], timeout: float,
            sample_interval: float = 0.2) -> Run:
    """Run ``command`` once (it writes to ``output``); wall clock, exit code and memory."""
    os.sync()  # the previous run's dirty pages are written back now, not during this run
    time.sleep(0.2)
    with tempfile.TemporaryDirectory(prefix="cleaner-bench-") as scratch:
        time_file = Path(scratch) / "time.txt"
        use_time = GNU_TIME.exists()
        full = [str(GNU_TIME), "-v", "-o", str(time_file), *command] if use_time else list(command)
        with open(Path(scratch) / "stderr.txt", "w+b") as stderr:
            busy_before = cpu_busy_seconds()
            start = time.perf_counter()
            process = subprocess.Popen(full, stdout=subprocess.DEVNULL, stderr=stderr, env=env, cwd=scratch,
                                       start_new_session=True)  # not the repo: 'python -m' puts the cwd first
            sampler = TreeSampler(process.pid, sample_interval, skip_root=use_time)
            sampler.start()
            killer = threading.Timer(timeout, _kill_group, args=(process.pid,))
            killer.start()
            if use_time:
                process.wait()
                peak_kb: int | None = None
                cpu: float | None = None
            else:
                _pid, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)
                peak_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
            wall = time.perf_counter() - start
            busy = cpu_busy_seconds() - busy_before
            killer.cancel()
            sampler.stopped.set()
            sampler.join()
            stderr.seek(0)
            tail = stderr.read()[-2000:].decode("utf-8", "replace")
        exit_code = process.returncode
        if use_time and time_file.exists():
            report = time_file.read_text()
            match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
            peak_kb = int(match.group(1)) if match else None
            status_match = re.search(r"Exit status: (\d+)", report)
            exit_code = int(status_match.group(1)) if status_match else exit_code
            if "Command terminated by signal" in report:
                exit_code = -1
            times = [float(value) for value in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report)]
            cpu = sum(times) if times else None
    outputs, changelogs = _count_outputs(output)
    others = max(0.0, busy - cpu) / wall if cpu is not None else None
    return Run(wall, exit_code, peak_kb / 1024 if peak_kb else None,
               sampler.peak_rss_kb / 1024 or None, sampler.peak_pss_kb / 1024 or None, cpu, others, outputs,
               changelogs, tail.strip()[-600:] if exit_code else "")


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)  # the group of the one process this script started


# --- the rows ---------------------------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    command: list[str]  # with {src} and {out} placeholders
    available: bool = True
    note: str = ""
    runs: list[Run] = field(default_factory=list)

    def argv(self, source: Path, output: Path) -> list[str]:
        return [part.format(src=source, out=output) for part in self.command]

    def median_wall(self) -> float | None:
        return statistics.median(run.wall_s for run in self.runs) if self.runs else None

    def mb_per_s(self, megabytes: float) -> float | None:
        wall = self.median_wall()
        return megabytes / wall if wall else None

    def median_cpu(self) -> float | None:
        values = [run.cpu_s for run in self.runs if run.cpu_s is not None]
        return statistics.median(values) if values else None

    def median_others(self) -> float | None:
        values = [run.others_cores for run in self.runs if run.others_cores is not None]
        return statistics.median(values) if values else None

    def peak(self, attribute: str) -> float | None:
        values = [getattr(run, attribute) for run in self.runs if getattr(run, attribute) is not None]
        return max(values) if values else None


def bench_env(cleaner_src: Path = REPO) -> dict[str, str]:
    """The environment of every timed process: ``cleaner_src`` (this work tree) first on the import path,
    and byte code cached under the bench cache (as an installed package has it) even where
    PYTHONDONTWRITEBYTECODE is set, without writing __pycache__ into the repository."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(cleaner_src), env.get("PYTHONPATH", "")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache_dir() / "pycache")
    return env


def cleaner_help(cleaner: Sequence[str], env: dict[str, str]) -> tuple[str | None, str]:
    """``cleaner fix --help`` text, or None and the error."""
    result = subprocess.run([*cleaner, "fix", "--help"], capture_output=True, text=True, env=env, timeout=120,
                            cwd=tempfile.gettempdir())
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        return None, lines[-1] if lines else f"exit code {result.returncode}"
    return result.stdout, ""


def supports_jobs(help_text: str) -> bool:
    return re.search(r"(^|[\s,\[])(-j|--jobs)\b", help_text) is not None


def ensure_plsfix() -> str:
    """'' when plsfix imports (installing it with pip if needed), else why not."""
    probe = [sys.executable, "-c", "import plsfix; plsfix.fix_text('x')"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return ""
    print("plsfix is missing: pip install plsfix ...", file=sys.stderr)
    install = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "plsfix"], capture_output=True, text=True)
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return ""
    lines = (install.stderr or install.stdout).strip().splitlines()
    return f"plsfix could not be installed: {lines[-1] if lines else 'pip failed'}"


def build_rows(cleaner: Sequence[str], env: dict[str, str], skip: set[str]) -> list[Row]:
    python = sys.executable
    floor = str(BENCH / "io_floor.py")
    rows = [Row("floor", "I/O floor (read, decode, write)", [python, floor, "{src}", "{out}", "-q"]),
            Row("ftfy", "ftfy.fix_text", [python, floor, "{src}", "{out}", "-q", "--fix", "ftfy"]),
            Row("plsfix", "plsfix.fix_text", [python, floor, "{src}", "{out}", "-q", "--fix", "plsfix"])]
    if "plsfix" not in skip:
        problem = ensure_plsfix()
        if problem:
            rows[2].available, rows[2].note = False, problem
    help_text, error = cleaner_help(cleaner, env)
    base = [*cleaner, "fix", "{src}", "-o", "{out}", "-q"]
    j1 = Row("cleaner-j1", "cleaner fix -j 1", [*base, "-j", "1"])
    j2 = Row("cleaner-j2", "cleaner fix -j 2", [*base, "-j", "2"])
    if help_text is None:
        for row in (j1, j2):
            row.available, row.note = False, f"cleaner does not run: {error}"
    elif not supports_jobs(help_text):
        j1.label, j1.command = "cleaner fix (no -j)", base
        j1.note = "no -j/--jobs in 'cleaner fix --help': ran without it"
        j2.available, j2.note = False, "no -j/--jobs support"
    rows += [j1, j2]
    return [row for row in rows if row.key not in skip]


# --- corpus -------------------------------------------------------------------------------------------------


def ensure_corpus(corpus: Path | None, size_mb: float, files: int, seed: int) -> Path:
    """The given corpus, or the cached one for these parameters (generated, or regenerated if it was altered)."""
    if corpus is not None and corpus.exists():
        return corpus
    if corpus is None:
        corpus = cache_dir() / f"corpus-{size_mb:g}mb-{files}f-seed{seed}"
        manifest = corpus / ".corpus.json"
        if manifest.exists():
            from make_corpus import tree_hash

            if json.loads(manifest.read_text()).get("sha256") == tree_hash(corpus):
                return corpus
            print(f"{corpus} was modified: generating it again", file=sys.stderr)
    command = [sys.executable, str(BENCH / "make_corpus.py"), "--out", str(corpus), "--size-mb", f"{size_mb:g}",
               "--files", str(files), "--seed", str(seed), "--force"]
    print("$ " + shlex.join(command), file=sys.stderr)
    subprocess.run(command, check=True)
    return corpus


def corpus_bytes(corpus: Path) -> tuple[int, int]:
    count = total = 0
    for relative in walk(corpus):
        count += 1
        total += (corpus / relative).stat().st_size
    return count, total


def warm_page_cache(corpus: Path) -> None:
    for relative in walk(corpus):
        (corpus / relative).read_bytes()


def make_warmup_subset(corpus: Path, destination: Path) -> Path:
    shutil.rmtree(destination, ignore_errors=True)
    for relative in list(walk(corpus))[:WARMUP_FILES]:
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpus / relative, target)
    return destination


# --- machine state --------------------------------------------------------------------------------------------


def cpu_busy_seconds() -> float:
    """CPU seconds all cores have spent busy since boot (/proc/stat: everything but idle and iowait)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def cpu_busy(seconds: float = 2.0) -> float:
    """Share of all cores busy over ``seconds`` (other processes: this one sleeps)."""
    before = cpu_busy_seconds()
    time.sleep(seconds)
    return (cpu_busy_seconds() - before) / seconds / (os.cpu_count() or 1)


def machine_state() -> dict[str, object]:
    uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip() if shutil.which("uptime") else ""
    return {"uptime": uptime, "loadavg": os.getloadavg(), "cpu_busy_2s": round(cpu_busy(), 3)}


def git_state() -> dict[str, object]:
    def git(*args: str) -> str:
        result = subprocess.run(["git", "--no-optional-locks", "-C", str(REPO), *args], capture_output=True, text=True)
        return result.stdout.strip()

    changed = git("status", "--porcelain", "--", "cleaner").splitlines()
    return {"head": git("rev-parse", "--short", "HEAD"), "uncommitted_in_cleaner": len(changed)}


# --- report ---------------------------------------------------------------------------------------------------


def _fmt(value: float | None, spec: str, missing: str = "-") -> str:
    return missing if value is None else format(value, spec)


def _mb(value: float | None) -> str:
    return f"{_fmt(value, '.0f')} MB"


def _per_cpu(row: Row, megabytes: float) -> float | None:
    cpu = row.median_cpu()
    return megabytes / cpu if cpu else None


def report(rows: list[Row], megabytes: float, files: int) -> tuple[str, dict[str, float | None]]:
    """The table and the ratios. A row none of whose runs wrote every output is shown as FAILED."""
    complete = {row.key for row in rows if row.runs and all(run.outputs == files for run in row.runs)}
    speeds: dict[str, float] = {}
    for row in rows:
        speed = row.mb_per_s(megabytes)
        if row.key in complete and speed:
            speeds[row.key] = speed

    def ratio(key: str, base: str) -> float | None:
        return speeds[key] / speeds[base] if key in speeds and base in speeds else None

    header = (f"{'':34} {'MB/s':>7} {'median s':>9} {'min-max s':>12} {'x floor':>8} {'x plsfix':>9} {'x ftfy':>7} "
              f"{'CPU s':>6} {'MB/CPU-s':>8} {'peak RSS':>9} {'tree PSS':>9} {'others':>6}")
    lines = [header, "-" * len(header)]
    for row in rows:
        if not row.runs:
            lines.append(f"{row.label:34} {'n/a':>7}  {row.note}")
            continue
        walls = [run.wall_s for run in row.runs]
        exits = sorted({run.exit_code for run in row.runs} - {0})
        note = row.note + (f" exit code {exits}" if exits else "")
        if row.key not in complete:
            written = min(run.outputs for run in row.runs)
            lines.append(f"{row.label:34} {'FAILED':>7}  {written} of {files} outputs written;{note}: "
                         f"{row.runs[-1].stderr_tail.splitlines()[-1:] if row.runs[-1].stderr_tail else ''}")
            continue
        lines.append(
            f"{row.label:34} {_fmt(speeds[row.key], '7.2f')} {_fmt(row.median_wall(), '9.2f')} "
            f"{f'{min(walls):.2f}-{max(walls):.2f}':>12} {_fmt(ratio(row.key, 'floor'), '8.2f', '-'):>8} "
            f"{_fmt(ratio(row.key, 'plsfix'), '9.2f'):>9} {_fmt(ratio(row.key, 'ftfy'), '7.2f'):>7} "
            f"{_fmt(row.median_cpu(), '6.2f'):>6} {_fmt(_per_cpu(row, megabytes), '8.2f'):>8} "
            f"{_mb(row.peak('peak_rss_mb')):>9} {_mb(row.peak('tree_pss_mb')):>9} "
            f"{_fmt(row.median_others(), '6.2f'):>6}  {note}".rstrip())
    ratios = {"j1_vs_floor": ratio("cleaner-j1", "floor"), "j1_vs_plsfix": ratio("cleaner-j1", "plsfix"),
              "j1_vs_ftfy": ratio("cleaner-j1", "ftfy"), "j2_vs_j1": ratio("cleaner-j2", "cleaner-j1"),
              "plsfix_vs_ftfy": ratio("plsfix", "ftfy"), "floor_vs_plsfix": ratio("floor", "plsfix")}
    per_cpu = {row.key: _per_cpu(row, megabytes) for row in rows if row.key in complete}
    j1_cpu, plsfix_cpu, floor_cpu = per_cpu.get("cleaner-j1"), per_cpu.get("plsfix"), per_cpu.get("floor")
    if j1_cpu and plsfix_cpu and floor_cpu:
        ratios["j1_vs_plsfix_cpu"], ratios["j1_vs_floor_cpu"] = j1_cpu / plsfix_cpu, j1_cpu / floor_cpu
    lines.append("")
    speedup = ratios["j2_vs_j1"]
    lines.append(f"cleaner 2 workers / 1 worker: {'n/a' if speedup is None else f'{speedup:.2f}x'}")
    if "j1_vs_plsfix_cpu" in ratios:
        lines.append(f"per CPU second (less sensitive to other load): cleaner -j 1 = "
                     f"{_fmt(ratios['j1_vs_floor_cpu'], '.2f')}x I/O floor, "
                     f"{_fmt(ratios['j1_vs_plsfix_cpu'], '.2f')}x plsfix")
    busy = [run.others_cores for row in rows for run in row.runs if run.others_cores is not None]
    if busy and statistics.median(busy) > 0.2:
        lines.append(f"WARNING: other processes kept {statistics.median(busy):.2f} cores busy during the runs "
                     f"(median): the machine was not idle, wall-clock ratios and the -j 2 speedup are distorted")
    checks = [("cleaner -j 1 >= 0.5x I/O floor", ratios["j1_vs_floor"], TARGETS["floor"]),
              ("cleaner -j 1 >= 1x plsfix.fix_text", ratios["j1_vs_plsfix"], TARGETS["plsfix"]),
              ("cleaner -j 2 >= 1.7x -j 1 (idle machine)", ratios["j2_vs_j1"], TARGETS["speedup"])]
    for name, value, target in checks:
        verdict = "n/a" if value is None else ("met" if value >= target else "NOT met")
        lines.append(f"target {name:42} {_fmt(value, '.2f', 'n/a'):>6}  {verdict}")
    return "\n".join(lines), ratios


# --- modes ----------------------------------------------------------------------------------------------------


def run_throughput(args: argparse.Namespace) -> dict[str, object]:
    cleaner = shlex.split(args.cleaner_cmd) if args.cleaner_cmd else [sys.executable, "-m", "cleaner"]
    env = bench_env(args.cleaner_src)
    corpus = ensure_corpus(args.corpus, args.size_mb, args.files or round(args.size_mb * 100), args.seed)
    count, total = corpus_bytes(corpus)
    megabytes = total / 1e6
    rows = build_rows(cleaner, env, set(args.skip or ()))
    work = cache_dir() / "runs" / f"throughput-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    before = machine_state()
    print(f"corpus {corpus}: {count} files, {megabytes:.2f} MB; {args.runs} runs per row; "
          f"load before: {before['uptime']}; CPU busy {before['cpu_busy_2s']:.0%}", file=sys.stderr)
    try:
        warm_page_cache(corpus)
        subset = make_warmup_subset(corpus, work / "warmup-input")
        for row in rows:
            if row.available:
                warm = measure(row.argv(subset, work / f"warmup-{row.key}"), work / f"warmup-{row.key}", env,
                               args.timeout)
                if warm.exit_code not in (0,):
                    print(f"warm-up of {row.label} exited {warm.exit_code}: {warm.stderr_tail}", file=sys.stderr)
        for round_number in range(args.runs):
            for row in rows:
                if not row.available:
                    continue
                output = work / f"{row.key}-{round_number}"
                run = measure(row.argv(corpus, output), output, env, args.timeout)
                row.runs.append(run)
                print(f"  round {round_number + 1}: {row.label:34} {run.wall_s:6.2f} s  "
                      f"{megabytes / run.wall_s:6.2f} MB/s  CPU {_fmt(run.cpu_s, '.2f')} s  "
                      f"others {_fmt(run.others_cores, '.2f')} cores  exit {run.exit_code}  "
                      f"outputs {run.outputs}/{count} logs {run.changelogs}", file=sys.stderr)
    finally:
        if not args.keep_outputs:
            shutil.rmtree(work, ignore_errors=True)
    after = machine_state()
    table, ratios = report(rows, megabytes, count)
    print(f"\ncleaner throughput: {count} files, {megabytes:.2f} MB (10^6 bytes of input), median of {args.runs} "
          f"whole-process runs")
    print(f"cleaner: {shlex.join(cleaner)} from {args.cleaner_src} (repo: {git_state()}); "
          f"python {platform.python_version()}, {os.cpu_count()} cores")
    print(f"load before: {before['uptime']} (CPU busy {before['cpu_busy_2s']:.0%}); "
          f"after: {after['uptime']} (CPU busy {after['cpu_busy_2s']:.0%})\n")
    print(table)
    return {"mode": "throughput", "corpus": str(corpus), "files": count, "bytes": total, "runs_per_row": args.runs,
            "cleaner_command": cleaner, "cleaner_src": str(args.cleaner_src), "git": git_state(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(), "machine_before": before, "machine_after": after, "ratios": ratios,
            "rows": [asdict(row) | {"mb_per_s": row.mb_per_s(megabytes)} for row in rows]}


def jsonl_support(cleaner: Sequence[str], env: dict[str, str], scratch: Path) -> tuple[bool, str]:
    """Whether ``cleaner fix X.jsonl`` cleans the ``text`` fields (not the raw lines).

    The probe's mojibake is written with JSON escapes, so only a JSONL-aware cleaner sees it.
    """
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    probe = scratch / "probe.jsonl"
    probe.write_text(json.dumps({"id": "a", "text": "caf\u00c3\u00a9 au lait\n"}) + "\n"
                     + json.dumps({"id": "b", "text": "plain text\n"}) + "\n")
    result = subprocess.run([*cleaner, "fix", str(probe), "-o", str(scratch / "out"), "-q"], capture_output=True,
                            text=True, env=env, timeout=120, cwd=scratch)
    outputs = [p for p in (scratch / "out").rglob("*") if p.is_file() and not p.name.endswith(".changes.jsonl")]
    for output in outputs:
        try:
            records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines() if line.strip()]
        except (ValueError, UnicodeDecodeError):
            continue
        if any(isinstance(r, dict) and "café" in str(r.get("text", "")) for r in records):
            return True, ""
    why = (result.stderr.strip().splitlines() or ["no JSONL output with the text field repaired"])[-1]
    return False, f"JSONL input not supported (probe: {why})"


def run_memory(args: argparse.Namespace) -> dict[str, object]:
    from make_corpus import manifest_path, write_jsonl

    cleaner = shlex.split(args.cleaner_cmd) if args.cleaner_cmd else [sys.executable, "-m", "cleaner"]
    env = bench_env(args.cleaner_src)
    size = args.memory_size_mb
    big = cache_dir() / f"pages-{size:g}mb-seed{args.seed}.jsonl"
    if not (big.exists() and manifest_path(big).exists()):
        print(f"writing {big} ...", file=sys.stderr)
        write_jsonl(big, size, args.seed)
    megabytes = big.stat().st_size / 1e6
    work = cache_dir() / "runs" / f"memory-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    supported, note = jsonl_support(cleaner, env, work / "probe")
    help_text, _error = cleaner_help(cleaner, env)
    jobs_ok = help_text is not None and supports_jobs(help_text)
    rows = []
    for jobs in (args.memory_jobs if jobs_ok else [0]):
        extra = ["-j", str(jobs)] if jobs else []
        label = f"cleaner fix BIG.jsonl {' '.join(extra)}".strip()
        rows.append(Row(f"memory-j{jobs}", label, [*cleaner, "fix", "{src}", "-o", "{out}", "-q", *extra],
                        note=("" if supported else note + "; ") + ("" if jobs_ok else "no -j support")))
    before = machine_state()
    try:
        for row in rows:
            output = work / row.key
            print(f"$ {shlex.join(row.argv(big, output))}", file=sys.stderr)
            row.runs.append(measure(row.argv(big, output), output, env, args.timeout, sample_interval=0.5))
            shutil.rmtree(output, ignore_errors=True)
    finally:
        if not args.keep_outputs:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\ncleaner memory: {big} ({megabytes:.0f} MB); load before: {before['uptime']}; "
          f"JSONL support: {'yes' if supported else 'NO - ' + note}")
    print(f"{'':34} {'wall s':>8} {'MB/s':>7} {'peak RSS':>10} {'tree RSS':>10} {'tree PSS':>10}  target < 300 MB")
    for row in rows:
        run = row.runs[0]
        worst = run.tree_pss_mb if run.tree_pss_mb and run.tree_pss_mb > (run.peak_rss_mb or 0) else run.peak_rss_mb
        verdict = "n/a" if worst is None else ("met" if worst < TARGETS["memory_mb"] else "NOT met")
        print(f"{row.label:34} {run.wall_s:8.1f} {megabytes / run.wall_s:7.2f} "
              f"{_fmt(run.peak_rss_mb, '7.0f')} MB {_fmt(run.tree_rss_mb, '7.0f')} MB "
              f"{_fmt(run.tree_pss_mb, '7.0f')} MB"
              f"  {verdict}; exit {run.exit_code} {row.note}".rstrip())
        if run.exit_code:
            print(f"    stderr: {run.stderr_tail}")
    return {"mode": "memory", "input": str(big), "bytes": big.stat().st_size, "jsonl_supported": supported,
            "cleaner_command": cleaner, "cleaner_src": str(args.cleaner_src), "git": git_state(),
            "machine_before": before,
            "rows": [asdict(row) for row in rows]}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, metavar="DIR",
                        help="corpus directory (generated there if missing; default: cached per size/files/seed)")
    parser.add_argument("--size-mb", type=float, default=20.0, help="corpus size to generate (default 20)")
    parser.add_argument("--files", type=int, help="files to generate (default 100 per MB)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per row; the median is reported (default 3)")
    parser.add_argument("--skip", action="append", choices=("floor", "ftfy", "plsfix", "cleaner-j1", "cleaner-j2"),
                        help="leave a row out (repeatable)")
    parser.add_argument("--cleaner-cmd", metavar="CMD",
                        help="how to run cleaner (default: this interpreter with -m cleaner from this work tree)")
    parser.add_argument("--cleaner-src", type=Path, default=REPO, metavar="DIR",
                        help="directory put first on PYTHONPATH, e.g. an exported commit (default: this work tree)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a run is killed (default 1800)")
    parser.add_argument("--keep-outputs", action="store_true", help="keep the output trees under the cache")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every run and figure as JSON")
    parser.add_argument("--memory", action="store_true", help="instead: peak memory of cleaner on a big JSONL file")
    parser.add_argument("--memory-size-mb", type=float, default=1000.0, help="size of that file (default 1000)")
    parser.add_argument("--memory-jobs", type=lambda text: [int(v) for v in text.split(",")], default=[1, 2],
                        metavar="N,N", help="worker counts for --memory (default 1,2)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    result = run_memory(args) if args.memory else run_throughput(args)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
