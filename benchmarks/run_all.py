"""Run every benchmark and write one table: ``benchmarks/results/report.md``.

Each benchmark runs as its own process (``python benchmarks/<name>.py ... --json PATH``), one
after the other, with this checkout first on ``PYTHONPATH``; its output goes to
``results/<name>.log`` and its figures to ``results/<name>.json``. The report lists every
figure with its target, the baseline measured in the same run and the ratio, then the
machine: date, cores, load average before and after each benchmark, versions, numba cache.

    python benchmarks/run_all.py --quick          # small sizes: a smoke run of a few minutes
    python benchmarks/run_all.py                  # the sizes of the targets (1M: > 1 hour)
    python benchmarks/run_all.py --only analyze grid --skip-1m

A benchmark that cannot run here (no Chromium, say) or fails is listed as such; the others
still run. Figures on a shared machine are inflated: read the load next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from _common import loadavg, machine, numba_cache_state

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results"

#: name -> (quick arguments, full arguments). ``{hand}`` is replaced by the hand-built
#: pipeline's seconds that bench_analyze measured at the dashboard's size (same data).
BENCHMARKS: dict[str, tuple[list[str], list[str]]] = {
    "analyze": (["--rows", "5k"], ["--rows", "20k", "100k", "1m", "--hand-max-rows", "100k"]),
    "detection": (["--seeds", "1", "--rates", "0.1"], ["--seeds", "10"]),
    "pred_probs": (["--rows", "10000"], ["--rows", "10000", "100000"]),
    "knn": (["--sizes", "5000"], ["--sizes", "5000", "20000", "50000", "100000"]),
    "layout": (["--rows", "10000", "--sample", "2000"], ["--rows", "100000", "--sample", "20000"]),
    "grid": (["100000"], ["1000000"]),
    "state": (["100000", "10000"], ["1000000", "100000"]),
    "dashboard": (
        ["--rows", "5000", "--hand-seconds", "{hand}"],
        ["--rows", "20000", "--hand-seconds", "{hand}"],
    ),
    "embedding": (["--sizes", "10000"], ["--sizes", "100000", "1000000"]),
    "relabel": (
        ["--rows", "10000", "--repeats", "10", "--bulk", "1000", "--bulk-repeats", "2"],
        ["--rows", "100000", "--repeats", "30", "--bulk", "10000", "--bulk-repeats", "5"],
    ),
}
BROWSER = {"dashboard", "embedding", "relabel"}


def arguments(name: str, quick: bool, skip_1m: bool, hand: float | None) -> list[str] | None:
    """The command-line arguments of one benchmark (None: it cannot run in this mode)."""
    args = list(BENCHMARKS[name][0 if quick else 1])
    if skip_1m:
        args = [a for a in args if a not in ("1m", "1000000")]
        if name == "grid" and not args:
            args = ["100000"]
        if name == "state" and args == ["100000"]:
            args = ["100000", "10000"]
        if name == "embedding" and args == ["--sizes"]:
            return None
    if "{hand}" in args:
        if hand is None:  # no hand-built time at that size: let the benchmark measure it
            i = args.index("{hand}")
            del args[i - 1 : i + 1]
        else:
            args = [f"{hand:.1f}" if a == "{hand}" else a for a in args]
    return args


def hand_seconds(rows: int) -> float | None:
    """The hand-built pipeline's wall seconds at ``rows`` from bench_analyze's JSON, if any."""
    path = RESULTS / "analyze.json"
    if not path.exists():
        return None
    raw = json.loads(path.read_text()).get("raw") or {}
    hand = (raw.get(str(rows)) or {}).get("hand")
    return float(hand["wall"]) if hand else None


def missing_requirement(name: str) -> str | None:
    """Why a benchmark cannot run on this machine (None when it can)."""
    if name in BROWSER:
        sys.path.insert(0, str(REPO))
        try:
            from tests.ui import harness
        except ImportError as err:
            return f"UI harness not importable ({err})"
        if not (Path(harness.CHROMIUM).exists() or shutil.which(harness.CHROMIUM)):
            return f"no Chromium at {harness.CHROMIUM}"
    return None


def run_one(name: str, args: list[str], timeout: float | None) -> dict[str, Any]:
    """Run ``bench_<name>.py`` with ``args``; return its JSON plus wall time and load."""
    out_json, log = RESULTS / f"{name}.json", RESULTS / f"{name}.log"
    out_json.unlink(missing_ok=True)
    cmd = [sys.executable, str(HERE / f"bench_{name}.py"), *args, "--json", str(out_json)]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    print(f"[{time.strftime('%H:%M:%S')}] {name}: {' '.join(args)}", flush=True)
    before, start = loadavg(), time.perf_counter()
    status = "ok"
    with log.open("w") as fh:
        try:
            rc = subprocess.run(
                cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, cwd=REPO, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            rc, status = None, f"timed out after {timeout:g} s"
    wall = time.perf_counter() - start
    doc: dict[str, Any] = {"benchmark": f"bench_{name}", "figures": []}
    if rc is not None and rc != 0:
        tail = log.read_text().strip().splitlines()[-1:] or [""]
        status = f"failed (exit {rc}): {tail[0][:160]}"
    elif rc == 0 and out_json.exists():
        doc = json.loads(out_json.read_text())
    elif rc == 0:
        status = "no JSON written"
    doc.update(status=status, wall=wall, load_before=before, load_after=loadavg(),
               args=args, log=str(log.relative_to(REPO)))  # fmt: skip
    print(f"    {status}, {wall:.0f} s, {len(doc['figures'])} figures", flush=True)
    out_json.write_text(json.dumps(doc, indent=1, default=str))  # with status, wall and load
    return doc


def cell(value: Any, unit: str = "") -> str:
    """A table cell: numbers compactly, None as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        value = f"{value:.4g}"
    return f"{value} {unit}".strip().replace("|", "\\|")


def report(docs: list[dict], mode: str, cache: dict, started: str) -> str:
    """The markdown report of all runs."""
    m = machine()
    lines = [
        f"# Benchmark report ({mode})",
        "",
        f"Started {started}, finished {m['date']}; {m['cpus']} cores, {m['memory_gb']} GB, "
        f"{m['platform']}, Python {m['python']}.",
        "",
        "numba cache before the run: umap {umap} / pynndescent {pynndescent} index files "
        "({state}).".format(**cache, state="warm" if cache["warm"] else "cold"),
        "",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v) + ".",
        "",
        "Single runs on a machine that may be shared: timings are inflated when the load "
        "average (1/5/15 min) is above 0; ratios against a baseline from the same run hold "
        "better than absolute figures.",
        "",
        "| benchmark | figure | value | target | baseline | ratio | verdict | note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for doc in docs:
        name = doc["benchmark"].removeprefix("bench_")
        if not doc["figures"]:
            lines.append(f"| {name} | — | — | — | — | — | {cell(doc['status'])} | |")
        for f in doc["figures"]:
            passed = f.get("passed")
            verdict = (
                "—" if passed in (None, "None") else "PASS" if passed in (True, "True") else "FAIL"
            )
            lines.append(
                f"| {name} | {cell(f['figure'])} | {cell(f['value'], f['unit'])} | "
                f"{cell(f['target'])} | {cell(f['baseline'], f['unit'])} | {cell(f['ratio'])} | "
                f"{verdict} | {cell(f['note'])} |"
            )
    lines += ["", "| benchmark | arguments | status | wall | load before → after |",
              "|---|---|---|---|---|"]  # fmt: skip
    for doc in docs:
        b, a = doc["load_before"], doc["load_after"]
        lines.append(
            f"| {doc['benchmark']} | `{' '.join(doc['args'])}` | {cell(doc['status'])} | "
            f"{doc['wall']:.0f} s | {b[0]:.2f}/{b[1]:.2f}/{b[2]:.2f} → "
            f"{a[0]:.2f}/{a[1]:.2f}/{a[2]:.2f} |"
        )
    lines += ["", "Logs and JSON of each benchmark: `benchmarks/results/<name>.{log,json}`.", ""]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmarks and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), default=None)
    parser.add_argument("--skip", nargs="+", choices=list(BENCHMARKS), default=[])
    parser.add_argument("--skip-1m", action="store_true", help="drop every 1M-row size")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per benchmark")
    parser.add_argument("--out", type=Path, default=RESULTS / "report.md")
    parser.add_argument("--reuse", nargs="+", choices=list(BENCHMARKS), default=[],
                        help="read these from results/<name>.json of an earlier run")  # fmt: skip
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    mode = "quick" if args.quick else "full"
    started = machine()["date"]
    cache = numba_cache_state()
    docs = []
    for name in args.only or list(BENCHMARKS):
        if name in args.skip:
            continue
        saved = RESULTS / f"{name}.json"
        if name in args.reuse and saved.exists():
            doc = json.loads(saved.read_text())
            doc.setdefault("status", "ok")
            doc["status"] += " (reused from an earlier run)"
            for key, default in (("wall", 0.0), ("load_before", [0, 0, 0]), ("args", [])):
                doc.setdefault(key, default)
            doc.setdefault("load_after", doc["load_before"])
            docs.append(doc)
            continue
        rows = 5000 if args.quick else 20000
        bench_args = arguments(name, args.quick, args.skip_1m, hand_seconds(rows))
        why = missing_requirement(name)
        if bench_args is None or why:
            why = why or "no size left after --skip-1m"
            print(f"{name}: skipped, {why}", flush=True)
            docs.append({"benchmark": f"bench_{name}", "figures": [], "status": f"skipped: {why}",
                         "wall": 0.0, "load_before": loadavg(), "load_after": loadavg(),
                         "args": bench_args or []})  # fmt: skip
            continue
        docs.append(run_one(name, bench_args, args.timeout))
        args.out.write_text(report(docs, mode, cache, started))  # partial report as we go
    args.out.write_text(report(docs, mode, cache, started))
    print(f"report: {args.out}")


if __name__ == "__main__":
    main()
