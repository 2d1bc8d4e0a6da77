"""The evidence behind the review queue, one part per source, each in [0, 1] (1 = look first).

Every part reads what an analysis already computed (``report.issues``, ``report.pred_probs``)
or, for annotators, cleanlab's ActiveLab on the annotator columns; none retrains anything.
NaN marks a row a part says nothing about (a pool row has no label score, a row no
annotator saw has no annotator part), so the priority averages only what is known.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd


def label_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """``1 - label_score``: how little the model believes the row's label (labelled rows).

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order.
    labelled : numpy.ndarray
        ``(N,)`` bool: rows that carry a label.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN on unlabelled rows; None when the report has no label score.
    """
    if "label_score" not in issues.columns:
        return None
    score = pd.to_numeric(issues["label_score"], errors="coerce").to_numpy(dtype=np.float64)
    return np.where(labelled, 1.0 - np.clip(score, 0.0, 1.0), np.nan)


def models_part(issues: pd.DataFrame, n_models: int) -> np.ndarray | None:
    """Share of a model list's members whose out-of-fold prediction differs from the label.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order (``num_models_disagreeing`` when a model list ran).
    n_models : int
        Members in the list.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN where unlabelled; None without a model list.
    """
    if "num_models_disagreeing" not in issues.columns or n_models < 2:
        return None
    count = pd.to_numeric(issues["num_models_disagreeing"], errors="coerce")
    return count.to_numpy(dtype=np.float64, na_value=np.nan) / n_models


def conflict_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """Share of a conflicting group that gave another label than this row (0 outside groups).

    A row whose near-identical twins mostly say something else is likely the wrong one; a
    two-row pair with two labels gives both 0.5.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order (``is_conflicting_label_issue`` and
        ``conflicting_label_score`` when the conflicting-label check ran).
    labelled : numpy.ndarray
        ``(N,)`` bool.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN where unlabelled; None when the check did not run.
    """
    needed = ("is_conflicting_label_issue", "conflicting_label_score")
    if any(c not in issues.columns for c in needed):
        return None
    flagged = issues["is_conflicting_label_issue"].fillna(False).to_numpy(dtype=bool)
    share = pd.to_numeric(issues["conflicting_label_score"], errors="coerce")
    other = 1.0 - np.clip(share.to_numpy(dtype=np.float64, na_value=1.0), 0.0, 1.0)
    return np.where(labelled, np.where(flagged, other, 0.0), np.nan)


def pool_part(issues: pd.DataFrame, labelled: np.ndarray) -> np.ndarray | None:
    """``1 - underrepresented_score`` on pool rows: the less the labelled rows cover a pool
    row's neighbourhood, the more a label for it teaches the model.

    Parameters
    ----------
    issues : pandas.DataFrame
        ``report.issues`` in row order.
    labelled : numpy.ndarray
        ``(N,)`` bool.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float, NaN on labelled rows; None without a pool.
    """
    if "underrepresented_score" not in issues.columns or labelled.all():
        return None
    score = pd.to_numeric(issues["underrepresented_score"], errors="coerce")
    need = 1.0 - np.clip(score.to_numpy(dtype=np.float64, na_value=np.nan), 0.0, 1.0)
    return np.where(labelled, np.nan, need)


def annotators_part(
    annotations: pd.DataFrame | None,
    labels: pd.Series,
    classes: np.ndarray,
    pred_probs: np.ndarray,
) -> np.ndarray | None:
    """``1 - ActiveLab score``: how unsure annotators, the current label and the model together
    leave the row's true label (cleanlab's ``get_active_learning_scores``).

    The current label counts as one more annotator, so a row whose annotators contradict its
    label scores high even when they agree among themselves; rows nobody labelled get
    ActiveLab's score for unlabelled rows (from the model alone).

    Parameters
    ----------
    annotations : pandas.DataFrame or None
        One column per annotator, row order, NaN where that annotator did not label the row.
    labels : pandas.Series
        Current labels in row order (missing on pool rows).
    classes : numpy.ndarray
        ``report.classes``; ``pred_probs`` columns follow it.
    pred_probs : numpy.ndarray
        ``(N, K)`` out-of-sample probabilities.

    Returns
    -------
    numpy.ndarray or None
        ``(N,)`` float; None without annotators (or with fewer than two classes).
    """
    if annotations is None or annotations.shape[1] == 0 or len(classes) < 2:
        return None
    from cleanlab.multiannotator import get_active_learning_scores

    columns = [annotations[c] for c in annotations.columns] + [labels]
    codes = np.column_stack([_codes(c, classes) for c in columns]).astype(np.float64)
    codes[codes < 0] = np.nan
    seen = ~np.isnan(codes).all(axis=1)
    probs = np.asarray(pred_probs, dtype=np.float64)
    out = np.full(len(codes), np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scores, unseen_scores = get_active_learning_scores(
            codes[seen] if seen.any() else None,
            probs[seen] if seen.any() else None,
            probs[~seen] if (~seen).any() else None,
        )
    if seen.any():
        out[seen] = 1.0 - np.asarray(scores, dtype=np.float64)
    if (~seen).any():
        out[~seen] = 1.0 - np.asarray(unseen_scores, dtype=np.float64)
    return np.clip(out, 0.0, 1.0)


def _codes(values: Any, classes: np.ndarray) -> np.ndarray:
    """Class positions, ``-1`` where missing; a value outside ``classes`` (an annotator's
    typo, a class added since the analysis) counts as missing rather than stopping the queue."""
    values = np.asarray(pd.Series(values).to_numpy(), dtype=object)
    return pd.Index(list(classes)).get_indexer(values).astype(np.int64)
