"""The label column: check it is a single-label classification target; encode it as codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

# An integer label with more distinct values than this (and than half the rows) is taken
# for a regression target.
_MAX_INTEGER_CLASSES = 200


def validate_labels(df: pd.DataFrame, label: str) -> tuple[pd.Series, np.ndarray, list[str]]:
    """The labels (index = row ids), their sorted classes, and notes for the user.

    Parameters
    ----------
    df : pandas.DataFrame
        The frame; its index is the row ids and must be unique.
    label : str
        Label column.

    Returns
    -------
    labels : pandas.Series
        ``df[label]``; NaN/None where missing.
    classes : numpy.ndarray
        ``np.unique`` of the present labels.
    notes : list of str

    Raises
    ------
    KeyError
        If ``label`` is not a column.
    ValueError
        If the ids are not unique, or the target is not single-label classification with at
        least two classes.
    """
    if label not in df.columns:
        raise KeyError(
            f"Label column {label!r} is not in the frame; pass label= one of {list(df.columns)}."
        )
    if not df.index.is_unique:
        raise ValueError(
            "Row ids (the DataFrame index) must be unique: use df.reset_index(drop=True) or "
            "df.set_index(<a unique id column>)."
        )
    labels = df[label]
    if isinstance(labels, pd.DataFrame):
        raise ValueError(f"More than one column is named {label!r}; rename the duplicates.")
    present = labels[labels.notna()]
    if present.empty:
        raise ValueError(
            f"Every value of {label!r} is missing: at least two labelled classes are needed."
        )
    if present.map(lambda v: isinstance(v, list | tuple | set | frozenset | np.ndarray)).any():
        raise ValueError(
            f"{label!r} holds several labels per row (a multi-label target), which is not "
            "supported: give one class per row, e.g. one analysis per tag."
        )
    if labels.dtype.kind in "fc":
        values = present.to_numpy(dtype=np.float64)
        if not np.isfinite(values).all() or not np.all(values == np.round(values)):
            raise ValueError(
                f"{label!r} holds non-integer numbers: it looks like a regression target. "
                "Only classification is supported; bin it (pd.cut) or cast class codes to int."
            )
    try:
        classes = np.unique(present.to_numpy())
    except TypeError as exc:
        raise ValueError(
            f"{label!r} mixes label types (e.g. numbers and strings): cast it with "
            f"df[{label!r}].astype(str)."
        ) from exc
    if labels.dtype.kind in "iuf" and len(classes) > max(_MAX_INTEGER_CLASSES, len(present) // 2):
        raise ValueError(
            f"{label!r} has {len(classes)} distinct numeric values in {len(present)} rows: it "
            "looks like a regression target. Only classification is supported."
        )
    if len(classes) < 2:
        raise ValueError(
            f"{label!r} has a single class ({classes[0]!r}): at least two are needed to "
            "find label issues."
        )
    notes = []
    n_missing = int(len(labels) - len(present))
    if n_missing:
        notes.append(
            f"{n_missing} of {len(labels)} rows have no label: they are left out of training "
            "and of the label checks, but still predicted and checked for other issues."
        )
    return labels, classes, notes


def encode_labels(y: pd.Series | np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Map labels to positions in ``classes``; missing labels become ``-1``.

    Parameters
    ----------
    y : array-like
        Labels (NaN/None = missing).
    classes : numpy.ndarray
        Known classes.

    Returns
    -------
    numpy.ndarray
        ``(N,)`` int64 codes.

    Raises
    ------
    ValueError
        If a present label is not one of ``classes``.
    """
    y = pd.Series(np.asarray(y, dtype=object))
    missing = y.isna().to_numpy()
    codes = pd.Index(list(classes)).get_indexer(y).astype(np.int64)
    unknown = (codes < 0) & ~missing
    if unknown.any():
        raise ValueError(
            f"Labels {sorted(map(str, pd.unique(y[unknown])))[:5]} are not among the classes "
            f"{list(classes)[:10]}."
        )
    return codes
