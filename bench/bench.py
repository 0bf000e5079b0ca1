#!/usr/bin/env python3
"""The scale benchmark: koperasi-sop on stores of 100 to 100,000 cases.

Run it with `bash bench/run.sh` (see BENCHMARKS.md). It

1. builds the release binary and the store generator (examples/gen_store.rs);
2. generates stores of 100, 1,000, 10,000 and 100,000 cases and an import
   file of 100,000 new cooperatives, deterministically from a seed, and keeps
   them under target/bench/stores/ for the next run (regenerated when the
   seed or the code that writes cases changes);
3. runs every operation on a working copy of each store (hard links, so the
   kept store is never changed): one warm-up, then several timed runs;
4. prints a Markdown table of medians, the baselines (`cat` of every case
   file, a `jq` one-liner) and the targets of issue 5 with PASS or MISS,
   and writes it to target/bench/results.md (raw figures beside it as JSON).

Python 3.11 standard library only. Wall time is taken around spawn and
wait; peak memory (maximum resident set) comes from wait4() for each child.
Timing lives here, never in a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / "target" / "release" / "koperasi-sop"
GEN = ROOT / "target" / "release" / "examples" / "gen_store"
NOW = "2026-12-07T08:00:00+08:00"
# Bump when the benchmark's own idea of a store changes.
STORE_FORMAT = "1"
# What decides the bytes of a generated store: regenerated when any changes.
STORE_INPUTS = [
    "examples/gen_store.rs",
    "src/case",
    "src/store",
    "src/calendar.rs",
    "src/waktu.rs",
    "src/sop",
    "src/import",
    "sop",
    "Cargo.lock",
]
JQ_PROGRAM = (
    '[inputs | select(.state == "active") | {id, nik: .koperasi.nik, '
    "nama: .koperasi.nama, step, started_at: .step_started_at}] "
    "| sort_by(.started_at)"
)

# Issue 5's targets.
STATUS_MS = 150
STATUS_CAT_SHARE = 0.1
ONE_CASE_MS = 15
ONE_CASE_GROWTH = 1.5
IMPORT_NEW_S = 15
IMPORT_AGAIN_S = 3
PEAK_MB = 200


def main() -> int:
    global BIN
    args = parse_args()
    BIN = args.bin.resolve()
    if args.clean:
        shutil.rmtree(args.work / "stores", ignore_errors=True)
        print(f"removed {args.work / 'stores'}")
        return 0
    if not args.no_build:
        build()
    key = store_key(args.seed)
    stores = args.work / "stores" / key
    drop_stale_stores(args.work / "stores", key)
    stores.mkdir(parents=True, exist_ok=True)

    has_import = subprocess.run(
        [BIN, "import", "--help"], capture_output=True, env=clean_env(None)
    ).returncode == 0
    csv = None
    if has_import and not args.skip_import:
        csv = ensure_import_file(stores, args.rows, args.seed)

    load = Load()
    pristine = {n: ensure_store(stores, n, args.seed) for n in args.sizes}
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=args.work))
    try:
        under_test = [prepare(args, n, pristine[n], run_dir) for n in args.sizes]
        bench_all(args, under_test, run_dir, csv, has_import, load)
    finally:
        if args.keep:
            print(f"working copies kept in {run_dir}", file=sys.stderr)
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
    results = [SizeResult(st.n, st.facts, st.ops) for st in under_test]

    report = render(args, results, load)
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    raw = args.out.with_suffix(".json")
    raw.write_text(json.dumps([r.raw() for r in results], indent=1))
    print(f"written to {rel(args.out)} (raw figures: {rel(raw)})", file=sys.stderr)
    return 0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Benchmark koperasi-sop on stores of growing size (issue 5)."
    )
    p.add_argument(
        "--sizes",
        default="100,1000,10000,100000",
        help="store sizes in cases, comma-separated (default: %(default)s)",
    )
    p.add_argument("--runs", type=int, default=11, help="timed runs of each quick operation (default: %(default)s)")
    p.add_argument(
        "--slow-runs",
        type=int,
        default=5,
        help="timed runs of cat, jq and import (default: %(default)s)",
    )
    p.add_argument("--seed", type=int, default=1, help="generator seed (default: %(default)s)")
    p.add_argument("--rows", type=int, default=100_000, help="rows of the import file (default: %(default)s)")
    p.add_argument(
        "--import-at",
        type=int,
        default=None,
        help="store size the import runs on (default: the largest of --sizes)",
    )
    p.add_argument("--skip-import", action="store_true", help="leave out the import rows")
    p.add_argument("--skip-jq", action="store_true", help="leave out the jq baseline")
    p.add_argument(
        "--work",
        type=Path,
        default=ROOT / "target" / "bench",
        help="where stores are kept and working copies made (default: target/bench)",
    )
    p.add_argument("--out", type=Path, default=None, help="Markdown report (default: WORK/results.md)")
    p.add_argument("--no-build", action="store_true", help="use the binaries already in target/release")
    p.add_argument(
        "--bin",
        type=Path,
        default=BIN,
        help="the koperasi-sop binary to measure (default: target/release/koperasi-sop)",
    )
    p.add_argument("--keep", action="store_true", help="keep the working copies (for profiling)")
    p.add_argument("--clean", action="store_true", help="remove the kept stores and exit")
    args = p.parse_args()
    args.sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s})
    if args.runs < 1 or args.slow_runs < 1:
        p.error("--runs and --slow-runs must be at least 1")
    args.work = args.work.resolve()
    if args.out is None:
        args.out = args.work / "results.md"
    if args.import_at is None:
        args.import_at = max(args.sizes)
    elif args.import_at not in args.sizes:
        p.error(f"--import-at {args.import_at} is not one of --sizes")
    return args


# ---------------------------------------------------------------- processes


def clean_env(data: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOPERASI_SOP_")}
    env["KOPERASI_SOP_NOW"] = NOW
    if data is not None:
        env["KOPERASI_SOP_DATA"] = str(data)
    return env


@dataclass
class Run:
    secs: float
    rss_kb: int | None
    code: int
    # User and system CPU time: less disturbed than wall time when other
    # programs share the machine, blind to waiting for the disk.
    cpu_secs: float
    stdout: str | None = None
    stderr: str = ""


# GNU time forks from a small process, so the child's peak RSS is its own;
# a child spawned from this Python process inherits Python's high-water
# mark (Linux keeps it across exec), about 20 MB.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def spawn(argv: list, env: dict, capture: bool = False, rss: bool = False) -> Run:
    """Runs argv; wall time around spawn and wait. With `rss`, the peak
    resident set too, through GNU time when present (which adds its own
    fork and exec to the wall time: use such runs for memory only, or where
    a millisecond does not matter)."""
    argv = [str(a) for a in argv]
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out, \
            tempfile.NamedTemporaryFile(prefix="rss-") as rss_file:
        if rss and GNU_TIME:
            argv = [GNU_TIME, "-f", "%M", "-o", rss_file.name, "--"] + argv
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        if capture:
            actions.append((os.POSIX_SPAWN_DUP2, out.fileno(), 1))
        else:
            actions.append((os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0))
        start = time.perf_counter()
        pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        secs = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
        stdout = None
        if capture:
            out.seek(0)
            stdout = out.read().decode(errors="replace")
        peak = None
        if rss:
            peak = usage.ru_maxrss
            if GNU_TIME:
                text = Path(rss_file.name).read_text().strip().splitlines()
                # GNU time reports a child killed by a signal on a line before.
                peak = int(text[-1]) if text and text[-1].isdigit() else None
    return Run(secs, peak, code, usage.ru_utime + usage.ru_stime, stdout, stderr)


def must(run: Run, what: str) -> Run:
    if run.code != 0:
        sys.exit(f"bench: {what} failed with exit {run.code}:\n{run.stderr.strip()}")
    return run


def build() -> None:
    print("building the release binary and the generator ...", file=sys.stderr)
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "koperasi-sop", "--example", "gen_store"],
        cwd=ROOT,
        check=True,
    )


# ------------------------------------------------------------------- stores


def store_key(seed: int) -> str:
    h = hashlib.sha256(f"format {STORE_FORMAT} seed {seed}\n".encode())
    for entry in STORE_INPUTS:
        path = ROOT / entry
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                h.update(str(f.relative_to(ROOT)).encode() + b"\0" + f.read_bytes() + b"\0")
    return f"s{seed}-{h.hexdigest()[:12]}"


def drop_stale_stores(parent: Path, key: str) -> None:
    """Removes stores of the same seed written by older code."""
    if not parent.is_dir():
        return
    seed = key.split("-", 1)[0] + "-"
    for d in parent.iterdir():
        if d.name != key and d.name.startswith(seed) and d.is_dir():
            print(f"removing stores of older code: {rel(d)}", file=sys.stderr)
            shutil.rmtree(d, ignore_errors=True)


def fingerprint(root: Path) -> str:
    """Names, sizes and modification times of every file: a kept store is
    reused only if nothing in it changed."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            st = os.stat(os.path.join(dirpath, name))
            h.update(f"{os.path.relpath(os.path.join(dirpath, name), root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def ensure_store(stores: Path, n: int, seed: int) -> Path:
    path = stores / f"n{n}"
    marker = stores / f"n{n}.json"
    if marker.is_file() and path.is_dir():
        meta = json.loads(marker.read_text())
        if meta.get("fingerprint") == fingerprint(path):
            return path
        print(f"{rel(path)} changed since it was generated; generating again", file=sys.stderr)
    shutil.rmtree(path, ignore_errors=True)
    marker.unlink(missing_ok=True)
    print(f"generating {n:,} cases (seed {seed}) in {rel(path)} ...", file=sys.stderr)
    run = must(
        spawn([GEN, "--cases", n, "--seed", seed, "--dir", path, "--now", NOW], clean_env(None)),
        "the store generator",
    )
    marker.write_text(
        json.dumps({"cases": n, "seed": seed, "generated_secs": round(run.secs, 1), "fingerprint": fingerprint(path)})
    )
    return path


def ensure_import_file(stores: Path, rows: int, seed: int) -> Path:
    path = stores / f"import-{rows}.csv"
    marker = stores / f"import-{rows}.done"
    if not (path.is_file() and marker.is_file()):
        print(f"writing the import file of {rows:,} rows ...", file=sys.stderr)
        must(
            spawn([GEN, "--import-csv", path, "--rows", rows, "--seed", seed], clean_env(None)),
            "the import file generator",
        )
        marker.write_text("")
    return path


def link_copy(src: Path, dst: Path) -> None:
    """A working copy that shares the case files with the kept store.

    The tool replaces files by renaming a new file over them, which leaves
    a hard-linked original alone; the index is appended to in place and the
    counter and lock are small, so those are copied. Directory times are
    carried over, so the copied index is as fresh as the original's."""
    copied = {"index", "ids.json", "lock"}
    dirs = []
    for dirpath, _dirnames, filenames in os.walk(src):
        relpath = os.path.relpath(dirpath, src)
        target = dst / relpath
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        dirs.append((Path(dirpath), target))
        for name in filenames:
            s, d = os.path.join(dirpath, name), target / name
            if relpath == "." and name in copied:
                shutil.copy2(s, d)
            else:
                os.link(s, d)
    for s, d in reversed(dirs):
        st = os.stat(s)
        os.utime(d, ns=(st.st_atime_ns, st.st_mtime_ns))


def disk_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True).stdout
    return int(out.split()[0]) / 1024


# -------------------------------------------------------------- operations


@dataclass
class Op:
    name: str
    runs: list[Run] = field(default_factory=list)
    # Runs that measured memory only (their time includes GNU time's).
    memory: list[Run] = field(default_factory=list)
    note: str = ""

    def median_ms(self) -> float | None:
        return statistics.median(r.secs for r in self.runs) * 1000 if self.runs else None

    def median_cpu_ms(self) -> float | None:
        return statistics.median(r.cpu_secs for r in self.runs) * 1000 if self.runs else None

    def peak_mb(self) -> float | None:
        known = [r.rss_kb for r in self.runs + self.memory if r.rss_kb is not None]
        return max(known) / 1024 if known else None


@dataclass
class SizeResult:
    n: int
    facts: dict
    ops: dict[str, Op]

    def raw(self) -> dict:
        return {
            "cases": self.n,
            "facts": self.facts,
            "ops": {
                k: {
                    "median_ms": o.median_ms(),
                    "median_cpu_ms": o.median_cpu_ms(),
                    "peak_mb": o.peak_mb(),
                    "runs_ms": [round(r.secs * 1000, 2) for r in o.runs],
                    "note": o.note,
                }
                for k, o in self.ops.items()
            },
        }


class Candidates:
    """Active, running (not paused) cases to advance, each once, in a
    fixed order; asked again from `status` when used up."""

    def __init__(self, data: Path, decisions: set[int]):
        self.data, self.decisions, self.queue, self.used = data, decisions, [], set()

    def refill(self) -> None:
        out = must(spawn([BIN, "status", "--format", "json"], clean_env(self.data), capture=True), "status")
        rows = [r for r in json.loads(out.stdout) if not r["paused"] and r["id"] not in self.used]
        # Spread over the store: old and new cases, every step.
        rows.sort(key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
        self.queue = rows

    def next_argv(self) -> list:
        if not self.queue:
            self.refill()
            if not self.queue:
                sys.exit("bench: no active case left to advance")
        row = self.queue.pop()
        self.used.add(row["id"])
        argv = [BIN, "advance", row["id"], "--role", row["roles"][0], "--officer", "Siti Rahmah"]
        if row["step"] in self.decisions:
            argv += ["--decision", "ya"]
        return argv


class Load:
    """The 1-minute load average, sampled before each operation: the
    machine may be shared, and a busy one makes every figure slower."""

    def __init__(self):
        self.samples = [os.getloadavg()[0]]

    def sample(self) -> None:
        self.samples.append(os.getloadavg()[0])

    def text(self) -> str:
        first, last, top = self.samples[0], self.samples[-1], max(self.samples)
        return f"load average (1 min) {first:.2f} at the start, {last:.2f} at the end, {top:.2f} at most"


@dataclass
class UnderTest:
    """One store size under test: its working copy and what varies per run."""

    n: int
    pristine: Path
    data: Path
    env: dict
    facts: dict
    show_ids: object
    candidates: Candidates
    ops: dict[str, Op] = field(default_factory=dict)


def prepare(args, n: int, pristine: Path, run_dir: Path) -> UnderTest:
    data = run_dir / f"n{n}"
    link_copy(pristine, data)
    env = clean_env(data)
    index = data / "index"
    index_inode = index.stat().st_ino
    sop = json.loads(must(spawn([BIN, "sop", "show", "--format", "json"], env, capture=True), "sop show").stdout)
    decisions = {p["no"] for p in sop["prosedur"] if p.get("keputusan")}
    every = json.loads(must(spawn([BIN, "status", "--all", "--format", "json"], env, capture=True), "status --all").stdout)
    if index.stat().st_ino != index_inode:
        print(f"warning: the copied index of {n:,} cases was rebuilt on first read", file=sys.stderr)
    active = [r for r in every if r["state"] == "active"]
    facts = {
        "cases": len(every),
        "active": len(active),
        "overdue": sum(r["overdue"] for r in active),
        "paused": sum(r["paused"] for r in active),
        "disk_mb": round(disk_mb(pristine / "cases"), 1),
        "case_bytes": sum(f.stat().st_size for f in (pristine / "cases").iterdir()),
        "index_bytes": (pristine / "index").stat().st_size,
    }
    print(f"{n:,} cases: {json.dumps(facts)}", file=sys.stderr)
    ids = sorted((r["id"] for r in every), key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    show_ids = iter(ids * (2 + args.runs // max(len(ids), 1)))
    return UnderTest(n, pristine, data, env, facts, show_ids, Candidates(data, decisions))


def bench_all(args, stores: list[UnderTest], run_dir: Path, csv: Path | None, has_import: bool, load: Load) -> None:
    """Each operation on every store in turn: a warm-up on each (which also
    measures memory), then the timed runs, one store after the other, so a
    noisy moment on a shared machine does not fall on one size only."""
    opened = iter(range(1, 10_000_000))

    def cat(st: UnderTest) -> list:
        return ["sh", "-c", f"find {q(st.data / 'cases')} -name '*.json' -exec cat {{}} + > /dev/null"]

    def jq(st: UnderTest) -> list:
        return [
            "sh",
            "-c",
            f"find {q(st.data / 'cases')} -name '*.json' -exec cat {{}} + | jq -n {q(JQ_PROGRAM)} > /dev/null",
        ]

    plan = [
        ("status_json", lambda st: [BIN, "status", "--format", "json"], args.runs),
        ("status_overdue", lambda st: [BIN, "status", "--overdue"], args.runs),
        ("show", lambda st: [BIN, "show", next(st.show_ids)], args.runs),
        ("advance", lambda st: st.candidates.next_argv(), args.runs),
        (
            "open",
            lambda st: [BIN, "open", "--nik", f"647299{next(opened):07d}", "--nama", "Koperasi Uji Beban"],
            args.runs,
        ),
        ("cat", cat, args.slow_runs),
    ]
    if not args.skip_jq:
        if shutil.which("jq"):
            plan.append(("jq", jq, args.slow_runs))
        else:
            print("jq is not installed: no jq baseline", file=sys.stderr)
    for name, make, runs in plan:
        load.sample()
        print(f"  {name} ...", file=sys.stderr)
        for st in stores:
            op = st.ops[name] = Op(name)
            op.memory.append(must(spawn(make(st), st.env, rss=True), f"{name} on {st.n:,} (warm-up)"))
        for k in range(runs):
            # Rotate the order, so no size always follows the slow one.
            for st in stores[k % len(stores):] + stores[: k % len(stores)]:
                st.ops[name].runs.append(must(spawn(make(st), st.env), f"{name} on {st.n:,}"))
    for st in stores:
        if st.n == args.import_at and not args.skip_import:
            load.sample()
            if not has_import:
                st.ops["import_new"] = Op("import_new", note="n/a (no import command)")
                st.ops["import_again"] = Op("import_again", note="n/a (no import command)")
            else:
                bench_import(args, st.pristine, run_dir, csv, st.ops)
    load.sample()


def bench_import(args, pristine: Path, run_dir: Path, csv: Path, ops: dict) -> None:
    """Each run on a fresh copy: the new rows, then the same rows again."""
    new, again = Op("import_new"), Op("import_again")
    summaries = []
    for k in range(args.slow_runs + 1):
        label = "warm-up" if k == 0 else f"run {k}"
        print(f"  import ({label}) ...", file=sys.stderr)
        data = run_dir / "import"
        link_copy(pristine, data)
        env = clean_env(data)
        argv = [BIN, "import", csv, "--format", "json"]
        first = spawn(argv, env, capture=True, rss=True)
        second = spawn(argv, env, capture=True, rss=True)
        shutil.rmtree(data, ignore_errors=True)
        for run in (first, second):
            if run.code not in (0, 1):
                sys.exit(f"bench: import failed with exit {run.code}:\n{run.stderr.strip()[:2000]}")
        summaries.append((summary(first), summary(second)))
        if k > 0:
            new.runs.append(first)
            again.runs.append(second)
    s_new, s_again = summaries[-1]
    new.note = describe(s_new)
    again.note = describe(s_again)
    if s_new.get("created") != args.rows:
        new.note += f" (expected {args.rows:,} created)"
    if s_again.get("unchanged") != args.rows:
        again.note += f" (expected {args.rows:,} unchanged)"
    ops["import_new"], ops["import_again"] = new, again


def summary(run: Run) -> dict:
    try:
        value = json.loads(run.stdout or "")
        return value if isinstance(value, dict) else {}
    except json.JSONDecodeError:
        return {}


def describe(s: dict) -> str:
    keys = ["created", "updated", "unchanged", "rejected"]
    return ", ".join(f"{k} {s[k]:,}" for k in keys if isinstance(s.get(k), int)) or "no JSON summary"


# ------------------------------------------------------------------- report

LABELS = {
    "status_json": "`status --format json`",
    "status_overdue": "`status --overdue`",
    "show": "`show CASE`",
    "advance": "`advance CASE`",
    "open": "`open`",
    "import_new": "`import` 100,000 new rows",
    "import_again": "`import` the same rows again",
    "cat": "baseline: `cat` every case file",
    "jq": "baseline: `jq` status list",
}


def render(args, results: list[SizeResult], load: Load) -> str:
    sizes = [r.n for r in results]
    by = {r.n: r for r in results}
    LABELS["import_new"] = f"`import` {args.rows:,} new rows (into the {args.import_at:,})"
    LABELS["import_again"] = f"`import` the same {args.rows:,} rows again"
    big, small = max(sizes), min(sizes)
    lines = []
    lines.append(f"Run {time.strftime('%Y-%m-%d %H:%M %Z')} on {machine()}; {git_state()}.")
    lines.append(
        f"`KOPERASI_SOP_NOW={NOW}`; seed {args.seed}; medians of {args.runs} runs "
        f"({args.slow_runs} for cat, jq and import) after one warm-up; warm file cache. "
        f"Peak RSS: {'GNU time' if GNU_TIME else 'wait4 (floor: this script’s own RSS)'}, "
        "in the warm-up run (every run for import)."
    )
    lines.append(f"During the run: {load.text()}.")
    lines.append("")
    head = "| operation | " + " | ".join(f"{n:,} cases" for n in sizes) + f" | peak RSS at {big:,} | target | result |"
    lines.append(head)
    lines.append("|" + "---|" * (len(sizes) + 4))
    verdicts = {}
    for key in ["status_json", "status_overdue", "show", "advance", "open", "import_new", "import_again", "cat", "jq"]:
        cells = []
        present = False
        for n in sizes:
            op = by[n].ops.get(key)
            if op is None:
                cells.append("—")
            elif not op.runs:
                cells.append(op.note)
                present = True
            else:
                cells.append(fmt_ms(op.median_ms()))
                present = True
        if not present:
            continue
        op_big = by[big].ops.get(key)
        peak = fmt_mb(op_big.peak_mb()) if op_big and op_big.runs else "—"
        target, result = verdict(key, by, big, small)
        verdicts[key] = result
        lines.append(f"| {LABELS[key]} | " + " | ".join(cells) + f" | {peak} | {target} | {result} |")
    # Peak memory over every command of the tool.
    tool = [o for r in results for k, o in r.ops.items() if k not in ("cat", "jq") and o.runs]
    if tool:
        worst = max(tool, key=lambda o: o.peak_mb())
        ok = worst.peak_mb() <= PEAK_MB
        lines.append(
            f"| peak memory of any command | " + " | ".join(
                fmt_mb(max((o.peak_mb() for k, o in by[n].ops.items() if k not in ("cat", "jq") and o.runs), default=0))
                for n in sizes
            ) + f" | {fmt_mb(worst.peak_mb())} ({LABELS[worst.name]}) | ≤ {PEAK_MB} MB | {'PASS' if ok else 'MISS'} |"
        )
    lines.append("")
    lines.append("Ratios (medians, same run):")
    lines.append("")
    lines.append("| | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    lines.append("|---|" + "---|" * len(sizes))
    for key in ["status_json", "status_overdue"]:
        for base in ["cat", "jq"]:
            row = []
            for n in sizes:
                a, b = by[n].ops.get(key), by[n].ops.get(base)
                row.append(f"{a.median_ms() / b.median_ms():.3f}" if a and b and a.runs and b.runs else "—")
            if any(c != "—" for c in row):
                lines.append(f"| {LABELS[key]} / {base} | " + " | ".join(row) + " |")
    for key in ["show", "advance", "open"]:
        row = []
        for n in sizes:
            a, b = by[n].ops.get(key), by[small].ops.get(key)
            row.append(f"{a.median_ms() / b.median_ms():.2f}" if a and b and a.runs and b.runs else "—")
        lines.append(f"| {LABELS[key]} / same at {small:,} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append(
        "CPU time (user + system) of the same runs, medians: what the command costs apart from "
        "waiting for the disk or for a busy CPU (coarse for runs of a few milliseconds):"
    )
    lines.append("")
    lines.append("| | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    lines.append("|---|" + "---|" * len(sizes))
    for key in ["status_json", "status_overdue", "show", "advance", "open", "import_new", "import_again", "cat", "jq"]:
        row = []
        for n in sizes:
            op = by[n].ops.get(key)
            row.append(fmt_ms(op.median_cpu_ms()) if op and op.runs else "—")
        if any(c != "—" for c in row):
            lines.append(f"| {LABELS[key]} | " + " | ".join(row) + " |")
    lines.append("")
    lines.append("The stores:")
    lines.append("")
    lines.append("| cases | active | overdue | paused | case files | on disk | index |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in results:
        f = r.facts
        lines.append(
            f"| {f['cases']:,} | {f['active']:,} | {f['overdue']:,} | {f['paused']:,} | "
            f"{f['case_bytes'] / 1e6:,.1f} MB | {f['disk_mb']:,.1f} MB | {f['index_bytes'] / 1e6:,.2f} MB |"
        )
    notes = [f"{LABELS[k]}: {o.note}" for r in results for k, o in r.ops.items() if o.note and o.runs]
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    if big != 100_000 or small != 100:
        lines.append("")
        lines.append("Note: the targets are set at 100,000 cases against 100; this run used other sizes.")
    return "\n".join(lines) + "\n"


def verdict(key: str, by: dict, big: int, small: int) -> tuple[str, str]:
    ops = by[big].ops
    op = ops.get(key)
    if op is None or not op.runs:
        targets = {"import_new": f"≤ {IMPORT_NEW_S} s", "import_again": f"≤ {IMPORT_AGAIN_S} s"}
        return targets.get(key, ""), ("n/a" if key in targets else "")
    ms = op.median_ms()
    if key in ("status_json", "status_overdue"):
        cat = ops.get("cat")
        share = ms / cat.median_ms() if cat and cat.runs else None
        ok = ms <= STATUS_MS and share is not None and share <= STATUS_CAT_SHARE
        detail = f"{fmt_ms(ms)}, {share:.2f} × cat" if share is not None else fmt_ms(ms)
        return f"≤ {STATUS_MS} ms and ≤ {STATUS_CAT_SHARE} × cat", f"{'PASS' if ok else 'MISS'} ({detail})"
    if key in ("show", "advance", "open"):
        base = by[small].ops.get(key)
        growth = ms / base.median_ms() if base and base.runs else None
        ok = ms <= ONE_CASE_MS and growth is not None and growth <= ONE_CASE_GROWTH
        return (
            f"≤ {ONE_CASE_MS} ms and ≤ {ONE_CASE_GROWTH} × at {small:,}",
            f"{'PASS' if ok else 'MISS'} ({fmt_ms(ms)}, {growth:.2f} ×)",
        )
    if key == "import_new":
        return f"≤ {IMPORT_NEW_S} s", f"{'PASS' if ms <= IMPORT_NEW_S * 1000 else 'MISS'} ({fmt_ms(ms)})"
    if key == "import_again":
        return f"≤ {IMPORT_AGAIN_S} s", f"{'PASS' if ms <= IMPORT_AGAIN_S * 1000 else 'MISS'} ({fmt_ms(ms)})"
    return "baseline", ""


def fmt_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms >= 10_000:
        return f"{ms / 1000:,.1f} s"
    if ms >= 1000:
        return f"{ms / 1000:,.2f} s"
    if ms >= 100:
        return f"{ms:,.0f} ms"
    return f"{ms:.1f} ms"


def fmt_mb(mb: float | None) -> str:
    return "—" if mb is None else f"{mb:,.1f} MB"


def q(s) -> str:
    return shlex.quote(str(s))


def rel(p: Path) -> str:
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} × {cpu}{mem}, Linux {platform.release()}, {file_system(ROOT)}"


def file_system(path: Path) -> str:
    """The type of the file system holding path, from /proc/mounts."""
    best, kind = "", "unknown file system"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], f"{parts[2]} on {parts[0]}"
    except OSError:
        pass
    return kind


def git_state() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return f"commit {head or 'unknown'}{' with changes in src/' if dirty else ''}"


if __name__ == "__main__":
    sys.exit(main())
