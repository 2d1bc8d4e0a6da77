"""``report.slices``: where the model is worse, by a metadata column or a discovered cluster.

A slice is the rows with one value of a column (numeric columns named in ``slices=`` are
binned into quantiles), or one of the clusters Datalab's underperforming_group check judged.
Each is compared with the rest of the labelled, non-excluded rows on out-of-sample accuracy.
The gap's interval is Newcombe's hybrid score interval
(:mod:`~dcml_widgets.analysis.proportions`) at the Bonferroni level 1 - 0.05 / m for m
slices compared: the m intervals hold together with 95% probability (simultaneous 95%
intervals), and ``significant`` = the interval excludes 0. Without the correction, one slice
in twenty would look worse by chance alone. Bonferroni rather than Holm because it gives an
interval per slice, not only a decision; sorting by the corrected upper bound also keeps a
small slice's chance dip from outranking a large slice's real one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.proportions import difference_interval

COLUMNS = (
    "source",
    "column",
    "value",
    "n",
    "accuracy",
    "accuracy_gap",
    "ci_low",
    "ci_high",
    "label_issue_rate",
    "significant",
)
#: Distinct values a default candidate column may have.
MIN_VALUES, MAX_VALUES = 2, 50
#: Quantile bins for a numeric column named in ``slices=``.
N_BINS = 4
#: Smallest slice kept: this many rows, or this share of the compared rows if larger.
MIN_ROWS, MIN_SHARE = 20, 0.01
#: Family-wise level of the intervals (each slice's at 1 - (1 - CONFIDENCE) / m).
CONFIDENCE = 0.95
#: Feature-plan roles never sliced by default (free text, identifiers, pictures, ...).
_NOT_METADATA = {"text", "id", "image", "leak", "unsupported", "all_missing", "constant"}


@dataclasses.dataclass(frozen=True)
class SliceResult:
    """What :func:`find_slices` found.

    Attributes
    ----------
    table : pandas.DataFrame
        ``report.slices`` (RangeIndex, columns :data:`COLUMNS`), sorted by ``ci_high``.
    positions : tuple of numpy.ndarray
        Row positions of each slice's compared rows, aligned with ``table``.
    """

    table: pd.DataFrame
    positions: tuple[np.ndarray, ...]


def empty_slices() -> pd.DataFrame:
    """An empty ``report.slices`` table with its columns.

    Returns
    -------
    pandas.DataFrame
    """
    table = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    return table.astype(
        {
            "n": np.int64,
            "accuracy": float,
            "accuracy_gap": float,
            "ci_low": float,
            "ci_high": float,
            "label_issue_rate": float,
            "significant": bool,
        }
    )


def check_slices_option(df: pd.DataFrame, label: str, slices: Any) -> None:
    """Refuse a bad ``slices=`` before any work.

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
    slices : None, False, or a list of column names

    Raises
    ------
    TypeError
        If ``slices`` is not ``None``, ``False`` or a list of column names.
    KeyError
        If a named column is not in ``df``.
    ValueError
        If the label column is named.
    """
    if slices is None or slices is False:
        return
    if isinstance(slices, str) or not isinstance(slices, Sequence | pd.Index):
        raise TypeError(
            f"slices= takes None (default columns), False (off) or a list of column names, "
            f"got {type(slices).__name__}; e.g. slices=['scanner']."
        )
    missing = [c for c in slices if c not in df.columns]
    if missing:
        raise KeyError(f"slices= names column(s) {missing[:5]} that are not in the frame.")
    if label in list(slices):
        raise ValueError(f"slices= names the label column {label!r}; slice by other columns.")


def candidate_columns(
    df: pd.DataFrame, label: str, plan: pd.DataFrame, skip: Sequence[str] = ()
) -> list[str]:
    """The default slice columns: string, category or bool columns with 2–50 values.

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
        Never a candidate.
    plan : pandas.DataFrame
        The feature plan; columns it calls free text, identifiers or images are skipped.
    skip : sequence of str
        More columns that are never candidates (annotator columns).

    Returns
    -------
    list of str
    """
    roles = dict(zip(plan["column"], plan["role"], strict=True)) if len(plan) else {}
    out = []
    for name in df.columns:
        if name == label or name in skip or roles.get(name) in _NOT_METADATA:
            continue
        values = df[name]
        kind = values.dtype
        textual = (
            pd.api.types.is_object_dtype(kind)
            or pd.api.types.is_string_dtype(kind)
            or isinstance(kind, pd.CategoricalDtype)
            or pd.api.types.is_bool_dtype(kind)
        )
        if textual and MIN_VALUES <= values.nunique(dropna=True) <= MAX_VALUES:
            out.append(str(name))
    return out


def find_slices(
    columns: pd.DataFrame,
    correct: np.ndarray,
    compared: np.ndarray,
    label_issues: np.ndarray,
    *,
    numeric: Sequence[str] = (),
    clusters: np.ndarray | None = None,
) -> SliceResult:
    """Accuracy of every slice against the rest, with intervals.

    Parameters
    ----------
    columns : pandas.DataFrame
        The columns to slice by (row order of the analysis).
    correct : numpy.ndarray
        ``(N,)`` bool: the out-of-sample prediction equals the given label.
    compared : numpy.ndarray
        ``(N,)`` bool: rows that count (labelled, not excluded).
    label_issues : numpy.ndarray
        ``(N,)`` bool label-issue flags.
    numeric : sequence of str
        Columns of ``columns`` binned into :data:`N_BINS` quantiles instead of by value.
    clusters : numpy.ndarray, optional
        ``(N,)`` Datalab's underperforming_group cluster ids (``-1`` none): each cluster is
        a slice with source ``"underperforming_group"`` (column ``"cluster"``).

    Returns
    -------
    SliceResult
    """
    correct = np.asarray(correct, bool)
    compared = np.asarray(compared, bool)
    label_issues = np.asarray(label_issues, bool)
    candidates = list(_column_slices(columns, numeric, compared))
    if clusters is not None:
        candidates += _groups("underperforming_group", "cluster", np.asarray(clusters), compared)
    total = int(compared.sum())
    smallest = max(MIN_ROWS, int(np.ceil(MIN_SHARE * total)))
    kept = [c for c in candidates if len(c[3]) >= smallest and total - len(c[3]) >= 1]
    rows, positions = [], []
    level = 1 - (1 - CONFIDENCE) / max(len(kept), 1)
    right_total = int(correct[compared].sum())
    for source, column, value, where in kept:
        n_in = len(where)
        right_in = int(correct[where].sum())
        n_out, right_out = total - n_in, right_total - right_in
        low, high = difference_interval(right_in, n_in, right_out, n_out, level)
        rows.append(
            {
                "source": source,
                "column": column,
                "value": value,
                "n": n_in,
                "accuracy": right_in / n_in,
                "accuracy_gap": right_in / n_in - right_out / n_out,
                "ci_low": low,
                "ci_high": high,
                "label_issue_rate": float(label_issues[where].mean()),
                "significant": bool(high < 0 or low > 0),
            }
        )
        positions.append(where)
    if not rows:
        return SliceResult(empty_slices(), ())
    order = np.argsort([r["ci_high"] for r in rows], kind="stable")
    table = pd.DataFrame([rows[i] for i in order], columns=list(COLUMNS))
    table = table.astype({"n": np.int64, "significant": bool})
    return SliceResult(table, tuple(positions[i] for i in order))


def _column_slices(columns: pd.DataFrame, numeric: Sequence[str], compared: np.ndarray):
    for name in columns.columns:
        values = columns[name]
        if name in numeric and pd.api.types.is_numeric_dtype(values.dtype):
            if pd.api.types.is_bool_dtype(values.dtype):
                groups = values
            else:
                groups = pd.qcut(values, N_BINS, duplicates="drop").astype(str)
                groups = groups.where(values.notna())
        else:
            groups = values
        codes, uniques = pd.factorize(groups, sort=True)
        for source, column, i, where in _groups("column", str(name), codes, compared):
            yield source, column, _plain(uniques[i]), where


def _groups(source: str, column: str, codes: np.ndarray, compared: np.ndarray) -> list[tuple]:
    """``(source, column, code, positions)`` per code ``>= 0``, counting compared rows only.

    One sort instead of a mask per code: Datalab finds thousands of clusters at 100k rows,
    and N-row masks for each took memory quadratic in N (0.55 GB at 100k, OOM at 1M).
    """
    rows = np.flatnonzero(compared & (codes >= 0))
    if not len(rows):
        return []
    order = rows[np.argsort(codes[rows], kind="stable")]
    values, starts = np.unique(codes[order], return_index=True)
    return [
        (source, column, int(v), where)
        for v, where in zip(values, np.split(order, starts[1:]), strict=True)
    ]


def _plain(value: Any) -> Any:
    """A slice value as a plain Python value (numpy scalars unwrapped)."""
    return value.item() if isinstance(value, np.generic) else value
