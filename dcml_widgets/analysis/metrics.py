"""Per-class precision, recall, F1 and support, plus accuracy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd


def per_class_metrics(y_true: Any, y_pred: Any, classes: Any) -> tuple[pd.DataFrame, float]:
    """Score predictions against labels, one row per class.

    Rows whose true label is missing are ignored. A class with no true rows has recall 0 and
    support 0; a class never predicted has precision 0 (no division warnings).

    Parameters
    ----------
    y_true : array-like
        Labels (NaN/None = missing, ignored).
    y_pred : array-like
        Predicted labels, same length.
    classes : array-like
        Classes to report, in this order (the table's index).

    Returns
    -------
    table : pandas.DataFrame
        Index = classes; columns ``precision, recall, f1`` (float) and ``support`` (int).
    accuracy : float
        Fraction of labelled rows predicted correctly (NaN if no row is labelled).

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` differ in length.
    """
    from sklearn.metrics import precision_recall_fscore_support

    y_true = pd.Series(np.asarray(y_true, dtype=object))
    y_pred = pd.Series(np.asarray(y_pred, dtype=object))
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} rows but y_pred has {len(y_pred)}.")
    classes = list(np.asarray(classes, dtype=object))
    labelled = y_true.notna().to_numpy()
    # Compare by position in `classes` so mixed or unorderable label types never matter.
    index = {c: i for i, c in enumerate(classes)}
    true_codes = np.array([index.get(v, -1) for v in y_true[labelled]], dtype=np.int64)
    pred_codes = np.array([index.get(v, -2) for v in y_pred[labelled]], dtype=np.int64)
    table = pd.DataFrame(
        {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0},
        index=pd.Index(classes, name="class"),
    )
    if true_codes.size == 0:
        return table, float("nan")
    precision, recall, f1, support = precision_recall_fscore_support(
        true_codes, pred_codes, labels=np.arange(len(classes)), zero_division=0
    )
    table["precision"] = precision.astype(float)
    table["recall"] = recall.astype(float)
    table["f1"] = f1.astype(float)
    table["support"] = support.astype(np.int64)
    accuracy = float(np.mean(true_codes == pred_codes))
    return table, accuracy


def confusion_counts(y_true: Any, y_pred: Any, classes: Any) -> pd.DataFrame:
    """Count (given, predicted) pairs, one row and one column per class.

    Rows whose true label is missing are ignored; a prediction outside ``classes`` (none
    could be made) counts in no column.

    Parameters
    ----------
    y_true : array-like
        Labels (NaN/None = missing, ignored).
    y_pred : array-like
        Predicted labels, same length.
    classes : array-like
        Classes in the order of the index and of the columns.

    Returns
    -------
    pandas.DataFrame
        K x K int64; index named ``given``, columns named ``predicted``.

    Raises
    ------
    ValueError
        If ``y_true`` and ``y_pred`` differ in length.
    """
    from sklearn.metrics import confusion_matrix

    y_true = pd.Series(np.asarray(y_true, dtype=object))
    y_pred = pd.Series(np.asarray(y_pred, dtype=object))
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} rows but y_pred has {len(y_pred)}.")
    classes = list(np.asarray(classes, dtype=object))
    labelled = y_true.notna().to_numpy()
    # By position in `classes`, as per_class_metrics does: label types never need ordering.
    index = {c: i for i, c in enumerate(classes)}
    true_codes = np.array([index.get(v, -1) for v in y_true[labelled]], dtype=np.int64)
    pred_codes = np.array([index.get(v, -2) for v in y_pred[labelled]], dtype=np.int64)
    counts = np.zeros((len(classes), len(classes)), dtype=np.int64)
    if true_codes.size:
        counts = confusion_matrix(true_codes, pred_codes, labels=np.arange(len(classes)))
    return pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(classes, name="given"),
        columns=pd.Index(classes, name="predicted"),
    )
