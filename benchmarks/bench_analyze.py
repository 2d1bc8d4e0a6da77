"""analyze() vs the hand-built pipeline, each size in a fresh process (numba compiles counted).

Hand-built = LogisticRegression cross_val_predict + cleanlab Datalab(features=) + umap-learn,
what a practitioner writes without this package. Data: synthetic N x 50, 10 classes, 10%
flipped labels (positions known). Each run is a new interpreter that reports its own peak RSS
(``ru_maxrss``), checked against the budget "2x the input's size plus 2 GB" (input = the
frame's ``memory_usage(deep=True).sum()``); the numba cache state of umap/pynndescent is read
before each run. Prints wall times, the ratio (target <= 0.6), label-error precision, recall
and F1 of both, RSS against budget; asserts nothing.

Targets (issue 17): 100k x 50 under 45 s, 1M x 50 under 15 min, on an idle machine.

    python benchmarks/bench_analyze.py [--rows 20k 100k 1m] [--only analyze|hand]
        [--hand-max-rows 100000] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time

from _common import add_json_arg, figure, numba_cache_state, print_machine, write_json

DATA = textwrap.dedent(
    """
    import numpy as np, pandas as pd
    from sklearn.datasets import make_classification
    def make(n):
        X, y = make_classification(n_samples=n, n_features=50, n_informative=30,
                                   n_redundant=5, n_classes=10, n_clusters_per_class=1,
                                   class_sep=1.5, random_state=0)
        rng = np.random.default_rng(0)
        flipped = rng.choice(n, n // 10, replace=False)
        noisy = y.copy()
        noisy[flipped] = (y[flipped] + rng.integers(1, 10, len(flipped))) % 10
        df = pd.DataFrame(X.astype(np.float32), columns=[f"x{i}" for i in range(50)])
        df["y"] = noisy
        return df, np.sort(flipped)
    def score(found, flipped):
        found = np.asarray(found)
        hit = np.isin(found, flipped).sum()
        return {"precision": hit / max(len(found), 1), "recall": hit / len(flipped)}
    def memory(df):
        import resource, sys
        unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, else KiB
        # its own peak, and the largest child's (lscpu, ldconfig: forks of this process)
        return {"input_bytes": int(df.memory_usage(deep=True).sum()),
                "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit,
                "children_peak_rss_bytes":
                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit}
    """
)

ANALYZE = DATA + textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import dcml_widgets as dw
    n, n_pool = int(sys.argv[1]), int(sys.argv[2])
    df, flipped = make(n + n_pool)
    # the pool: rows of the same distribution whose labels are not known yet
    df, pool = df.iloc[:n].reset_index(drop=True), df.iloc[n:].drop(columns="y")
    flipped = flipped[flipped < n]
    t = time.perf_counter()
    report = dw.analyze(df, label="y", unlabeled=pool if n_pool else None, progress=False)
    run = time.perf_counter() - t
    found = np.flatnonzero(report.issues["is_label_issue"].to_numpy()[:n])
    out = {"total": time.perf_counter() - t0, "run": run, **score(found, flipped),
           "pool": n_pool, "gaps": 0 if report.gaps is None else len(report.gaps),
           "timings": {k: round(v, 2) for k, v in report.timings.items()},
           "model": type(report.model).__name__, **memory(df)}
    print(json.dumps(out))
    """
)

HAND = DATA + textwrap.dedent(
    """
    import json, sys, time, warnings
    t0 = time.perf_counter()
    from cleanlab import Datalab
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    import umap
    df, flipped = make(int(sys.argv[1]))
    t = time.perf_counter()
    X = df.drop(columns="y").to_numpy()
    pred_probs = cross_val_predict(LogisticRegression(max_iter=500), X, df["y"], cv=5,
                                   method="predict_proba")
    lab = Datalab(data=df[["y"]], label_name="y", verbosity=0)
    lab.find_issues(features=X, pred_probs=pred_probs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        coords = umap.UMAP(random_state=0).fit_transform(X)
    run = time.perf_counter() - t
    found = np.flatnonzero(lab.issues["is_label_issue"].to_numpy())
    out = {"total": time.perf_counter() - t0, "run": run, **score(found, flipped), **memory(df)}
    print(json.dumps(out))
    """
)


GB = 1e9
#: analyze's wall-time target per size (issue 17); other sizes have none.
TARGET_S = {100_000: 45.0, 1_000_000: 15 * 60.0}
RATIO_TARGET = 0.6


def rows_arg(text: str) -> int:
    """``20000``, ``20k``, ``100k`` or ``1m`` as a row count."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def fresh(code: str, rows: int, pool: int = 0) -> dict:
    """Run ``code`` in a new interpreter; add the wall time seen from outside.

    The child reports its own peak RSS; the numba cache state is read just before it starts.
    """
    cache = numba_cache_state()
    start = time.perf_counter()
    argv = [sys.executable, "-c", code, str(rows), str(pool)]
    out = subprocess.run(argv, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"child failed ({out.returncode}):\n{out.stderr[-4000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    result["numba_cache_before"] = cache
    result["f1"] = f1(result["precision"], result["recall"])
    return result


def f1(precision: float, recall: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def budget(r: dict) -> tuple[float, bool]:
    """The peak-RSS budget in bytes (2x input + 2 GB) and whether the run stayed under it."""
    limit = 2 * r["input_bytes"] + 2 * GB
    return limit, peak(r) <= limit


def peak(r: dict) -> int:
    """The run's own peak RSS in bytes.

    Its only children are short-lived tools (``lscpu`` from joblib's ``cpu_count``,
    ``ldconfig`` from ``ctypes.util.find_library``): forked from the analysis, their
    ``ru_maxrss`` counts the parent's pages they were forked with, so they are printed but
    not added.
    """
    return r["peak_rss_bytes"]


def describe(name: str, r: dict) -> None:
    """Print one run."""
    limit, ok = budget(r)
    c = r["numba_cache_before"]
    print(
        f"{name:>8}: wall {r['wall']:7.1f} s (work {r['run']:6.1f} s)  label issues "
        f"P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f}",
        flush=True,
    )
    print(
        f"          peak RSS {peak(r) / GB:.2f} GB "
        f"(largest child, a fork of it: {r.get('children_peak_rss_bytes', 0) / GB:.2f}), "
        f"input {r['input_bytes'] / GB:.3f} GB, budget 2x input + 2 GB = {limit / GB:.2f} GB: "
        f"{'PASS' if ok else 'FAIL'}"
        + ("" if name == "analyze" else " (for reference: the budget is analyze's)"),
        flush=True,
    )
    print(
        f"          numba cache before the run: umap {c['umap']} / pynndescent "
        f"{c['pynndescent']} index files ({'warm' if c['warm'] else 'cold'}; {c['dir']})",
        flush=True,
    )
    if "timings" in r:
        print(f"          stages: {r['timings']}  model: {r['model']}", flush=True)


def figures_of(rows: int, res: dict) -> list[dict]:
    """The report rows of one size."""
    out = []
    a, h = res.get("analyze"), res.get("hand")
    size = f"{rows // 1000}k x 50" if rows < 1_000_000 else f"{rows / 1e6:g}M x 50"
    if a is not None:
        target = TARGET_S.get(rows)
        ratio = a["wall"] / h["wall"] if h else None
        cache = "warm" if a["numba_cache_before"]["warm"] else "cold"
        passed = (a["wall"] < target) if target else None
        if target is None and ratio is not None:
            passed = ratio <= RATIO_TARGET
        out.append(
            figure(
                f"analyze {size}, fresh process, wall",
                round(a["wall"], 1),
                "s",
                target=f"< {target:g} s" if target else f"<= {RATIO_TARGET}x hand-built",
                baseline=round(h["wall"], 1) if h else None,
                ratio=round(ratio, 3) if ratio else None,
                passed=passed,
                note=f"numba cache {cache}; stages {a['timings']}",
            )
        )
        out.append(
            figure(
                f"analyze {size}, label-issue F1",
                round(a["f1"], 3),
                target=">= hand-built",
                baseline=round(h["f1"], 3) if h else None,
                ratio=round(a["f1"] / h["f1"], 3) if h and h["f1"] else None,
                passed=(a["f1"] >= h["f1"] - 1e-9) if h else None,
                note=f"P {a['precision']:.3f} R {a['recall']:.3f}",
            )
        )
        limit, ok = budget(a)
        out.append(
            figure(
                f"analyze {size}, peak RSS",
                round(peak(a) / GB, 2),
                "GB",
                target=f"<= 2x input + 2 GB = {limit / GB:.2f} GB",
                baseline=round(peak(h) / GB, 2) if h else None,
                ratio=round(peak(a) / peak(h), 2) if h else None,
                passed=ok,
                note=f"input {a['input_bytes'] / GB:.3f} GB; data making included; the"
                f" largest child (lscpu or ldconfig, forked with the parent's pages)"
                f" {a.get('children_peak_rss_bytes', 0) / GB:.2f} GB not added",
            )
        )
    return out


#: analyze's wall-time target with an unlabeled pool (issue 14), per labelled size.
POOL_TARGET_S = {100_000: 60.0}


def pool_figure(rows: int, pool: int, r: dict) -> dict:
    """The report row of a run with an unlabeled pool."""
    target = POOL_TARGET_S.get(rows)
    return figure(
        f"analyze {rows // 1000}k x 50 + {pool // 1000}k unlabeled, fresh process, wall",
        round(r["wall"], 1),
        "s",
        target=f"< {target:g} s" if target else "",
        passed=(r["wall"] < target) if target else None,
        note=f"{r['gaps']} gaps; stages {r['timings']}",
    )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=rows_arg, nargs="+", default=[20_000],
                        help="sizes: 20000, 20k, 100k, 1m (each in its own processes)")  # fmt: skip
    parser.add_argument("--only", choices=["analyze", "hand"])
    parser.add_argument("--hand-max-rows", type=rows_arg, default=100_000,
                        help="no hand-built run above this size (hours at 1M)")  # fmt: skip
    parser.add_argument("--pool", type=rows_arg, default=0,
                        help="also analyse each size with this many unlabeled rows")  # fmt: skip
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    everything, figures = {}, []
    for rows in args.rows:
        print(f"{rows:,} rows x 50 features", flush=True)
        results = {}
        for name, code in (("analyze", ANALYZE), ("hand", HAND)):
            if args.only not in (None, name):
                continue
            if name == "hand" and rows > args.hand_max_rows:
                print(f"    hand: skipped above {args.hand_max_rows:,} rows", flush=True)
                continue
            results[name] = fresh(code, rows)
            describe(name, results[name])
        if len(results) == 2:
            ratio = results["analyze"]["wall"] / results["hand"]["wall"]
            print(f"analyze / hand-built wall time: {ratio:.2f}x (target <= {RATIO_TARGET:.2f})")
        if rows in TARGET_S and "analyze" in results:
            wall = results["analyze"]["wall"]
            verdict = "PASS" if wall < TARGET_S[rows] else "FAIL"
            print(f"analyze target < {TARGET_S[rows]:g} s (idle machine): {verdict}")
        if args.pool and args.only != "hand":
            results["pool"] = pooled = fresh(ANALYZE, rows, args.pool)
            print(f"with {args.pool:,} unlabeled rows ({pooled['gaps']} gaps reported):")
            describe("analyze", pooled)
            figures.append(pool_figure(rows, args.pool, pooled))
        everything[rows] = results
        figures += figures_of(rows, results)
    print_machine()
    write_json(args.json, "bench_analyze", figures, raw=everything)


if __name__ == "__main__":
    main()
