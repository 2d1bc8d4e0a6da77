"""The ``--case review`` of ``bench_detection.py``: does ``dw.review_order`` put more truly
wrong labels in front of a reviewer than sorting by ``label_score`` alone?

The set (drawn afresh per seed, nothing fitted to it): Gaussian classes that overlap, 10% of
the labels flipped, five simulated annotators of unequal care (each row seen by three of
them, each annotator wrong at their own rate), and planted conflicting pairs (a row copied
with another label; the copy is the wrong one). A model list (logistic regression and 15-NN)
runs, so the queue has every part: label, models, annotators and (when the conflicting-label
check exists) conflict. For a few N, the truly wrong labels among the first N rows of each
order are counted.
"""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

import dcml_widgets as dw
from dcml_widgets.analysis.pipeline import start_analysis

FLIP_RATE = 0.10
ANNOTATOR_ERROR = (0.05, 0.1, 0.2, 0.3, 0.4)
PER_ROW = 3
BUDGETS = (50, 100, 150, 200)


def review_set(
    n: int = 1500, n_classes: int = 4, n_pairs: int = 40, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """A frame with planted wrong labels, annotator columns and conflicting pairs.

    Returns
    -------
    (DataFrame, ndarray, list of str)
        Columns ``f0..f7``, annotator columns, ``y``; the true labels; the annotator names.
    """
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, n)
    centers = rng.normal(0, 0.8, (n_classes, 8))
    x = centers[truth] + rng.normal(size=(n, 8))
    given = truth.copy()
    flips = rng.choice(n, int(FLIP_RATE * n), replace=False)
    given[flips] = (truth[flips] + rng.integers(1, n_classes, flips.size)) % n_classes
    # conflicting pairs: a clean row copied, the copy labelled as another class
    clean = np.setdiff1d(np.arange(n), flips)
    src = rng.choice(clean, n_pairs, replace=False)
    x = np.vstack([x, x[src]])
    truth = np.concatenate([truth, truth[src]])
    copy_label = (truth[src] + rng.integers(1, n_classes, n_pairs)) % n_classes
    given = np.concatenate([given, copy_label])
    total = len(truth)
    df = pd.DataFrame(x, columns=[f"f{i}" for i in range(8)])
    names = [f"annotator_{i + 1}" for i in range(len(ANNOTATOR_ERROR))]
    votes = np.full((total, len(names)), np.nan)
    for row in range(total):
        for j in rng.choice(len(names), PER_ROW, replace=False):
            wrong = rng.random() < ANNOTATOR_ERROR[j]
            votes[row, j] = (
                (truth[row] + rng.integers(1, n_classes)) % n_classes if wrong else truth[row]
            )
    for j, name in enumerate(names):
        df[name] = pd.array(
            [None if np.isnan(v) else f"c{int(v)}" for v in votes[:, j]], dtype=object
        )
    df["y"] = [f"c{v}" for v in given]
    return df, np.array([f"c{v}" for v in truth], dtype=object), names


def run_review(n_seeds: int) -> pd.DataFrame:
    """Truly wrong labels in the first N of each order, per seed and budget."""
    rows = []
    for seed in range(n_seeds):
        df, truth, names = review_set(seed=seed)
        models = [LogisticRegression(max_iter=500), KNeighborsClassifier(15, weights="distance")]
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            report = start_analysis(
                df, "y", annotators=names, model=models, random_state=seed, progress=False
            ).first_look
            state = dw.DatasetState(df, "y", report=report)
            t1 = time.perf_counter()
            order = dw.review_order(state, scores=True)
        t2 = time.perf_counter()
        wrong = pd.Series(df["y"].to_numpy() != truth, index=df.index)
        by_score = report.issues["label_score"].sort_values(kind="stable").index
        for n in BUDGETS:
            rows.append(
                {
                    "seed": seed,
                    "N": n,
                    "label_score": int(wrong[by_score[:n]].sum()),
                    "review_order": int(wrong[order.index[:n]].sum()),
                    "parts": ",".join(c for c in order.columns if c != "priority"),
                    "analyse_s": t1 - t0,
                    "order_s": t2 - t1,
                }
            )
    return pd.DataFrame(rows)


def print_review(n_seeds: int) -> None:
    """Print the comparison (mean over seeds) and the ratio against label_score alone."""
    table = run_review(n_seeds)
    print(f"\nReview queue: truly wrong labels in the first N rows, mean of {n_seeds} seeds")
    print(f"parts used: {table['parts'].iloc[0]}")
    summary = table.groupby("N")[["label_score", "review_order"]].mean()
    summary["gain"] = summary["review_order"] / summary["label_score"] - 1
    print(summary.to_string(float_format=lambda v: f"{v:.3f}"))
    print("per seed:")
    print(table[["seed", "N", "label_score", "review_order"]].to_string(index=False))
    print(f"analysis {table['analyse_s'].mean():.1f}s, review_order {table['order_s'].mean():.2f}s")
