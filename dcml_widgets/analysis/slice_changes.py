"""``cmp.slices``: each of the report's slices, accuracy before and after the edits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: The report.slices keys repeated in cmp.slices.
KEYS = ("source", "column", "value")


def slice_changes(
    report: Any,
    given: pd.Series | None,
    predicted_before: np.ndarray | None,
    edited: pd.Series | None,
    predicted_after: np.ndarray | None,
) -> pd.DataFrame:
    """Accuracy per slice of ``report.slices`` before and after the edits.

    Each slice keeps the rows the report counted in it; "before" scores the original
    predictions against the labels the report trained on, "after" the retrained predictions
    against the edited labels, each on the slice's rows that have such a label (excluded or
    unlabelled rows drop out).

    Parameters
    ----------
    report : AuditReport
    given : pandas.Series or None
        Labels before (row order of the report; missing = not counted). ``None`` (with
        the predictions): not measured on these rows, every accuracy NaN.
    predicted_before : numpy.ndarray
        ``(N,)`` predicted classes before.
    edited : pandas.Series
        Labels after (missing = excluded or unlabelled).
    predicted_after : numpy.ndarray
        ``(N,)`` predicted classes after.

    Returns
    -------
    pandas.DataFrame
        RangeIndex aligned with ``report.slices``: ``source, column, value,
        accuracy_before, accuracy_after, accuracy_delta`` (NaN where a slice has no row left).
    """
    table = report.slices
    out = table.loc[:, list(KEYS)].copy() if len(table) else pd.DataFrame(columns=list(KEYS))
    before = _accuracies(report, given, predicted_before)
    after = _accuracies(report, edited, predicted_after)
    out["accuracy_before"] = np.asarray(before, dtype=np.float64)
    out["accuracy_after"] = np.asarray(after, dtype=np.float64)
    out["accuracy_delta"] = out["accuracy_after"] - out["accuracy_before"]
    return out.reset_index(drop=True)


def _accuracies(report: Any, labels: pd.Series | None, predicted: Any) -> list[float]:
    if labels is None or predicted is None:
        return [np.nan] * len(report.slice_positions)
    values = labels.to_numpy(dtype=object)
    known = pd.notna(values)
    right = known & (values == np.asarray(predicted, dtype=object))
    out = []
    for where in report.slice_positions:
        n = int(known[where].sum())
        out.append(float(right[where].sum() / n) if n else np.nan)
    return out
