"""Small, real inputs for view and state tests that must not wait for the full analysis.

``quick_report`` builds an :class:`AuditReport` with a plain logistic regression,
cleanlab's ``find_label_issues`` and a PCA layout: real numbers, computed in well under a
second, so view tests exercise the views rather than UMAP's compile time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from cleanlab.filter import find_label_issues
from cleanlab.rank import get_label_quality_scores
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from dcml_widgets.analysis.report import AuditReport


def blobs_frame(
    n: int = 120, n_classes: int = 3, n_flipped: int = 8, seed: int = 0
) -> tuple[pd.DataFrame, np.ndarray]:
    """A labelled frame of Gaussian blobs with ``n_flipped`` known wrong labels.

    Returns
    -------
    (DataFrame, ndarray)
        Columns ``f0, f1, f2, text, y`` (y holds class names ``c0..``), and the positions
        of the flipped rows.
    """
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % n_classes
    centers = rng.normal(0, 6, size=(n_classes, 3))
    x = centers[truth] + rng.normal(0, 1, size=(n, 3))
    labels = truth.copy()
    flipped = rng.choice(n, size=n_flipped, replace=False)
    labels[flipped] = (labels[flipped] + 1) % n_classes
    df = pd.DataFrame(x, columns=["f0", "f1", "f2"])
    df["text"] = [f"row {i} of class c{t}" for i, t in enumerate(truth)]
    df["y"] = [f"c{v}" for v in labels]
    return df, np.sort(flipped)


def quick_report(df: pd.DataFrame, label: str = "y", features: list[str] | None = None):
    """A real, fast :class:`AuditReport` for ``df`` (LR + find_label_issues + PCA layout)."""
    cols = features or [c for c in df.columns if c != label and df[c].dtype.kind in "fiub"]
    x = df[cols].to_numpy(dtype=np.float32)
    y = df[label]
    classes = np.unique(y.to_numpy())
    codes = np.searchsorted(classes, y.to_numpy())
    n_folds = int(min(5, np.bincount(codes).min()))
    folds = np.empty(len(df), dtype=np.int64)
    skf = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0)
    for i, (_, test) in enumerate(skf.split(x, codes)):
        folds[test] = i
    model = LogisticRegression(max_iter=500)
    probs = cross_val_predict(model, x, codes, cv=skf, method="predict_proba")
    is_issue = find_label_issues(codes, probs)
    scores = get_label_quality_scores(codes, probs)
    predicted = classes[probs.argmax(1)]
    issues = pd.DataFrame(
        {
            "is_label_issue": is_issue,
            "label_score": scores,
            "is_outlier_issue": np.zeros(len(df), bool),
            "outlier_score": np.ones(len(df)),
            "given_label": y.to_numpy(),
            "predicted_label": predicted,
            "suggested_label": np.where(is_issue, predicted, None),
            "is_too_rare": np.zeros(len(df), bool),
        },
        index=df.index,
    )
    summary = pd.DataFrame(
        {
            "issue_type": ["label", "outlier"],
            "num_issues": [int(is_issue.sum()), 0],
            "score": [float(scores.mean()), 1.0],
        }
    )
    p, r, f, s = precision_recall_fscore_support(
        codes, probs.argmax(1), labels=range(len(classes)), zero_division=0
    )
    metrics = pd.DataFrame({"precision": p, "recall": r, "f1": f, "support": s}, index=classes)
    embedding = PCA(n_components=2, random_state=0).fit_transform(x).astype(np.float32)
    return AuditReport(
        label=label,
        ids=df.index,
        classes=classes,
        given=y.copy(),
        pred_probs=probs,
        predicted=pd.Series(predicted, index=df.index),
        folds=folds,
        feature_plan=pd.DataFrame(
            {"column": cols, "role": "numeric", "detail": "used as given (test factory)"}
        ),
        model_matrix=x,
        model=model,
        issues=issues,
        summary=summary,
        embedding=embedding,
        embedding_method="pca",
        metrics=metrics,
        accuracy=float((probs.argmax(1) == codes).mean()),
    )
