"""Row ids: validation and id → position lookup shared by the state and the replay."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.values import native


def row_ids(df: pd.DataFrame, id_column: str | None) -> pd.Index:
    """Return the row ids of ``df``: its index, or the values of ``id_column``.

    Parameters
    ----------
    df : pandas.DataFrame
    id_column : str or None

    Returns
    -------
    pandas.Index
        Unique ids of a JSON-native kind (int or str).

    Raises
    ------
    KeyError
        If ``id_column`` is not a column of ``df``.
    ValueError
        If the ids are not unique, or not ints/strings.
    """
    if id_column is not None:
        if id_column not in df.columns:
            raise KeyError(f"id_column={id_column!r} is not a column of the DataFrame.")
        ids = pd.Index(df[id_column].to_numpy(), name=id_column)
    else:
        ids = df.index
    if isinstance(ids, pd.MultiIndex):
        raise ValueError(
            "Row ids must be ints or strings, not a MultiIndex: reset the index or pass "
            "id_column= naming a column of unique ids."
        )
    if ids.hasnans:
        raise ValueError(
            "Some row ids are missing (NaN): pass id_column= naming a column of unique ids."
        )
    if not ids.is_unique:
        dup = ids[ids.duplicated()][:3].tolist()
        raise ValueError(
            f"Row ids must be unique; {dup} appear more than once. Use df.reset_index(drop=True) "
            "or pass id_column= naming a column of unique ids."
        )
    if pd.api.types.is_integer_dtype(ids.dtype):
        return pd.Index(ids.to_numpy(dtype=np.int64), name=ids.name)
    values = ids.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) != "string":  # checked in C, not per id
        kinds = sorted({type(v).__name__ for v in values if not isinstance(v, str)})
        raise ValueError(
            f"Row ids must be ints or strings (got {', '.join(kinds)}): pass id_column= naming "
            "a column of unique int or str ids, or use df.reset_index(drop=True)."
        )
    return pd.Index(values, dtype=object, name=ids.name)


def as_id_list(ids: Any) -> list:
    """Normalise one id or many into a list (a string is one id, not many)."""
    if isinstance(ids, (str, bytes)) or not pd.api.types.is_list_like(ids):
        return [ids]
    return list(ids)


def _probe(index: pd.Index, ids: Any) -> np.ndarray:
    """``ids`` as a 1-D array for ``index.get_indexer``, converted in C, not id by id."""
    if isinstance(ids, (pd.Index, pd.Series, np.ndarray)):
        values = np.asarray(ids).ravel()
    else:
        listed = as_id_list(ids)
        try:
            values = np.asarray(listed)
            fast = values.ndim == 1 and values.dtype.kind in "iubU"
        except (TypeError, ValueError):
            fast = False
        if not fast:
            values = np.fromiter(listed, dtype=object, count=len(listed))
    if values.dtype == bool:
        raise TypeError(
            "Pass row ids, not a boolean mask: use state.ids[mask] to turn a mask into ids."
        )
    if values.dtype.kind in "iu" and pd.api.types.is_integer_dtype(index.dtype):
        return values
    return values.astype(object)


def positions_of(index: pd.Index, ids: Any) -> np.ndarray:
    """Row positions (int64) of ``ids`` in ``index``, in the order given, without duplicates.

    Parameters
    ----------
    index : pandas.Index
        The unique row ids (see :func:`row_ids`).
    ids : id or list-like of ids
        One id, a list, an array, an Index or a Series of ids.

    Returns
    -------
    numpy.ndarray
        int64 positions, first occurrence order, duplicates dropped.

    Raises
    ------
    KeyError
        Naming the first few ids that are not rows of the dataset.
    TypeError
        If a boolean mask is passed instead of ids.
    """
    probe = _probe(index, ids)
    if probe.size == 0:
        return np.empty(0, dtype=np.int64)
    pos = index.get_indexer(probe)
    if (pos < 0).any():
        missing = [native(v) for v in probe[np.flatnonzero(pos < 0)[:5]]]
        raise KeyError(f"Unknown row id(s) {missing}: ids must be rows of this dataset.")
    pos = pos.astype(np.int64, copy=False)
    _, first = np.unique(pos, return_index=True)
    if len(first) == len(pos):
        return pos
    return pos[np.sort(first)]
