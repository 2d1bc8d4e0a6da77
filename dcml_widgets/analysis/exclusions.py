"""``analyze(..., exclude=ids)``: rows analysed but never trained on or label-checked.

The labels the model and the label checks see are the given ones with the excluded rows'
blanked; the report keeps the given labels, and the pool (rows to label) is only the rows
whose given label is missing and that are not excluded.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.analysis.labels import validate_labels


@dataclasses.dataclass(frozen=True)
class LabelSplit:
    """The given labels and the part of them the analysis trains on.

    Attributes
    ----------
    given : pandas.Series
        Labels as given (index = row ids).
    labels : pandas.Series
        What is trained on and label-checked: ``given`` with excluded rows missing.
    classes : numpy.ndarray
        ``np.unique`` of the present ``labels``.
    notes : list of str
    excluded, pool, trained : numpy.ndarray
        ``(N,)`` bool: excluded rows; rows without a given label, not excluded; rows with
        a label, not excluded.
    """

    given: pd.Series
    labels: pd.Series
    classes: np.ndarray
    notes: list[str]
    excluded: np.ndarray
    pool: np.ndarray
    trained: np.ndarray


def excluded_ids(index: pd.Index, exclude: Any) -> list | None:
    """``exclude=`` as the list of those row ids in row order (``None`` for none).

    Parameters
    ----------
    index : pandas.Index
        The frame's row ids.
    exclude : None, a row id, or a sequence of them

    Returns
    -------
    list or None

    Raises
    ------
    KeyError
        If an id is not a row of the frame.
    """
    if exclude is None:
        return None
    if isinstance(exclude, str) or np.ndim(exclude) == 0:
        exclude = [exclude]
    wanted = pd.Index(list(exclude))
    if len(wanted) == 0:
        return None
    found = index.get_indexer_for(wanted)
    if (found < 0).any():
        unknown = wanted[found < 0][:5].tolist()
        raise KeyError(f"exclude= names row id(s) {unknown} that are not in the frame.")
    mask = np.zeros(len(index), dtype=bool)
    mask[found] = True
    return index[mask].tolist()


def split_labels(df: pd.DataFrame, label: str, exclude: list | None) -> LabelSplit:
    """Validate the labels the analysis trains on and say which rows are pool or excluded.

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
    exclude : list or None
        From :func:`excluded_ids`.

    Returns
    -------
    LabelSplit

    Raises
    ------
    KeyError, ValueError
        As :func:`~dcml_widgets.analysis.labels.validate_labels`, on the labels that remain
        once the excluded rows are blanked.
    """
    if label not in df.columns or not exclude:
        labels, classes, notes = validate_labels(df, label)
        excluded = np.zeros(len(df), dtype=bool)
        given = labels
    else:
        given = df[label]
        excluded = df.index.isin(exclude)
        blanked = _blank(given, excluded)
        labels, classes, notes = validate_labels(
            pd.DataFrame({label: blanked}, index=df.index), label
        )
        n_pool = int((given.isna().to_numpy() & ~excluded).sum())
        notes = [n for n in notes if "have no label" not in n]
        if n_pool:
            notes.append(
                f"{n_pool} of {len(df)} rows have no label: they are left out of training "
                "and of the label checks, but still predicted and checked for other issues."
            )
        notes.append(
            f"{int(excluded.sum())} excluded rows are analysed (predicted, placed on the map, "
            "checked for other issues) but not trained on or label-checked."
        )
    present = given.notna().to_numpy()
    return LabelSplit(
        given=given,
        labels=labels,
        classes=classes,
        notes=list(notes),
        excluded=excluded,
        pool=~present & ~excluded,
        trained=present & ~excluded,
    )


def _blank(labels: pd.Series, mask: np.ndarray) -> pd.Series:
    """``labels`` missing where ``mask``, in a dtype that allows it (ints become Int64)."""
    if labels.dtype.kind in "iu":
        labels = labels.astype("Int64")
    elif labels.dtype.kind == "b":
        labels = labels.astype("boolean")
    return labels.mask(pd.Series(mask, index=labels.index))
