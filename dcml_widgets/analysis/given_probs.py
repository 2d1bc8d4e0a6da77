"""The user's own ``pred_probs=``: checked, put in the report's class order, renormalised.

A model trained elsewhere orders its columns its own way, so ``classes=`` may name them; the
report's classes are then ``np.unique`` of the labels and those names, and the columns are
permuted to that order. Rows that sum to 1 within :data:`SUM_TOLERANCE` are renormalised
(softmax outputs stored as float16 or rounded to a few digits); anything further off, any
negative or missing value, is refused naming the first bad row.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

#: Largest |row sum - 1| that is renormalised; beyond it the probabilities are refused.
SUM_TOLERANCE = 1e-2
# Rows off by less than this are float rounding (float32 softmax); renormalised without a note.
_ROUNDING = 1e-6


@dataclasses.dataclass(frozen=True)
class GivenProbs:
    """Checked probabilities in the report's class order.

    Attributes
    ----------
    pred_probs : numpy.ndarray
        ``(N, K)`` float64, rows summing to 1, columns in :attr:`classes` order.
    classes : numpy.ndarray
        ``np.unique`` of the labels and of ``classes=`` (when given).
    notes : tuple of str
        What was done to the input (e.g. how many rows were renormalised).
    """

    pred_probs: np.ndarray
    classes: np.ndarray
    notes: tuple[str, ...] = ()


def check_pred_probs(
    pred_probs: Any,
    label_classes: np.ndarray,
    *,
    classes: Sequence[Any] | None = None,
    ids: pd.Index | None = None,
) -> GivenProbs:
    """Validate user-given probabilities and order their columns like the report's classes.

    Parameters
    ----------
    pred_probs : array-like
        ``(N, K)`` out-of-sample probabilities.
    label_classes : numpy.ndarray
        ``np.unique`` of the present labels.
    classes : sequence, optional
        Names of ``pred_probs``' columns, in column order. Without it the columns must follow
        ``label_classes``.
    ids : pandas.Index, optional
        Row ids (length N), to name a bad row by id as well as by position.

    Returns
    -------
    GivenProbs

    Raises
    ------
    ValueError
        Wrong shape, a label no column names, duplicate names, NaN, infinite or negative
        values, or a row whose sum is more than :data:`SUM_TOLERANCE` away from 1 (the
        message names the first bad row).
    TypeError
        If ``classes`` is a string or not a sequence.
    """
    try:
        probs = np.array(pred_probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"pred_probs= must be a numeric (N, K) array: {exc}") from exc
    n_rows = len(ids) if ids is not None else probs.shape[0]
    names = np.asarray(label_classes) if classes is None else _names(classes)
    if probs.ndim != 2 or probs.shape != (n_rows, len(names)):
        order = "classes= order" if classes is not None else "np.unique order of the labels"
        raise ValueError(
            f"pred_probs= must have shape (N, K) = ({n_rows}, {len(names)}), one column per "
            f"class in {order} {list(names)[:10]}; got shape {probs.shape}."
        )
    report_classes, notes = np.asarray(label_classes), []
    if classes is not None:
        report_classes = _union(label_classes, names)
        probs = probs[:, pd.Index(list(names)).get_indexer(list(report_classes))]
    _refuse(np.asarray(~np.isfinite(probs).all(axis=1)), "holds NaN or an infinite value", ids)
    _refuse(np.asarray((probs < 0).any(axis=1)), "holds a negative value", ids)
    sums = probs.sum(axis=1)
    off = np.abs(sums - 1.0)
    _refuse(
        off > SUM_TOLERANCE,
        f"sums to {{sum:.4f}}, more than {SUM_TOLERANCE:g} away from 1 (apply a softmax or "
        "normalise the rows)",
        ids,
        sums,
    )
    n_renormalised = int((off > _ROUNDING).sum())
    if n_renormalised:
        notes.append(
            f"pred_probs=: {n_renormalised} rows summed to 1 only within {SUM_TOLERANCE:g}; "
            "they were renormalised."
        )
    return GivenProbs(probs / sums[:, None], report_classes, tuple(notes))


def _names(classes: Any) -> np.ndarray:
    if isinstance(classes, str | bytes) or not isinstance(
        classes, Sequence | np.ndarray | pd.Index | pd.Series
    ):
        raise TypeError(
            "classes= must be a sequence naming pred_probs' columns in order, e.g. "
            f"model.classes_; got {type(classes).__name__}."
        )
    values = list(classes)
    counts = pd.Series(values, dtype=object).value_counts()
    repeated = [v for v, c in counts.items() if c > 1]
    if repeated:
        raise ValueError(f"classes= names {repeated[:5]} more than once; each column once.")
    return np.asarray(values, dtype=object)


def _union(label_classes: np.ndarray, names: np.ndarray) -> np.ndarray:
    """``np.unique`` of the labels and the named classes, in the labels' dtype when it can."""
    unnamed = _absent(label_classes, names)
    if unnamed:
        raise ValueError(
            f"{len(unnamed)} label(s) are not named by classes= (pred_probs' column names), "
            f"e.g. {sorted(unnamed, key=str)[:5]}; classes= names {list(names)[:10]}."
        )
    extra = _absent(names, label_classes)
    if not extra:
        return np.asarray(label_classes)
    try:
        extra_array = np.asarray(extra, dtype=np.asarray(label_classes).dtype)
    except (TypeError, ValueError):
        extra_array = np.asarray(extra, dtype=object)
    try:
        return np.unique(np.concatenate([np.asarray(label_classes), extra_array]))
    except TypeError as exc:
        raise ValueError(
            f"classes= mixes name types with the labels ({extra[:5]} vs "
            f"{list(label_classes)[:5]}): give names of the labels' type."
        ) from exc


def _absent(values: Any, among: Any) -> list[Any]:
    """The entries of ``values`` that ``among`` does not hold (by value, across int/float)."""
    positions = pd.Index(list(among)).get_indexer(list(values))
    return [v for v, pos in zip(values, positions, strict=True) if pos < 0]


def _refuse(
    bad: np.ndarray, problem: str, ids: pd.Index | None, sums: np.ndarray | None = None
) -> None:
    rows = np.flatnonzero(bad)
    if rows.size == 0:
        return
    first = int(rows[0])
    where = f"row {first}" + (f" (id {ids[first]!r})" if ids is not None else "")
    what = problem.format(sum=sums[first]) if sums is not None else problem
    raise ValueError(f"pred_probs= {where} {what}; {rows.size} row(s) like it.")
