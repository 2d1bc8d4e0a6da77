"""pred_probs= alone (no feature column): time to the first look and to the final report.

Each size runs in a fresh process (imports done before timing). Data: a 10-class model's
probabilities with 5% flipped labels. The baseline, run by hand in the same process, is what
a cleanlab user writes for the same input: ``find_label_issues(labels, pred_probs)`` plus
``OutOfDistribution`` fitted on the labelled rows. Prints figures, ratios and the label-error
precision/recall of both; asserts nothing. ``--knn`` also times the neighbour-search options
on sqrt(P) (k-d tree, brute force, the grouped search) at each size.

    python benchmarks/bench_pred_probs.py [--rows 10000 100000] [--classes 10] [--knn]
        [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap

from _common import add_json_arg, figure, print_machine, write_json

CHILD = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np, pandas as pd
    from cleanlab.filter import find_label_issues
    from cleanlab.outlier import OutOfDistribution
    from cleanlab import Datalab  # noqa: F401  (import cost outside both timings)
    from dcml_widgets.analysis.pipeline import start_analysis

    n, n_classes, knn = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1"
    rng = np.random.default_rng(0)
    truth = rng.integers(0, n_classes, n)
    logits = rng.normal(0, 1, (n, n_classes))
    logits[np.arange(n), truth] += 4.0
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    labels = truth.copy()
    flipped = np.sort(rng.choice(n, n // 20, replace=False))
    labels[flipped] = (labels[flipped] + rng.integers(1, n_classes, flipped.size)) % n_classes

    def score(found):
        hit = np.isin(found, flipped).sum()
        return {"precision": hit / max(len(found), 1), "recall": hit / len(flipped)}

    t = time.perf_counter()
    issues = find_label_issues(labels, probs)
    ood = OutOfDistribution()
    ood.fit(pred_probs=probs, labels=labels, verbose=False)
    ood.score(pred_probs=probs)
    hand = {"seconds": time.perf_counter() - t, **score(np.flatnonzero(issues))}

    df = pd.DataFrame({"path": [f"img/{i:06d}.png" for i in range(n)], "y": labels})
    t = time.perf_counter()
    pending = start_analysis(df, "y", pred_probs=probs, progress=False)
    first = time.perf_counter() - t
    report = pending.finish()
    final = time.perf_counter() - t
    found = np.flatnonzero(report.issues["is_label_issue"].to_numpy())
    ours = {"first": first, "final": final, **score(found),
            "timings": {k: round(v, 2) for k, v in report.timings.items()}}
    out = {"hand": hand, "ours": ours}
    if knn:
        from sklearn.neighbors import NearestNeighbors
        from threadpoolctl import threadpool_limits
        from dcml_widgets.analysis import knn_probs
        roots = np.sqrt(probs).astype(np.float32)
        searches = {}
        with threadpool_limits(limits=1):
            for algorithm in ("kd_tree", "brute"):
                if algorithm == "kd_tree" and n_classes > 5 and n > 20_000:
                    searches[algorithm] = float("nan")  # minutes (a 100k x 10 run: 120 s)
                    continue
                t = time.perf_counter()
                NearestNeighbors(n_neighbors=14, algorithm=algorithm).fit(roots).kneighbors()
                searches[algorithm] = time.perf_counter() - t
        knn_probs.BRUTE_MAX_ROWS = 0
        t = time.perf_counter()
        graph = knn_probs.probability_neighbors(probs, 14)
        searches["grouped"] = time.perf_counter() - t
        searches["grouped_method"] = graph.method
        out["knn"] = searches
    print(json.dumps(out))
    """
)


def run(rows: int, classes: int, knn: bool) -> dict:
    """One size in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(rows), str(classes), "1" if knn else "0"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--knn", action="store_true")
    add_json_arg(parser)
    args = parser.parse_args()
    print_machine()
    figures, raw = [], {}
    for rows in args.rows:
        r = run(rows, args.classes, args.knn)
        raw[rows] = r
        hand, ours = r["hand"], r["ours"]
        figures += summary(rows, ours, hand)
        print(
            f"{rows:>7} rows x {args.classes} classes: first look {ours['first']:6.1f} s, "
            f"final (UMAP) {ours['final']:6.1f} s | by hand (find_label_issues + "
            f"OutOfDistribution) {hand['seconds']:5.2f} s | first look / by hand "
            f"{ours['first'] / hand['seconds']:5.1f}x",
            flush=True,
        )
        print(
            f"         label issues P {ours['precision']:.3f} R {ours['recall']:.3f} "
            f"(by hand P {hand['precision']:.3f} R {hand['recall']:.3f}); "
            f"stages {ours['timings']}",
            flush=True,
        )
        if "knn" in r:
            k = r["knn"]
            print(
                f"         kNN on sqrt(P), one thread: k-d tree {k['kd_tree']:.2f} s, brute "
                f"{k['brute']:.2f} s, grouped {k['grouped']:.2f} s ({k['grouped_method']})",
                flush=True,
            )

    print_machine()
    write_json(args.json, "bench_pred_probs", figures, raw=raw)


def summary(rows: int, ours: dict, hand: dict) -> list[dict]:
    """The report rows of one size: first look vs by hand, and label-issue F1."""

    def f1(r: dict) -> float:
        p, q = r["precision"], r["recall"]
        return 2 * p * q / (p + q) if p + q else 0.0

    return [
        figure(
            f"pred_probs= only, {rows // 1000}k rows: first look",
            round(ours["first"], 2),
            "s",
            baseline=round(hand["seconds"], 2),
            ratio=round(ours["first"] / hand["seconds"], 2),
            note=f"final (UMAP) {ours['final']:.1f} s; baseline find_label_issues + OOD",
        ),
        figure(
            f"pred_probs= only, {rows // 1000}k rows: label-issue F1",
            round(f1(ours), 3),
            target=">= by hand",
            baseline=round(f1(hand), 3),
            ratio=round(f1(ours) / f1(hand), 3) if f1(hand) else None,
            passed=f1(ours) >= f1(hand) - 1e-9,
        ),
    ]


if __name__ == "__main__":
    main()
