"""The state's internals, in one holder the state's own modules share."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state.classes import ClassTable, encode_labels, labels_in_dtype
from dcml_widgets.state.ids import row_ids
from dcml_widgets.state.log import EditLog
from dcml_widgets.state.store import RowValues

NO_ROWS = np.empty(0, dtype=np.int64)


@dataclass(eq=False)
class StateCore:
    """Everything a :class:`~dcml_widgets.DatasetState` holds, for its own modules.

    :mod:`.dataset` (the public commands), :mod:`.edits` (planning and applying a group),
    :mod:`.resume` (journal records back into groups) and :mod:`.rows` (the read-only view
    for the views) work on it; nothing outside the state package touches it.

    Attributes
    ----------
    ids : pandas.Index
        Row ids in row order.
    original_values : numpy.ndarray or ExtensionArray
        A private copy of the label column as given.
    original_codes : numpy.ndarray
        int32 codes of the original labels into :attr:`table` (-1 = missing).
    table : ClassTable
        Every class ever known.
    values : RowValues
        Current label codes, flags and notes.
    log : EditLog
        The append-only log.
    lock : threading.RLock
        Held by every command, so an edit from the browser and one from a cell never mix.
    selection : numpy.ndarray
        Selected row positions (int64, ascending; view state).
    suggested : numpy.ndarray
        The report's suggested label per row as a table code (int32, -1 = none).
    guidelines : dict
        The guideline of each class that has one: class -> ``{"class", "text", "examples"}``.
    reviewer : str or None
        Who makes the edits now (each group records it as its ``author``).
    """

    ids: pd.Index
    original_values: Any
    original_codes: np.ndarray
    table: ClassTable
    values: RowValues
    log: EditLog = field(default_factory=EditLog)
    lock: Any = field(default_factory=threading.RLock)
    selection: np.ndarray = field(default_factory=lambda: NO_ROWS)
    suggested: np.ndarray = field(default_factory=lambda: NO_ROWS)
    guidelines: dict = field(default_factory=dict)
    reviewer: str | None = None

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.ids)


def labels_series(core: StateCore, name: str | None) -> pd.Series:
    """The current labels (index = row ids), in the label column's dtype where they fit it."""
    values = labels_in_dtype(
        core.original_values, core.original_codes, core.values.codes, core.table
    )
    dtype = object if isinstance(values, np.ndarray) and values.dtype == object else None
    return pd.Series(values, index=core.ids, name=name, dtype=dtype, copy=False)


def build_core(df: pd.DataFrame, label: str, id_column: str | None) -> StateCore:
    """Check ``df`` and encode its ids and labels into a fresh :class:`StateCore`.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame.
    KeyError
        If ``label`` (or ``id_column``) is not a column.
    ValueError
        If the frame is empty, or the row ids are not unique ints or strings.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"DatasetState needs a pandas DataFrame, got {type(df).__name__}.")
    if label not in df.columns:
        raise KeyError(
            f"Label column {label!r} is not in the DataFrame; columns are "
            f"{list(df.columns)[:10]}. Pass label= naming the column that holds the labels."
        )
    if len(df) == 0:
        raise ValueError(
            "The DataFrame is empty: there is nothing to review. Pass a frame with rows."
        )
    if id_column is not None and id_column == label:
        raise ValueError("id_column= and label= name the same column; ids must be their own.")
    column = df[label]
    if isinstance(column, pd.DataFrame):
        raise ValueError(f"Label column {label!r} appears more than once; rename one.")
    ids = row_ids(df, id_column)
    original, table, codes = encode_labels(column)
    core = StateCore(ids, original, codes, table, RowValues(codes.copy()))
    core.suggested = np.full(len(df), -1, dtype=np.int32)
    return core


def cleaned_frame(core: StateCore, frame: pd.DataFrame, label: str) -> pd.DataFrame:
    """A copy of ``frame`` with the current labels applied and excluded rows dropped.

    Parameters
    ----------
    core : StateCore
    frame : pandas.DataFrame
        The raw frame ``core`` was built from.
    label : str
        The label column.

    Returns
    -------
    pandas.DataFrame
        Same columns and index; the label column in its original dtype where the labels fit.
    """
    out = frame.copy()
    labels = labels_series(core, label)
    out[label] = pd.Series(labels.array, index=out.index, dtype=labels.dtype, copy=False)
    excluded = core.values.excluded
    if excluded.any():
        out = out.iloc[np.flatnonzero(~excluded)]
    return out
