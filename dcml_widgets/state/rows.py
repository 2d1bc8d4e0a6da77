"""Rows: a read-only, positional view of a DatasetState, for views that work in row positions."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dcml_widgets.state.core import StateCore, labels_series
from dcml_widgets.state.derived import status_bits
from dcml_widgets.state.ids import positions_of


def _positions(positions: Any) -> np.ndarray:
    """Row positions as int64 for fancy indexing (which copies only the rows asked for)."""
    return np.asarray(positions, dtype=np.int64)


class Rows:
    """What a view reads from the state, by row position (``state.rows``).

    Every array is a copy (or a fresh fancy-indexed array): changing it changes nothing.
    Label codes are positions into ``state.classes`` (-1 = missing). The ``*_at`` readers
    take the positions an event names (``change.positions``), so a view updates in time
    proportional to the rows an edit touched.

    Parameters
    ----------
    core : StateCore
        The state's internals.
    """

    def __init__(self, core: StateCore) -> None:
        self._core = core

    @property
    def n(self) -> int:
        """Number of rows."""
        return self._core.n_rows

    def positions(self, ids: Any) -> np.ndarray:
        """Row positions (int64) of one id or many, in the order given.

        Raises
        ------
        KeyError
            If any id is not a row of this dataset.
        TypeError
            If a boolean mask is passed instead of ids.
        """
        return positions_of(self._core.ids, ids)

    @property
    def class_table(self) -> list:
        """Every class ever known, in code order (the codes stored in ``state.log``)."""
        return self._core.table.values

    @property
    def label_codes(self) -> np.ndarray:
        """Current labels as int32 positions into ``state.classes`` (-1 = missing)."""
        core = self._core
        return core.table.public_codes(core.values.codes)

    def codes_at(self, positions: Any) -> np.ndarray:
        """Current labels of the rows at ``positions`` (like ``label_codes[positions]``)."""
        core = self._core
        return core.table.public_codes(core.values.codes[_positions(positions)])

    @property
    def original_codes(self) -> np.ndarray:
        """Original labels as int32 positions into ``state.classes`` (-1 = missing)."""
        core = self._core
        return core.table.public_codes(core.original_codes)

    def original_codes_at(self, positions: Any) -> np.ndarray:
        """Original labels of the rows at ``positions``."""
        core = self._core
        return core.table.public_codes(core.original_codes[_positions(positions)])

    @property
    def excluded_mask(self) -> np.ndarray:
        """Excluded flags in row order."""
        return self._core.values.excluded.copy()

    def excluded_at(self, positions: Any) -> np.ndarray:
        """Excluded flags of the rows at ``positions``."""
        return self._core.values.excluded[_positions(positions)]

    @property
    def reviewed_mask(self) -> np.ndarray:
        """Reviewed flags in row order."""
        return self._core.values.reviewed.copy()

    def reviewed_at(self, positions: Any) -> np.ndarray:
        """Reviewed flags of the rows at ``positions``."""
        return self._core.values.reviewed[_positions(positions)]

    def note_at(self, position: int) -> str | None:
        """The note of the row at ``position``, or None."""
        return self._core.values.notes.get(int(position))

    def status_bits(self, positions: Any = None) -> np.ndarray:
        """Edit status of the rows at ``positions`` (every row when omitted).

        Returns
        -------
        numpy.ndarray
            int8 :func:`~dcml_widgets.state.derived.status_bits` codes.
        """
        values, original = self._core.values, self._core.original_codes
        if positions is None:
            edited = values.codes != original
            return status_bits(values.excluded, edited, values.reviewed)
        pos = _positions(positions)
        edited = values.codes[pos] != original[pos]
        return status_bits(values.excluded[pos], edited, values.reviewed[pos])

    def suggested_codes(self, positions: Any = None) -> np.ndarray:
        """The report's suggested label as positions into ``state.classes`` (-1 = none)."""
        core = self._core
        codes = core.suggested if positions is None else core.suggested[_positions(positions)]
        return core.table.public_codes(codes)

    @property
    def selection(self) -> np.ndarray:
        """Selected rows as int64 positions, ascending."""
        return self._core.selection.copy()

    def snapshot(self) -> tuple[pd.Series, np.ndarray]:
        """Current labels and excluded flags read together (no edit lands in between).

        Returns
        -------
        (pandas.Series, numpy.ndarray)
            Labels (index = row ids, in the label column's dtype where they fit) and the
            excluded mask.
        """
        core = self._core
        with core.lock:
            return labels_series(core, None), core.values.excluded.copy()
