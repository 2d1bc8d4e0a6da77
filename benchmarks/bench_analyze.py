"""analyze() vs the hand-built pipeline, each in a fresh process (numba compiles counted).

Hand-built = LogisticRegression cross_val_predict + cleanlab Datalab(features=) + umap-learn,
what a practitioner writes without this package. Data: synthetic 20k x 50, 10 classes, 10%
flipped labels (positions known). Prints wall times, the ratio (target <= 0.6) and
label-error precision/recall of both; asserts nothing.

    python benchmarks/bench_analyze.py [--rows 20000] [--only analyze|hand]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import textwrap
import time

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
    """
)

ANALYZE = DATA + textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import dcml_widgets as dw
    df, flipped = make(int(sys.argv[1]))
    t = time.perf_counter()
    report = dw.analyze(df, label="y", progress=False)
    run = time.perf_counter() - t
    found = np.flatnonzero(report.issues["is_label_issue"].to_numpy())
    out = {"total": time.perf_counter() - t0, "run": run, **score(found, flipped),
           "timings": {k: round(v, 2) for k, v in report.timings.items()},
           "model": type(report.model).__name__}
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
    out = {"total": time.perf_counter() - t0, "run": run, **score(found, flipped)}
    print(json.dumps(out))
    """
)


def fresh(code: str, rows: int) -> dict:
    """Run ``code`` in a new interpreter; add the wall time seen from outside."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, str(rows)], capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--only", choices=["analyze", "hand"])
    args = parser.parse_args()
    results = {}
    for name, code in (("analyze", ANALYZE), ("hand", HAND)):
        if args.only in (None, name):
            results[name] = fresh(code, args.rows)
            r = results[name]
            print(
                f"{name:>8}: wall {r['wall']:7.1f} s (work {r['run']:6.1f} s)  "
                f"label issues P {r['precision']:.2f} R {r['recall']:.2f}",
                flush=True,
            )
            if "timings" in r:
                print(f"          stages: {r['timings']}  model: {r['model']}", flush=True)
    if len(results) == 2:
        ratio = results["analyze"]["wall"] / results["hand"]["wall"]
        print(f"analyze / hand-built wall time: {ratio:.2f}x (target <= 0.60)")


if __name__ == "__main__":
    main()
