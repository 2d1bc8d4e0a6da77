"""Checks of :func:`~dcml_widgets.analyze`'s options that need no computation, run first so a
bad combination fails before anything is trained."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd


def is_given_array(features: Any) -> bool:
    """Whether ``features=`` is the user's own array (not ``None`` or column names).

    Parameters
    ----------
    features : object

    Returns
    -------
    bool
    """
    return features is not None and not isinstance(features, list | tuple | pd.Index)


def check_options(*, pred_probs: Any, classes: Any, self_check: Any) -> None:
    """Refuse option combinations that cannot work.

    Parameters
    ----------
    pred_probs, classes, self_check
        As given to :func:`~dcml_widgets.analyze`.

    Raises
    ------
    TypeError
        ``classes=`` without ``pred_probs=``, or a non-bool ``self_check``.
    ValueError
        ``self_check=True`` with ``pred_probs=`` (the user's model cannot be rerun here).
    """
    if classes is not None and pred_probs is None:
        raise TypeError(
            "classes= names the columns of pred_probs=, so it is only taken with pred_probs=; "
            "without it the classes are np.unique of the labels."
        )
    if not isinstance(self_check, bool | np.bool_):
        raise TypeError(f"self_check= must be True or False; got {type(self_check).__name__}.")
    if self_check and pred_probs is not None:
        raise ValueError(
            "self_check=True needs features= or a model: it retrains the model on planted "
            "labels, and with pred_probs= the flags come from your own model, which cannot be "
            "rerun here. Drop pred_probs= (pass features=, e.g. your embeddings) to self-check "
            "a model trained here."
        )


def check_no_features_model(model: Any) -> None:
    """With ``pred_probs=`` alone there is nothing to train a ``model=`` on.

    Parameters
    ----------
    model : object

    Raises
    ------
    ValueError
        If a model was given.
    """
    if model is not None:
        raise ValueError(
            "model= needs features to train on, and the frame has no usable feature column: "
            "pass features= (your embeddings as an (N, d) array, or column names) as well, "
            "or drop model= to audit pred_probs= alone."
        )


def annotations_frame(df: pd.DataFrame, label: str, annotators: Any) -> pd.DataFrame | None:
    """The annotator columns (or frame) aligned with ``df``, or ``None``.

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
    annotators : list of str, DataFrame or None

    Returns
    -------
    pandas.DataFrame or None

    Raises
    ------
    KeyError, TypeError, ValueError
        Unknown columns, a wrong type, or a frame not indexed like ``df``.
    """
    if annotators is None:
        return None
    if isinstance(annotators, pd.DataFrame):
        if not annotators.index.isin(df.index).all() or len(annotators.columns) == 0:
            raise ValueError(
                "annotators= as a DataFrame must be indexed by the same row ids as df, with "
                "one column per annotator."
            )
        return annotators.reindex(df.index)
    if isinstance(annotators, str) or not isinstance(annotators, Sequence | pd.Index):
        raise TypeError(
            "annotators= must be a list of column names (one per annotator) or a DataFrame "
            f"indexed like df; got {type(annotators).__name__}."
        )
    columns = list(annotators)
    absent = [c for c in columns if c not in df.columns]
    if absent:
        raise KeyError(f"annotators= names column(s) {absent} that are not in df.")
    if label in columns or not columns:
        raise ValueError("annotators= must list annotator columns other than the label.")
    return df[columns]


def check_layout(layout: Any, n: int) -> np.ndarray | None:
    """The user's ``(N, 2)`` layout as finite float32, or ``None``.

    Parameters
    ----------
    layout : array-like or None
    n : int
        Number of rows.

    Returns
    -------
    numpy.ndarray or None

    Raises
    ------
    ValueError
        Not numeric, wrong shape, or not finite.
    """
    if layout is None:
        return None
    try:
        coords = np.asarray(layout, dtype=np.float32)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"layout= must be a numeric (N, 2) array: {exc}") from exc
    if coords.shape != (n, 2):
        raise ValueError(f"layout= must have shape (N, 2) = ({n}, 2); got {coords.shape}.")
    if not np.isfinite(coords).all():
        raise ValueError("layout= holds NaN or infinite values.")
    return np.ascontiguousarray(coords)


def missing_pattern(df, label, features, exclude) -> np.ndarray | None:
    """Which raw input values are missing, for Datalab's null check.

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
    features : None, list of str or array
    exclude : list of str
        Columns that are not inputs (annotators).

    Returns
    -------
    numpy.ndarray or None
        ``(N, c)`` bool; ``None`` when there is no raw input column.
    """
    if is_given_array(features):
        values = np.asarray(features)
        if values.dtype.kind in "fc" and values.ndim == 2:
            return np.isnan(values)
        return np.zeros((len(df), 1), bool)
    columns = (
        list(features)
        if features is not None
        else [c for c in df.columns if c != label and c not in set(exclude)]
    )
    if not columns:
        return None
    return df[columns].isna().to_numpy()
