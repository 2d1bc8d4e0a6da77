"""A stable sort order of all rows by one key, updated in place when a few keys change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Above this share of rows changed at once, a full re-sort beats moving rows one by one.
INCREMENTAL_LIMIT = 0.02


def _stable_argsort(keys: np.ndarray) -> np.ndarray:
    """Ascending, ties by row position; missing values last; mixed objects sort as text."""
    if keys.dtype == object:
        return _argsort_objects(keys)
    if keys.dtype.kind in "iub" and keys.size and -(2**15) <= keys.min() and keys.max() < 2**15:
        keys = keys.astype(np.int16)  # numpy radix-sorts 16-bit keys: codes sort ~10x faster
    return np.argsort(keys, kind="stable").astype(np.int64, copy=False)


def _argsort_objects(keys: np.ndarray) -> np.ndarray:
    # Arrow's stable sort is C code; numpy's on an object array compares Python strings.
    try:
        order = pc.array_sort_indices(pa.array(keys, from_pandas=True), null_placement="at_end")
    except (pa.ArrowException, TypeError, ValueError):  # mixed types (ints and strings), lists
        order = pc.array_sort_indices(pa.array(pd.Series(keys).astype(str)))
    return order.to_numpy().astype(np.int64, copy=False)


class SortedOrder:
    """All row positions sorted ascending by ``keys`` (ties in row order).

    Parameters
    ----------
    keys : numpy.ndarray
        One sort key per row (numbers sort numerically with NaN last; strings as text).

    Notes
    -----
    :meth:`update` moves only the rows whose key changed (two binary searches each, then
    one ``np.delete``/``np.insert``), so a relabel on a million-row state costs a few
    milliseconds instead of a full re-sort.
    """

    def __init__(self, keys: np.ndarray) -> None:
        self._keys = np.asarray(keys).copy()
        self.order = _stable_argsort(self._keys)
        self._sorted = self._keys[self.order]

    @property
    def n_rows(self) -> int:
        """Number of rows ordered."""
        return len(self.order)

    def update(self, positions: np.ndarray, new_keys: np.ndarray) -> None:
        """Give the rows at ``positions`` the keys ``new_keys`` and keep the order sorted.

        Parameters
        ----------
        positions : numpy.ndarray
            Row positions (unique).
        new_keys : numpy.ndarray
            Their new keys, aligned with ``positions``.
        """
        positions = np.asarray(positions, dtype=np.int64)
        new_keys = np.asarray(new_keys, dtype=self._keys.dtype)
        if positions.size == 0:
            return
        old_keys = self._keys[positions]
        self._keys[positions] = new_keys
        if positions.size > INCREMENTAL_LIMIT * self.n_rows or self._keys.dtype == object:
            self.order = _stable_argsort(self._keys)
            self._sorted = self._keys[self.order]
            return
        # Find the moved rows where they sit now: within their old key's run, by position.
        old_at = self._locate(self._sorted, self.order, old_keys, positions)
        keep = np.ones(self.n_rows, dtype=bool)
        keep[old_at] = False
        order = self.order[keep]
        sorted_keys = self._sorted[keep]
        # Insert each moved row after equal keys of lower position, before those of higher.
        at = self._locate(sorted_keys, order, new_keys, positions)
        by = np.lexsort((positions, new_keys, at))  # rows landing in one gap: sorted too
        self.order = _insert(order, at[by], positions[by])
        self._sorted = _insert(sorted_keys, at[by], new_keys[by])

    @staticmethod
    def _locate(
        sorted_keys: np.ndarray, order: np.ndarray, keys: np.ndarray, positions: np.ndarray
    ) -> np.ndarray:
        """Index of (key, position) in an order sorted by key, then by position."""
        lo = np.searchsorted(sorted_keys, keys, side="left")
        hi = np.searchsorted(sorted_keys, keys, side="right")
        at = lo.astype(np.int64)
        for i, (a, b, p) in enumerate(
            zip(lo.tolist(), hi.tolist(), positions.tolist(), strict=True)
        ):
            if b > a:
                at[i] = a + int(np.searchsorted(order[a:b], p))
        return at


def _insert(values: np.ndarray, at: np.ndarray, new: np.ndarray) -> np.ndarray:
    """``np.insert`` for sorted ``at`` in one pass (numpy's is slow on large int64 arrays)."""
    out = np.empty(len(values) + len(new), dtype=values.dtype)
    dest = at + np.arange(len(new))
    fill = np.ones(len(out), dtype=bool)
    fill[dest] = False
    out[fill] = values
    out[dest] = new
    return out
