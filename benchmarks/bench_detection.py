"""Label-error detection: dcml-widgets' analysis vs the hand-built pipeline.

For each data set, 10% of the labels are flipped to another class at random (the flipped rows
are known), then:

- hand-built: ``cross_val_predict(LogisticRegression(max_iter=1000), X, y, cv=5,
  method="predict_proba")`` on the raw features, then ``cleanlab.filter.find_label_issues``;
- ours: ``start_analysis(df, label="y").first_look`` (the same issues ``dw.analyze`` reports,
  without waiting for the UMAP layout); rows with ``is_label_issue``.

Precision, recall and F1 of the flagged rows against the flipped rows, averaged over seeds.
Target: F1 at least equal on every set, better on average.

``--candidates`` also prints the model comparison behind ``default_model`` (each candidate's
out-of-sample probabilities through ``find_label_issues``).

Run: ``python benchmarks/bench_detection.py [--seeds 3] [--candidates]
[--noise uniform class-conditional] [--json PATH]``;
``--case review`` compares ``dw.review_order`` with ``label_score`` (``review_case.py``).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from _common import add_json_arg, figure, print_machine, write_json
from cleanlab.filter import find_label_issues
from sklearn import datasets
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

from dcml_widgets.analysis.features import build_features
from dcml_widgets.analysis.pipeline import start_analysis
from dcml_widgets.analysis.predict import out_of_sample

NOISE = 0.10


def _mixed(n: int = 2000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """A messy frame: numbers with gaps, a category, short text, dates and an ID column."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, n)
    centers = rng.normal(0, 1.2, (4, 5))
    num = centers[y] + rng.normal(size=(n, 5))
    num[rng.random(num.shape) < 0.1] = np.nan
    df = pd.DataFrame(num, columns=[f"x{i}" for i in range(5)])
    shop = np.where(rng.random(n) < 0.6, y, rng.integers(0, 4, n))
    df["shop"] = [f"shop-{v}" for v in shop]
    vocab = np.array([["red", "warm"], ["blue", "cold"], ["green", "fresh"], ["grey", "dull"]])
    words = ["the", "a", "item", "very", "quite", "looks", "feels"]
    df["comment"] = [
        " ".join([*rng.choice(words, 3), *rng.choice(vocab[c if rng.random() < 0.5 else 0], 2)])
        for c in y
    ]
    df["when"] = (
        pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    ).strftime("%Y-%m-%d")
    df["order_id"] = np.arange(n) + 10_000
    return df, y


def _hand_matrix(df: pd.DataFrame) -> np.ndarray:
    """What a user would do by hand: one-hot the category, drop text/dates/IDs, fill gaps."""
    numeric = df[[c for c in df.columns if c.startswith("x")]].fillna(0.0)
    dummies = pd.get_dummies(df["shop"], dtype=float)
    return pd.concat([numeric, dummies], axis=1).to_numpy()


def data_sets() -> dict[str, tuple[pd.DataFrame, np.ndarray, np.ndarray]]:
    """name -> (feature frame, hand-built matrix, true labels)."""
    out = {}
    loaders = {
        "digits": datasets.load_digits,
        "wine": datasets.load_wine,
        "breast_cancer": datasets.load_breast_cancer,
        "iris": datasets.load_iris,
    }
    for name, load in loaders.items():
        x, y = load(return_X_y=True)
        out[name] = (pd.DataFrame(x, columns=[f"f{i}" for i in range(x.shape[1])]), x, y)
    x, y = datasets.make_classification(
        3000, 20, n_informative=10, n_classes=5, n_clusters_per_class=2, random_state=0
    )
    out["synthetic_5class"] = (pd.DataFrame(x, columns=[f"f{i}" for i in range(20)]), x, y)
    mixed, y = _mixed()
    out["mixed_frame"] = (mixed, _hand_matrix(mixed), y)
    return out


def flip(y: np.ndarray, seed: int, noise: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    """Flip NOISE of the labels to another class; return the noisy labels and the mask.

    ``uniform``: a flipped row gets any other class at random. ``class-conditional``: class
    ``c`` is flipped at a rate of its own (0.5x to 1.5x NOISE, drawn per seed) and always to
    one confusable class (``c + 1`` modulo the classes), the asymmetric noise of real
    annotation; about NOISE of the rows overall.
    """
    rng = np.random.default_rng(seed)
    k = int(y.max()) + 1
    noisy = y.copy()
    if noise == "uniform":
        rows = rng.choice(len(y), int(NOISE * len(y)), replace=False)
        noisy[rows] = (y[rows] + rng.integers(1, k, rows.size)) % k
    else:
        rates = NOISE * rng.uniform(0.5, 1.5, k)
        rows = np.flatnonzero(rng.random(len(y)) < rates[y])
        noisy[rows] = (y[rows] + 1) % k
    return noisy, np.isin(np.arange(len(y)), rows)


def scores(found: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    """Precision, recall, F1 of flagged rows against the flipped rows."""
    tp = float((found & truth).sum())
    p = tp / max(found.sum(), 1)
    r = tp / max(truth.sum(), 1)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _candidates() -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier, VotingClassifier
    from sklearn.neighbors import KNeighborsClassifier

    def lr():
        return LogisticRegression(max_iter=500)

    def hgb():
        return HistGradientBoostingClassifier(early_stopping=True, random_state=0)

    def knn():
        return KNeighborsClassifier(15, weights="distance", algorithm="brute")

    return {
        "lr": lr,
        "hgb": hgb,
        "lr+hgb": lambda: VotingClassifier([("l", lr()), ("h", hgb())], voting="soft"),
        "lr+knn": lambda: VotingClassifier([("l", lr()), ("k", knn())], voting="soft"),
    }


def run(n_seeds: int, candidates: bool, noise: str = "uniform") -> pd.DataFrame:
    rows = []
    for name, (frame, hand_x, y) in data_sets().items():
        for seed in range(n_seeds):
            noisy, truth = flip(y, seed, noise)
            t0 = time.perf_counter()
            probs = cross_val_predict(
                LogisticRegression(max_iter=1000), hand_x, noisy, cv=5, method="predict_proba"
            )
            found = find_label_issues(noisy, probs)
            rows.append((name, "hand-built", seed, *scores(found, truth), time.perf_counter() - t0))

            df = frame.assign(y=noisy)
            t0 = time.perf_counter()
            report = start_analysis(df, "y", progress=False).first_look
            found = report.issues["is_label_issue"].to_numpy(dtype=bool)
            rows.append(
                (name, "dcml-widgets", seed, *scores(found, truth), time.perf_counter() - t0)
            )

            if candidates:
                matrix = build_features(df, "y").matrix
                for cand, make in _candidates().items():
                    t0 = time.perf_counter()
                    pred = out_of_sample(matrix, df["y"], np.unique(noisy), model=make())
                    found = find_label_issues(noisy, pred.pred_probs)
                    elapsed = time.perf_counter() - t0
                    rows.append((name, f"cand:{cand}", seed, *scores(found, truth), elapsed))
            print(f"  {name} seed {seed} done", flush=True)
    return pd.DataFrame(rows, columns=["data", "method", "seed", "precision", "recall", "f1", "s"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=None, help="3 (detection), 5 (review)")
    parser.add_argument("--candidates", action="store_true")
    parser.add_argument("--case", choices=["detection", "review"], default="detection")
    parser.add_argument("--noise", nargs="+", choices=["uniform", "class-conditional"],
                        default=["uniform", "class-conditional"])  # fmt: skip
    add_json_arg(parser)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.case == "review":
        from review_case import print_review  # the review queue's case (its own module)

        print_machine()
        figures = print_review(args.seeds or 5)
        write_json(args.json, "bench_detection", figures)
        return
    args.seeds = args.seeds or 3
    print_machine()
    figures, raw = [], {}
    for noise in args.noise:
        results = run(args.seeds, args.candidates, noise)
        table = results.groupby(["data", "method"], sort=False)[["precision", "recall", "f1", "s"]]
        table = table.mean().round(3)
        pd.set_option("display.width", 120)
        print(f"\nLabel-error detection, {NOISE:.0%} flipped ({noise}), mean of {args.seeds} seeds")
        print(table.to_string())
        f1 = results.groupby(["data", "method"])["f1"].mean().unstack()
        ratio = f1["dcml-widgets"] - f1["hand-built"]
        print("\nF1 dcml-widgets - hand-built per set:")
        print(ratio.round(3).to_string())
        ours, hand = f1["dcml-widgets"].mean(), f1["hand-built"].mean()
        every = bool((ratio >= -1e-9).all())
        print(
            f"\nmean F1 ({noise}): dcml-widgets {ours:.3f}, hand-built {hand:.3f}; "
            f"at least equal on every set: {every}"
        )
        worse = ", ".join(f"{k} {v:+.3f}" for k, v in ratio.items() if v < -1e-9)
        figures.append(
            figure(
                f"detection F1, {NOISE:.0%} {noise} noise, mean of {len(f1)} sets",
                round(float(ours), 3),
                target=">= hand-built on every set",
                baseline=round(float(hand), 3),
                ratio=round(float(ours / hand), 3) if hand else None,
                passed=every,
                note=f"{args.seeds} seeds" + (f"; below on {worse}" if worse else ""),
            )
        )
        raw[noise] = f1.round(4).to_dict()
    print_machine()
    write_json(args.json, "bench_detection", figures, raw=raw)


if __name__ == "__main__":
    main()
