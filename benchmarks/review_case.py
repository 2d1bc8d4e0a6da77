"""The ``--case review`` of ``bench_detection.py``: does ``dw.review_order`` put more truly
wrong labels in front of a reviewer than sorting by ``label_score`` alone?

The set (drawn afresh per seed, nothing fitted to it): Gaussian classes that overlap, 10% of
the labels flipped, five simulated annotators of unequal care (each row seen by three of
them, each annotator wrong at their own rate), and planted conflicting pairs (a row copied
with another label; the copy is the wrong one). A model list (logistic regression and 15-NN)
runs, so the queue has every part: label, models, annotators and conflict (each copy is an
exact duplicate in the model matrix: all pairs reach the conflicting-label check as groups of
two). For a few N, the truly wrong labels among the first N rows of each order are counted;
``ceiling`` is the gain no order can pass (the first N all wrong), which at small N can be
below the target when ``label_score`` is already nearly exact there.
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
#: What the order must add: at least 5% more truly wrong labels than label_score alone.
TARGET_GAIN = 0.05


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
            # the same analysis with the annotator columns unknown to the queue
            alone = report.replace(options={**report.options, "annotators": None})
            no_annotators = dw.review_order(dw.DatasetState(df, "y", report=alone))
        wrong = pd.Series(df["y"].to_numpy() != truth, index=df.index)
        by_score = report.issues["label_score"].sort_values(kind="stable").index
        for n in BUDGETS:
            rows.append(
                {
                    "seed": seed,
                    "N": n,
                    "label_score": int(wrong[by_score[:n]].sum()),
                    "review_order": int(wrong[order.index[:n]].sum()),
                    "without_annotators": int(wrong[no_annotators[:n]].sum()),
                    "n_wrong": int(wrong.sum()),
                    "parts": ",".join(c for c in order.columns if c != "priority"),
                    "analyse_s": t1 - t0,
                    "order_s": t2 - t1,
                }
            )
    return pd.DataFrame(rows)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Per N: the mean over seeds of each order's truly wrong rows, the gain of
    ``review_order`` over ``label_score``, the highest gain any order could reach (the first N
    all wrong), the worst seed's gain, and the verdict against :data:`TARGET_GAIN`."""
    mean = table.groupby("N")[
        ["label_score", "review_order", "n_wrong", "without_annotators"]
    ].mean()
    out = mean[["label_score", "review_order"]].copy()
    out["gain"] = out["review_order"] / out["label_score"] - 1
    best = np.minimum(mean.index.to_numpy(), mean["n_wrong"].to_numpy())
    out["ceiling"] = best / out["label_score"] - 1
    per_seed = table["review_order"] / table["label_score"] - 1
    out["worst_seed_gain"] = per_seed.groupby(table["N"]).min()
    out["verdict"] = np.where(out["gain"] >= TARGET_GAIN - 1e-12, "PASS", "FAIL")
    out["without_annotators"] = mean["without_annotators"]
    out["gain_without"] = out["without_annotators"] / out["label_score"] - 1
    return out


def print_review(n_seeds: int) -> list[dict]:
    """Print the comparison (mean over seeds, ratio, PASS/FAIL per N) and return the figures
    for ``--json``."""
    from _common import figure

    table = run_review(n_seeds)
    summary = summarise(table)
    lines = [
        f"\nReview queue: truly wrong labels in the first N rows, mean of {n_seeds} seeds",
        f"parts used: {table['parts'].iloc[0]}; "
        f"{table['n_wrong'].mean():.1f} truly wrong labels per set",
        "gain = review_order / label_score - 1; ceiling = the gain if the first N were all "
        f"wrong; target gain >= {TARGET_GAIN:+.0%} at every N; without_annotators = the "
        "queue on the same report with the annotator columns unknown to it (not judged)",
        summary.to_string(float_format=lambda v: f"{v:.3f}"),
        f"all N: {'PASS' if (summary['verdict'] == 'PASS').all() else 'FAIL'}",
        "per seed:",
        table[["seed", "N", "label_score", "review_order", "without_annotators"]].to_string(
            index=False
        ),
        f"analysis {table['analyse_s'].mean():.1f}s, "
        f"review_order {table['order_s'].mean():.2f}s per seed",
    ]
    print("\n".join(lines), flush=True)
    return [
        figure(
            f"review_order: truly wrong in the first {n}, mean of {n_seeds} seeds",
            round(float(row.review_order), 1),
            target=f">= {1 + TARGET_GAIN:.2f}x label_score",
            baseline=round(float(row.label_score), 1),
            ratio=round(float(row.review_order / row.label_score), 3),
            passed=row.verdict == "PASS",
            note=f"ceiling {row.ceiling:+.3f}, worst seed {row.worst_seed_gain:+.3f}",
        )
        for n, row in summary.iterrows()
    ]
